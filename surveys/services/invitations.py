"""Inviting providers' nominated people and council officers to the relationship survey, and reminding those
who have not answered.

Each invitation carries an unguessable token: the personal link emailed to its person. Emails go through the
outbox in the same transaction. Nothing here logs a token or an email address.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from directory.models import Officer, ProviderOrganisation, ProviderPerson
from portal.service_errors import ServiceError
from surveys.models import Audience, Invitation, ProviderSize, SurveyCycle
from surveys.selectors import respond as selectors

logger = logging.getLogger(__name__)


class InvitationError(ServiceError):
    """Invitations that cannot be sent."""


def answer_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("surveys:respond", kwargs={"token": invitation.token})


def provider_size(people_supported: int | None) -> str:
    if people_supported is None:
        return ""
    if people_supported < 25:
        return ProviderSize.SMALL
    if people_supported < 100:
        return ProviderSize.MEDIUM
    return ProviderSize.LARGE


def _first(related) -> object | None:
    items = list(related.all())
    return items[0] if items else None


def _provider_invitation(cycle: SurveyCycle, person: ProviderPerson, *, now) -> Invitation:
    provider: ProviderOrganisation = person.provider
    provider_type, area = _first(provider.service_types), _first(provider.areas)
    return Invitation(
        cycle=cycle,
        audience=Audience.PROVIDERS,
        provider_person=person,
        email=person.email,
        provider_type=provider_type,
        area=area,
        size=provider_size(provider.people_supported),
        sent_at=now,
    )


def _officer_invitation(cycle: SurveyCycle, officer: Officer, *, now) -> Invitation:
    return Invitation(
        cycle=cycle,
        audience=Audience.OFFICERS,
        officer=officer,
        email=officer.email,
        seniority=officer.seniority,
        team_id=officer.team_id,
        sent_at=now,
    )


def invitations_send(*, cycle: SurveyCycle, sent_by) -> int:
    """Invite everyone not yet invited to a cycle that has not closed; returns how many were invited.

    The cycle's row is locked, so two runs at once invite nobody twice (and the unique constraints would refuse).
    An audience without a questionnaire is not invited.
    """
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        cycle = SurveyCycle.objects.select_for_update().get(pk=cycle.pk)
        if selectors.cycle_has_closed(cycle, today=today):
            raise InvitationError(
                f"The survey closed on {date_format(cycle.closes_on, 'j F Y')}: no more invitations can be sent"
            )
        audiences = set(selectors.questionnaires_of(cycle))
        if not audiences:
            raise InvitationError("Add the questionnaires before inviting anyone")
        invitations: list[Invitation] = []
        if Audience.PROVIDERS in audiences:
            people = selectors.provider_people_to_invite(cycle)
            invitations += [_provider_invitation(cycle, person, now=now) for person in people]
        if Audience.OFFICERS in audiences:
            officers = selectors.officers_to_invite(cycle, today=today)
            invitations += [_officer_invitation(cycle, officer, now=now) for officer in officers]
        Invitation.objects.bulk_create(invitations)
        for invitation in invitations:
            _email(invitation, "invitation")
    logger.info(
        "Relationship survey %s: %s invitations sent by user %s", cycle.year, len(invitations), sent_by.pk
    )
    return len(invitations)


def reminders_send(*, today: dt.date) -> int:
    """Remind everyone who has not answered an open cycle, on the days its reminders are due; returns how many
    were emailed. Each reminder is recorded on the invitation, so a second run the same day sends nothing."""
    reminded = 0
    with transaction.atomic():
        for cycle in selectors.cycles_open_on(today).select_for_update().order_by("year"):
            keys = selectors.reminder_keys_due(cycle, today=today)
            if keys:
                reminded += _remind(cycle, keys)
    if reminded:
        logger.info("Relationship survey: %s reminders sent", reminded)
    return reminded


def _remind(cycle: SurveyCycle, keys: list[str]) -> int:
    due = []
    for invitation in selectors.invitations_to_remind(cycle).select_for_update():
        missing = [key for key in keys if key not in (invitation.reminders_sent or [])]
        if missing:
            invitation.reminders_sent = [*(invitation.reminders_sent or []), *missing]
            invitation.cycle = cycle
            due.append(invitation)
    Invitation.objects.bulk_update(due, ["reminders_sent"], batch_size=500)
    for invitation in due:
        _email(invitation, "reminder")
    return len(due)


def _email(invitation: Invitation, template: str) -> None:
    cycle = invitation.cycle
    context = {
        "cycle": cycle,
        "audience": invitation.audience,
        "for_providers": invitation.audience == Audience.PROVIDERS,
        "answer_url": answer_url(invitation),
        "opens_on": date_format(cycle.opens_on, "j F Y"),
        "closes_on": date_format(cycle.closes_on, "j F Y"),
        "not_yet_open": timezone.localdate() < cycle.opens_on,
        "council_name": settings.COUNCIL_NAME,
    }
    subject = " ".join(render_to_string(f"surveys/emails/{template}_subject.txt", context).split())
    body = render_to_string(f"surveys/emails/{template}.txt", context)
    EmailMessage(subject, body, to=[invitation.email]).send()
