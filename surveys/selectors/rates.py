"""Live response rates for the officers running a survey: invited, answered, and the rate against the target.

Counted from the invitations, which know each respondent's segments and whether they answered; responses are
never read here, so a rate says nothing about what anyone answered. One query (grouping sets on PostgreSQL).
"""

from dataclasses import dataclass

from django.db import connection

from surveys.models import Audience, Invitation, Segment, SurveyCycle
from surveys.selectors.results import AUDIENCE_SEGMENTS, NOT_GIVEN, segment_names
from surveys.services.results import GROUPINGS, SEGMENT_COLUMNS

_COLUMNS = ", ".join(SEGMENT_COLUMNS.values())
_SQL = """
    SELECT GROUPING({columns}), audience, {columns}, count(*), count(*) FILTER (WHERE used)
    FROM {table} WHERE cycle_id = %(cycle)s
    GROUP BY GROUPING SETS ((audience), {sets})
"""


@dataclass(frozen=True)
class RateLine:
    label: str
    invited: int
    answered: int
    target: int

    @property
    def rate(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0

    @property
    def below_target(self) -> bool:
        return self.rate < self.target

    @property
    def to_reach_target(self) -> int:
        """How many more answers would bring the group to its target."""
        needed = -(-self.target * self.invited // 100)
        return max(needed - self.answered, 0)


@dataclass(frozen=True)
class SegmentRates:
    audience: str
    segment: str
    title: str
    # Below the target first, lowest rate first: the groups to chase.
    lines: list[RateLine]


@dataclass(frozen=True)
class Rates:
    cycle: SurveyCycle
    overall: RateLine
    audiences: list[tuple[str, RateLine]]
    segments: list[SegmentRates]

    @property
    def below_target(self) -> list[tuple[SegmentRates, RateLine]]:
        return [(segment, line) for segment in self.segments for line in segment.lines if line.below_target]


def response_rates(*, cycle: SurveyCycle) -> Rates:
    rows = _count(cycle) if connection.vendor == "postgresql" else _count_portable(cycle)
    target, names = cycle.response_rate_target, segment_names()
    by_set: dict[tuple[str, str], dict] = {}
    for grouping, audience, *values, invited, answered in rows:
        segment = GROUPINGS[grouping]
        value = values[list(SEGMENT_COLUMNS).index(segment)] if segment else None
        by_set.setdefault((audience, segment), {})[value or None] = (invited, answered)
    audiences = []
    for audience in Audience:
        invited, answered = by_set.get((audience, ""), {}).get(None, (0, 0))
        audiences.append((audience.label, RateLine(audience.label, invited, answered, target)))
    segments = []
    for audience, segment_names_of in AUDIENCE_SEGMENTS.items():
        for segment in segment_names_of:
            lines = [
                RateLine(names[segment].get(value, NOT_GIVEN) if value else NOT_GIVEN, *counts, target)
                for value, counts in by_set.get((audience, segment), {}).items()
            ]
            lines.sort(key=lambda line: (not line.below_target, line.rate, line.label))
            segments.append(SegmentRates(audience, segment, Segment(segment).label, lines))
    overall = RateLine(
        "Everyone invited",
        sum(line.invited for _, line in audiences),
        sum(line.answered for _, line in audiences),
        target,
    )
    return Rates(cycle, overall, audiences, segments)


def _count(cycle: SurveyCycle) -> list[tuple]:
    sql = _SQL.format(
        columns=_COLUMNS,
        table=connection.ops.quote_name(Invitation._meta.db_table),
        sets=", ".join(f"(audience, {column})" for column in SEGMENT_COLUMNS.values()),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"cycle": cycle.pk})
        return cursor.fetchall()


def _count_portable(cycle: SurveyCycle) -> list[tuple]:
    """The same rows as _count's query, counted in Python: for SQLite in local development."""
    columns = list(SEGMENT_COLUMNS.values())
    groups: dict[tuple, list[int]] = {}
    invitations = Invitation.objects.filter(cycle=cycle).values_list("audience", "used", *columns)
    for audience, used, *values in invitations.iterator():
        for grouping, segment in GROUPINGS.items():
            key = tuple(
                value if segment and column == SEGMENT_COLUMNS[segment] else None
                for column, value in zip(columns, values, strict=True)
            )
            counts = groups.setdefault((grouping, audience, *key), [0, 0])
            counts[0] += 1
            counts[1] += used
    return [(*key, invited, answered) for key, (invited, answered) in groups.items()]
