"""The "Who do I contact about…?" finder: the one best answer to a topic, an area and a service type.

A responsibility answers a question when it is in force, is about the topic, covers the area (no areas means
every area) and covers the service type (no service types means every type). Of those, the most specific wins:
area and service type both named beats one named beats none; a tie goes to the oldest responsibility.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from directory.models import Area, Officer, Responsibility, ServiceType, Team, Topic


@dataclass(frozen=True)
class Question:
    """Who answers `topic` for `area` and `service_type`; None for an area or type asks about none in particular."""

    topic_id: int
    area_id: int | None = None
    service_type_id: int | None = None


@dataclass(frozen=True)
class ContactAnswer:
    """Whom to contact: the named officer and their deputy while in post, and the team as the fallback."""

    officer: Officer | None
    deputy: Officer | None
    team: Team | None
    responsibility: Responsibility | None = None

    @classmethod
    def for_officer(cls, officer: Officer) -> "ContactAnswer":
        return cls(officer=_in_post(officer), deputy=_in_post(officer.deputy), team=officer.team)

    @classmethod
    def for_responsibility(cls, responsibility: Responsibility) -> "ContactAnswer":
        officer = responsibility.officer
        return cls(
            officer=_in_post(officer),
            deputy=_in_post(officer.deputy) if officer else None,
            # The team named on the responsibility answers before the officer's own team.
            team=responsibility.team or (officer.team if officer else None),
            responsibility=responsibility,
        )


def _in_post(officer: Officer | None) -> Officer | None:
    return officer if officer is not None and officer.is_active else None


def responsibilities_in_force(on=None) -> QuerySet[Responsibility]:
    day = on or timezone.localdate()
    return Responsibility.objects.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=day))


@dataclass(frozen=True)
class _Candidate:
    """A responsibility in force: its topic, and the areas and service types it names (none: all of them)."""

    pk: int
    topic_id: int
    area_ids: frozenset[int]
    service_type_ids: frozenset[int]

    @property
    def specificity(self) -> int:
        return bool(self.area_ids) + bool(self.service_type_ids)

    def answers(self, question: Question) -> bool:
        return (
            self.topic_id == question.topic_id
            and (not self.area_ids or question.area_id in self.area_ids)
            and (not self.service_type_ids or question.service_type_id in self.service_type_ids)
        )


def _candidates(questions: list[Question]) -> list[_Candidate]:
    """Every responsibility in force for the questions' topics, with what each covers, in one query.

    A topic has a few dozen responsibilities at most, so they are all read and the rule applied here. Each row
    is a responsibility with one of its areas and one of its service types (NULL: none named). Written out in
    SQL, as the ORM took longer to build the query than PostgreSQL to answer it.
    """
    topic_ids = sorted({question.topic_id for question in questions})
    areas, service_types = Responsibility.areas.field, Responsibility.service_types.field
    sql = f"""
        SELECT responsibility.id, responsibility.topic_id, area.{areas.m2m_reverse_name()},
            service_type.{service_types.m2m_reverse_name()}
        FROM {Responsibility._meta.db_table} responsibility
        LEFT JOIN {areas.m2m_db_table()} area ON area.{areas.m2m_column_name()} = responsibility.id
        LEFT JOIN {service_types.m2m_db_table()} service_type
            ON service_type.{service_types.m2m_column_name()} = responsibility.id
        WHERE responsibility.topic_id IN ({", ".join(["%s"] * len(topic_ids))})
        AND (responsibility.retired_on IS NULL OR responsibility.retired_on > %s)
    """  # noqa: S608 - table and column names come from the models; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [*topic_ids, timezone.localdate()])
        rows = cursor.fetchall()
    topics: dict[int, int] = {}
    covered: dict[int, tuple[set[int], set[int]]] = {}
    for pk, topic_id, area_id, service_type_id in rows:
        topics[pk] = topic_id
        area_ids, service_type_ids = covered.setdefault(pk, (set(), set()))
        area_ids.add(area_id)
        service_type_ids.add(service_type_id)
    return [
        _Candidate(pk, topics[pk], frozenset(area_ids - {None}), frozenset(service_type_ids - {None}))
        for pk, (area_ids, service_type_ids) in covered.items()
    ]


# What an answer shows of a responsibility, its team, officer and deputy: reading no more makes it quicker.
_OFFICER_SHOWN = ("full_name", "job_title", "email", "phone", "active_from", "active_to")
_TEAM_SHOWN = ("name", "mailbox", "phone", "is_active")
_naming = Responsibility.objects.select_related("team", "officer__team", "officer__deputy").only(
    "notes",
    *(f"team__{name}" for name in _TEAM_SHOWN),
    *(f"officer__{name}" for name in _OFFICER_SHOWN),
    *(f"officer__team__{name}" for name in _TEAM_SHOWN),
    *(f"officer__deputy__{name}" for name in _OFFICER_SHOWN),
)


def contacts_resolve(questions: Iterable[Question]) -> dict[Question, ContactAnswer | None]:
    """The best answer to each question, in two queries however many are asked.

    The first finds which responsibility answers each question; the second reads who they name.
    """
    questions = list(dict.fromkeys(questions))
    candidates = _candidates(questions) if questions else []
    best = {
        question: min(
            (candidate for candidate in candidates if candidate.answers(question)),
            key=lambda candidate: (-candidate.specificity, candidate.pk),
            default=None,
        )
        for question in questions
    }
    chosen = {candidate.pk for candidate in best.values() if candidate}
    answering = _naming.in_bulk(chosen) if chosen else {}
    return {
        question: ContactAnswer.for_responsibility(answering[candidate.pk]) if candidate else None
        for question, candidate in best.items()
    }


def contact_find(
    *, topic: Topic, area: Area | None, service_type: ServiceType | None
) -> ContactAnswer | None:
    """The one best answer to "Who do I contact about <topic> for <service type> in <area>?"."""
    question = Question(topic.pk, area.pk if area else None, service_type.pk if service_type else None)
    return contacts_resolve([question])[question]


_QUESTION_KINDS = {"topic": Topic, "area": Area, "service_type": ServiceType}


def _question_choices_sql() -> str:
    def part(kind: str, model) -> str:
        about = "description" if model is Topic else "''"
        table = connection.ops.quote_name(model._meta.db_table)
        return f"SELECT '{kind}', id, slug, name, {about} FROM {table}"  # noqa: S608 - names from the code

    return " UNION ALL ".join(part(kind, model) for kind, model in _QUESTION_KINDS.items())


def question_choices() -> dict[str, list]:
    """The topics, areas and service types a question is asked with, each by name, read in one query.

    Written in SQL: every search, finder and queue page asks it, and building the same union with the ORM took
    several times as long as the database took to answer it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_question_choices_sql())
        rows = cursor.fetchall()
    choices: dict[str, list] = {kind: [] for kind in _QUESTION_KINDS}
    for kind, pk, slug, name, about in sorted(rows, key=lambda row: row[3]):
        record = _QUESTION_KINDS[kind](pk=pk, slug=slug, name=name)
        if about:
            record.description = about
        choices[kind].append(record)
    return choices


def market_leads() -> list[Officer]:
    """The officers in post who lead the council's relationship with the care market: the route of last resort."""
    return list(
        Officer.objects.active()
        .exclude(market_lead="")
        .select_related("team")
        .order_by("market_lead", "full_name")
    )


@dataclass
class AreaLead:
    """Who answers one topic for a provider in one area, for the service types they share."""

    topic: Topic
    answer: ContactAnswer | None
    service_types: list[ServiceType] = field(default_factory=list)


@dataclass
class AreaLeads:
    area: Area
    leads: list[AreaLead]


def provider_area_leads(
    *, areas: list[Area], service_types: list[ServiceType], topics: list[Topic]
) -> list[AreaLeads]:
    """For each of a provider's areas, who answers each topic for its service types, in two queries.

    Service types that get the same answer share one line; no service types asks about none in particular.
    """
    if not areas:
        return []
    asked_about = service_types or [None]
    resolved = contacts_resolve(
        Question(topic.pk, area.pk, service_type.pk if service_type else None)
        for area in areas
        for topic in topics
        for service_type in asked_about
    )
    by_area = []
    for area in areas:
        leads = []
        for topic in topics:
            shared: dict[int | None, AreaLead] = {}
            for service_type in asked_about:
                answer = resolved[Question(topic.pk, area.pk, service_type.pk if service_type else None)]
                lead = shared.setdefault(
                    answer.responsibility.pk if answer else None, AreaLead(topic, answer)
                )
                if service_type:
                    lead.service_types.append(service_type)
            leads.extend(shared.values())
        by_area.append(AreaLeads(area=area, leads=leads))
    return by_area


def finder_defaults(user) -> dict[str, str]:
    """For a provider user, its organisation's first area and service type, so that it asks in one step."""
    organisation_id = getattr(user, "provider_organisation_id", None)
    if not organisation_id:
        return {}
    defaults = {
        "area": Area.objects.filter(providers=organisation_id).first(),
        "service_type": ServiceType.objects.filter(providers=organisation_id).first(),
    }
    return {name: record.slug for name, record in defaults.items() if record}
