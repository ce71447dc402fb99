"""Relationship checks: opening a round for a pilot, and saving a side's ratings in it.

Opening a round emails every partner an invitation to answer, in the same transaction (through the outbox): a
provider partner's active portal users, and another organisation's contact. Each side answers once a round; answering
again before the round closes replaces that side's ratings.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from partnerships.models import (
    PartnershipPilot,
    PilotPartner,
    RelationshipCheck,
    RelationshipCheckRating,
    RelationshipCheckResponse,
)
from partnerships.selectors.checks import CHECKABLE_STAGES, round_refusal, rounds_still_open
from portal.models import User
from portal.relationship_themes import RelationshipRating, RelationshipTheme
from portal.service_errors import ServiceError

CLOSES_BEFORE_OPENING = "The closing date must be after the opening date"
OPENS_IN_THE_PAST = "The round must open today or later"
NOT_ON_THE_REGISTER = "Put the pilot on the register first: its partners cannot see it while it is a draft"
NOT_YOUR_ORGANISATION = "You can only answer for your own organisation"
PROVIDERS_ANSWER_THEMSELVES = (
    "A provider answers for itself: choose the council or a partner that is not a provider"
)
NOT_A_PARTNER = "Choose a partner in this pilot"


class CheckError(ServiceError):
    """A relationship check that cannot be opened or answered."""


def rating_missing_message(theme: RelationshipTheme) -> str:
    return f"Rate “{theme.label.lower()}” from 1 to 5"


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _opening_refusal(
    pilot: PartnershipPilot, *, opened_on: dt.date, closes_on: dt.date, today: dt.date
) -> CheckError | None:
    if closes_on <= opened_on:
        return CheckError(CLOSES_BEFORE_OPENING, field="closes_on")
    if opened_on < today:
        return CheckError(OPENS_IN_THE_PAST, field="opened_on")
    if pilot.stage not in CHECKABLE_STAGES:
        return CheckError(
            f"This pilot is {pilot.get_stage_display().lower()}: a relationship check can be opened from "
            "scoping until the pilot closes"
        )
    if not pilot.is_published:
        return CheckError(NOT_ON_THE_REGISTER)
    still_open = rounds_still_open(pilot, today=today).order_by("-closes_on").first()
    if still_open is not None:
        return CheckError(
            f"A round opened on {_day(still_open.opened_on)} is open until {_day(still_open.closes_on)}: "
            "open the next one after it closes"
        )
    return None


def check_open(
    *, pilot: PartnershipPilot, opened_on: dt.date, closes_on: dt.date, opened_by
) -> RelationshipCheck:
    """Open a round of the relationship check for the pilot and invite every partner to answer it."""
    with transaction.atomic():
        # One round opens at a time for a pilot: a second officer opening at once waits here, then is refused.
        pilot = PartnershipPilot.objects.select_for_update().select_related("lead_officer").get(pk=pilot.pk)
        refusal = _opening_refusal(
            pilot, opened_on=opened_on, closes_on=closes_on, today=timezone.localdate()
        )
        if refusal:
            raise refusal
        check_round = RelationshipCheck.objects.create(
            pilot=pilot, opened_on=opened_on, closes_on=closes_on, opened_by=opened_by
        )
        _invite_partners(check_round)
    return check_round


def _invitations(pilot: PartnershipPilot) -> list[tuple[PilotPartner, str, str]]:
    """(partner, name, email) of everyone invited: each provider partner's active users, other partners' contacts."""
    partners = list(PilotPartner.objects.filter(pilot=pilot).select_related("provider").order_by("pk"))
    users: dict[int, list[User]] = {}
    provider_ids = [partner.provider_id for partner in partners if partner.provider_id]
    for user in User.objects.filter(provider_organisation_id__in=provider_ids, is_active=True).order_by(
        "email"
    ):
        users.setdefault(user.provider_organisation_id, []).append(user)
    invited = []
    for partner in partners:
        if partner.provider_id:
            invited.extend(
                (partner, user.full_name, user.email) for user in users.get(partner.provider_id, [])
            )
        elif partner.contact_email:
            invited.append((partner, partner.contact_name, partner.contact_email))
    return invited


def _invite_partners(check_round: RelationshipCheck) -> None:
    pilot = check_round.pilot
    respond_path = reverse("partnerships:check-respond", kwargs={"slug": pilot.slug, "pk": check_round.pk})
    for partner, name, email in _invitations(pilot):
        context = {
            "name": name,
            "partner": partner,
            "pilot": pilot,
            "lead": pilot.lead_officer,
            "opens_on": _day(check_round.opened_on),
            "closes_on": _day(check_round.closes_on),
            "opens_later": check_round.opened_on > timezone.localdate(),
            "respond_url": settings.SITE_URL + respond_path,
            "themes": RelationshipTheme.labels,
            "council_name": settings.COUNCIL_NAME,
        }
        subject = " ".join(render_to_string("partnerships/emails/check_opened_subject.txt", context).split())
        body = render_to_string("partnerships/emails/check_opened.txt", context)
        EmailMessage(subject, body, to=[email]).send()


def _check_respondent(check_round: RelationshipCheck, partner: PilotPartner | None, given_by) -> None:
    provider_id = getattr(given_by, "provider_organisation_id", None)
    if partner is not None and partner.pilot_id != check_round.pilot_id:
        raise CheckError(NOT_A_PARTNER, field="respondent")
    if provider_id:
        if partner is None or partner.provider_id != provider_id:
            raise CheckError(NOT_YOUR_ORGANISATION)
    elif partner is not None and partner.kind == PilotPartner.Kind.PROVIDER:
        raise CheckError(PROVIDERS_ANSWER_THEMSELVES, field="respondent")


def _check_ratings(ratings: dict[str, int]) -> None:
    for theme in RelationshipTheme:
        if ratings.get(theme.value) not in RelationshipRating.values:
            raise CheckError(rating_missing_message(theme), field=theme.value)


def check_response_save(
    *,
    check_round: RelationshipCheck,
    partner: PilotPartner | None,
    given_by,
    ratings: dict[str, int],
    comment: str = "",
) -> RelationshipCheckResponse:
    """Save a side's ratings of every theme in an open round: the partner's, or the council's when partner is None.

    A side that has already answered this round has its ratings and comment replaced.
    """
    _check_ratings(ratings)
    with transaction.atomic():
        # Answers to one round are saved one at a time, so two people of one partner cannot both add a response.
        check_round = RelationshipCheck.objects.select_for_update().get(pk=check_round.pk)
        refusal = round_refusal(check_round)
        if refusal:
            raise CheckError(refusal)
        _check_respondent(check_round, partner, given_by)
        responses = RelationshipCheckResponse.objects.filter(check_round=check_round)
        response = (
            responses.filter(partner__isnull=True) if partner is None else responses.filter(partner=partner)
        ).first()
        if response is None:
            response = RelationshipCheckResponse(check_round=check_round, partner=partner)
        else:
            response.ratings.all().delete()
        response.given_by = given_by
        response.comment = comment.strip()
        response.save()
        RelationshipCheckRating.objects.bulk_create(
            RelationshipCheckRating(response=response, theme=theme.value, rating=ratings[theme.value])
            for theme in RelationshipTheme
        )
    return response
