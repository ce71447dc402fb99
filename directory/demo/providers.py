"""Deterministic synthetic providers shaped like a large county, for demos and benchmarks."""

import itertools
import random

from django.utils.text import slugify

from directory.models import (
    Area,
    ClientGroup,
    ProviderAssociation,
    ProviderOrganisation,
    ProviderPerson,
    ServiceType,
)

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


ASSOCIATIONS = [
    ("County Care Association", "hello@county-care-association.example.org"),
    ("Home Care Providers Network", "info@homecare-network.example.org"),
    ("Voluntary Sector Care Alliance", "contact@vsca.example.org"),
]
PEOPLE_ROLES = [
    # (role, receives the contact list)
    (ProviderPerson.Role.REGISTERED_MANAGER, True),
    (ProviderPerson.Role.NOMINATED_INDIVIDUAL, True),
    (ProviderPerson.Role.FINANCE, False),
]
_PEOPLE_FIRST = ["Alex", "Bernadette", "Carl", "Deepa", "Eamon", "Fiona", "Grace", "Hamid", "Irene", "Josh"]
_PEOPLE_LAST = ["Barker", "Chowdhury", "Dunn", "Ellis", "Frost", "Gill", "Hart", "Ingram", "Joshi", "Kerr"]


def _plan(name: str, reference: dict) -> dict:
    """The shape of one demo provider, seeded by its name so it is the same whatever the scale."""
    rng = random.Random(name)
    tiers, weights = zip(*_TIER_WEIGHTS, strict=True)
    tier = rng.choices(tiers, weights=weights)[0]
    areas = rng.sample(reference["areas"], rng.randint(1, 2))
    managers = reference["managers"].get(areas[0].pk, [])
    if not managers:
        tier = max(tier, ProviderOrganisation.Tier.TWO)
    return {
        "provider": ProviderOrganisation(
            name=name,
            tier=tier,
            location_id=f"1-{rng.randint(10**9, 10**10 - 1)}",
            contract_type=ProviderOrganisation.ContractType.SPOT
            if rng.random() < 0.2
            else ProviderOrganisation.ContractType.FRAMEWORK,
            people_supported=rng.randint(5, 400),
            contract_manager=rng.choice(managers) if tier == ProviderOrganisation.Tier.ONE else None,
        ),
        "areas": areas,
        "service_types": rng.sample(reference["service_types"], rng.randint(1, 2)),
        "client_groups": rng.sample(reference["client_groups"], rng.randint(1, 3)),
        "associations": [a for a in reference["associations"] if rng.random() < 0.1],
        "people": [
            ProviderPerson(
                full_name=f"{rng.choice(_PEOPLE_FIRST)} {rng.choice(_PEOPLE_LAST)}",
                role=role,
                email=f"{role.value.replace('_', '.')}@{slugify(name)}.example.org",
                phone=f"01632 {rng.randint(100000, 999999)}",
                receives_contact_list=receives,
            )
            for role, receives in PEOPLE_ROLES
        ],
    }


def _reference() -> dict:
    from .council import contract_managers_by_area

    associations = [
        ProviderAssociation.objects.get_or_create(name=name, defaults={"email": email})[0]
        for name, email in ASSOCIATIONS
    ]
    return {
        "areas": list(Area.objects.order_by("pk")),
        "service_types": list(ServiceType.objects.order_by("pk")),
        "client_groups": list(ClientGroup.objects.order_by("pk")),
        "associations": associations,
        "managers": contract_managers_by_area(),
    }


def _link(field, plans: list[dict], key: str, ids: dict[str, int]) -> None:
    through = field.through
    source = f"{ProviderOrganisation._meta.model_name}_id"
    target = f"{field.field.related_model._meta.model_name}_id"
    through.objects.bulk_create(
        [
            through(**{source: ids[plan["provider"].name], target: item.pk})
            for plan in plans
            for item in plan[key]
        ],
        batch_size=2000,
    )


def seed_providers(*, scale: int) -> dict[str, int]:
    """Create the demo providers and their key people that do not exist yet."""
    names = provider_names(PROVIDERS_PER_SCALE * scale)
    existing = set(ProviderOrganisation.objects.filter(name__in=names).values_list("name", flat=True))
    missing = [name for name in names if name not in existing]
    if not missing:
        return {"providers": 0, "provider_people": 0}
    reference = _reference()
    plans = [_plan(name, reference) for name in missing]
    ProviderOrganisation.objects.bulk_create([plan["provider"] for plan in plans], batch_size=1000)
    ids = dict(ProviderOrganisation.objects.filter(name__in=missing).values_list("name", "pk"))
    for field, key in (
        (ProviderOrganisation.areas, "areas"),
        (ProviderOrganisation.service_types, "service_types"),
        (ProviderOrganisation.client_groups, "client_groups"),
        (ProviderOrganisation.associations, "associations"),
    ):
        _link(field, plans, key, ids)
    people = []
    for plan in plans:
        for person in plan["people"]:
            person.provider_id = ids[plan["provider"].name]
            people.append(person)
    ProviderPerson.objects.bulk_create(people, batch_size=2000)
    return {"providers": len(missing), "provider_people": len(people)}


def demo_provider() -> ProviderOrganisation:
    """The organisation the demo provider user belongs to: the first demo provider."""
    return ProviderOrganisation.objects.get(name=provider_names(1)[0])
