"""Demo data for principles: filled in by seed_demo."""


def seed_principles(*, scale: int) -> dict[str, int]:
    return {}
