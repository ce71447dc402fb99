"""The stepping plan of the load test, against a pretend portal that holds the targets up to a number of users."""

from tests.load.steps import Plan, step_up


class PretendCrowd:
    """Holds the targets up to `limit` users; each user makes one request a second."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.asked: list[int] = []
        self.pages_requested = {"floor"}
        self.stopped = False

    def step(self, users: int, plan: Plan) -> dict:
        self.asked.append(users)
        return {"users": users, "rps": float(users), "held": users <= self.limit}

    def stop(self) -> None:
        self.stopped = True


def plan(**changes) -> Plan:
    return Plan(
        **{
            "start_users": 10,
            "max_users": 2560,
            "max_steps": 12,
            "refine": 2,
            "settle_seconds": 0,
            "step_seconds": 0,
            **changes,
        }
    )


def test_users_double_until_a_step_misses_then_the_gap_is_halved_twice():
    crowd = PretendCrowd(limit=100)
    result = step_up(crowd, plan())
    # 160 missed; 120 (between 80 and 160) missed; 100 (between 80 and 120) held.
    assert crowd.asked == [10, 20, 40, 80, 160, 120, 100]
    assert result["highest_held"] == {"users": 100, "rps": 100.0, "held": True}
    assert result["limit_found"] is True
    assert crowd.stopped


def test_a_crowd_that_misses_at_its_first_step_has_no_sustained_rate():
    crowd = PretendCrowd(limit=5)
    result = step_up(crowd, plan())
    assert crowd.asked == [10]
    assert result["highest_held"] is None
    assert result["limit_found"] is True


def test_a_crowd_that_holds_at_every_step_says_its_limit_was_not_found():
    crowd = PretendCrowd(limit=10_000)
    result = step_up(crowd, plan(max_steps=3))
    assert crowd.asked == [10, 20, 40]
    assert result["highest_held"]["users"] == 40
    assert result["limit_found"] is False


def test_no_step_goes_beyond_the_most_users_allowed():
    crowd = PretendCrowd(limit=10_000)
    step_up(crowd, plan(max_users=50))
    assert crowd.asked == [10, 20, 40]
