"""Reads for the portal's own pages: the home page of each role."""

from django.db.models import Count, Q

from directory.models import ProviderOrganisation
from directory.selectors.providers import provider_organisations_visible_to


def home_summary(*, user, kind: str) -> dict:
    if kind == "provider":
        organisation = provider_organisations_visible_to(user).get()
        return {"organisation": organisation}
    figures = ProviderOrganisation.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        tier_one=Count("pk", filter=Q(is_active=True, tier=ProviderOrganisation.Tier.ONE)),
    )
    return {"figures": figures}
