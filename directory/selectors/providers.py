"""Reads of the who's-who that screens need."""

from django.db.models import QuerySet

from directory.models import ProviderOrganisation
from portal.permissions import is_council_staff
from portal.related_names import annotate_names, with_names

# A provider's many-to-many records the provider list shows, and the attribute each one's names go in.
LISTED_NAMES = {"areas": "area_names", "service_types": "service_type_names"}


def provider_organisations_visible_to(user) -> QuerySet[ProviderOrganisation]:
    """Council staff see every provider; a provider user sees only its own organisation."""
    queryset = ProviderOrganisation.objects.prefetch_related("areas", "service_types")
    if is_council_staff(user):
        return queryset
    if user.is_authenticated and user.provider_organisation_id:
        return queryset.filter(pk=user.provider_organisation_id)
    return queryset.none()


def provider_list() -> QuerySet[ProviderOrganisation]:
    """Every provider for the council's list, by name, reading only what a row shows; see with_list_names()."""
    return annotate_names(
        ProviderOrganisation.objects.only("name", "tier").order_by("name", "pk"), LISTED_NAMES
    )


def with_list_names(providers: list[ProviderOrganisation]) -> list[ProviderOrganisation]:
    return with_names(providers, ProviderOrganisation, LISTED_NAMES)
