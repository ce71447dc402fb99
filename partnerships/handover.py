"""Handing over a leaving officer's partnership pilots: those they lead, and the open objectives and risks they own.

Registered as a directory handover mover (see directory/services/handover.py) from PartnershipsConfig.ready().
A closed or stopped pilot keeps the officer who led it, as do its objectives: they are the record of what was
done. Open means a pilot still under way, an objective of such a pilot, and a risk whose status is open.
"""

from datetime import date

from django.db.models import QuerySet

from directory.models import Officer
from directory.services.handover import Mover
from partnerships.models import Objective, PartnershipPilot, Risk, Stage

_FINISHED = [Stage.CLOSED, Stage.STOPPED]


def _pilots(leaving: Officer) -> QuerySet[PartnershipPilot]:
    return PartnershipPilot.objects.filter(lead_officer=leaving).exclude(stage__in=_FINISHED)


def _objectives(leaving: Officer) -> QuerySet[Objective]:
    return Objective.objects.filter(owner=leaving).exclude(pilot__stage__in=_FINISHED)


def _risks(leaving: Officer) -> QuerySet[Risk]:
    return Risk.objects.filter(owner=leaving, status=Risk.Status.OPEN)


def partnership_pilots_hand_over(*, leaving: Officer, successor: Officer, effective_on: date) -> int:
    """Make the successor lead of the leaving officer's pilots and owner of their open objectives and risks."""
    reason = f"Handover from {leaving} to {successor}"
    moving = [
        *(("lead_officer", pilot) for pilot in _pilots(leaving).select_for_update().order_by("pk")),
        *(
            ("owner", objective)
            for objective in _objectives(leaving).select_for_update(of=("self",)).order_by("pk")
        ),
        *(("owner", risk) for risk in _risks(leaving).select_for_update().order_by("pk")),
    ]
    for field, record in moving:
        # One save each, so that each record's history says why it changed.
        setattr(record, field, successor)
        record._change_reason = reason
        record.save(update_fields=[field, "updated_at"])
    return len(moving)


def partnership_pilots_to_hand_over(*, leaving: Officer, effective_on: date) -> int:
    """How many would move, counted in one query."""
    # Unordered parts: SQLite allows no ORDER BY inside a UNION.
    return (
        _pilots(leaving)
        .order_by()
        .values("pk")
        .union(
            _objectives(leaving).order_by().values("pk"), _risks(leaving).order_by().values("pk"), all=True
        )
        .count()
    )


PARTNERSHIP_PILOTS = Mover(
    name="partnerships.pilots",
    label="Partnership pilots led, and open objectives and risks owned",
    record_as=Mover.COMMITMENTS,
    move=partnership_pilots_hand_over,
    count=partnership_pilots_to_hand_over,
)
