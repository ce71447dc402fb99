"""Factories for the groups' records and what follows an activity."""

import datetime as dt

import factory
from django.utils import timezone

from directory.tests.factories import OfficerFactory
from engagement.models import (
    Action,
    Activity,
    EngagementGroup,
    Feedback,
    MaturityAssessment,
    YouSaidWeDid,
)
from engagement.tests.factories import ActivityFactory, EngagementGroupFactory, in_days


def held_activity(*, days_ago: int = 7, **kwargs) -> Activity:
    """An activity that happened `days_ago` days ago."""
    starts_at = in_days(-days_ago)
    return ActivityFactory(
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        status=Activity.Status.HELD,
        **kwargs,
    )


def tier_one_group() -> EngagementGroup:
    return EngagementGroupFactory(kind=EngagementGroup.Kind.TIER_ONE)


class MaturityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaturityAssessment

    group = factory.SubFactory(EngagementGroupFactory)
    assessed_on = factory.LazyFunction(timezone.localdate)
    clear_purpose = 2
    right_membership = 2
    steady_attendance = 2
    actions_followed_up = 2
    provider_voice = 2


class YouSaidWeDidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YouSaidWeDid

    group = factory.SubFactory(EngagementGroupFactory)
    you_said = factory.Sequence(lambda n: f"Providers raised point {n}.")
    we_did = factory.Sequence(lambda n: f"The council acted on point {n}.")
    published_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    activity = factory.LazyFunction(held_activity)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(OfficerFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    activity = factory.SelfAttribute("booking.activity")
    rating = 4
