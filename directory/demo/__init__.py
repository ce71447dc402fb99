"""Deterministic synthetic who's-who shaped like a large county, for demos and benchmarks."""

from django.db import transaction

from .council import link_demo_officer, seed_council
from .providers import demo_provider, provider_names, seed_providers

__all__ = ["demo_provider", "link_demo_officer", "provider_names", "seed_directory"]


@transaction.atomic
def seed_directory(*, scale: int) -> dict[str, int]:
    """Create what is missing of the demo who's-who; returns how many of each kind were created."""
    created = seed_council(scale=scale)
    created.update(seed_providers(scale=scale))
    return created
