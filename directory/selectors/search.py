"""Reads for the who's-who search and for the officer and team pages.

On PostgreSQL a search is full text with prefix matching ("safe" finds "Safeguarding"), answered from a GIN index
on the officer's name and job title (migration 0007); when it finds no one, trigram similarity suggests names
that are close, for a misspelt surname. On SQLite, in local development, each word is a plain case-insensitive
match.
"""

import re

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import CharField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from directory.models import Area, Officer, Responsibility, Team, Topic
from portal.permissions import is_council_staff

from .finder import responsibilities_in_force

# More words than this adds nothing to a who's-who search but cost.
MAX_SEARCH_WORDS = 6
# How close a name must be, from 0 to 1, to be suggested when a search finds no one.
SUGGESTION_SIMILARITY = 0.5

# Migration 0007 indexes exactly this expression; change both together.
OFFICER_DOCUMENT_SQL = "to_tsvector('simple', officer.full_name || ' ' || officer.job_title)"


def officers_visible_to(user) -> QuerySet[Officer]:
    """Council staff see every officer, including those no longer in post; anyone else only those in post."""
    if is_council_staff(user):
        return Officer.objects.all()
    return Officer.objects.active()


def _answering(**responsibility_filters) -> Prefetch:
    """The responsibilities in force an officer or team holds, by topic, as `answering`."""
    return Prefetch(
        "responsibilities",
        queryset=responsibilities_in_force()
        .filter(**responsibility_filters)
        .select_related("topic", "officer")
        .prefetch_related("areas", "service_types")
        .order_by("topic__name", "pk"),
        to_attr="answering",
    )


def officer_search_base() -> QuerySet[Officer]:
    """Officers in post, with their team, reading only what a page of results shows.

    On PostgreSQL each officer comes with `topic_names`, the topics they answer, worked out after sorting for
    the page's rows only; elsewhere with_topics_answered() reads them.
    """
    queryset = (
        Officer.objects.active()
        .select_related("team")
        .only("full_name", "job_title", "team__name")
        .order_by("full_name", "pk")
    )
    if connection.vendor == "postgresql":
        queryset = queryset.annotate(topic_names=_topic_names_array())
    return queryset


def _topic_names_array() -> RawSQL:
    # Written out: as an ArraySubquery the ORM took longer to build it than the rest of the page's query.
    sql = f"""
        ARRAY(
            SELECT DISTINCT topic.name FROM {Responsibility._meta.db_table} responsibility
            JOIN {Topic._meta.db_table} topic ON topic.id = responsibility.topic_id
            WHERE responsibility.officer_id = {Officer._meta.db_table}.id
            AND (responsibility.retired_on IS NULL OR responsibility.retired_on > %s)
            ORDER BY topic.name
        )
    """  # noqa: S608 - the table names come from the models; the date is a parameter
    return RawSQL(sql, [timezone.localdate()], output_field=ArrayField(CharField()))  # noqa: S611


def _topic_names(**responsibility_filters) -> QuerySet:
    return (
        responsibilities_in_force()
        .filter(**responsibility_filters)
        .order_by("topic__name")
        .values("topic__name")
        .distinct()
    )


def with_topics_answered(officers: list[Officer]) -> list[Officer]:
    """Give each officer of a page without them `topic_names`: the topics they answer, read in one query."""
    missing = {officer.pk: officer for officer in officers if not hasattr(officer, "topic_names")}
    for officer in missing.values():
        officer.topic_names = []
    if missing:
        for officer_id, name in _topic_names(officer__in=missing).values_list("officer_id", "topic__name"):
            missing[officer_id].topic_names.append(name)
    return officers


def search_words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())[:MAX_SEARCH_WORDS]


def officers_matching(queryset: QuerySet[Officer], text: str) -> QuerySet[Officer]:
    """Officers with every word of `text` in their name, job title, team's name or a topic they answer."""
    match = _full_text_match if connection.vendor == "postgresql" else _plain_match
    for word in search_words(text):
        queryset = queryset.filter(match(word))
    return queryset


def officers_answering(queryset: QuerySet[Officer], *, topic_slug: str) -> QuerySet[Officer]:
    return queryset.filter(pk__in=_officer_ids_answering(topic__slug=topic_slug))


def search_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The teams, topics and areas a search can be narrowed to, as (value, label) pairs, read in one query.

    Written out, as the ORM took longer to build the union than PostgreSQL to answer it.
    """
    sql = f"""
        SELECT 'team', CAST(id AS varchar(20)), name FROM {Team._meta.db_table} WHERE is_active
        UNION ALL SELECT 'topic', slug, name FROM {Topic._meta.db_table}
        UNION ALL SELECT 'area', slug, name FROM {Area._meta.db_table}
    """  # noqa: S608 - the table names come from the models
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    choices: dict[str, list[tuple[str, str]]] = {"team": [], "topic": [], "area": []}
    for kind, value, name in sorted(rows, key=lambda row: row[2]):
        choices[kind].append((value, name))
    return choices


def _officer_ids_answering(**responsibility_filters) -> QuerySet:
    return (
        responsibilities_in_force()
        .filter(officer__isnull=False, **responsibility_filters)
        .values("officer_id")
    )


def _plain_match(word: str) -> Q:
    return (
        Q(full_name__icontains=word)
        | Q(job_title__icontains=word)
        | Q(team__name__icontains=word)
        | Q(pk__in=_officer_ids_answering(topic__name__icontains=word))
    )


def _full_text_match(word: str) -> Q:
    # Written out in SQL because the ORM takes longer to build this than PostgreSQL takes to answer it. The
    # officers' part is answered from the index, the others from tables of a few rows.
    sql = f"""
        SELECT officer.id FROM {Officer._meta.db_table} officer
        WHERE {OFFICER_DOCUMENT_SQL} @@ to_tsquery('simple', %s)
        UNION ALL
        SELECT officer.id FROM {Officer._meta.db_table} officer
        JOIN {Team._meta.db_table} team ON team.id = officer.team_id
        WHERE to_tsvector('simple', team.name) @@ to_tsquery('simple', %s)
        UNION ALL
        SELECT responsibility.officer_id FROM {Responsibility._meta.db_table} responsibility
        JOIN {Topic._meta.db_table} topic ON topic.id = responsibility.topic_id
        WHERE responsibility.officer_id IS NOT NULL
        AND (responsibility.retired_on IS NULL OR responsibility.retired_on > %s)
        AND to_tsvector('simple', topic.name) @@ to_tsquery('simple', %s)
    """  # noqa: S608 - the table names come from the models; the word and the date are parameters
    # search_words() keeps letters and digits only, so the word cannot change the meaning of the query.
    prefix = f"{word}:*"
    return Q(pk__in=RawSQL(sql, [prefix, prefix, timezone.localdate(), prefix]))  # noqa: S611


def officer_name_suggestions(text: str, *, limit: int = 5) -> list[Officer]:
    """Officers in post whose names are close to `text`, for a search that found no one (PostgreSQL only)."""
    if connection.vendor != "postgresql" or not search_words(text):
        return []
    return list(
        Officer.objects.active()
        .annotate(similarity=TrigramWordSimilarity(" ".join(search_words(text)), "full_name"))
        .filter(similarity__gte=SUGGESTION_SIMILARITY)
        .order_by("-similarity", "full_name")[:limit]
    )


def officer_page(user) -> QuerySet[Officer]:
    """An officer's page: team, deputy, areas covered and every topic they answer, with its areas and services."""
    return (
        officers_visible_to(user)
        .select_related("team__directorate", "deputy")
        .prefetch_related("areas", _answering())
    )


def teams_visible_to(user) -> QuerySet[Team]:
    """Council staff see every team, including closed ones; anyone else only open teams."""
    if is_council_staff(user):
        return Team.objects.all()
    return Team.objects.filter(is_active=True)


def team_page(user) -> QuerySet[Team]:
    """A team's page: its directorate, its members in post and the responsibilities it holds."""
    members = Prefetch("officers", queryset=Officer.objects.active().order_by("full_name"), to_attr="members")
    return teams_visible_to(user).select_related("directorate").prefetch_related(members, _answering())
