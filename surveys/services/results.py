"""Counting a cycle's results and keeping them (KeptSurveyResults), so that the dashboard never waits for a count.

A cycle's results are counted in one query (grouping sets on PostgreSQL; in Python on SQLite) the first time
anyone asks for them, and kept with the state of the responses they were counted at. When responses have come in
since, the worker is asked once to count them again; a closed cycle's results never change.
"""

import datetime as dt
import logging

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from surveys.models import Answer, Question, Response, SurveyCycle
from surveys.models import KeptSurveyResults as Kept

logger = logging.getLogger(__name__)

# A refresh asked for but not done by then (the worker or broker was down) is asked for again.
REFRESH_AGAIN_AFTER = dt.timedelta(minutes=2)
# The worker's task, named rather than imported: surveys/tasks.py wraps survey_results_keep.
REFRESH_TASK = "surveys.tasks.refresh_survey_results"

# Each segment and the response's column that holds it.
SEGMENT_COLUMNS = {
    "provider_type": "provider_type_id",
    "area": "area_id",
    "size": "size",
    "seniority": "seniority",
    "team": "team_id",
}
_COLUMNS = ", ".join(SEGMENT_COLUMNS.values())
# GROUPING(<the segment columns>) of each grouping set: a bit is set for each column left out.
GROUPINGS = {
    **{0b11111 ^ (1 << (4 - index)): segment for index, segment in enumerate(SEGMENT_COLUMNS)},
    0b11111: "",
}

_SQL = """
    WITH counted AS (
        SELECT id, audience, {columns} FROM {response} WHERE cycle_id = %(cycle)s
    ), scored AS (
        SELECT counted.audience, question.theme, {counted_columns}, answer.score
        FROM {answer} answer
        JOIN {question} question ON question.id = answer.question_id
        JOIN counted ON counted.id = answer.response_id
        WHERE question.kind = %(agreement)s
    )
    SELECT GROUPING({columns}), audience, '' AS theme, {columns}, count(*), NULL, NULL
    FROM counted
    GROUP BY GROUPING SETS ((audience), {response_sets})
    UNION ALL
    SELECT GROUPING({columns}), audience, theme, {columns},
        count(score), sum(score), count(*) FILTER (WHERE score >= 4)
    FROM scored
    GROUP BY GROUPING SETS ((audience, theme), {theme_sets})
"""


def survey_results_keep(*, cycle: SurveyCycle, version: str | None = None) -> Kept:
    """Count the cycle's results now and keep them, replacing any kept before."""
    version = version or cycle_version(cycle)
    values = {"version": version, "rows": count_rows(cycle), "counted_at": timezone.now()}
    values["refresh_requested_at"] = None
    try:
        with transaction.atomic():
            kept, _ = Kept.objects.update_or_create(cycle=cycle, defaults=values)
    except IntegrityError:  # counted at the same moment by another visit: theirs is as good
        kept = Kept.objects.get(cycle=cycle)
    return kept


def survey_results_refresh_request(*, kept: Kept) -> Kept:
    """Ask the worker, once, to count a cycle's results again; returns the results as kept now.

    With tasks run in-process (local development, tests) they are counted by the time this returns.
    """
    from portal.celery import app

    now = timezone.now()
    asked = (
        Kept.objects.filter(pk=kept.pk)
        .exclude(refresh_requested_at__gt=now - REFRESH_AGAIN_AFTER)
        .update(refresh_requested_at=now)
    )
    if not asked:
        return kept
    if app.conf.task_always_eager:
        return survey_results_keep(cycle=kept.cycle)
    try:
        app.send_task(REFRESH_TASK, args=[kept.cycle_id], retry=False)
    except Exception:  # noqa: BLE001 - the broker being down must not fail the page; asked again later
        logger.warning("Could not ask for the survey results to be counted again", exc_info=True)
    return kept


def cycle_version(cycle: SurveyCycle, response_count: int | None = None) -> str:
    """Which state a cycle's responses are in: a closed cycle's never changes; an open one's grows."""
    if cycle.closed_at:
        return f"closed {cycle.closed_at.isoformat()}"
    if response_count is None:
        response_count = Response.objects.filter(cycle=cycle).count()
    return f"{response_count} responses"


def count_rows(cycle: SurveyCycle) -> list[list]:
    """Every count of the cycle, as kept (JSON): [audience, theme, segment, value, count, score sum, agreeing].

    With no theme, the count is of responses; with one, of the answers that gave a score ("don't know" left
    out). The segment is empty for all the audience's responses; the value is None where it was not given.
    """
    raw = _count(cycle) if connection.vendor == "postgresql" else _count_portable(cycle)
    rows = []
    for grouping, audience, theme, *values, count, score_sum, agreeing in raw:
        segment = GROUPINGS[grouping]
        value = values[list(SEGMENT_COLUMNS).index(segment)] if segment else None
        rows.append([audience, theme, segment, value if value != "" else None, count, score_sum, agreeing])
    return rows


def _count(cycle: SurveyCycle) -> list[tuple]:
    quote = connection.ops.quote_name
    columns = list(SEGMENT_COLUMNS.values())
    sql = _SQL.format(
        columns=_COLUMNS,
        counted_columns=", ".join(f"counted.{column}" for column in columns),
        response=quote(Response._meta.db_table),
        answer=quote(Answer._meta.db_table),
        question=quote(Question._meta.db_table),
        response_sets=", ".join(f"(audience, {column})" for column in columns),
        theme_sets=", ".join(f"(audience, theme, {column})" for column in columns),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"cycle": cycle.pk, "agreement": Question.Kind.AGREEMENT})
        return cursor.fetchall()


def _count_portable(cycle: SurveyCycle) -> list[tuple]:
    """The same rows as _count's query, counted in Python: for SQLite in local development, at demo sizes."""
    columns = list(SEGMENT_COLUMNS.values())
    responses = {
        row[0]: row[1:]
        for row in Response.objects.filter(cycle=cycle).values_list("id", "audience", *columns).iterator()
    }
    groups: dict[tuple, list[int]] = {}

    def add(audience: str, theme: str, values: tuple, counts: tuple[int, int, int]) -> None:
        for grouping, segment in GROUPINGS.items():
            key = tuple(
                value if segment and column == SEGMENT_COLUMNS[segment] else None
                for column, value in zip(columns, values, strict=True)
            )
            totals = groups.setdefault((grouping, audience, theme, *key), [0, 0, 0])
            for index, count in enumerate(counts):
                totals[index] += count

    for audience, *values in responses.values():
        add(audience, "", tuple(values), (1, 0, 0))
    answers = Answer.objects.filter(response__cycle=cycle, question__kind=Question.Kind.AGREEMENT)
    for response_id, theme, score in answers.values_list(
        "response_id", "question__theme", "score"
    ).iterator():
        audience, *values = responses[response_id]
        add(audience, theme, tuple(values), (score is not None, score or 0, bool(score and score >= 4)))
    return [
        # Like SQL's sum(), None when no answer gave a score.
        (*key, count, total if key[2] and count else None, agreeing if key[2] else None)
        for key, (count, total, agreeing) in groups.items()
    ]
