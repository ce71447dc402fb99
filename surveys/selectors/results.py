"""The relationship survey's results for directors: per theme, providers beside officers, the trend and breakdowns.

Read from the results kept for each cycle (surveys.services.results), never counted on a visit but the first for
a cycle. Every cell goes through surveys.suppression: a group too small to show reads as suppressed everywhere.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from directory.models import Area, Officer, ServiceType, Team
from portal.relationship_themes import RelationshipTheme
from surveys.models import (
    OFFICER_SEGMENTS,
    PROVIDER_SEGMENTS,
    Answer,
    Audience,
    KeptSurveyResults,
    ProviderSize,
    Question,
    Response,
    Segment,
    SurveyCycle,
)
from surveys.suppression import minimum_group_size, suppress

NOT_GIVEN = "Not given"
AUDIENCE_SEGMENTS = {Audience.PROVIDERS: PROVIDER_SEGMENTS, Audience.OFFICERS: OFFICER_SEGMENTS}
THEME_LABELS = dict(RelationshipTheme.choices)


@dataclass(frozen=True)
class Score:
    """One theme's answers in one group: those that gave a score, their sum, and those agreeing (4 or 5)."""

    scored: int = 0
    total: int = 0
    agreeing: int = 0
    hidden: bool = False

    @property
    def mean(self) -> float | None:
        return None if self.hidden or not self.scored else self.total / self.scored

    @property
    def mean_text(self) -> str:
        return "–" if self.mean is None else f"{self.mean:.2f}"

    @property
    def agreeing_percent(self) -> int | None:
        return None if self.hidden or not self.scored else round(100 * self.agreeing / self.scored)

    @property
    def agreeing_text(self) -> str:
        return "–" if self.agreeing_percent is None else f"{self.agreeing_percent}%"


@dataclass(frozen=True)
class ThemeLine:
    theme: str
    label: str
    providers: Score
    officers: Score

    @property
    def gap(self) -> float | None:
        """Providers' mean score less officers': below zero, providers think less of the relationship."""
        if self.providers.mean is None or self.officers.mean is None:
            return None
        return self.providers.mean - self.officers.mean

    @property
    def gap_text(self) -> str:
        return "–" if self.gap is None else f"{self.gap:+.2f}"


@dataclass(frozen=True)
class GroupLine:
    label: str
    responses: int
    hidden: bool
    scores: list[Score]


@dataclass(frozen=True)
class Breakdown:
    audience: str
    segment: str
    title: str
    lines: list[GroupLine]


@dataclass(frozen=True)
class CycleResults:
    year: int
    # Each audience's responses, and whether there are too few to show.
    responses: dict[str, tuple[int, bool]]
    themes: list[ThemeLine]
    breakdowns: list[Breakdown] = field(default_factory=list)
    # What the suppression hid, as {(audience, segment): values}: free text from those groups is not shown.
    hidden_groups: dict[tuple[str, str], frozenset] = field(default_factory=dict)


@dataclass(frozen=True)
class ThemeTrend:
    theme: str
    label: str
    # (year, providers' score, officers' score), oldest first.
    points: list[tuple[int, Score, Score]]


@dataclass(frozen=True)
class Dashboard:
    cycle: SurveyCycle | None
    years: list[int]
    results: CycleResults | None
    trends: list[ThemeTrend]
    minimum: int
    up_to_date: bool = True
    # The years whose cycle has closed: their results are final.
    closed_years: frozenset[int] = frozenset()


def cycles_with_kept_results() -> list[SurveyCycle]:
    """Every cycle, oldest first, with its kept results and (while it is open) how many responses it has: one
    query, so that a visit knows which kept results are current without counting any answer. A closed cycle's
    responses never change, so they are not counted at all: its kept results say how many there were."""
    responses = Response.objects.filter(cycle=OuterRef("pk"))
    count = responses.order_by().values("cycle").annotate(count=Count("*")).values("count")
    return list(
        # The kept rows are read only when they are arranged afresh (see _arranged).
        SurveyCycle.objects.select_related("kept_results")
        .defer("kept_results__rows")
        .annotate(
            response_count=Case(
                When(closed_at__isnull=True, then=Subquery(count)), output_field=IntegerField()
            ),
        )
        .order_by("year")
    )


def dashboard(*, year: int | None) -> Dashboard:
    """The results of `year` (or the latest cycle with responses) and every cycle's trend, as kept."""
    from surveys.services.results import cycle_version, survey_results_keep, survey_results_refresh_request

    cycles = cycles_with_kept_results()
    up_to_date, kept_by_year = True, {}
    for cycle in cycles:
        version = cycle_version(cycle, cycle.response_count or 0)
        kept = getattr(cycle, "kept_results", None) if _has_kept(cycle) else None
        if kept is None:
            kept = survey_results_keep(cycle=cycle, version=version)
        elif kept.version != version:
            kept = survey_results_refresh_request(kept=kept)
        up_to_date = up_to_date and kept.version == version
        kept_by_year[cycle.year] = kept
    minimum, names = minimum_group_size(), segment_names()
    arranged = _arranged_all(kept_by_year, names=names, minimum=minimum)
    years = [each for each, results in arranged.items() if any(n for n, _ in results.responses.values())]
    arranged = {each: arranged[each] for each in years}
    chosen = year if year in years else (years[-1] if years else None)
    return Dashboard(
        cycle=next((cycle for cycle in cycles if cycle.year == chosen), None),
        years=years,
        results=arranged.get(chosen),
        trends=_trends(list(arranged.values())),
        minimum=minimum,
        up_to_date=up_to_date,
        closed_years=frozenset(each.year for each in cycles if each.closes_on < timezone.localdate()),
    )


# Arranged results by what they were arranged from: kept results change only when counted again, so every visit
# after the first reuses them instead of working out each cycle's suppression again. A few cycles a year: small.
_ARRANGED: dict[tuple, CycleResults] = {}
_ARRANGED_MOST = 256


def _arranged_all(
    kept_by_year: dict[int, KeptSurveyResults], *, names: dict[str, dict], minimum: int
) -> dict[int, CycleResults]:
    """Each cycle's arranged results, from the cache, or arranged from its kept rows (read in one query)."""
    named = tuple(
        sorted((segment, tuple(sorted(map(str, labels.items())))) for segment, labels in names.items())
    )
    keys = {
        year: (kept.pk, kept.version, kept.counted_at, year, minimum, named)
        for year, kept in kept_by_year.items()
    }
    missing = {kept_by_year[year].pk: year for year, key in keys.items() if key not in _ARRANGED}
    if missing:
        if len(_ARRANGED) + len(missing) > _ARRANGED_MOST:
            _ARRANGED.clear()
        for pk, rows in KeptSurveyResults.objects.filter(pk__in=missing).values_list("pk", "rows"):
            year = missing[pk]
            _ARRANGED[keys[year]] = arrange(rows, year=year, names=names, minimum=minimum)
    return {year: _ARRANGED[key] for year, key in keys.items()}


def _has_kept(cycle: SurveyCycle) -> bool:
    try:
        return cycle.kept_results is not None
    except KeptSurveyResults.DoesNotExist:
        return False


def segment_names() -> dict[str, dict]:
    """Each segment's values by name: the areas, service types and teams read in one query."""
    tables = {"area": Area, "provider_type": ServiceType, "team": Team}
    sql = " UNION ALL ".join(
        f"SELECT '{segment}', id, name FROM {connection.ops.quote_name(model._meta.db_table)}"  # noqa: S608
        for segment, model in tables.items()
    )
    names: dict[str, dict] = {segment: {} for segment in tables}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for segment, pk, name in cursor.fetchall():
            names[segment][pk] = name
    names["size"] = dict(ProviderSize.choices)
    names["seniority"] = dict(Officer.Seniority.choices)
    return names


def arrange(rows: list[list], *, year: int, names: dict[str, dict], minimum: int) -> CycleResults:
    """One cycle's kept counts as its theme table and breakdowns, every cell too small to show hidden."""
    responses: dict[tuple, dict] = defaultdict(dict)
    scores: dict[tuple, dict] = defaultdict(dict)
    for audience, theme, segment, value, count, total, agreeing in rows:
        if theme:
            scores[audience, theme, segment][value] = Score(count, total or 0, agreeing or 0)
        else:
            responses[audience, segment][value] = count
    themes = [theme for theme in RelationshipTheme.values if any((a, theme, "") in scores for a in Audience)]
    overall_hidden: set[tuple[str, str]] = set()
    breakdowns, hidden_groups, totals = [], {}, {}
    for audience, segments in AUDIENCE_SEGMENTS.items():
        total = responses[audience, ""].get(None, 0)
        audience_hidden = total < minimum
        for segment in segments:
            counts = responses[audience, segment]
            groups = suppress(counts, minimum=minimum)
            audience_hidden = audience_hidden or groups.total_hidden
            hidden_groups[audience, segment] = groups.hidden
            columns = []
            for theme in themes:
                column = scores[audience, theme, segment]
                cells = suppress(
                    {value: column.get(value, Score()).scored for value in counts},
                    minimum=minimum,
                    hidden=groups.hidden,
                )
                if cells.total_hidden:
                    overall_hidden.add((audience, theme))
                columns.append(
                    {value: _shown(column.get(value, Score()), cells.shows(value)) for value in counts}
                )
            lines = [
                GroupLine(
                    names[segment].get(value, NOT_GIVEN) if value is not None else NOT_GIVEN,
                    count,
                    not groups.shows(value),
                    [column[value] for column in columns],
                )
                for value, count in counts.items()
            ]
            lines.sort(key=lambda line: (line.label == NOT_GIVEN, line.label))
            breakdowns.append(Breakdown(audience, segment, Segment(segment).label, lines))
        totals[audience] = (total, audience_hidden)

    def overall(audience: str, theme: str) -> Score:
        score = scores[audience, theme, ""].get(None, Score())
        shown = not (totals[audience][1] or score.scored < minimum or (audience, theme) in overall_hidden)
        return _shown(score, shown)

    lines = [
        ThemeLine(
            theme, THEME_LABELS[theme], overall(Audience.PROVIDERS, theme), overall(Audience.OFFICERS, theme)
        )
        for theme in themes
    ]
    return CycleResults(year, totals, lines, breakdowns, hidden_groups)


def _shown(score: Score, shown: bool) -> Score:
    return score if shown else Score(hidden=True)


def _trends(cycles: list[CycleResults]) -> list[ThemeTrend]:
    """Each theme asked in any cycle, with its overall score on each side in every cycle."""
    trends = []
    for theme in RelationshipTheme.values:
        points = []
        for results in cycles:
            line = next((line for line in results.themes if line.theme == theme), None)
            if line is not None:
                points.append((results.year, line.providers, line.officers))
        if points:
            trends.append(ThemeTrend(theme, THEME_LABELS[theme], points))
    return trends


def free_text_answers(*, cycle: SurveyCycle, results: CycleResults) -> QuerySet:
    """The cycle's free-text answers from groups large enough to show, in the order of the responses' random
    keys (so, in no order of time), each with its question and audience and nothing about its respondent."""
    from surveys.services.results import SEGMENT_COLUMNS

    answers = Answer.objects.filter(response__cycle=cycle, question__kind=Question.Kind.FREE_TEXT).exclude(
        text=""
    )
    for audience, (_, hidden) in results.responses.items():
        if hidden:
            answers = answers.exclude(response__audience=audience)
    for (audience, segment), values in results.hidden_groups.items():
        column = SEGMENT_COLUMNS[segment]
        for value in values:
            if value is not None:
                group = Q(**{f"response__{column}": value})
            elif column.endswith("_id"):
                group = Q(**{f"response__{column}__isnull": True})
            else:
                group = Q(**{f"response__{column}": ""})
            answers = answers.exclude(Q(response__audience=audience) & group)
    return answers.order_by("response_id", "question__position").values(
        "text", "question__text", "response__audience"
    )


SUPPRESSED = "suppressed"
DONT_KNOW = "don't know"


def export_rows(*, cycle: SurveyCycle, free_text: bool, minimum: int | None = None) -> Iterator[list]:
    """The cycle's responses for analysts, a row each after the heading: random key, audience, segments, whether
    complete, and each question's score or text. A segment's value is written as "suppressed" for any group too
    small to show (and for the group hidden beside it); nothing else about a respondent is written."""
    from surveys.services.results import SEGMENT_COLUMNS

    questions = Question.objects.filter(questionnaire__cycle=cycle).exclude(kind=Question.Kind.SEGMENT)
    if not free_text:
        questions = questions.exclude(kind=Question.Kind.FREE_TEXT)
    questions = list(
        questions.order_by("-questionnaire__audience", "position").values_list(
            "id", "questionnaire__audience", "position", "kind", "text"
        )
    )
    columns = {question[0]: index for index, question in enumerate(questions)}
    responses = list(
        Response.objects.filter(cycle=cycle)
        .order_by("id")
        .values_list("id", "audience", "is_complete", *SEGMENT_COLUMNS.values())
    )
    segments = _export_segments(responses, list(SEGMENT_COLUMNS), minimum=minimum)
    yield [
        "response",
        "audience",
        *SEGMENT_COLUMNS,
        "is_complete",
        *(f"{Audience(audience).label} {position}: {text}" for _, audience, position, _, text in questions),
    ]
    answers = (
        Answer.objects.filter(response__cycle=cycle, question_id__in=columns)
        .order_by("response_id")
        .values_list("response_id", "question_id", "score", "text")
        .iterator(chunk_size=5000)
    )
    pending = next(answers, None)
    for key, audience, is_complete, *values in responses:
        cells = [""] * len(questions)
        while pending is not None and pending[0] == key:
            _, question_id, score, text = pending
            agreement = questions[columns[question_id]][3] == Question.Kind.AGREEMENT
            cells[columns[question_id]] = (DONT_KNOW if score is None else str(score)) if agreement else text
            pending = next(answers, None)
        yield [str(key), audience, *segments(audience, values), "yes" if is_complete else "no", *cells]


def _export_segments(responses: list[tuple], segments: list[str], *, minimum: int | None):
    """A function giving a response's segment values as written: names, blank where the segment is not the
    audience's, "suppressed" for a group too small to show.

    Each segment on its own is suppressed as on the dashboard. A row also carries all its segments together, so a
    combination of them (say, large home care providers in the West) can be a group too small to show even when
    each segment is not: every segment of such a row is written as "suppressed". When fewer than the minimum rows
    of an audience are suppressed that way, rows of the next-smallest combinations go with them, so that the
    dashboard's counts less the visible rows never point at one combination.
    """
    minimum = minimum_group_size() if minimum is None else minimum
    counts: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
    for _, audience, _, *values in responses:
        for segment, value in zip(segments, values, strict=True):
            if segment in AUDIENCE_SEGMENTS[audience]:
                counts[audience, segment][value or None] += 1
    hidden = {key: suppress(groups, minimum=minimum).hidden for key, groups in counts.items()}
    names = segment_names()

    def each_alone(audience: str, values: list) -> tuple[str, ...]:
        row = []
        for segment, value in zip(segments, values, strict=True):
            if segment not in AUDIENCE_SEGMENTS[audience]:
                row.append("")
            elif (value or None) in hidden[audience, segment]:
                row.append(SUPPRESSED)
            else:
                row.append(names[segment].get(value, "") if value else "")
        return tuple(row)

    hidden_combinations = _small_combinations(
        [(audience, each_alone(audience, values)) for _, audience, _, *values in responses], minimum=minimum
    )

    def written(audience: str, values: list) -> list[str]:
        row = each_alone(audience, values)
        if (audience, row) in hidden_combinations:
            return [SUPPRESSED if segment in AUDIENCE_SEGMENTS[audience] else "" for segment in segments]
        return list(row)

    return written


def _small_combinations(rows: list[tuple[str, tuple]], *, minimum: int) -> set[tuple[str, tuple]]:
    """The (audience, written segments) combinations whose rows must have every segment suppressed."""
    sizes: dict[tuple[str, tuple], int] = defaultdict(int)
    for row in rows:
        sizes[row] += 1
    hidden: set[tuple[str, tuple]] = set()
    for audience in {audience for audience, _ in sizes}:
        # Smallest first; a combination already all "suppressed" hides nothing more and needs no company.
        combinations = sorted(
            (size, combination) for (each, combination), size in sizes.items() if each == audience
        )
        small = [(size, c) for size, c in combinations if size < minimum and set(c) - {"", SUPPRESSED}]
        suppressed = sum(size for size, _ in small)
        chosen = [c for _, c in small]
        for size, combination in combinations:
            if not small or suppressed >= minimum:
                break
            if combination not in chosen:
                chosen.append(combination)
                suppressed += size
        hidden.update((audience, combination) for combination in chosen)
    return hidden
