"""The demo partnership pilots: one at each stage, with the records each stage needs, made once."""

import pytest
from django.urls import reverse

from directory.demo import demo_provider, link_demo_officer, seed_directory
from partnerships.demo import seed_partnerships
from partnerships.models import (
    Evaluation,
    Lesson,
    Milestone,
    Objective,
    PartnershipPilot,
    PilotPartner,
    ProcurementRecord,
    ProgressEntry,
    RelationshipCheck,
    RelationshipCheckRating,
    RelationshipCheckResponse,
    Risk,
    Stage,
    StageChange,
    StrategicReason,
)
from partnerships.selectors.checks import open_round_for, relationship_trend
from portal.relationship_themes import RelationshipTheme
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

AGREED_OR_BEYOND = {Stage.AGREED, Stage.IN_DELIVERY, Stage.EVALUATING, Stage.CLOSED}
MODELS = [
    PartnershipPilot,
    PilotPartner,
    StrategicReason,
    StageChange,
    ProcurementRecord,
    Objective,
    Milestone,
    Risk,
    ProgressEntry,
    Evaluation,
    Lesson,
    RelationshipCheck,
    RelationshipCheckResponse,
    RelationshipCheckRating,
]


@pytest.fixture
def county():
    """The who's-who, the demo officer and the demo provider user, as seed_demo makes them before the pilots."""
    seed_directory(scale=1)
    officer = CouncilUserFactory(email="officer@example.org", full_name="Olivia Officer")
    link_demo_officer(officer)
    provider_user = ProviderUserFactory(email="provider@example.org", provider_organisation=demo_provider())
    return {"officer": officer, "provider": provider_user}


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_gives_the_same_counts(county):
    created = seed_partnerships(scale=1)
    counts = _counts()

    again = seed_partnerships(scale=1)

    assert set(again.values()) == {0}
    assert _counts() == counts
    assert created["partnership pilots"] == counts["PartnershipPilot"] == 7
    assert created["relationship check responses"] == counts["RelationshipCheckResponse"]
    assert all(number > 0 for number in counts.values()), counts


def test_there_is_a_pilot_at_every_stage(county):
    seed_partnerships(scale=1)

    assert set(PartnershipPilot.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert PartnershipPilot.objects.filter(is_published=False).exists()


def test_a_larger_scale_adds_a_few_more_pilots(county):
    seed_partnerships(scale=3)

    assert PartnershipPilot.objects.count() == 9


def test_every_pilot_at_agreed_or_beyond_has_a_procurement_record(county):
    seed_partnerships(scale=1)

    agreed = PartnershipPilot.objects.filter(stage__in=AGREED_OR_BEYOND)
    assert agreed.count() == 4
    assert not agreed.filter(procurement__isnull=True).exists()
    assert not ProcurementRecord.objects.exclude(pilot__stage__in=AGREED_OR_BEYOND).exists()


def test_the_closed_pilot_has_a_published_end_evaluation_with_lessons(county):
    seed_partnerships(scale=1)

    closed = PartnershipPilot.objects.get(stage=Stage.CLOSED)
    end = closed.evaluations.get(point=Evaluation.Point.END)
    assert end.is_published
    assert end.published_at is not None
    assert end.lessons.exists()
    in_delivery = PartnershipPilot.objects.get(stage=Stage.IN_DELIVERY)
    assert in_delivery.evaluations.get(point=Evaluation.Point.MID_POINT).is_published
    evaluating = PartnershipPilot.objects.get(stage=Stage.EVALUATING)
    assert evaluating.evaluations.get(point=Evaluation.Point.MID_POINT).is_published
    assert len(set(Lesson.objects.values_list("theme", flat=True))) >= 5


def test_each_pilot_has_its_stage_trail_ending_at_its_stage(county):
    seed_partnerships(scale=1)

    for pilot in PartnershipPilot.objects.prefetch_related("stage_changes"):
        trail = list(pilot.stage_changes.all())
        assert trail[0].from_stage == ""
        assert trail[-1].to_stage == pilot.stage
        assert pilot.stage_changed_at == trail[-1].changed_at
    stopped = PartnershipPilot.objects.get(stage=Stage.STOPPED)
    assert stopped.stage_changes.last().note


def test_pilots_have_partners_of_every_sort_and_some_internal_risks(county):
    seed_partnerships(scale=1)

    kinds = set(PilotPartner.objects.values_list("kind", flat=True))
    assert {PilotPartner.Kind.PROVIDER, PilotPartner.Kind.NHS_TRUST, PilotPartner.Kind.VOLUNTARY} <= kinds
    assert Risk.objects.filter(is_internal=True).exists()
    assert ProgressEntry.objects.filter(is_internal=True).exists()


def test_the_relationship_checks_show_a_trend_over_several_rounds(county):
    seed_partnerships(scale=1)

    closed = PartnershipPilot.objects.get(stage=Stage.CLOSED)
    trend = relationship_trend(pilot=closed, user=county["officer"])
    assert len(trend.answered_rounds) >= 4
    assert all(round.council_overall is not None for round in trend.answered_rounds)
    assert trend.answered_rounds[-1].partners_overall > trend.answered_rounds[0].partners_overall
    for response in RelationshipCheckResponse.objects.prefetch_related("ratings"):
        assert {rating.theme for rating in response.ratings.all()} == set(RelationshipTheme.values)


def test_the_demo_provider_has_an_open_round_to_answer(client, county):
    seed_partnerships(scale=1)

    pilot = PartnershipPilot.objects.get(stage=Stage.IN_DELIVERY, partners__provider=demo_provider())
    check_round = open_round_for(pilot)
    assert check_round is not None
    assert not check_round.responses.filter(partner__provider=demo_provider()).exists()
    client.force_login(county["provider"])
    assert (
        client.get(reverse("partnerships:check-respond", args=[pilot.slug, check_round.pk])).status_code
        == 200
    )
    trend = client.get(reverse("partnerships:relationship", args=[pilot.slug]))
    assert "Answer the relationship check" in trend.content.decode()
