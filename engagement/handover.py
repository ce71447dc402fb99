"""Handing over a leaving officer's engagement commitments: the activities they facilitate and the groups they chair.

Registered as a directory handover mover (see directory/services/handover.py) from EngagementConfig.ready().
Activities move only from the handover date onward (and never those already past, held or cancelled): until then
the leaving officer is still in post and facilitates what they planned.
"""

from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from directory.models import Officer
from directory.services.handover import Mover
from engagement.models import Activity, EngagementGroup
from engagement.selectors.plan import start_of


def _from(effective_on: date) -> datetime:
    return max(timezone.now(), start_of(effective_on))


def _activities(leaving: Officer, effective_on: date) -> QuerySet[Activity]:
    return Activity.objects.filter(
        facilitator=leaving,
        starts_at__gte=_from(effective_on),
        status__in=[Activity.Status.PLANNED, Activity.Status.CONFIRMED],
    )


def _groups(leaving: Officer) -> QuerySet[EngagementGroup]:
    return EngagementGroup.objects.filter(chair=leaving, is_active=True)


def engagement_commitments_hand_over(*, leaving: Officer, successor: Officer, effective_on: date) -> int:
    """Make the successor facilitator of the leaving officer's coming activities and chair of their groups."""
    reason = f"Handover from {leaving} to {successor}"
    moving = [
        *_activities(leaving, effective_on).select_for_update().order_by("pk"),
        *_groups(leaving).select_for_update().order_by("pk"),
    ]
    for commitment in moving:
        # One save each: an activity's history also records its areas and service types.
        if isinstance(commitment, Activity):
            commitment.facilitator = successor
            fields = ["facilitator", "updated_at"]
        else:
            commitment.chair = successor
            fields = ["chair", "updated_at"]
        commitment._change_reason = reason
        commitment.save(update_fields=fields)
    return len(moving)


def engagement_commitments_to_hand_over(*, leaving: Officer, effective_on: date) -> int:
    """How many would move, counted in one query."""
    # Unordered parts: SQLite allows no ORDER BY inside a UNION.
    activities = _activities(leaving, effective_on).order_by().values("pk")
    return activities.union(_groups(leaving).order_by().values("pk"), all=True).count()


ENGAGEMENT_COMMITMENTS = Mover(
    name="engagement.commitments",
    label="Activities facilitated and groups chaired",
    record_as=Mover.COMMITMENTS,
    move=engagement_commitments_hand_over,
    count=engagement_commitments_to_hand_over,
)
