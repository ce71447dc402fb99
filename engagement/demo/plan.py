"""Demo engagement groups and a year of forward plan."""


def seed_plan(*, scale: int) -> dict[str, int]:
    return {}
