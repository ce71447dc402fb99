"""Step a crowd up until the portal misses a target, and write each step's figures as JSON.

Run by tests/load/run.py in a process of its own: Locust replaces parts of the standard library with gevent's
as it is imported, which the runner (Django, subprocesses, the SMTP sink's thread) must not share. The floor
crowd is stepped first, then the mixed one, each the same way (tests/load/steps.py).
"""

import locust  # noqa: F401, I001 - first, so that gevent patches the standard library before anything else

import argparse
import json
import logging
from collections import Counter
from pathlib import Path

import gevent
from locust.env import Environment
from locust.stats import StatsEntry

from tests.load import MIN_TIMINGS, P95_TARGET_MS, locustfile
from tests.load.steps import Plan, step_up

SPAWN_PER_SECOND = 100  # Locust warns of trouble above this
TOUR_SECONDS = 60


def figures(entry: StatsEntry, seconds: float) -> dict:
    return {
        "requests": entry.num_requests,
        "rps": round(entry.num_requests / seconds, 1),
        "p50_ms": entry.get_response_time_percentile(0.5) or 0,
        "p95_ms": entry.get_response_time_percentile(0.95) or 0,
        "p99_ms": entry.get_response_time_percentile(0.99) or 0,
        "errors": entry.num_failures,
    }


class Crowd:
    """One crowd (its user classes) on one Locust environment; `step` measures it at a number of users."""

    def __init__(self, user_classes: list, host: str) -> None:
        # An environment of its own, with its own events, so one crowd's requests are never counted in another's.
        self.environment = Environment(user_classes=user_classes, host=host)
        self.runner = self.environment.create_local_runner()
        self.pages_requested: set[str] = set()
        # Every failure since the step began, its ramp and settling included: an error counts wherever it falls.
        self.failures: Counter[tuple[str, str, str]] = Counter()
        self.environment.events.request.add_listener(self._seen)

    def _seen(self, request_type: str, name: str, exception=None, **_) -> None:
        self.pages_requested.add(name)
        if exception is not None:
            self.failures[(request_type, name, str(exception))] += 1

    def step(self, users: int, plan: Plan) -> dict:
        self.failures.clear()
        self.runner.exceptions = {}
        self.runner.start(users, spawn_rate=SPAWN_PER_SECOND)
        self.runner.spawning_greenlet.join()
        # New people sign in (and the first of each kind tours its pages) and settle before the window opens.
        # An overloaded portal may keep a tour going for long: the step is measured anyway, and will miss.
        with gevent.Timeout(TOUR_SECONDS, False):
            while not all(user_class.toured() for user_class in self.environment.user_classes):
                gevent.sleep(0.2)
        gevent.sleep(plan.settle_seconds)
        self.environment.stats.reset_all()
        gevent.sleep(plan.step_seconds)
        return self._measured(users, plan.step_seconds)

    def _measured(self, users: int, seconds: float) -> dict:
        stats = self.environment.stats
        pages = [
            {"name": entry.name, "method": entry.method, **figures(entry, seconds)}
            for entry in sorted(stats.entries.values(), key=lambda entry: (entry.name, entry.method))
            if entry.num_requests
        ]
        errors = [
            {"name": name, "method": method, "error": error, "occurrences": count}
            for (method, name, error), count in self.failures.items()
        ]
        # A task that raised (rather than a request that failed) is a defect of the crowd or the portal alike.
        errors += [
            {"name": "task", "method": "", "error": exception["msg"], "occurrences": exception["count"]}
            for exception in self.runner.exceptions.values()
        ]
        total = {**figures(stats.total, seconds), "errors": sum(error["occurrences"] for error in errors)}
        held = (
            total["requests"] > 0
            and total["errors"] == 0
            and total["p95_ms"] < P95_TARGET_MS
            and all(page["p95_ms"] < P95_TARGET_MS for page in pages if page["requests"] >= MIN_TIMINGS)
        )
        return {
            "users": users,
            "seconds": seconds,
            **total,
            "held": held,
            "pages": pages,
            "errors_seen": errors,
        }

    def stop(self) -> None:
        self.runner.quit()


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.load.crowd", description=__doc__)
    parser.add_argument("--host", required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--start-users", type=int, default=10)
    parser.add_argument("--max-users", type=int, default=2560)
    parser.add_argument("--max-steps", type=int, default=12)
    parser.add_argument("--refine", type=int, default=2)
    parser.add_argument("--settle-seconds", type=float, default=10)
    parser.add_argument("--step-seconds", type=float, default=30)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    plan = Plan(
        start_users=args.start_users,
        max_users=args.max_users,
        max_steps=args.max_steps,
        refine=args.refine,
        settle_seconds=args.settle_seconds,
        step_seconds=args.step_seconds,
    )
    results = {
        "floor": step_up(Crowd(locustfile.FLOOR, args.host), plan),
        "mixed": step_up(Crowd(locustfile.MIXED, args.host), plan),
    }
    args.output.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
