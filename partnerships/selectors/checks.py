"""Reads for the relationship checks: which rounds a visitor may answer, and a pilot's trend over the rounds.

A provider user answers only for its own organisation, and only in a pilot it is a partner of (another pilot's
round is a 404). On the trend page providers see averages, never one partner's ratings or comment: where fewer
than MIN_PARTNERS_FOR_PROVIDERS partners answered a round, its partners' averages are withheld from them.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from partnerships.models import (
    PartnershipPilot,
    PilotPartner,
    RelationshipCheck,
    RelationshipCheckRating,
    RelationshipCheckResponse,
    Stage,
)
from partnerships.scoping import pilots_visible_to, sees_everything
from portal.relationship_themes import RelationshipTheme

# Stages in which a round of the relationship check may be opened: once there is a partnership to rate.
CHECKABLE_STAGES = frozenset({Stage.SCOPING, Stage.AGREED, Stage.IN_DELIVERY, Stage.EVALUATING})
# Fewer partners' answers than this in a round, and providers are not shown its partners' averages.
MIN_PARTNERS_FOR_PROVIDERS = 2

ONE_PLACE = Decimal("0.1")


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def round_refusal(check_round: RelationshipCheck, *, today: dt.date | None = None) -> str:
    """Why the round cannot be answered today, or "" when it can."""
    today = today or timezone.localdate()
    if check_round.opened_on > today:
        return f"This round of the relationship check opens on {_day(check_round.opened_on)}: answer it then"
    if check_round.closes_on < today:
        return (
            f"This round of the relationship check closed on {_day(check_round.closes_on)}: "
            "it can no longer be answered"
        )
    return ""


def rounds_still_open(
    pilot: PartnershipPilot, *, today: dt.date | None = None
) -> QuerySet[RelationshipCheck]:
    """The pilot's rounds that have not closed: open now, or opening later."""
    return RelationshipCheck.objects.filter(pilot=pilot, closes_on__gte=today or timezone.localdate())


def checks_answerable_by(user) -> QuerySet[RelationshipCheck]:
    """Council staff reach every round; a provider user only those of visible pilots its organisation is in."""
    checks = RelationshipCheck.objects.select_related("pilot")
    if sees_everything(user):
        return checks
    provider_id = getattr(user, "provider_organisation_id", None)
    if not provider_id:
        return checks.none()
    # A provider is a partner of a pilot at most once, so the join adds no duplicates.
    return checks.filter(pilot__in=pilots_visible_to(user), pilot__partners__provider_id=provider_id)


def partner_of_user(user, pilot: PartnershipPilot) -> PilotPartner | None:
    """The provider user's own organisation as a partner of the pilot."""
    provider_id = getattr(user, "provider_organisation_id", None)
    if not provider_id:
        return None
    return (
        PilotPartner.objects.select_related("provider").filter(pilot=pilot, provider_id=provider_id).first()
    )


def partners_answered_for_by_the_council(pilot: PartnershipPilot) -> QuerySet[PilotPartner]:
    """Partners whose answer council staff record: those that are not providers (providers answer themselves)."""
    return PilotPartner.objects.filter(pilot=pilot).exclude(kind=PilotPartner.Kind.PROVIDER).order_by("pk")


def existing_response(
    *, check_round: RelationshipCheck, partner: PilotPartner | None
) -> RelationshipCheckResponse | None:
    """The answer already given in this round for the partner (or, with None, for the council)."""
    responses = RelationshipCheckResponse.objects.filter(check_round=check_round).prefetch_related("ratings")
    if partner is None:
        return responses.filter(partner__isnull=True).first()
    return responses.filter(partner=partner).first()


def open_round_for(pilot: PartnershipPilot, *, today: dt.date | None = None) -> RelationshipCheck | None:
    today = today or timezone.localdate()
    return (
        RelationshipCheck.objects.filter(pilot=pilot, opened_on__lte=today, closes_on__gte=today)
        .order_by("-opened_on")
        .first()
    )


# The trend


def _one_place(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ThemeAverages:
    theme: str
    label: str
    partners: Decimal | None
    council: Decimal | None


@dataclass
class RoundTrend:
    """One round's averages, per side: the partners' (over all partners who answered) and the council's."""

    check: RelationshipCheck
    partner_responses: int
    council_answered: bool
    partners_withheld: bool = False
    partners_overall: Decimal | None = None
    council_overall: Decimal | None = None
    themes: list[ThemeAverages] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return self.partner_responses + int(self.council_answered)

    @property
    def label(self) -> str:
        return date_format(self.check.opened_on, "j M Y")


@dataclass(frozen=True)
class ThemeRow:
    round: RoundTrend
    averages: ThemeAverages


@dataclass(frozen=True)
class ThemeTrend:
    theme: str
    label: str
    rows: list[ThemeRow]


@dataclass
class RelationshipTrend:
    rounds: list[RoundTrend]
    themes: list[ThemeTrend]
    # Each response's comment, for council staff only; always empty for a provider.
    comments: list[RelationshipCheckResponse]

    @property
    def has_answers(self) -> bool:
        return any(trend.responses for trend in self.rounds)

    @property
    def any_withheld(self) -> bool:
        return any(trend.partners_withheld for trend in self.rounds)

    @property
    def answered_rounds(self) -> list[RoundTrend]:
        return [trend for trend in self.rounds if trend.responses]


def _rounds(pilot: PartnershipPilot) -> list[RelationshipCheck]:
    return list(
        RelationshipCheck.objects.filter(pilot=pilot)
        .annotate(
            partner_responses=Count("responses", filter=Q(responses__partner__isnull=False)),
            council_answered=Exists(
                RelationshipCheckResponse.objects.filter(check_round=OuterRef("pk"), partner__isnull=True)
            ),
        )
        .order_by("opened_on", "pk")
    )


def _averages(pilot: PartnershipPilot, *by: str) -> dict:
    """Average ratings of the pilot's rounds, split by `by`, for each side: {(round id, *by): (partners, council)}."""
    rows = (
        RelationshipCheckRating.objects.filter(response__check_round__pilot=pilot)
        .values("response__check_round_id", *by)
        .annotate(
            partners=Avg("rating", filter=Q(response__partner__isnull=False)),
            council=Avg("rating", filter=Q(response__partner__isnull=True)),
        )
        .order_by()
    )
    return {
        (row["response__check_round_id"], *(row[name] for name in by)): (
            _one_place(row["partners"]),
            _one_place(row["council"]),
        )
        for row in rows
    }


def relationship_trend(*, pilot: PartnershipPilot, user) -> RelationshipTrend:
    """Each round's averages, overall and per theme, for the partners and the council: four queries in all."""
    council_staff = sees_everything(user)
    overall = _averages(pilot)
    by_theme = _averages(pilot, "theme")
    rounds = []
    for check in _rounds(pilot):
        withheld = not council_staff and 0 < check.partner_responses < MIN_PARTNERS_FOR_PROVIDERS
        partners, council = overall.get((check.pk,), (None, None))
        trend = RoundTrend(
            check=check,
            partner_responses=check.partner_responses,
            council_answered=check.council_answered,
            partners_withheld=withheld,
            partners_overall=None if withheld else partners,
            council_overall=council,
        )
        for theme in RelationshipTheme:
            theme_partners, theme_council = by_theme.get((check.pk, theme.value), (None, None))
            trend.themes.append(
                ThemeAverages(theme.value, theme.label, None if withheld else theme_partners, theme_council)
            )
        rounds.append(trend)
    themes = [
        ThemeTrend(
            theme.value,
            theme.label,
            [ThemeRow(trend, trend.themes[index]) for trend in rounds if trend.responses],
        )
        for index, theme in enumerate(RelationshipTheme)
    ]
    return RelationshipTrend(rounds=rounds, themes=themes, comments=_comments(pilot) if council_staff else [])


def _comments(pilot: PartnershipPilot) -> list[RelationshipCheckResponse]:
    """Every response's comment, by round: council staff only."""
    return list(
        RelationshipCheckResponse.objects.filter(check_round__pilot=pilot)
        .exclude(comment="")
        .select_related("check_round", "partner__provider", "given_by")
        .order_by("-check_round__opened_on", "partner_id", "pk")
    )
