"""Deterministic synthetic providers shaped like a large county, for demos and benchmarks."""

import itertools
import random

from django.db import transaction

from directory.models import Area, ProviderOrganisation, ServiceType

PROVIDERS_PER_SCALE = 200

_PLACES = [
    "Abbey",
    "Ashdown",
    "Beacon",
    "Birch",
    "Bramble",
    "Brook",
    "Castle",
    "Cedar",
    "Chapel",
    "Church",
    "Clover",
    "Coast",
    "Copper",
    "Crescent",
    "Dale",
    "Elm",
    "Fairfield",
    "Fern",
    "Field",
    "Forest",
    "Glebe",
    "Green",
    "Harbour",
    "Hawthorn",
    "Heath",
    "Hill",
    "Holly",
    "Kings",
    "Lake",
    "Larch",
    "Linden",
    "Manor",
    "Meadow",
    "Mill",
    "Oak",
    "Orchard",
    "Park",
    "Priory",
    "Queens",
    "River",
    "Rose",
    "Saxon",
    "Spring",
    "Station",
    "Tower",
    "Valley",
    "Willow",
    "Windmill",
]
_KINDS = [
    "Care",
    "Care Homes",
    "Home Care",
    "Healthcare",
    "Living",
    "Support",
    "Lodge",
    "House",
    "Court",
    "Community Care",
    "Care Services",
    "Supported Living",
    "Day Services",
    "Nursing",
    "Residential",
    "Homecare Partners",
    "Care Group",
    "Support Services",
    "Care Trust",
    "Care Partnership",
    "Housing and Care",
    "Respite",
]
_SUFFIXES = [
    "Ltd",
    "Limited",
    "CIC",
    "Trust",
    "LLP",
    "Group",
    "Charity",
    "UK Ltd",
    "and Co",
    "Partners",
]

# Tier One are the few the council spends most with; most providers are Tier Three.
_TIER_WEIGHTS = [
    (ProviderOrganisation.Tier.ONE, 5),
    (ProviderOrganisation.Tier.TWO, 25),
    (ProviderOrganisation.Tier.THREE, 70),
]


def provider_names(count: int) -> list[str]:
    """The first `count` provider names, the same on every run."""
    combinations = list(itertools.product(_PLACES, _KINDS, _SUFFIXES))
    if count > len(combinations):
        raise ValueError(f"At most {len(combinations)} demo providers can be named")
    random.Random(2016).shuffle(combinations)
    return [" ".join(parts) for parts in combinations[:count]]


@transaction.atomic
def seed_providers(*, scale: int) -> int:
    """Create the demo providers that do not exist yet; returns how many were created."""
    names = provider_names(PROVIDERS_PER_SCALE * scale)
    existing = set(ProviderOrganisation.objects.filter(name__in=names).values_list("name", flat=True))
    missing = [name for name in names if name not in existing]
    if not missing:
        return 0
    areas = list(Area.objects.order_by("pk"))
    service_types = list(ServiceType.objects.order_by("pk"))
    tiers, weights = zip(*_TIER_WEIGHTS, strict=True)
    plans = []
    for name in missing:
        # Seeded by name, so a provider gets the same shape whatever the scale.
        rng = random.Random(name)
        tier = rng.choices(tiers, weights=weights)[0]
        plans.append(
            (name, tier, rng.sample(areas, rng.randint(1, 2)), rng.sample(service_types, rng.randint(1, 2)))
        )
    ProviderOrganisation.objects.bulk_create(
        [ProviderOrganisation(name=name, tier=tier) for name, tier, _, _ in plans], batch_size=1000
    )
    ids = dict(ProviderOrganisation.objects.filter(name__in=missing).values_list("name", "pk"))
    area_links = ProviderOrganisation.areas.through
    type_links = ProviderOrganisation.service_types.through
    area_links.objects.bulk_create(
        [
            area_links(providerorganisation_id=ids[name], area_id=a.pk)
            for name, _, chosen, _ in plans
            for a in chosen
        ],
        batch_size=2000,
    )
    type_links.objects.bulk_create(
        [
            type_links(providerorganisation_id=ids[name], servicetype_id=t.pk)
            for name, _, _, chosen in plans
            for t in chosen
        ],
        batch_size=2000,
    )
    return len(missing)


def demo_provider() -> ProviderOrganisation:
    """The organisation the demo provider user belongs to: the first demo provider."""
    provider = ProviderOrganisation.objects.get(name=provider_names(1)[0])
    return provider
