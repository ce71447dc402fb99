"""Load-test the portal as production runs it: `make loadtest LOAD_SCALE=N`.

Seeds (or reuses) a database at the scale, copies it for this run, starts gunicorn, a Celery worker with beat and
an SMTP sink, then steps up two crowds over real HTTP: the floor view alone, then the mixed crowd of provider
staff, officers and directors. Each is reported at the highest request rate at which it held both targets (no
errors; p95 under 500 ms, over all pages and for each page asked for at least 20 times in the step), the mixed crowd next to the floor's. Figures go to var/load/results.json
and a markdown table to stdout. The load generator (Locust) runs on the same machine and shares its cores.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import django

from tests.load import MIN_TIMINGS, P95_TARGET_MS
from tests.load import database as load_database
from tests.load.servers import BASE_DIR, DEFAULT_BROKER_URL, LOAD_DIR, Servers, production_environment

DEFAULT_OUTPUT = LOAD_DIR / "results.json"


def find_targets(*, scale: int) -> dict:
    """What the crowd needs to know about the seeded data; read once, before the run's copy is made."""
    import random

    from django.conf import settings

    from directory.demo import demo_provider
    from directory.models import Area, ProviderOrganisation, Topic
    from portal.second_step.demo import demo_authenticator_hex_key
    from tests.bench.scenarios import DIRECTOR, OFFICER, PROVIDER

    provider = demo_provider()
    provider_ids = list(ProviderOrganisation.objects.filter(is_active=True).values_list("pk", flat=True))
    area = provider.areas.order_by("name").first()
    return {
        "scale": scale,
        # The demo sign-ins `seed_demo` creates, as the benchmark uses them.
        "accounts": {"officer": OFFICER, "director": DIRECTOR, "provider": PROVIDER},
        "password": settings.DEMO_PASSWORD,
        # The demo staff accounts' authenticator (seed_demo), for their second sign-in step.
        "authenticator_key": demo_authenticator_hex_key(),
        "provider": provider.pk,
        "providers": sorted(random.Random(scale).sample(provider_ids, min(500, len(provider_ids)))),
        "forum": _bookable_activity(provider.pk),
        # Safeguarding for home care in the demo provider's area, as the benchmark asks the finder.
        "question": {"topic": "safeguarding", "area": area.slug, "service_type": "home-care"},
        "search_terms": [
            *Topic.objects.order_by("name").values_list("name", flat=True)[:6],
            *Area.objects.order_by("name").values_list("name", flat=True)[:2],
        ],
    }


def _bookable_activity(provider_id: int) -> int:
    """The first activity the provider may book now and still cancel in an hour's time.

    The provider's bookings are listed by their activity's start, so a place just booked there is on the list's
    last page, or the one before when the provider has more than a few places at later activities.
    """
    from django.utils import timezone

    from engagement.models import Activity
    from engagement.selectors.bookings import activity_figures, booking_refusal, cancellation_refusal

    now = timezone.now()
    candidates = (
        Activity.objects.filter(takes_bookings=True, starts_at__gt=now + dt.timedelta(hours=1))
        .exclude(status__in=[Activity.Status.CANCELLED, Activity.Status.HELD])
        .order_by("starts_at", "pk")
    )
    for activity in candidates[:500]:
        figures = activity_figures(activity=activity, provider_id=provider_id)
        refused = booking_refusal(activity=activity, figures=figures, now=now) or cancellation_refusal(
            activity=activity, now=now + dt.timedelta(hours=1)
        )
        if not refused:
            return activity.pk
    raise SystemExit("The seeded plan has no activity the demo provider may book and cancel now.")


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    cpuinfo = _read("/proc/cpuinfo")
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    memory = next(
        (line.split()[1] for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal")), "0"
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": models[0] if models else platform.processor(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres,
    }


def _read(path: str) -> str:
    return Path(path).read_text() if Path(path).exists() else ""


def drive_crowds(servers: Servers, targets_file: Path, args: argparse.Namespace) -> tuple[dict, dict]:
    """Run the crowds in their own process; their figures, and the CPU time the load generator took."""
    output = args.output.parent / "crowds.json"
    output.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [
        *(sys.executable, "-m", "tests.load.crowd", "--host", servers.address, "--output", str(output)),
        *("--start-users", str(args.start_users), "--max-users", str(args.max_users)),
        *("--max-steps", str(args.max_steps), "--refine", str(args.refine)),
        *("--settle-seconds", str(args.settle_seconds), "--step-seconds", str(args.step_seconds)),
    ]
    environment = {**os.environ, "LOAD_TARGETS": str(targets_file), "LOAD_PACE_SECONDS": str(args.pace)}
    started = time.monotonic()
    subprocess.run(command, cwd=BASE_DIR, env=environment, check=True)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(output.read_text()), {
        "cpu_seconds": round(cpu, 1),
        "share_of_machine": round(cpu / (seconds * (os.cpu_count() or 1)), 2),
    }


def summarise(
    crowds: dict, *, scale: int, started: float, generator: dict, emails: int, args, about: dict
) -> dict:
    floor, mixed = crowds["floor"]["highest_held"], crowds["mixed"]["highest_held"]
    seconds = time.monotonic() - started
    return {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": about,
        "scale": scale,
        "targets": {"errors": 0, "p95_ms": P95_TARGET_MS, "p95_judged_from_requests": MIN_TIMINGS},
        "settings": {
            "gunicorn_workers": args.workers,
            "pace_seconds": args.pace,
            "start_users": args.start_users,
            "settle_seconds": args.settle_seconds,
            "step_seconds": args.step_seconds,
        },
        "floor": crowds["floor"],
        "mixed": crowds["mixed"],
        "mixed_to_floor": round(mixed["rps"] / floor["rps"], 2) if floor and mixed else None,
        "emails_received_by_sink": emails,
        "load_generator": generator,
        "duration_seconds": round(seconds),
    }


def format_report(results: dict) -> str:
    about, floor, mixed = results["machine"], results["floor"], results["mixed"]
    lines = [
        f"Load test at scale {results['scale']}, {results['date']}, on {about['cpus']} x {about['cpu_model']}, "
        f"{about['memory_gb']} GB, PostgreSQL {about['postgresql']}; {results['settings']['gunicorn_workers']} "
        "gunicorn workers. Locust ran on the same machine and took "
        f"{results['load_generator']['share_of_machine']:.0%} of its CPU while the crowds ran.",
        "",
        "| Crowd | Users | Requests/s | p50 ms | p95 ms | p99 ms | Errors | Held |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, crowd in (("floor", floor), ("mixed", mixed)):
        for step in crowd["steps"]:
            lines.append(
                f"| {name} | {step['users']} | {step['rps']} | {step['p50_ms']} | {step['p95_ms']} | "
                f"{step['p99_ms']} | {step['errors']} | {'yes' if step['held'] else 'no'} |"
            )
    lines.append("")
    if not (floor["highest_held"] and mixed["highest_held"]):
        lines.append("A crowd missed the targets at its first step: no sustained rate to report.")
        return "\n".join(lines + _errors(results))
    best = mixed["highest_held"]
    lines += [
        f"Highest rate held: mixed crowd {best['rps']} requests/s ({best['users']} users), floor view "
        f"{floor['highest_held']['rps']} requests/s: {results['mixed_to_floor']} of the floor's.",
        *(
            f"The {name} crowd held at every step: its limit is beyond the last."
            for name in ("floor", "mixed")
            if not results[name]["limit_found"]
        ),
        "",
        "| Page | Method | Requests/s | p50 ms | p95 ms | p99 ms | Errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in best["pages"]:
        lines.append(
            f"| {page['name']} | {page['method']} | {page['rps']} | {page['p50_ms']} | {page['p95_ms']} | "
            f"{page['p99_ms']} | {page['errors']} |"
        )
    lines.append(
        f"| all pages | | {best['rps']} | {best['p50_ms']} | {best['p95_ms']} | {best['p99_ms']} | {best['errors']} |"
    )
    return "\n".join(lines + _errors(results))


def _errors(results: dict) -> list[str]:
    """Why each step that missed a target missed it: its errors, and its pages slower than the target."""
    lines = []
    for crowd in ("floor", "mixed"):
        for step in results[crowd]["steps"]:
            slow = [
                page
                for page in step["pages"]
                if page["p95_ms"] >= P95_TARGET_MS and page["requests"] >= MIN_TIMINGS
            ]
            if step["p95_ms"] >= P95_TARGET_MS:
                slow.append({"name": "all pages", "p95_ms": step["p95_ms"]})
            lines += [f"- {crowd} at {step['users']} users: {p['name']} p95 {p['p95_ms']} ms" for p in slow]
            lines += [
                f"- {crowd} at {step['users']} users: {error['method']} {error['name']}: {error['error']} "
                f"({error['occurrences']}x)"
                for error in step["errors_seen"]
            ]
    return ["", "Targets missed:", *lines[:30]] if lines else []


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.load.run", description=__doc__)
    parser.add_argument("--scale", type=_positive, default=50, help="demo volume (1: about 200 providers)")
    parser.add_argument(
        "--database-url", help="the run's database (default LOAD_DATABASE_URL or portal_load)"
    )
    parser.add_argument("--workers", type=_positive, default=3, help="gunicorn workers (3 suit 2 cores)")
    parser.add_argument("--start-users", type=_positive, default=10, help="users of each crowd's first step")
    parser.add_argument("--max-users", type=_positive, default=2560, help="no step beyond this many users")
    parser.add_argument("--max-steps", type=_positive, default=12, help="steps per crowd at most")
    parser.add_argument("--refine", type=int, default=2, help="steps narrowing the gap after a missed one")
    parser.add_argument("--settle-seconds", type=float, default=10, help="unmeasured time after each ramp")
    parser.add_argument("--step-seconds", type=float, default=30, help="measured time of each step")
    parser.add_argument("--pace", type=float, default=2.0, help="mean seconds a user spends on a page")
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="where the JSON results go; the logs go beside them",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    # Stopped from outside, it still stops what it started (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    run = load_database.run_database(args.database_url)
    seeded = load_database.seeded_database(run)
    # The harness's own Django reads the seeded database with production settings, so the demo passwords are
    # hashed as the server checks them; tasks it causes while seeding run in-process.
    broker_url = os.environ.pop("CELERY_BROKER_URL", None) or DEFAULT_BROKER_URL
    directory = args.output.parent
    os.environ.update(production_environment(database_url=seeded.url, port=0, directory=directory))
    django.setup()
    _say(f"Seeding {seeded.name} at scale {args.scale} (kept, and reused while it holds that scale)")
    load_database.seed(seeded, scale=args.scale)
    about = machine()
    directory.mkdir(parents=True, exist_ok=True)
    targets_file = directory / "targets.json"
    targets_file.write_text(json.dumps(find_targets(scale=args.scale), indent=2) + "\n")
    from django.db import connection

    connection.close()
    _say(f"Copying it to {run.name} for this run")
    load_database.copy_for_run(seeded, run)
    servers = Servers(database_url=run.url, workers=args.workers, directory=directory, broker_url=broker_url)
    try:
        servers.start()
        _say("Starting gunicorn and the worker")
        servers.wait_until_healthy()
        _say(f"Portal up at {servers.address}; stepping up the floor crowd, then the mixed one")
        crowds, generator = drive_crowds(servers, targets_file, args)
    finally:
        servers.stop()
    results = summarise(
        crowds,
        scale=args.scale,
        started=started,
        generator=generator,
        emails=servers.sink.messages,
        args=args,
        about=about,
    )
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(format_report(results))
    print(f"\nResults written to {args.output}")


if __name__ == "__main__":
    main()
