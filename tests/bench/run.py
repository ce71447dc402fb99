"""Time each benchmark scenario against a database seeded at a chosen scale: `make bench SCALE=N`."""

import argparse
import json
import math
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.bench import database as bench_database
from tests.bench.circulation_send import describe_send, measure_circulation_send
from tests.bench.pdf import describe_pdf, measure_contact_list_pdf
from tests.bench.scenarios import FLOOR, SCENARIOS, Scenario

WARMUPS = 5
DEFAULT_OUTPUT = bench_database.BENCH_DIR / "results.json"


class ScenarioFailed(Exception):
    """A scenario's page did not answer 200, so its timings would mean nothing."""


@dataclass
class Measurement:
    """One scenario's signed-in client, its query count and the timings gathered so far."""

    scenario: Scenario
    client: Client
    url: str
    queries: int
    timings_ms: list[float] = field(default_factory=list)

    @classmethod
    def start(cls, scenario: Scenario, *, warmups: int) -> "Measurement":
        client = Client()
        client.force_login(get_user_model().objects.get(email=scenario.email))
        from tests.second_step import pass_second_step  # models: loaded once Django is set up

        pass_second_step(client)  # as force_login skips the password
        url = scenario.url()
        for _ in range(warmups):
            _get(client, url, scenario)
        with CaptureQueriesContext(connection) as captured:
            _get(client, url, scenario)
        # Counted now: the capture reads the connection's query log, which the next request clears.
        return cls(scenario, client, url, queries=len(captured))

    def time_one(self) -> None:
        self.timings_ms.append(_get(self.client, self.url, self.scenario))

    @property
    def median_ms(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95_ms(self) -> float:
        # Nearest rank, so it is always one of the timings actually seen.
        ordered = sorted(self.timings_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]


def run_scenarios(scale: int, repeats: int, warmups: int = WARMUPS) -> list[dict]:
    """Measure every scenario on the database already seeded at `scale`; one result per scenario."""
    measurements = [Measurement.start(scenario, warmups=warmups) for scenario in SCENARIOS]
    # Round by round rather than scenario by scenario, so a slow spell slows every scenario alike.
    for _ in range(repeats):
        for measurement in measurements:
            measurement.time_one()
    floor_ms = next(m.median_ms for m in measurements if m.scenario.name == FLOOR)
    return [
        {
            "name": m.scenario.name,
            "scale": scale,
            "median_ms": round(m.median_ms, 3),
            "floor_median_ms": round(floor_ms, 3),
            "ratio": round(m.median_ms / floor_ms, 2),
            "queries": m.queries,
            "p95_ms": round(m.p95_ms, 3),
            "repeats": repeats,
        }
        for m in measurements
    ]


def _get(client: Client, url: str, scenario: Scenario) -> float:
    """Ask for the page (or post its form); return the server time in milliseconds."""
    if scenario.form is not None:
        return _post(client, url, scenario)
    started = time.perf_counter()
    response = client.get(url)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise ScenarioFailed(f"{scenario.name}: {url} answered {response.status_code}, not 200")
    return elapsed_ms


def _post(client: Client, url: str, scenario: Scenario) -> float:
    data = scenario.form()
    with transaction.atomic():
        started = time.perf_counter()
        response = client.post(url, data)
        elapsed_ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    if response.status_code != 302:
        raise ScenarioFailed(
            f"{scenario.name}: posting to {url} answered {response.status_code}, not a redirect"
        )
    return elapsed_ms


def format_table(results: list[dict]) -> str:
    width = max(len("Scenario"), *(len(result["name"]) for result in results))
    lines = [f"{'Scenario':<{width}}  {'Median ms':>9}  {'Queries':>7}  {'Ratio':>6}"]
    for r in results:
        lines.append(f"{r['name']:<{width}}  {r['median_ms']:>9.2f}  {r['queries']:>7}  {r['ratio']:>6.2f}")
    return "\n".join(lines)


def write_results(results: list[dict], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__)
    parser.add_argument("--scale", type=_positive, default=1, help="demo volume (1: about 200 providers)")
    parser.add_argument("--repeats", type=_positive, default=30, help="timed requests per scenario")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the JSON results go")
    parser.add_argument(
        "--send-recipients",
        type=int,
        default=10_000,
        help="recipients for the circulation-send figure (0 to leave it out; needs Redis)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    database = bench_database.bench_database()
    bench_database.create(database)
    # Settings read these on import, so they are fixed before django.setup(); timings are without DEBUG.
    os.environ["DATABASE_URL"] = database.url
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    django.setup()
    bench_database.build(database, scale=args.scale)
    results = run_scenarios(args.scale, args.repeats)
    results.append(measure_contact_list_pdf(scale=args.scale, floor_median_ms=results[0]["floor_median_ms"]))
    print(
        f"Scale {args.scale}, {args.repeats} repeats, {connection.vendor} {connection.settings_dict['NAME']}"
    )
    print(format_table(results))
    print(describe_pdf(results[-1]))
    if args.send_recipients:
        results.append(_circulation_send(args))
        print(describe_send(results[-1]))
    write_results(results, args.output)
    print(f"Results written to {args.output}")


def _circulation_send(args: argparse.Namespace) -> dict:
    broker_url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    return measure_circulation_send(scale=args.scale, recipients=args.send_recipients, broker_url=broker_url)


if __name__ == "__main__":
    main()
