"""Reads for answering the relationship survey: the invitation behind a link, its questionnaire, whether it can
still be answered, and who would be invited or reminded."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils.formats import date_format

from directory.models import Area, Officer, ProviderPerson, ServiceType
from surveys.models import Audience, Invitation, Question, Questionnaire, SurveyCycle

# The provider people who answer for their organisation.
NOMINATED_ROLES = (ProviderPerson.Role.NOMINATED_INDIVIDUAL, ProviderPerson.Role.REGISTERED_MANAGER)
ALREADY_ANSWERED = "You have already answered this year’s survey. Thank you."
# A token is 43 URL-safe characters; anything longer than the column is not worth a query.
TOKEN_MAX_LENGTH = 64


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def cycle_has_closed(cycle: SurveyCycle, *, today: dt.date) -> bool:
    return cycle.closed_at is not None or today > cycle.closes_on


def cycle_is_open(cycle: SurveyCycle, *, today: dt.date) -> bool:
    return cycle.opens_on <= today and not cycle_has_closed(cycle, today=today)


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return Invitation.objects.select_related("cycle").filter(token=token).first()


@dataclass(frozen=True)
class Refusal:
    """Why a link cannot be answered now, as the respondent reads it."""

    title: str
    message: str


def answering_refusal(invitation: Invitation, *, today: dt.date) -> Refusal | None:
    cycle = invitation.cycle
    if invitation.used:
        return Refusal("You have already answered", ALREADY_ANSWERED)
    if cycle_has_closed(cycle, today=today):
        kept = "; your saved answers were kept" if invitation.draft else ""
        return Refusal("The survey has closed", f"The survey closed on {_day(cycle.closes_on)}{kept}.")
    if today < cycle.opens_on:
        return Refusal(
            "The survey has not opened yet",
            f"The survey opens on {_day(cycle.opens_on)}. Come back then: this link will work until "
            f"{_day(cycle.closes_on)}.",
        )
    return None


def questionnaire_for(invitation: Invitation) -> Questionnaire | None:
    """The questionnaire of the invitation's audience, with its questions in order."""
    return (
        Questionnaire.objects.filter(cycle_id=invitation.cycle_id, audience=invitation.audience)
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("position")))
        .first()
    )


def questionnaires_of(cycle: SurveyCycle) -> dict[str, Questionnaire]:
    """Each audience's questionnaire of the cycle, with its questions in order."""
    return {
        questionnaire.audience: questionnaire
        for questionnaire in Questionnaire.objects.filter(cycle=cycle).prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position"))
        )
    }


def provider_people_to_invite(cycle: SurveyCycle) -> QuerySet[ProviderPerson]:
    """Nominated individuals and registered managers of active providers, with an email, not yet invited."""
    invited = Invitation.objects.filter(cycle=cycle, provider_person__isnull=False).values("provider_person")
    return (
        ProviderPerson.objects.filter(provider__is_active=True, role__in=NOMINATED_ROLES)
        .exclude(email="")
        .exclude(pk__in=invited)
        .select_related("provider")
        .prefetch_related(
            Prefetch("provider__service_types", queryset=ServiceType.objects.order_by("name")),
            Prefetch("provider__areas", queryset=Area.objects.order_by("name")),
        )
        .order_by("pk")
    )


def officers_to_invite(cycle: SurveyCycle, *, today: dt.date) -> QuerySet[Officer]:
    """Every officer in post, with an email, not yet invited."""
    invited = Invitation.objects.filter(cycle=cycle, officer__isnull=False).values("officer")
    return Officer.objects.active(on=today).exclude(email="").exclude(pk__in=invited).order_by("pk")


@dataclass(frozen=True)
class InvitationPreview:
    """How many would be invited now, and how many already are, per audience."""

    cycle: SurveyCycle
    providers_to_invite: int
    officers_to_invite: int
    providers_invited: int
    officers_invited: int
    audiences_with_questionnaire: frozenset[str]
    has_closed: bool

    @property
    def to_invite(self) -> int:
        return self.providers_to_invite + self.officers_to_invite

    @property
    def missing_questionnaires(self) -> list[str]:
        return [label for value, label in Audience.choices if value not in self.audiences_with_questionnaire]


def invitation_preview(cycle: SurveyCycle, *, today: dt.date) -> InvitationPreview:
    audiences = frozenset(Questionnaire.objects.filter(cycle=cycle).values_list("audience", flat=True))
    invited = dict(
        Invitation.objects.filter(cycle=cycle)
        .order_by()
        .values("audience")
        .annotate(number=Count("pk"))
        .values_list("audience", "number")
    )
    return InvitationPreview(
        cycle=cycle,
        providers_to_invite=provider_people_to_invite(cycle).prefetch_related(None).count()
        if Audience.PROVIDERS in audiences
        else 0,
        officers_to_invite=officers_to_invite(cycle, today=today).count()
        if Audience.OFFICERS in audiences
        else 0,
        providers_invited=invited.get(Audience.PROVIDERS, 0),
        officers_invited=invited.get(Audience.OFFICERS, 0),
        audiences_with_questionnaire=audiences,
        has_closed=cycle_has_closed(cycle, today=today),
    )


def cycles_open_on(today: dt.date) -> QuerySet[SurveyCycle]:
    return SurveyCycle.objects.filter(opens_on__lte=today, closes_on__gte=today, closed_at__isnull=True)


def cycles_to_close(today: dt.date) -> QuerySet[SurveyCycle]:
    """Cycles whose last day has passed and whose half-finished answers are not yet kept."""
    return SurveyCycle.objects.filter(closes_on__lt=today, closed_at__isnull=True).order_by("year")


def reminder_keys_due(cycle: SurveyCycle, *, today: dt.date) -> list[str]:
    """The reminders due today: "after-7" seven days after opening, "before-2" two days before closing."""
    keys = [
        f"after-{days}"
        for days in cycle.reminder_days_after_opening or []
        if cycle.opens_on + dt.timedelta(days=int(days)) == today
    ]
    keys += [
        f"before-{days}"
        for days in cycle.reminder_days_before_closing or []
        if cycle.closes_on - dt.timedelta(days=int(days)) == today
    ]
    return keys


def invitations_to_remind(cycle: SurveyCycle) -> QuerySet[Invitation]:
    """Who has not answered: the caller skips those already sent today's reminder (read from reminders_sent,
    which SQLite cannot search inside)."""
    return (
        Invitation.objects.filter(cycle=cycle, used=False)
        .only("pk", "cycle_id", "audience", "email", "token", "reminders_sent")
        .order_by("pk")
    )
