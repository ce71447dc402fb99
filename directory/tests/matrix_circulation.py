"""Permission-matrix rows for the circulation pages (see tests/permission_matrix.py).

`matrix_objects` holds no circulation run, so each row's kwargs make the run they point at.
"""

from tests.permission_matrix import Row, council_only

# Starting a circulation and re-sending to failures: officers and directory editors, not directors.
RUNS_CIRCULATIONS = {**council_only(), "director": 403}


def _run(objects: dict) -> dict:
    from directory.tests.factories_circulation import run_with_deliveries

    return {"pk": run_with_deliveries(sent=1, failed=1, pending=1).pk}


def _sending_run_exists(objects: dict) -> dict:
    from directory.tests.factories_circulation import CirculationRunFactory

    CirculationRunFactory()
    return {}


ROWS: list[Row] = [
    Row("directory:circulation-run-list", council_only()),
    Row("directory:circulation-start", RUNS_CIRCULATIONS),
    # A run already sending is refused before any PDF is made: the page comes back with the error.
    Row(
        "directory:circulation-start",
        RUNS_CIRCULATIONS,
        kwargs=_sending_run_exists,
        method="post",
        label="while another is sending",
    ),
    Row("directory:circulation-run-detail", council_only(), kwargs=_run),
    Row("directory:circulation-run-progress", council_only(), kwargs=_run),
    Row(
        "directory:circulation-resend-failures",
        {**RUNS_CIRCULATIONS, **{role: 302 for role in ("officer", "editor", "manager", "superuser")}},
        kwargs=_run,
        method="post",
    ),
]
