"""A leaving officer's pilots, open objectives and open risks move to their successor in the who's-who handover."""

import pytest
from django.utils import timezone

from directory.models import Handover
from directory.services import handover as directory_handover
from directory.services.handover import Mover, officer_hand_over
from directory.tests import factories as directory_factories
from partnerships.handover import PARTNERSHIP_PILOTS
from partnerships.models import Objective, PartnershipPilot, Risk, Stage
from partnerships.tests.factories import ObjectiveFactory, PartnershipPilotFactory, RiskFactory
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving():
    return directory_factories.OfficerFactory(full_name="Lee Leaving")


@pytest.fixture
def successor(leaving):
    return directory_factories.OfficerFactory(full_name="Sam Successor", team=leaving.team)


@pytest.fixture
def duties(leaving):
    """What moves (pilots under way, their objectives, open risks) and what stays (finished or someone else's)."""
    in_delivery = PartnershipPilotFactory(lead_officer=leaving, stage=Stage.IN_DELIVERY)
    proposed = PartnershipPilotFactory(lead_officer=leaving, stage=Stage.PROPOSED, is_published=False)
    closed = PartnershipPilotFactory(lead_officer=leaving, stage=Stage.CLOSED)
    stopped = PartnershipPilotFactory(lead_officer=leaving, stage=Stage.STOPPED)
    someone_elses = PartnershipPilotFactory(stage=Stage.SCOPING)
    return {
        "pilots": [in_delivery, proposed],
        "finished_pilots": [closed, stopped],
        "objectives": [
            ObjectiveFactory(pilot=in_delivery, owner=leaving),
            ObjectiveFactory(pilot=someone_elses, owner=leaving),
        ],
        "finished_objectives": [ObjectiveFactory(pilot=closed, owner=leaving)],
        "risks": [
            RiskFactory(pilot=in_delivery, owner=leaving),
            RiskFactory(pilot=someone_elses, owner=leaving, is_internal=True),
        ],
        "closed_risks": [RiskFactory(pilot=in_delivery, owner=leaving, status=Risk.Status.CLOSED)],
        "other_officers": [
            ObjectiveFactory(pilot=in_delivery),
            RiskFactory(pilot=in_delivery),
        ],
    }


def _pks(records) -> set[int]:
    return {record.pk for record in records}


def test_the_partnerships_mover_is_registered_to_count_as_commitments():
    registered = {mover.name: mover for mover in directory_handover.registered_movers()}

    assert registered["partnerships.pilots"] is PARTNERSHIP_PILOTS
    assert PARTNERSHIP_PILOTS.record_as == Mover.COMMITMENTS


def test_the_handover_gives_the_successor_the_pilots_open_objectives_and_open_risks(
    leaving, successor, duties
):
    today = timezone.localdate()
    made_by = CouncilUserFactory()
    preview = dict(directory_handover.handover_counts_preview(leaving=leaving, effective_on=today))

    handover = officer_hand_over(leaving=leaving, successor=successor, effective_on=today, made_by=made_by)

    assert preview[PARTNERSHIP_PILOTS] == 6
    assert handover.moved[PARTNERSHIP_PILOTS.label] == 6
    assert Handover.objects.get().commitments_moved == 6
    assert _pks(PartnershipPilot.objects.filter(lead_officer=successor)) == _pks(duties["pilots"])
    assert _pks(Objective.objects.filter(owner=successor)) == _pks(duties["objectives"])
    assert _pks(Risk.objects.filter(owner=successor)) == _pks(duties["risks"])


def test_finished_pilots_their_objectives_and_closed_risks_stay_with_the_leaving_officer(
    leaving, successor, duties
):
    officer_hand_over(leaving=leaving, successor=successor, effective_on=timezone.localdate(), made_by=None)

    assert _pks(PartnershipPilot.objects.filter(lead_officer=leaving)) == _pks(duties["finished_pilots"])
    assert _pks(Objective.objects.filter(owner=leaving)) == _pks(duties["finished_objectives"])
    assert _pks(Risk.objects.filter(owner=leaving)) == _pks(duties["closed_risks"])
    for record in duties["other_officers"]:
        record.refresh_from_db()
        assert record.owner not in (leaving, successor)


def test_each_moved_record_says_why_in_its_history(leaving, successor, duties):
    officer_hand_over(leaving=leaving, successor=successor, effective_on=timezone.localdate(), made_by=None)

    reason = "Handover from Lee Leaving to Sam Successor"
    for record in [duties["pilots"][0], duties["objectives"][0], duties["risks"][0]]:
        latest = record.history.first()
        assert latest.history_change_reason == reason


def test_the_preview_counts_in_one_query(leaving, duties, django_assert_num_queries):
    with django_assert_num_queries(1):
        count = PARTNERSHIP_PILOTS.count(leaving=leaving, effective_on=timezone.localdate())

    assert count == 6


def test_an_officer_with_no_pilots_moves_nothing(leaving, successor):
    handover = officer_hand_over(
        leaving=leaving, successor=successor, effective_on=timezone.localdate(), made_by=None
    )

    assert handover.moved[PARTNERSHIP_PILOTS.label] == 0
