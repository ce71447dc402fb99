"""Handing over a leaving officer's open enquiries to their successor.

Registered as a directory handover mover (see directory/services/handover.py) from EngagementConfig.ready().
Every enquiry not yet resolved moves, whatever the handover date: the provider is waiting for an answer now. Each
keeps its team, as responsibilities do, and gets a "handed over" entry in its timeline.
"""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from directory.models import Officer
from directory.services.handover import Mover
from engagement.models import Enquiry, EnquiryEvent


def _open_enquiries(leaving: Officer) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(assigned_officer=leaving).exclude(status=Enquiry.Status.RESOLVED)


def open_enquiries_hand_over(*, leaving: Officer, successor: Officer, effective_on: date) -> int:
    """Give the successor the leaving officer's open enquiries, each with a timeline entry saying so."""
    moving = list(_open_enquiries(leaving).select_for_update().order_by("pk"))
    if not moving:
        return 0
    now = timezone.now()
    for enquiry in moving:
        enquiry.assigned_officer = successor
        enquiry.updated_at = now
    bulk_update_with_history(
        moving,
        Enquiry,
        ["assigned_officer", "updated_at"],
        default_change_reason=f"Handover from {leaving} to {successor}",
    )
    EnquiryEvent.objects.bulk_create(
        EnquiryEvent(
            enquiry=enquiry,
            kind=EnquiryEvent.Kind.HANDED_OVER,
            text=f"{leaving} handed over their duties: now with {successor}.",
        )
        for enquiry in moving
    )
    return len(moving)


def open_enquiries_to_hand_over(*, leaving: Officer, effective_on: date) -> int:
    return _open_enquiries(leaving).count()


OPEN_ENQUIRIES = Mover(
    name="engagement.enquiries",
    label="Open enquiries",
    record_as=None,
    move=open_enquiries_hand_over,
    count=open_enquiries_to_hand_over,
)
