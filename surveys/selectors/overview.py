"""Reads for the directors' relationship overview, and the figures of a cycle's results report.

The overview draws on every part of the portal, one small aggregate query a panel, whatever the data size. Survey
scores are read from the answers with one GROUP BY query; any group of respondents smaller than
SURVEY_MINIMUM_GROUP_SIZE is left out, and so is any gap worked out from one.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Count, Q, Value
from django.utils import timezone

from directory.models import Officer, ProviderOrganisation, Responsibility, Team
from engagement.models import Activity, EngagementGroup
from engagement.selectors.enquiry_figures import FIGURES_MONTHS, Figures, enquiry_figures
from engagement.selectors.groups import Quarter, tier_one_met_count
from engagement.selectors.plan import month_start
from partnerships.models import Stage
from partnerships.scoping import pilots_visible_to
from portal.relationship_themes import RelationshipTheme
from principles.selectors.coverage import Headline as NewDealHeadline
from principles.selectors.coverage import headline as new_deal_headline
from surveys.models import Answer, Audience, Invitation, Question, Questionnaire, Response, SurveyCycle
from surveys.suppression import minimum_group_size

# Who's-who entries checked within this many days count as verified within the last six months.
VERIFIED_WITHIN_DAYS = 182


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


# Survey scores


@dataclass(frozen=True)
class Score:
    """The mean agreement score of one audience on one theme, or None when the group is too small to show."""

    mean: float | None

    @property
    def shown(self) -> bool:
        return self.mean is not None

    @property
    def cell(self) -> str:
        return "–" if self.mean is None else f"{self.mean:.1f}"


HIDDEN = Score(None)


def _score(mean: float | None, respondents: int, minimum: int) -> Score:
    return Score(float(mean)) if mean is not None and respondents >= minimum else HIDDEN


def gap_cell(providers: Score, officers: Score) -> str:
    """Officers' mean less providers': shown only when both are."""
    if not (providers.shown and officers.shown):
        return "–"
    gap = round(officers.mean, 1) - round(providers.mean, 1)
    return f"{gap:+.1f}" if round(gap, 1) else "0.0"


# Each agreement question's answers are added up on their own first (a plain integer key over the answers alone),
# then the few dozen sums are joined to their question, questionnaire and cycle: at a million answers this takes
# less than half the time of joining every answer to its question before grouping. Portable SQL (SQLite too).
_THEME_SCORES_SQL = """
    SELECT cycle.year, questionnaire.audience, question.theme, SUM(counted.total), SUM(counted.answers)
    FROM (
        SELECT question_id, SUM(score) AS total, COUNT(score) AS answers
        FROM {answer}
        WHERE question_id IN (
            SELECT question.id FROM {question} question
            JOIN {questionnaire} questionnaire ON questionnaire.id = question.questionnaire_id
            JOIN {cycle} cycle ON cycle.id = questionnaire.cycle_id
            WHERE question.kind = %(agreement)s AND cycle.id = %(cycle)s
        )
        GROUP BY question_id
    ) counted
    JOIN {question} question ON question.id = counted.question_id
    JOIN {questionnaire} questionnaire ON questionnaire.id = question.questionnaire_id
    JOIN {cycle} cycle ON cycle.id = questionnaire.cycle_id
    GROUP BY cycle.year, questionnaire.audience, question.theme
"""


def _theme_scores(*, cycle: int) -> dict[tuple[int, str, str], Score]:
    """{(year, audience, theme): mean score} of one cycle, groups too small left out: one aggregate query."""
    tables = {
        name: connection.ops.quote_name(model._meta.db_table)
        for name, model in (
            ("answer", Answer),
            ("question", Question),
            ("questionnaire", Questionnaire),
            ("cycle", SurveyCycle),
        )
    }
    sql = _THEME_SCORES_SQL.format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"agreement": Question.Kind.AGREEMENT, "cycle": cycle})
        rows = cursor.fetchall()
    minimum = minimum_group_size()
    return {
        (year, audience, theme): _score(total / answers if answers else None, answers or 0, minimum)
        for year, audience, theme, total, answers in rows
    }


@dataclass(frozen=True)
class TrendPoint:
    year: int
    providers: Score
    officers: Score

    @property
    def gap(self) -> str:
        return gap_cell(self.providers, self.officers)


@dataclass(frozen=True)
class ThemeTrend:
    theme: str
    label: str
    points: list[TrendPoint]

    @property
    def latest(self) -> TrendPoint:
        return self.points[-1]


def theme_trends(*, today: dt.date | None = None) -> tuple[list[int], list[ThemeTrend]]:
    """The years of the closed cycles, oldest first, and per theme each audience's mean score in each of them.

    Read from the results the dashboard keeps (surveys.selectors.results), so the overview never counts the
    answers: at county scale there are about a million.
    """
    from surveys.selectors.results import dashboard

    board = dashboard(year=None)
    closed = board.closed_years if today in (None, timezone.localdate()) else _closed_years(today)
    years = [year for year in board.years if year in closed]
    trends = [
        ThemeTrend(
            theme=trend.theme,
            label=trend.label,
            points=[
                TrendPoint(year=year, providers=Score(providers.mean), officers=Score(officers.mean))
                for year, providers, officers in trend.points
                if year in closed
            ],
        )
        for trend in board.trends
    ]
    return years, [trend for trend in trends if trend.points] if years else []


def _closed_years(today: dt.date) -> frozenset[int]:
    return frozenset(SurveyCycle.objects.filter(closes_on__lt=today).values_list("year", flat=True))


# Engagement


@dataclass(frozen=True)
class TierOneFigures:
    quarter: Quarter
    providers: int
    # Met the council as often as expected this quarter so far.
    met: int

    @property
    def met_percent(self) -> int | None:
        return _percent(self.met, self.providers)


def tier_one_this_quarter(*, today: dt.date, now: dt.datetime | None = None) -> TierOneFigures:
    """Active Tier One providers, and those not behind the expected cadence (engagement's selector)."""
    quarter = Quarter.containing(today)
    providers = ProviderOrganisation.objects.filter(
        tier=ProviderOrganisation.Tier.ONE, is_active=True
    ).count()
    return TierOneFigures(
        quarter=quarter, providers=providers, met=tier_one_met_count(quarter=quarter, now=now)
    )


@dataclass(frozen=True)
class ForumFigures:
    quarter: Quarter
    # Forums in the forward plan this quarter, and of them those held, cancelled and still to come.
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    to_come: int = 0
    # Forums held this quarter that were not in the forward plan.
    ad_hoc: int = 0

    @property
    def any(self) -> bool:
        return bool(self.planned or self.ad_hoc)


def forums_this_quarter(*, today: dt.date, now: dt.datetime | None = None) -> ForumFigures:
    """Provider forums (by kind, or meetings of an area forum group) starting this quarter, counted in one query.

    A forum counts as held once it is marked held or has started, unless it was cancelled.
    """
    now = now or timezone.now()
    quarter = Quarter.containing(today)
    cancelled = Q(status=Activity.Status.CANCELLED)
    held = ~cancelled & (Q(status=Activity.Status.HELD) | Q(starts_at__lte=now))
    in_plan = Q(is_ad_hoc=False)
    counts = (
        Activity.objects.filter(
            Q(kind=Activity.Kind.PROVIDER_FORUM) | Q(group__kind=EngagementGroup.Kind.AREA_FORUM),
            starts_at__gte=quarter.starts_at(),
            starts_at__lt=quarter.ends_at(),
        )
        .order_by()
        .aggregate(
            planned=Count("pk", filter=in_plan),
            held=Count("pk", filter=in_plan & held),
            cancelled=Count("pk", filter=in_plan & cancelled),
            to_come=Count("pk", filter=in_plan & ~cancelled & ~held),
            ad_hoc=Count("pk", filter=~in_plan & held),
        )
    )
    return ForumFigures(quarter=quarter, **counts)


@dataclass(frozen=True)
class EnquiryPanel:
    first_month: dt.date
    last_month: dt.date
    total: Figures


def enquiries_last_twelve_months(*, today: dt.date) -> EnquiryPanel:
    """The enquiry figures directors see by default, as kept by the engagement part."""
    last_month = month_start(today)
    first_month = month_start(today, -(FIGURES_MONTHS - 1))
    figures = enquiry_figures(first_month=first_month, last_month=last_month, today=today)
    return EnquiryPanel(first_month=first_month, last_month=last_month, total=figures.total)


# The who's-who


@dataclass(frozen=True)
class VerifiedShare:
    label: str
    entries: int
    verified: int

    @property
    def percent(self) -> int | None:
        return _percent(self.verified, self.entries)


def _verified_counts(queryset, kind: str, since: dt.date):
    return (
        queryset.order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values("kind")
        .annotate(entries=Count("pk"), verified=Count("pk", filter=Q(last_verified_on__gte=since)))
        .values_list("kind", "entries", "verified")
    )


_KIND_LABELS = {"officer": "Officers", "team": "Teams", "responsibility": "Who answers each topic"}


def whos_who_verified(*, today: dt.date) -> list[VerifiedShare]:
    """The share of current who's-who entries (officers in post, open teams, responsibilities not retired) that
    their owners confirmed within the last six months, per kind and in all: one query."""
    since = today - dt.timedelta(days=VERIFIED_WITHIN_DAYS)
    officers = Officer.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=today))
    responsibilities = Responsibility.objects.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=today))
    parts = [
        _verified_counts(officers, "officer", since),
        _verified_counts(Team.objects.filter(is_active=True), "team", since),
        _verified_counts(responsibilities, "responsibility", since),
    ]
    first, *rest = parts
    counts = {kind: (entries, verified) for kind, entries, verified in first.union(*rest, all=True)}
    shares = [VerifiedShare(label, *counts.get(kind, (0, 0))) for kind, label in _KIND_LABELS.items()]
    return [
        *shares,
        VerifiedShare(
            "All entries", sum(share.entries for share in shares), sum(share.verified for share in shares)
        ),
    ]


# Partnership pilots


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    pilots: int


def pilots_by_stage(user) -> list[StageCount]:
    """How many pilots the user may see are at each stage, every stage listed in order: one query."""
    counts = dict(
        pilots_visible_to(user)
        .order_by()
        .values("stage")
        .annotate(pilots=Count("pk"))
        .values_list("stage", "pilots")
    )
    return [StageCount(stage.value, stage.label, counts.get(stage.value, 0)) for stage in Stage]


# The whole page


@dataclass(frozen=True)
class RelationshipOverview:
    today: dt.date
    years: list[int]
    trends: list[ThemeTrend]
    tier_one: TierOneFigures
    forums: ForumFigures
    enquiries: EnquiryPanel
    whos_who: list[VerifiedShare]
    pilots: list[StageCount]
    minimum_group_size: int = field(default_factory=minimum_group_size)
    # Sign-up to the current version of the New Deal; None before one is published.
    new_deal: NewDealHeadline | None = None

    @property
    def any_pilots(self) -> bool:
        return any(count.pilots for count in self.pilots)

    @property
    def any_whos_who(self) -> bool:
        return bool(self.whos_who[-1].entries)


def relationship_overview(user, *, now: dt.datetime | None = None) -> RelationshipOverview:
    now = now or timezone.now()
    today = timezone.localdate(now)
    years, trends = theme_trends(today=today)
    return RelationshipOverview(
        today=today,
        years=years,
        trends=trends,
        tier_one=tier_one_this_quarter(today=today, now=now),
        forums=forums_this_quarter(today=today, now=now),
        enquiries=enquiries_last_twelve_months(today=today),
        whos_who=whos_who_verified(today=today),
        pilots=pilots_by_stage(user),
        new_deal=new_deal_headline(),
    )


# A cycle's results report


@dataclass(frozen=True)
class AudienceRate:
    audience: str
    label: str
    invited: int
    responded: int
    # Too few responded to show the figure, or anything worked out from it.
    suppressed: bool

    @property
    def percent(self) -> int | None:
        return None if self.suppressed else _percent(self.responded, self.invited)

    @property
    def responded_cell(self) -> str:
        return f"Fewer than {minimum_group_size()}" if self.suppressed else str(self.responded)

    @property
    def percent_cell(self) -> str:
        percent = self.percent
        return "–" if percent is None else f"{percent}%"


@dataclass(frozen=True)
class ThemeResult:
    label: str
    providers: Score
    officers: Score

    @property
    def gap(self) -> str:
        return gap_cell(self.providers, self.officers)


@dataclass(frozen=True)
class CycleResults:
    cycle: SurveyCycle
    rates: list[AudienceRate]
    themes: list[ThemeResult]
    minimum_group_size: int

    @property
    def invited(self) -> int:
        return sum(rate.invited for rate in self.rates)

    @property
    def total_suppressed(self) -> bool:
        """The total less a shown audience's count would give a suppressed one's: so it goes too."""
        return any(rate.suppressed for rate in self.rates)

    @property
    def responded_cell(self) -> str:
        return "–" if self.total_suppressed else str(sum(rate.responded for rate in self.rates))

    @property
    def percent_cell(self) -> str:
        if self.total_suppressed or not self.invited:
            return "–"
        return f"{_percent(sum(rate.responded for rate in self.rates), self.invited)}%"

    @property
    def any_scores(self) -> bool:
        return any(theme.providers.shown or theme.officers.shown for theme in self.themes)


def cycle_results(cycle: SurveyCycle) -> CycleResults:
    """A cycle's response rates and per-theme scores for its report: three aggregate queries, figures only."""
    minimum = minimum_group_size()
    invited = dict(
        Invitation.objects.filter(cycle=cycle)
        .order_by()
        .values("audience")
        .annotate(count=Count("pk"))
        .values_list("audience", "count")
    )
    responded = dict(
        Response.objects.filter(cycle=cycle)
        .order_by()
        .values("audience")
        .annotate(count=Count("pk"))
        .values_list("audience", "count")
    )
    rates = [
        AudienceRate(
            audience=audience.value,
            label=audience.label,
            invited=invited.get(audience.value, 0),
            responded=responded.get(audience.value, 0),
            suppressed=responded.get(audience.value, 0) < minimum,
        )
        for audience in Audience
    ]
    found = {
        (audience, theme): score for (_, audience, theme), score in _theme_scores(cycle=cycle.pk).items()
    }
    themes = [
        ThemeResult(
            label=theme.label,
            providers=found.get((Audience.PROVIDERS, theme.value), HIDDEN),
            officers=found.get((Audience.OFFICERS, theme.value), HIDDEN),
        )
        for theme in RelationshipTheme
    ]
    return CycleResults(cycle=cycle, rates=rates, themes=themes, minimum_group_size=minimum)
