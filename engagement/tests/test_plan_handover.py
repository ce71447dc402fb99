"""A leaving officer's engagement commitments move to their successor in the directory's handover."""

import datetime as dt

import pytest
from django.utils import timezone

from directory.services import handover as directory_handover
from directory.services.handover import Mover, officer_hand_over
from directory.tests import factories as directory_factories
from engagement.handover import ENGAGEMENT_COMMITMENTS
from engagement.models import Activity
from engagement.tests.factories import ActivityFactory, EngagementGroupFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving():
    return directory_factories.OfficerFactory(full_name="Lee Leaving")


@pytest.fixture
def successor(leaving):
    return directory_factories.OfficerFactory(full_name="Sam Successor", team=leaving.team)


@pytest.fixture
def commitments(leaving):
    """Two coming activities and a group that move; what is past, held, cancelled or someone else's stays."""
    return {
        "moving": [
            ActivityFactory(facilitator=leaving, starts_at=in_days(20), status=Activity.Status.PLANNED),
            ActivityFactory(facilitator=leaving, starts_at=in_days(40)),
        ],
        "chaired": EngagementGroupFactory(chair=leaving),
        "staying": [
            ActivityFactory(facilitator=leaving, starts_at=in_days(-20), status=Activity.Status.HELD),
            ActivityFactory(facilitator=leaving, starts_at=in_days(30), status=Activity.Status.CANCELLED),
            ActivityFactory(starts_at=in_days(30)),
        ],
        "retired_group": EngagementGroupFactory(chair=leaving, is_active=False),
    }


def test_the_engagement_mover_is_registered_to_count_as_commitments():
    registered = {mover.name: mover for mover in directory_handover.registered_movers()}

    assert registered["engagement.commitments"] is ENGAGEMENT_COMMITMENTS
    assert ENGAGEMENT_COMMITMENTS.record_as == Mover.COMMITMENTS


def test_the_handover_moves_coming_activities_and_chairs_to_the_successor(leaving, successor, commitments):
    today = timezone.localdate()
    preview = dict(directory_handover.handover_counts_preview(leaving=leaving, effective_on=today))

    handover = officer_hand_over(leaving=leaving, successor=successor, effective_on=today, made_by=None)

    assert preview[ENGAGEMENT_COMMITMENTS] == 3
    assert handover.commitments_moved == 3
    assert handover.moved[ENGAGEMENT_COMMITMENTS.label] == 3
    assert {activity.pk for activity in Activity.objects.filter(facilitator=successor)} == {
        activity.pk for activity in commitments["moving"]
    }
    commitments["chaired"].refresh_from_db()
    commitments["retired_group"].refresh_from_db()
    assert commitments["chaired"].chair == successor
    assert commitments["retired_group"].chair == leaving
    for activity in commitments["staying"]:
        activity.refresh_from_db()
        assert activity.facilitator != successor
    moved = commitments["moving"][0]
    assert moved.history.first().history_change_reason == "Handover from Lee Leaving to Sam Successor"


def test_activities_before_a_later_handover_date_stay_with_the_leaving_officer(
    leaving, successor, commitments
):
    effective_on = timezone.localdate() + dt.timedelta(days=30)

    count = ENGAGEMENT_COMMITMENTS.count(leaving=leaving, effective_on=effective_on)
    moved = ENGAGEMENT_COMMITMENTS.move(leaving=leaving, successor=successor, effective_on=effective_on)

    assert count == moved == 2  # the activity in 40 days and the group
    soon = commitments["moving"][0]
    soon.refresh_from_db()
    assert soon.facilitator == leaving


def test_counting_moves_nothing(leaving, successor, commitments, django_assert_num_queries):
    with django_assert_num_queries(1):
        count = ENGAGEMENT_COMMITMENTS.count(leaving=leaving, effective_on=timezone.localdate())

    assert count == 3
    assert Activity.objects.filter(facilitator=successor).count() == 0
