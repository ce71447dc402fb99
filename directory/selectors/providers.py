"""Reads of the who's-who that screens need."""

from django.db.models import QuerySet

from directory.models import ProviderOrganisation
from portal.permissions import is_council_staff


def provider_organisations_visible_to(user) -> QuerySet[ProviderOrganisation]:
    """Council staff see every provider; a provider user sees only its own organisation."""
    queryset = ProviderOrganisation.objects.prefetch_related("areas", "service_types")
    if is_council_staff(user):
        return queryset
    if user.is_authenticated and user.provider_organisation_id:
        return queryset.filter(pk=user.provider_organisation_id)
    return queryset.none()
