"""Reads for the editors' pages of the who's-who: lists and pages of officers, teams and responsibilities."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from directory.models import Officer, Responsibility, Team

CURRENT, RETIRED, EVERY = "current", "retired", "all"
STATUSES = {CURRENT: "Current", RETIRED: "Retired", EVERY: "All"}


def _in_post(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gte": today})


def _live_responsibility(prefix: str = "") -> Q:
    return Q(**{f"{prefix}retired_on__isnull": True}) | Q(**{f"{prefix}retired_on__gt": timezone.localdate()})


def officers_for_editing(*, status: str = CURRENT) -> QuerySet[Officer]:
    queryset = Officer.objects.select_related("team", "owner").order_by("full_name", "pk")
    if status == CURRENT:
        return queryset.filter(_in_post())
    if status == RETIRED:
        return queryset.exclude(_in_post())
    return queryset


def officer_for_page() -> QuerySet[Officer]:
    return Officer.objects.select_related("team__directorate", "deputy", "owner", "user").prefetch_related(
        "areas"
    )


def teams_for_editing(*, status: str = CURRENT) -> QuerySet[Team]:
    queryset = (
        Team.objects.select_related("directorate", "owner")
        .annotate(officers_in_post=Count("officers", filter=_in_post("officers__"), distinct=True))
        .order_by("name", "pk")
    )
    if status == CURRENT:
        return queryset.filter(is_active=True)
    if status == RETIRED:
        return queryset.filter(is_active=False)
    return queryset


def team_for_page() -> QuerySet[Team]:
    return Team.objects.select_related("directorate", "owner").annotate(
        officers_in_post=Count("officers", filter=_in_post("officers__"), distinct=True)
    )


def responsibilities_for_editing(*, status: str = CURRENT) -> QuerySet[Responsibility]:
    queryset = (
        Responsibility.objects.select_related("topic", "officer", "team", "owner")
        .prefetch_related("areas", "service_types")
        .order_by("topic__name", "pk")
    )
    if status == CURRENT:
        return queryset.filter(_live_responsibility())
    if status == RETIRED:
        return queryset.exclude(_live_responsibility())
    return queryset


def responsibility_for_page() -> QuerySet[Responsibility]:
    return Responsibility.objects.select_related("topic", "officer", "team", "owner").prefetch_related(
        "areas", "service_types"
    )


def officer_leaving_summary(officer: Officer) -> dict[str, int]:
    """What still depends on an officer who is leaving: a handover should move these."""
    return Officer.objects.filter(pk=officer.pk).aggregate(
        responsibilities=Count(
            "responsibilities", filter=_live_responsibility("responsibilities__"), distinct=True
        ),
        deputising_for=Count("deputising_for", filter=_in_post("deputising_for__"), distinct=True),
        providers=Count("managed_providers", filter=Q(managed_providers__is_active=True), distinct=True),
    )
