"""The "contact-list PDF" figure: how long the who's-who PDF takes to render at the bench's scale, and its memory.

It is not a page, so it is measured apart from the scenarios: one render to warm up (and count the queries),
three timed renders (the median is the figure), then one more under tracemalloc: `peak_mb` is the peak of memory
allocated by Python during a render. WeasyPrint's boxes, styles and layout are Python objects, so that is most
of what a render holds; Pango's and HarfBuzz's own buffers are not in it. `rss_mb` is the whole process's
high-water mark after the timed renders (ru_maxrss: Django, the seeding and the scenarios included), an upper
bound.
"""

import gc
import resource
import statistics
import time
import tracemalloc
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

NAME = "contact-list PDF"
REPEATS = 3
# The changes told are those of the last quarter, as at a quarterly circulation.
CHANGES_WINDOW = timedelta(days=92)


def _render() -> tuple[float, int]:
    from directory.contact_list import contact_list_pdf

    started = time.perf_counter()
    _, pages = contact_list_pdf(as_of=timezone.localdate(), changes_since=timezone.now() - CHANGES_WINDOW)
    return (time.perf_counter() - started) * 1000, pages


def measure_contact_list_pdf(*, scale: int, floor_median_ms: float, repeats: int = REPEATS) -> dict:
    with CaptureQueriesContext(connection) as captured:
        _, pages = _render()
    median_ms = statistics.median(_render()[0] for _ in range(repeats))
    # Read before tracemalloc runs: its own bookkeeping would raise the process's high-water mark.
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    gc.collect()  # the earlier renders' leftovers, so that the peak is this render's own
    tracemalloc.start()
    try:
        _render()
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {
        "name": NAME,
        "scale": scale,
        "median_ms": round(median_ms, 3),
        "floor_median_ms": round(floor_median_ms, 3),
        "ratio": round(median_ms / floor_median_ms, 2),
        "queries": len(captured),
        "seconds": round(median_ms / 1000, 2),
        "peak_mb": round(peak_bytes / 2**20, 1),
        "rss_mb": round(rss_mb, 1),
        "pages": pages,
        "repeats": repeats,
    }


def describe_pdf(result: dict) -> str:
    return (
        f"{NAME}: {result['seconds']} s (median of {result['repeats']}), {result['pages']} pages, "
        f"peak {result['peak_mb']} MB of Python memory, process high-water mark {result['rss_mb']} MB"
    )
