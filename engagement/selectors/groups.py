"""Reads for the engagement groups' pages: the list, a group's page, terms due for review and Tier One cadence."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from directory.models import ProviderOrganisation
from engagement.models import Activity, Booking, EngagementGroup, MaturityAssessment, TermsOfReference
from portal.permissions import is_council_staff

# Terms whose review falls within this many days are listed as "due soon".
TERMS_DUE_SOON_DAYS = 30

_MATURITY_SCORE = Cast(
    F("clear_purpose")
    + F("right_membership")
    + F("steady_attendance")
    + F("actions_followed_up")
    + F("provider_voice"),
    FloatField(),
) / float(len(MaturityAssessment.CRITERIA))


def _latest_terms() -> QuerySet:
    return TermsOfReference.objects.filter(group=OuterRef("pk")).order_by("-version")


def _latest_maturity() -> QuerySet:
    return MaturityAssessment.objects.filter(group=OuterRef("pk")).order_by("-assessed_on", "-pk")


def _maturity_band() -> Case:
    """The rating nearest the average score, from "New" to "Mature"."""
    ratings = list(MaturityAssessment.Rating)
    return Case(
        *(When(maturity_score__lt=rating.value + 0.5, then=Value(rating.label)) for rating in ratings[:-1]),
        When(maturity_score__isnull=False, then=Value(ratings[-1].label)),
        default=Value(""),
    )


def groups_for_list(*, user, kind: str = "") -> QuerySet:
    """Groups with their chair, current terms and (for council staff) the latest maturity score, in one query.

    Provider users see active groups only.
    """
    groups = (
        EngagementGroup.objects.select_related("chair")
        .annotate(
            terms_version=Subquery(_latest_terms().values("version")[:1]),
            terms_review_on=Subquery(_latest_terms().values("review_on")[:1]),
        )
        .order_by("name")
    )
    if kind:
        groups = groups.filter(kind=kind)
    if not is_council_staff(user):
        return groups.filter(is_active=True)
    return groups.annotate(
        maturity_score=Subquery(
            _latest_maturity().annotate(score=_MATURITY_SCORE).values("score")[:1], output_field=FloatField()
        ),
        maturity_assessed_on=Subquery(_latest_maturity().values("assessed_on")[:1]),
    ).annotate(maturity_band=_maturity_band())


def groups_visible_to(user) -> QuerySet:
    """Every group for council staff; active ones for provider users (another is a 404)."""
    groups = EngagementGroup.objects.all()
    return groups if is_council_staff(user) else groups.filter(is_active=True)


def group_for_page(user) -> QuerySet:
    return groups_visible_to(user).select_related("chair__team", "area")


@dataclass(frozen=True)
class GroupPage:
    """What a group's page shows beyond the group itself."""

    terms: list[TermsOfReference]
    members_officers: list
    members_providers: list
    members_associations: list
    maturity: list[MaturityAssessment]
    upcoming: list[Activity]
    recent: list[Activity]

    @property
    def current_terms(self) -> TermsOfReference | None:
        return self.terms[0] if self.terms else None

    @property
    def earlier_terms(self) -> list[TermsOfReference]:
        return self.terms[1:]


def group_page(*, group: EngagementGroup, user, activities: int = 5) -> GroupPage:
    """Terms (every version for staff, the current one for providers), members, maturity history, activities."""
    staff = is_council_staff(user)
    terms = list(group.terms_of_reference.select_related("approved_by").order_by("-version"))
    if not staff:
        terms = terms[:1]
    now = timezone.now()
    activities_qs = group.activities.exclude(status=Activity.Status.CANCELLED).only(
        "pk", "title", "kind", "starts_at", "ends_at", "status", "group_id"
    )
    return GroupPage(
        terms=terms,
        members_officers=list(group.member_officers.select_related("team").order_by("full_name")),
        members_providers=list(group.member_providers.order_by("name").only("pk", "name", "tier")),
        members_associations=list(group.member_associations.order_by("name")),
        maturity=list(
            group.maturity_assessments.select_related("assessed_by").order_by("-assessed_on", "-pk")
        )
        if staff
        else [],
        upcoming=list(activities_qs.filter(starts_at__gte=now).order_by("starts_at")[:activities]),
        recent=list(activities_qs.filter(starts_at__lt=now).order_by("-starts_at")[:activities]),
    )


def latest_terms(group: EngagementGroup) -> TermsOfReference | None:
    return group.terms_of_reference.order_by("-version").first()


def terms_due(*, today: dt.date | None = None, within_days: int = TERMS_DUE_SOON_DAYS) -> QuerySet:
    """Active groups with no terms of reference, or whose latest version is due for review within `within_days`.

    Missing terms first, then the most overdue.
    """
    today = today or timezone.localdate()
    return (
        EngagementGroup.objects.filter(is_active=True)
        .select_related("chair")
        .annotate(
            terms_version=Subquery(_latest_terms().values("version")[:1]),
            terms_review_on=Subquery(_latest_terms().values("review_on")[:1]),
        )
        .filter(
            Q(terms_version__isnull=True) | Q(terms_review_on__lte=today + dt.timedelta(days=within_days))
        )
        .order_by(F("terms_review_on").asc(nulls_first=True), "name")
    )


# Tier One cadence


_QUARTER = re.compile(r"^(?P<year>\d{4})-Q(?P<quarter>[1-4])$")


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter: Q1 is January to March."""

    year: int
    number: int

    @classmethod
    def containing(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Quarter | None":
        match = _QUARTER.match(text.strip())
        return cls(int(match["year"]), int(match["quarter"])) if match else None

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.first_day:%B} to {self.last_day:%B %Y}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        return self.following().first_day - dt.timedelta(days=1)

    def following(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.first_day, dt.time.min))

    def ends_at(self) -> dt.datetime:
        return self.following().starts_at()


def recent_quarters(*, count: int = 8, today: dt.date | None = None) -> list[Quarter]:
    """This quarter and the ones before it, newest first."""
    quarter = Quarter.containing(today or timezone.localdate())
    quarters = []
    for _ in range(count):
        quarters.append(quarter)
        quarter = quarter.previous()
    return quarters


def tier_one_meetings() -> Q:
    """A provider's bookings that count as meeting the council: a confirmed place, not marked absent,
    at a Tier One meeting (by kind, or in a Tier One group) that was not cancelled."""
    return (
        Q(bookings__status=Booking.Status.CONFIRMED)
        & ~Q(bookings__attended=False)
        & ~Q(bookings__activity__status=Activity.Status.CANCELLED)
        & (
            Q(bookings__activity__kind=Activity.Kind.TIER_ONE_MEETING)
            | Q(bookings__activity__group__kind=EngagementGroup.Kind.TIER_ONE)
        )
    )


def tier_one_met_count(*, quarter: Quarter, now: dt.datetime | None = None) -> int:
    """How many active Tier One providers met the council as often as expected in `quarter`: the complement of
    tier_one_cadence, counted from the bookings alone for a page that needs only the number."""
    now = now or timezone.now()
    meetings = (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            provider__tier=ProviderOrganisation.Tier.ONE,
            provider__is_active=True,
            activity__starts_at__gte=quarter.starts_at(),
            activity__starts_at__lt=min(now, quarter.ends_at()),
        )
        .exclude(attended=False)
        .exclude(activity__status=Activity.Status.CANCELLED)
        .filter(
            Q(activity__kind=Activity.Kind.TIER_ONE_MEETING)
            | Q(activity__group__kind=EngagementGroup.Kind.TIER_ONE)
        )
        .order_by()
        .values("provider")
        .annotate(meetings=Count("activity", distinct=True))
        .filter(meetings__gte=settings.ENGAGEMENT_TIER_ONE_MEETINGS_PER_QUARTER)
    )
    return meetings.count()


def tier_one_cadence(*, quarter: Quarter, now: dt.datetime | None = None) -> QuerySet:
    """Active Tier One providers that met the council fewer times than expected in `quarter`, in one query.

    A meeting counts once it has started; a meeting later in the quarter shows as the next one booked.
    """
    now = now or timezone.now()
    started_by = min(now, quarter.ends_at())
    met = tier_one_meetings()
    in_quarter = Q(bookings__activity__starts_at__gte=quarter.starts_at())
    return (
        ProviderOrganisation.objects.filter(tier=ProviderOrganisation.Tier.ONE, is_active=True)
        .select_related("contract_manager__team")
        .annotate(
            meetings=Count(
                "bookings__activity",
                filter=met & in_quarter & Q(bookings__activity__starts_at__lt=started_by),
                distinct=True,
            ),
            last_met_at=Max(
                "bookings__activity__starts_at", filter=met & Q(bookings__activity__starts_at__lt=started_by)
            ),
            next_meeting_at=Min(
                "bookings__activity__starts_at",
                filter=met
                & Q(
                    bookings__activity__starts_at__gte=now,
                    bookings__activity__starts_at__lt=quarter.ends_at(),
                ),
            ),
        )
        .filter(meetings__lt=settings.ENGAGEMENT_TIER_ONE_MEETINGS_PER_QUARTER)
        .order_by(F("last_met_at").asc(nulls_first=True), "name")
    )
