"""Deterministic demo engagement: a year of forward plan with groups, bookings and waiting lists.

Runs after the who's-who is seeded; running it again adds nothing.
"""

from . import bookings, enquiries, groups, plan


def seed_engagement(*, scale: int) -> dict[str, int]:
    created = plan.seed_plan(scale=scale)
    created.update(bookings.seed_bookings(scale=scale))
    created.update(groups.seed_group_records(scale=scale))
    created.update(enquiries.seed_enquiries(scale=scale))
    return created
