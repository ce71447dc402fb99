"""Reads for a provider's page: its record, what describes it, its key people and its named council contacts."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from directory.models import (
    Area,
    ClientGroup,
    ProviderAssociation,
    ProviderOrganisation,
    ProviderPerson,
    ServiceType,
    Topic,
)

from .finder import AreaLeads, ContactAnswer, provider_area_leads
from .providers import provider_organisations_visible_to

# The topics a provider's page names a lead for in each of its areas, in the order shown.
AREA_LEAD_TOPICS = ("safeguarding", "quality", "contract-management")

# Key people in the order of ProviderPerson.Role: the registered manager first.
_ROLE_ORDER = {role: position for position, role in enumerate(ProviderPerson.Role.values)}


def provider_page(user) -> QuerySet[ProviderOrganisation]:
    """The providers `user` may see, with their contract manager; provider_profile() reads the rest."""
    return (
        provider_organisations_visible_to(user)
        .prefetch_related(None)
        .select_related("contract_manager__team", "contract_manager__deputy")
    )


@dataclass(frozen=True)
class ProviderProfile:
    """What a provider's page shows besides the record itself."""

    areas: list[Area]
    service_types: list[ServiceType]
    client_groups: list[ClientGroup]
    associations: list[ProviderAssociation]
    people: list[ProviderPerson]
    contract_manager: ContactAnswer | None
    area_leads: list[AreaLeads]


def provider_profile(provider: ProviderOrganisation) -> ProviderProfile:
    """Read in four queries whatever the provider's number of areas, service types and people."""
    named = _names(provider)
    manager = provider.contract_manager
    return ProviderProfile(
        areas=named["areas"],
        service_types=named["service_types"],
        client_groups=named["client_groups"],
        associations=named["associations"],
        people=sorted(provider.people.all(), key=lambda person: (_ROLE_ORDER[person.role], person.full_name)),
        contract_manager=ContactAnswer.for_officer(manager) if manager else None,
        area_leads=provider_area_leads(
            areas=named["areas"],
            service_types=named["service_types"],
            topics=sorted(named["lead_topics"], key=lambda topic: AREA_LEAD_TOPICS.index(topic.slug)),
        ),
    )


# What describes a provider, each a short list of names through one of its many-to-many fields.
_DESCRIBED_BY = {
    "areas": ProviderOrganisation.areas,
    "service_types": ProviderOrganisation.service_types,
    "client_groups": ProviderOrganisation.client_groups,
    "associations": ProviderOrganisation.associations,
}


def _names(provider: ProviderOrganisation) -> dict[str, list]:
    """The provider's areas, service types, client groups and associations, and the lead topics, by name.

    One query, written out: the ORM took longer to build these five short lists as a union than to build the
    rest of the page.
    """
    selects, params, models = [], [], {}
    for kind, descriptor in _DESCRIBED_BY.items():
        field = descriptor.field
        model = models[kind] = field.related_model
        slug = "named.slug" if any(f.name == "slug" for f in model._meta.fields) else "''"
        selects.append(
            f"SELECT %s, named.id, named.name, {slug} FROM {model._meta.db_table} named "  # noqa: S608
            f"JOIN {field.m2m_db_table()} link ON link.{field.m2m_reverse_name()} = named.id "
            f"WHERE link.{field.m2m_column_name()} = %s"
        )
        params += [kind, provider.pk]
    models["lead_topics"] = Topic
    selects.append(
        f"SELECT %s, id, name, slug FROM {Topic._meta.db_table} "  # noqa: S608
        f"WHERE slug IN ({', '.join(['%s'] * len(AREA_LEAD_TOPICS))})"
    )
    params += ["lead_topics", *AREA_LEAD_TOPICS]
    with connection.cursor() as cursor:
        # Table and column names come from the models; every value is a parameter.
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    named: dict[str, list] = {kind: [] for kind in models}
    for kind, pk, name, slug in sorted(rows, key=lambda row: row[2]):
        record = models[kind](pk=pk, name=name)
        if slug:
            record.slug = slug
        named[kind].append(record)
    return named
