"""Relationship checks: opening a round (with its invitations), and saving a side's ratings in it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from engagement.tests.factories_bookings import body, emails_to
from partnerships.models import RelationshipCheck, RelationshipCheckRating, RelationshipCheckResponse, Stage
from partnerships.selectors.checks import relationship_trend
from partnerships.services.checks import CheckError, check_open, check_response_save
from partnerships.tests.factories import (
    OtherPartnerFactory,
    PartnershipPilotFactory,
    ProviderPartnerFactory,
    RelationshipCheckFactory,
)
from portal.models import OutboxMessage
from portal.relationship_themes import RelationshipTheme
from portal.tests.factories import OfficerFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

THEMES = RelationshipTheme.values


def today() -> dt.date:
    return timezone.localdate()


def ratings(value: int = 4, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(THEMES, value), **overrides}


@pytest.fixture
def officer():
    return OfficerFactory(email="olivia@council.example.org")


@pytest.fixture
def pilot():
    return PartnershipPilotFactory(title="Home first", stage=Stage.IN_DELIVERY)


@pytest.fixture
def open_round(pilot):
    return RelationshipCheckFactory(
        pilot=pilot, opened_on=today() - dt.timedelta(days=2), closes_on=today() + dt.timedelta(days=19)
    )


# Opening a round


def test_an_officer_opens_a_round_and_every_partner_is_invited(pilot, officer, provider_a):
    partner = ProviderPartnerFactory(pilot=pilot, provider=provider_a)
    ProviderUserFactory(provider_organisation=provider_a, email="manager@provider-a.example.org")
    ProviderUserFactory(provider_organisation=provider_a, email="owner@provider-a.example.org")
    ProviderUserFactory(
        provider_organisation=provider_a, email="left@provider-a.example.org", is_active=False
    )
    OtherPartnerFactory(pilot=pilot, organisation_name="County Hospitals", contact_email="jo@nhs.example.org")
    OtherPartnerFactory(pilot=pilot, organisation_name="Carers Together", contact_email="")

    check_round = check_open(
        pilot=pilot, opened_on=today(), closes_on=today() + dt.timedelta(days=21), opened_by=officer
    )

    assert check_round.opened_by == officer
    assert sorted(email for message in OutboxMessage.objects.all() for email in message.recipients) == [
        "jo@nhs.example.org",
        "manager@provider-a.example.org",
        "owner@provider-a.example.org",
    ]
    (invitation,) = emails_to("manager@provider-a.example.org")
    assert invitation.subject.startswith("Relationship check for Home first")
    text = body(invitation)
    assert f"/partnerships/{pilot.slug}/relationship/{check_round.pk}/respond/" in text
    assert partner.name in text
    assert "Trust" in text
    nhs_text = body(emails_to("jo@nhs.example.org")[0])
    assert pilot.lead_officer.email in nhs_text


def test_a_round_can_open_later_and_its_invitation_says_when(pilot, officer, provider_a):
    ProviderPartnerFactory(pilot=pilot, provider=provider_a)
    ProviderUserFactory(provider_organisation=provider_a, email="manager@provider-a.example.org")
    opens_on = today() + dt.timedelta(days=7)

    check_open(pilot=pilot, opened_on=opens_on, closes_on=opens_on + dt.timedelta(days=14), opened_by=officer)

    assert f"opens on {opens_on.day} " in body(emails_to("manager@provider-a.example.org")[0])


def test_a_second_round_is_refused_while_one_is_still_open(pilot, officer, open_round):
    with pytest.raises(CheckError, match="is open until"):
        check_open(
            pilot=pilot, opened_on=today(), closes_on=today() + dt.timedelta(days=21), opened_by=officer
        )

    assert RelationshipCheck.objects.count() == 1


def test_a_round_waiting_to_open_also_stops_another(pilot, officer):
    RelationshipCheckFactory(
        pilot=pilot, opened_on=today() + dt.timedelta(days=5), closes_on=today() + dt.timedelta(days=20)
    )

    with pytest.raises(CheckError, match="is open until"):
        check_open(
            pilot=pilot, opened_on=today(), closes_on=today() + dt.timedelta(days=3), opened_by=officer
        )


def test_a_new_round_opens_once_the_last_one_has_closed(pilot, officer):
    RelationshipCheckFactory(
        pilot=pilot, opened_on=today() - dt.timedelta(days=30), closes_on=today() - dt.timedelta(days=1)
    )

    check_open(pilot=pilot, opened_on=today(), closes_on=today() + dt.timedelta(days=21), opened_by=officer)

    assert pilot.relationship_checks.count() == 2


@pytest.mark.parametrize("stage", [Stage.PROPOSED, Stage.CLOSED, Stage.STOPPED])
def test_no_round_opens_for_a_proposed_closed_or_stopped_pilot(officer, stage):
    pilot = PartnershipPilotFactory(stage=stage)

    with pytest.raises(CheckError, match=f"This pilot is {stage.label.lower()}"):
        check_open(
            pilot=pilot, opened_on=today(), closes_on=today() + dt.timedelta(days=21), opened_by=officer
        )

    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_a_round_must_close_after_it_opens(pilot, officer, days):
    with pytest.raises(CheckError, match="must be after the opening date") as refused:
        check_open(
            pilot=pilot, opened_on=today(), closes_on=today() + dt.timedelta(days=days), opened_by=officer
        )

    assert refused.value.field == "closes_on"


def test_a_round_cannot_open_in_the_past(pilot, officer):
    with pytest.raises(CheckError, match="open today or later"):
        check_open(
            pilot=pilot,
            opened_on=today() - dt.timedelta(days=1),
            closes_on=today() + dt.timedelta(days=9),
            opened_by=officer,
        )


def test_a_draft_pilot_cannot_open_a_round_its_partners_cannot_see(officer):
    pilot = PartnershipPilotFactory(stage=Stage.SCOPING, is_published=False)

    with pytest.raises(CheckError, match="Put the pilot on the register first"):
        check_open(
            pilot=pilot, opened_on=today(), closes_on=today() + dt.timedelta(days=9), opened_by=officer
        )


# Answering


def test_a_provider_answers_for_its_organisation(pilot, open_round, provider_a):
    partner = ProviderPartnerFactory(pilot=pilot, provider=provider_a)
    user = ProviderUserFactory(provider_organisation=provider_a)

    response = check_response_save(
        check_round=open_round,
        partner=partner,
        given_by=user,
        ratings=ratings(4, trust=2),
        comment="  Good start. ",
    )

    assert response.given_by == user
    assert response.comment == "Good start."
    assert dict(response.ratings.values_list("theme", "rating")) == ratings(4, trust=2)


def test_answering_again_before_the_round_closes_replaces_the_partners_ratings(pilot, open_round, provider_a):
    partner = ProviderPartnerFactory(pilot=pilot, provider=provider_a)
    first, second = ProviderUserFactory.create_batch(2, provider_organisation=provider_a)
    check_response_save(
        check_round=open_round, partner=partner, given_by=first, ratings=ratings(2), comment="Slow"
    )

    again = check_response_save(check_round=open_round, partner=partner, given_by=second, ratings=ratings(5))

    assert RelationshipCheckResponse.objects.get() == again
    assert again.given_by == second
    assert again.comment == ""
    assert set(RelationshipCheckRating.objects.values_list("rating", flat=True)) == {5}
    assert RelationshipCheckRating.objects.count() == len(THEMES)


def test_the_council_and_a_partner_that_is_not_a_provider_answer_separately(pilot, open_round, officer):
    trust = OtherPartnerFactory(pilot=pilot, organisation_name="County Hospitals")

    check_response_save(check_round=open_round, partner=None, given_by=officer, ratings=ratings(3))
    check_response_save(check_round=open_round, partner=trust, given_by=officer, ratings=ratings(5))
    check_response_save(check_round=open_round, partner=None, given_by=officer, ratings=ratings(4))

    assert set(RelationshipCheckResponse.objects.values_list("partner", flat=True)) == {None, trust.pk}
    trend = relationship_trend(pilot=pilot, user=officer).rounds[0]
    assert (trend.partners_overall, trend.council_overall) == (Decimal("5.0"), Decimal("4.0"))


def test_every_theme_must_be_rated(pilot, open_round, officer):
    missing = ratings(3)
    del missing["managing_conflict"]

    with pytest.raises(CheckError, match="Rate “managing conflict” from 1 to 5") as refused:
        check_response_save(check_round=open_round, partner=None, given_by=officer, ratings=missing)

    assert refused.value.field == "managing_conflict"
    assert not RelationshipCheckResponse.objects.exists()


def test_a_rating_outside_1_to_5_is_refused(pilot, open_round, officer):
    with pytest.raises(CheckError, match="Rate “trust” from 1 to 5"):
        check_response_save(
            check_round=open_round, partner=None, given_by=officer, ratings=ratings(3, trust=6)
        )


@pytest.mark.parametrize(
    ("opened", "closes", "refusal"),
    [(-30, -1, "closed on"), (3, 20, "opens on")],
    ids=["closed", "not yet open"],
)
def test_a_round_that_is_closed_or_not_yet_open_cannot_be_answered(pilot, officer, opened, closes, refusal):
    check_round = RelationshipCheckFactory(
        pilot=pilot,
        opened_on=today() + dt.timedelta(days=opened),
        closes_on=today() + dt.timedelta(days=closes),
    )

    with pytest.raises(CheckError, match=refusal):
        check_response_save(check_round=check_round, partner=None, given_by=officer, ratings=ratings())


def test_a_provider_cannot_answer_for_another_partner_or_the_council(
    pilot, open_round, provider_a, provider_b
):
    ProviderPartnerFactory(pilot=pilot, provider=provider_a)
    partner_b = ProviderPartnerFactory(pilot=pilot, provider=provider_b)
    user_a = ProviderUserFactory(provider_organisation=provider_a)

    for partner in (partner_b, None):
        with pytest.raises(CheckError, match="only answer for your own organisation"):
            check_response_save(check_round=open_round, partner=partner, given_by=user_a, ratings=ratings())


def test_council_staff_do_not_answer_for_a_provider_partner(pilot, open_round, officer, provider_a):
    partner = ProviderPartnerFactory(pilot=pilot, provider=provider_a)

    with pytest.raises(CheckError, match="A provider answers for itself"):
        check_response_save(check_round=open_round, partner=partner, given_by=officer, ratings=ratings())


def test_a_partner_of_another_pilot_is_refused(pilot, open_round, officer):
    elsewhere = OtherPartnerFactory()

    with pytest.raises(CheckError, match="Choose a partner in this pilot"):
        check_response_save(check_round=open_round, partner=elsewhere, given_by=officer, ratings=ratings())
