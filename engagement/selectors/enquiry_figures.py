"""Enquiry figures for directors: per month, and by topic, area and provider type, over a range of months.

Every figure is counted by PostgreSQL in one query (grouping sets), however many months or enquiries there are,
and kept (KeptEnquiryFigures): the worker counts them again after enquiries change.

An enquiry counts in the month it was raised. The promised date is for its answer, the resolution (moved on by
the days the council waited for the provider); the time to first response counts to the council's first reply or
request for more information.
"""

import dataclasses
import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from directory.selectors.finder import question_choices
from engagement.models import Enquiry, KeptEnquiryFigures
from engagement.selectors.plan import month_start, start_of
from portal.working_days import is_working_day

# The default range (this month and the eleven before it), and how far back a range may start.
FIGURES_MONTHS = 12
MONTHS_OFFERED = 36


@dataclass(frozen=True)
class Figures:
    raised: int = 0
    # Resolved by the promised date.
    within_target: int = 0
    # Resolved, or still open past the promised date: whether the target was met is known.
    decided: int = 0
    median_days: float | None = None
    overdue_now: int = 0

    @property
    def within_target_percent(self) -> int | None:
        return round(100 * self.within_target / self.decided) if self.decided else None

    @property
    def within_target_cell(self) -> str:
        """A table cell's text: like "75%", or "–" when none was resolved or due."""
        percent = self.within_target_percent
        return "–" if percent is None else f"{percent}%"

    @property
    def median_cell(self) -> str:
        return self.median_text or "–"

    @property
    def median_text(self) -> str:
        """Like "2.5 working days"; empty when none was answered."""
        if self.median_days is None:
            return ""
        days = f"{self.median_days:.1f}".removesuffix(".0")
        return f"{days} working day{'' if days == '1' else 's'}"


@dataclass(frozen=True)
class Line:
    """One month, or one topic, area or provider type, and its figures."""

    label: str
    figures: Figures
    month: dt.date | None = None


@dataclass(frozen=True)
class EnquiryFigures:
    first_month: dt.date
    last_month: dt.date
    total: Figures
    # Every open enquiry past its promised date, whenever it was raised.
    overdue_anywhere: int
    months: list[Line] = field(default_factory=list)
    by_topic: list[Line] = field(default_factory=list)
    by_area: list[Line] = field(default_factory=list)
    by_service_type: list[Line] = field(default_factory=list)
    # When these figures were counted, and whether enquiries have changed since.
    counted_at: dt.datetime | None = None
    up_to_date: bool = True


# GROUPING(month, topic_id, area_id, service_type_id) of each grouping set: a bit is set for a column left out.
_BY_MONTH, _BY_TOPIC, _BY_AREA, _BY_SERVICE_TYPE, _OVERALL = 0b0111, 0b1011, 0b1101, 0b1110, 0b1111
NOT_GIVEN = "Not given"

# Days and months are found by width_bucket against the London midnights that start them: a binary search, much
# quicker than converting every timestamp to London time. Day i (from 1) is the i-th day of the calendar passed.
_SQL = """
    WITH raised AS (
        SELECT width_bucket(created_at, %(month_starts)s::timestamptz[]) AS month,
            topic_id, area_id, service_type_id, status, due_on - %(first_day)s::date + 1 AS due_day,
            width_bucket(created_at, %(day_starts)s::timestamptz[]) AS raised_day,
            width_bucket(COALESCE(first_response_at, resolved_at), %(day_starts)s::timestamptz[]) AS answered_day,
            width_bucket(resolved_at, %(day_starts)s::timestamptz[]) AS resolved_day
        FROM {table}
        WHERE created_at >= %(start)s AND created_at < %(end)s
    )
    SELECT GROUPING(month, topic_id, area_id, service_type_id), month, topic_id, area_id, service_type_id,
        count(*),
        count(*) FILTER (WHERE resolved_day <= due_day),
        count(*) FILTER (WHERE resolved_day IS NOT NULL OR (status = %(open)s AND due_day < %(today_day)s)),
        percentile_cont(0.5) WITHIN GROUP (
            ORDER BY (%(ordinals)s::int[])[answered_day] - (%(ordinals)s::int[])[raised_day]
        ),
        count(*) FILTER (WHERE status = %(open)s AND due_day < %(today_day)s),
        (SELECT count(*) FROM {table} WHERE status = %(open)s AND due_on < %(today)s)
    FROM raised
    GROUP BY GROUPING SETS ((month), (topic_id), (area_id), (service_type_id), ())
"""


def _working_day_ordinals(first: dt.date, last: dt.date) -> list[int]:
    """For each day from `first` to `last`, the working days up to it: the difference of two days' ordinals is
    the working days after the one up to the other (portal.working_days.working_days_between)."""
    ordinals, count = [], 0
    for offset in range((last - first).days + 1):
        count += is_working_day(first + dt.timedelta(days=offset))
        ordinals.append(count)
    return ordinals


def enquiry_figures(*, first_month: dt.date, last_month: dt.date, today: dt.date) -> EnquiryFigures:
    """The figures of the enquiries raised from `first_month` to the end of `last_month`, as last counted.

    Counting a year of enquiries takes several times as long as showing them, so a visit shows the figures kept
    for the range (KeptEnquiryFigures). If enquiries have changed since, it asks the worker to count them again
    and shows the kept ones, saying when they were counted. A range nobody has asked for today is counted there
    and then. Every change to an enquiry is saved with its history, so the newest enquiry and the newest history
    entry say whether anything has changed.
    """
    from engagement.services.enquiry_figures import enquiry_figures_keep, enquiry_figures_refresh_request

    # Read with the kept figures, in the same query: every visit asks it.
    kept = (
        KeptEnquiryFigures.objects.filter(first_month=first_month, last_month=last_month, today=today)
        .annotate(current_version=RawSQL(_version_sql(), []))  # noqa: S611 - SQL from the code only
        .first()
    )
    version = kept.current_version if kept else _enquiries_version()
    if kept is None:
        kept = enquiry_figures_keep(
            first_month=first_month, last_month=last_month, today=today, version=version
        )
    elif kept.version != version:
        kept = enquiry_figures_refresh_request(kept=kept)
    figures = _arrange(kept.rows, first_month=first_month, last_month=last_month)
    return dataclasses.replace(figures, counted_at=kept.counted_at, up_to_date=kept.version == version)


def enquiries_version() -> str:
    """Which state the enquiries are in: changes whenever an enquiry is added or changed."""
    return _enquiries_version()


def count_rows(*, first_month: dt.date, last_month: dt.date, today: dt.date) -> list[list]:
    """Every figure's row, as kept (JSON: lists, numbers and nulls)."""
    rows = _count(first_month=first_month, last_month=last_month, today=today)
    return [[float(value) if isinstance(value, Decimal) else value for value in row] for row in rows]


def _version_sql() -> str:
    """SQL for which state the enquiries are in: the newest enquiry and the newest change to any."""
    history = Enquiry.history.model._meta
    enquiries = connection.ops.quote_name(Enquiry._meta.db_table)
    changes = connection.ops.quote_name(history.db_table)
    return f"""
        COALESCE(CAST((SELECT max(id) FROM {enquiries}) AS TEXT), 'None') || '-' ||
        COALESCE(CAST((SELECT max({history.pk.column}) FROM {changes}) AS TEXT), 'None')
    """  # noqa: S608 - the table and column names come from the models


def _enquiries_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_version_sql()}")  # noqa: S608 - see _version_sql
        return cursor.fetchone()[0]


def _count(*, first_month: dt.date, last_month: dt.date, today: dt.date) -> list[tuple]:
    """Every figure in one query, a row for each month, topic, area, type of service and for all of them."""
    if connection.vendor != "postgresql":
        return _count_portable(first_month=first_month, last_month=last_month, today=today)
    end = month_start(last_month, 1)
    # Answers come by today; a day past the calendar is beyond the last bucket, and its ordinal is NULL.
    last_day = max(today, end)
    days = (last_day - first_month).days + 1
    month_starts, month = [], first_month
    while month <= end:
        month_starts.append(start_of(month))
        month = month_start(month, 1)
    sql = _SQL.format(table=connection.ops.quote_name(Enquiry._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "month_starts": month_starts,
                "day_starts": [
                    start_of(first_month + dt.timedelta(days=offset)) for offset in range(days + 1)
                ],
                "ordinals": _working_day_ordinals(first_month, last_day),
                "first_day": first_month,
                "today_day": (today - first_month).days + 1,
                "start": start_of(first_month),
                "end": start_of(end),
                "today": today,
                "open": Enquiry.Status.OPEN,
            },
        )
        return cursor.fetchall()


def _count_portable(*, first_month: dt.date, last_month: dt.date, today: dt.date) -> list[tuple]:
    """The same rows as _count's query, counted in Python: for SQLite in local development, at demo sizes."""
    end = month_start(last_month, 1)
    last_day = max(today, end)
    ordinals = _working_day_ordinals(first_month, last_day)

    def day(moment: dt.datetime | None) -> int | None:
        """Like the query's day buckets: 1 for first_month's first day; None past the calendar or when unset."""
        if moment is None:
            return None
        number = (timezone.localdate(moment) - first_month).days + 1
        return number if number <= len(ordinals) else None

    groups: dict[tuple, list[dict]] = {}
    today_day = (today - first_month).days + 1
    enquiries = Enquiry.objects.filter(created_at__gte=start_of(first_month), created_at__lt=start_of(end))
    for enquiry in enquiries.only(
        "created_at",
        "topic_id",
        "area_id",
        "service_type_id",
        "status",
        "due_on",
        "first_response_at",
        "resolved_at",
    ):
        local = timezone.localdate(enquiry.created_at)
        month = (local.year - first_month.year) * 12 + local.month - first_month.month + 1
        raised_day, resolved_day = day(enquiry.created_at), day(enquiry.resolved_at)
        answered_day = day(enquiry.first_response_at or enquiry.resolved_at)
        due_day = (enquiry.due_on - first_month).days + 1
        is_overdue = enquiry.status == Enquiry.Status.OPEN and due_day < today_day
        facts = {
            "within": resolved_day is not None and resolved_day <= due_day,
            "decided": resolved_day is not None or is_overdue,
            "days": ordinals[answered_day - 1] - ordinals[raised_day - 1]
            if answered_day and raised_day
            else None,
            "overdue": is_overdue,
        }
        for grouping, key in (
            (_BY_MONTH, (month, None, None, None)),
            (_BY_TOPIC, (None, enquiry.topic_id, None, None)),
            (_BY_AREA, (None, None, enquiry.area_id, None)),
            (_BY_SERVICE_TYPE, (None, None, None, enquiry.service_type_id)),
            (_OVERALL, (None, None, None, None)),
        ):
            groups.setdefault((grouping, *key), []).append(facts)
    groups.setdefault((_OVERALL, None, None, None, None), [])
    overdue_all = Enquiry.objects.filter(status=Enquiry.Status.OPEN, due_on__lt=today).count()
    rows = []
    for key, members in groups.items():
        days = [member["days"] for member in members if member["days"] is not None]
        rows.append(
            (
                *key,
                len(members),
                sum(member["within"] for member in members),
                sum(member["decided"] for member in members),
                statistics.median(days) if days else None,
                sum(member["overdue"] for member in members),
                overdue_all,
            )
        )
    return rows


def _arrange(rows: list[tuple], *, first_month: dt.date, last_month: dt.date) -> EnquiryFigures:
    names = {
        kind: {record.pk: record.name for record in records} for kind, records in question_choices().items()
    }
    by_set: dict[int, dict] = {
        key: {} for key in (_BY_MONTH, _BY_TOPIC, _BY_AREA, _BY_SERVICE_TYPE, _OVERALL)
    }
    # The overall grouping set () gives a row even when no enquiry was raised in the months.
    overdue_anywhere = 0
    for grouping, month, topic_id, area_id, service_type_id, *counts, overdue_all in rows:
        raised, within, decided, median, overdue = counts
        key = {
            _BY_MONTH: month_start(first_month, month - 1) if month else None,
            _BY_TOPIC: topic_id,
            _BY_AREA: area_id,
            _BY_SERVICE_TYPE: service_type_id,
            _OVERALL: None,
        }[grouping]
        by_set[grouping][key] = Figures(raised, within, decided, median, overdue)
        overdue_anywhere = overdue_all
    months = []
    month = first_month
    while month <= last_month:
        months.append(Line(f"{month:%B %Y}", by_set[_BY_MONTH].get(month, Figures()), month=month))
        month = month_start(month, 1)
    return EnquiryFigures(
        first_month=first_month,
        last_month=last_month,
        total=by_set[_OVERALL].get(None, Figures()),
        overdue_anywhere=overdue_anywhere,
        months=months,
        by_topic=_lines(by_set[_BY_TOPIC], names["topic"]),
        by_area=_lines(by_set[_BY_AREA], names["area"]),
        by_service_type=_lines(by_set[_BY_SERVICE_TYPE], names["service_type"]),
    )


def _lines(figures: dict[int | None, Figures], names: dict[int, str]) -> list[Line]:
    """The topics (or areas, or types) with enquiries, most raised first; those not given last."""
    lines = [Line(names.get(key, NOT_GIVEN) if key else NOT_GIVEN, found) for key, found in figures.items()]
    return sorted(lines, key=lambda line: (line.label == NOT_GIVEN, -line.figures.raised, line.label))
