"""Reads for the CSV export: each kind of file in one query per table, whatever the number of rows."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from directory.models import Officer, ProviderOrganisation, Responsibility


def officers_for_export() -> QuerySet[Officer]:
    return (
        Officer.objects.select_related("team__directorate", "deputy", "owner")
        .prefetch_related("areas")
        .order_by("full_name", "email")
    )


def current_responsibilities() -> QuerySet[Responsibility]:
    """Responsibilities not yet retired: the ones a file of responsibilities lists and updates."""
    today = timezone.localdate()
    return Responsibility.objects.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=today))


def responsibilities_for_export() -> QuerySet[Responsibility]:
    return (
        current_responsibilities()
        .select_related("topic", "officer", "team__directorate")
        .prefetch_related("areas", "service_types")
        .order_by("topic__name", "pk")
    )


def providers_for_export() -> QuerySet[ProviderOrganisation]:
    return (
        ProviderOrganisation.objects.select_related("contract_manager")
        .prefetch_related("areas", "service_types", "client_groups", "associations")
        .order_by("name")
    )
