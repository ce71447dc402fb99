"""Demo data for market: filled in by seed_demo."""


def seed_market(*, scale: int) -> dict[str, int]:
    return {}
