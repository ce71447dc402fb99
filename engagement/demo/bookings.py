"""Demo bookings and waiting lists for the forward plan's forums."""


def seed_bookings(*, scale: int) -> dict[str, int]:
    return {}
