"""Reads for a pilot's evaluations and the lessons library, scoped by partnerships.scoping."""

from django.db.models import Prefetch, QuerySet, Value
from django.shortcuts import get_object_or_404

from directory.models import Area, ServiceType
from partnerships import scoping
from partnerships.models import Evaluation, Lesson, Objective, ObjectiveOutcome, PartnershipPilot
from portal.related_names import annotate_names, with_names

# The pilot's many-to-many records the library shows beside each lesson, and the attribute for their names.
PILOT_NAMES = {"areas": "area_names", "service_types": "service_type_names"}


def pilot_for_evaluating(slug: str) -> PartnershipPilot:
    """The pilot an officer evaluates (council staff see every pilot, drafts included)."""
    return get_object_or_404(PartnershipPilot.objects.select_related("lead_officer"), slug=slug)


def pilot_objectives(pilot: PartnershipPilot) -> list[Objective]:
    """The objectives an evaluation gives an outcome for, in the order the pilot lists them."""
    return list(pilot.objectives.order_by("due_on", "pk"))


def evaluation_for_page(*, user, slug: str, pk: int) -> Evaluation:
    """An evaluation of the pilot at `slug` the user may see; a draft (or a draft pilot's) is a 404 to providers."""
    evaluations = scoping.evaluations_visible_to(user).select_related("pilot", "evaluated_by")
    return get_object_or_404(evaluations, pilot__slug=slug, pk=pk)


def evaluation_for_officers(*, slug: str, pk: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.select_related("pilot__lead_officer"), pilot__slug=slug, pk=pk
    )


def evaluation_outcomes(evaluation: Evaluation) -> list[ObjectiveOutcome]:
    return list(
        evaluation.outcomes.select_related("objective").order_by("objective__due_on", "objective__pk")
    )


def outcomes_by_objective(evaluation: Evaluation) -> dict[int, ObjectiveOutcome]:
    return {outcome.objective_id: outcome for outcome in evaluation.outcomes.all()}


def evaluation_lessons(*, user, evaluation: Evaluation) -> list[Lesson]:
    return list(scoping.lessons_visible_to(user).filter(evaluation=evaluation).order_by("created_at", "pk"))


def library_lessons(user) -> QuerySet[Lesson]:
    """Every lesson the user may see, newest first, each with its evaluation and its pilot's areas and service
    types (as names, read with the pilots: one query for a page of lessons, however many pilots)."""
    pilots = annotate_names(PartnershipPilot.objects.only("pk", "title", "slug"), PILOT_NAMES)
    return (
        scoping.lessons_visible_to(user)
        .select_related("evaluation")
        .only(
            "pk",
            "title",
            "theme",
            "what_happened",
            "do_next_time",
            "created_at",
            "pilot_id",
            "evaluation__id",
            "evaluation__point",
            "evaluation__evaluated_on",
        )
        .prefetch_related(Prefetch("pilot", queryset=pilots))
        .order_by("-created_at", "-pk")
    )


def with_pilot_names(lessons) -> list[Lesson]:
    """Fill in the pilots' area and service type names where the database could not (not PostgreSQL)."""
    lessons = list(lessons)
    with_names(
        list({lesson.pilot_id: lesson.pilot for lesson in lessons}.values()), PartnershipPilot, PILOT_NAMES
    )
    return lessons


def library_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The service types and areas the library can be narrowed to, as (slug, name) pairs, in one query."""
    rows = (
        # Unordered parts: SQLite allows no ORDER BY inside a UNION, and the names are sorted here anyway.
        Area.objects.order_by()
        .annotate(kind=Value("area"))
        .values_list("kind", "slug", "name")
        .union(
            ServiceType.objects.order_by()
            .annotate(kind=Value("service_type"))
            .values_list("kind", "slug", "name")
        )
    )
    choices: dict[str, list[tuple[str, str]]] = {"area": [], "service_type": []}
    for kind, slug, name in sorted(rows, key=lambda row: row[2]):
        choices[kind].append((slug, name))
    return choices
