"""How a crowd is stepped up: the users double each step until a step misses a target, then the steps halve the
gap between the last step that held and the first that did not. Free of Locust, so it is tested on its own.
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Plan:
    start_users: int
    max_users: int
    max_steps: int
    refine: int
    settle_seconds: float
    step_seconds: float


class Crowd(Protocol):
    pages_requested: set[str]

    def step(self, users: int, plan: Plan) -> dict: ...

    def stop(self) -> None: ...


def step_up(crowd: Crowd, plan: Plan) -> dict:
    """Step the crowd up; the result is the step that held at the highest rate, and every step taken."""
    steps = []
    users, held_at, missed_at = plan.start_users, None, None
    while len(steps) < plan.max_steps and users <= plan.max_users:
        steps.append(crowd.step(users, plan))
        if not steps[-1]["held"]:
            missed_at = users
            break
        held_at = users
        users *= 2
    for _ in range(plan.refine):
        if held_at is None or missed_at is None or len(steps) >= plan.max_steps:
            break
        users = (held_at + missed_at) // 2
        if users in (held_at, missed_at):
            break
        steps.append(crowd.step(users, plan))
        held_at, missed_at = (users, missed_at) if steps[-1]["held"] else (held_at, users)
    crowd.stop()
    held = [step for step in steps if step["held"]]
    return {
        "highest_held": max(held, key=lambda step: step["rps"]) if held else None,
        # False when every step held: the portal's limit lies beyond the last step.
        "limit_found": missed_at is not None,
        "steps": steps,
        "pages_requested": sorted(crowd.pages_requested),
    }
