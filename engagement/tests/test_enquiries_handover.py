"""A leaving officer's open enquiries move to their successor in the directory's handover."""

import pytest
from django.utils import timezone

from directory.services import handover as directory_handover
from directory.services.handover import officer_hand_over
from directory.tests.factories import OfficerFactory
from engagement.enquiry_handover import OPEN_ENQUIRIES
from engagement.models import Enquiry, EnquiryEvent
from engagement.tests.factories_enquiries import EnquiryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving():
    return OfficerFactory(full_name="Lee Leaving")


@pytest.fixture
def successor(leaving):
    return OfficerFactory(full_name="Sam Successor")


@pytest.fixture
def enquiries(leaving):
    """Two open enquiries (one waiting for the provider) move; a resolved one and someone else's stay."""
    return {
        "moving": [
            EnquiryFactory(assigned_officer=leaving),
            EnquiryFactory(assigned_officer=leaving, status=Enquiry.Status.AWAITING_PROVIDER),
        ],
        "resolved": EnquiryFactory(
            assigned_officer=leaving, status=Enquiry.Status.RESOLVED, resolved_at=timezone.now()
        ),
        "someone_elses": EnquiryFactory(),
    }


def test_the_enquiries_mover_is_registered_once_under_its_own_name():
    names = [mover.name for mover in directory_handover.registered_movers()]

    assert names.count("engagement.enquiries") == 1
    assert {mover.name: mover for mover in directory_handover.registered_movers()}[
        "engagement.enquiries"
    ] is OPEN_ENQUIRIES
    assert (OPEN_ENQUIRIES.label, OPEN_ENQUIRIES.record_as) == ("Open enquiries", None)


def test_the_handover_moves_open_enquiries_with_a_timeline_entry(leaving, successor, enquiries):
    today = timezone.localdate()
    preview = dict(directory_handover.handover_counts_preview(leaving=leaving, effective_on=today))

    handover = officer_hand_over(leaving=leaving, successor=successor, effective_on=today, made_by=None)

    assert preview[OPEN_ENQUIRIES] == 2
    assert handover.moved["Open enquiries"] == 2
    moving = {enquiry.pk for enquiry in enquiries["moving"]}
    assert set(Enquiry.objects.filter(assigned_officer=successor).values_list("pk", flat=True)) == moving
    for enquiry in enquiries["moving"]:
        enquiry.refresh_from_db()
        # Each keeps its team, as responsibilities do.
        assert enquiry.assigned_team == leaving.team
        event = enquiry.events.get(kind=EnquiryEvent.Kind.HANDED_OVER)
        assert event.text == "Lee Leaving handed over their duties: now with Sam Successor."
        assert not event.is_internal
        assert enquiry.history.first().history_change_reason == "Handover from Lee Leaving to Sam Successor"
    enquiries["resolved"].refresh_from_db()
    assert enquiries["resolved"].assigned_officer == leaving
    assert not EnquiryEvent.objects.filter(enquiry=enquiries["someone_elses"]).exists()


def test_an_officer_with_no_open_enquiries_moves_none(leaving, successor):
    today = timezone.localdate()

    assert OPEN_ENQUIRIES.count(leaving=leaving, effective_on=today) == 0
    assert OPEN_ENQUIRIES.move(leaving=leaving, successor=successor, effective_on=today) == 0
