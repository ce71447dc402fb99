"""The demo records around the groups: what the seed adds, and that a second run adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from engagement.demo.groups import seed_group_records
from engagement.models import (
    Action,
    ActivityNote,
    Feedback,
    MaturityAssessment,
    TermsOfReference,
    YouSaidWeDid,
)
from engagement.selectors.groups import terms_due
from engagement.tests.factories import BookingFactory, EngagementGroupFactory
from engagement.tests.factories_groups import held_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    """Five groups as the plan seed makes them, each with meetings held in the past and places taken."""
    groups = [EngagementGroupFactory(name=f"Forum {letter}", slug=f"forum-{letter}") for letter in "abcde"]
    for index, group in enumerate(groups):
        for days_ago in (100, 60, 30):
            activity = held_activity(group=group, days_ago=days_ago + index)
            for number in range(3):
                BookingFactory(
                    activity=activity, attendee_email=f"person{number}.{activity.pk}@provider.example.org"
                )
    return groups


def test_the_seed_adds_terms_maturity_entries_notes_actions_and_feedback(plan):
    created = seed_group_records(scale=1)

    assert created["terms of reference"] == TermsOfReference.objects.count() > 0
    assert created["maturity assessments"] == MaturityAssessment.objects.count() == 10
    assert created["activity notes"] == ActivityNote.objects.count() == 15
    assert created["actions"] == Action.objects.count() == 30
    assert created["you said we did entries"] == YouSaidWeDid.objects.count() == 15
    assert 0 < created["feedback"] == Feedback.objects.count() < 45


def test_most_groups_have_current_terms_one_is_overdue_and_one_has_none(plan):
    seed_group_records(scale=1)

    due = {group.slug: group for group in terms_due(within_days=0)}
    assert set(due) == {"forum-d", "forum-e"}
    assert due["forum-e"].terms_version is None
    assert due["forum-d"].terms_review_on < timezone.localdate()


def test_each_group_has_two_assessments_a_year_apart(plan):
    seed_group_records(scale=1)

    for group in plan:
        later, earlier = group.maturity_assessments.all()
        assert later.assessed_on - earlier.assessed_on == dt.timedelta(days=365)


def test_some_entries_are_published_and_the_latest_of_each_group_is_a_draft(plan):
    seed_group_records(scale=1)

    for group in plan:
        latest = group.you_said_we_did.order_by("-activity__starts_at").first()
        assert latest.published_on is None
    assert YouSaidWeDid.objects.filter(published_on__isnull=False).exists()


def test_a_second_run_adds_nothing(plan):
    seed_group_records(scale=1)

    again = seed_group_records(scale=1)

    assert set(again.values()) == {0}
