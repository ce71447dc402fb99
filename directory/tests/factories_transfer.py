"""A who's-who with every column of the CSV files filled in, and helpers to write and read those files."""

import csv
import datetime
import io
from dataclasses import dataclass

from directory.models import Area, ClientGroup, Officer, ProviderOrganisation, ServiceType, Topic
from directory.services.csv_export import HEADINGS
from directory.tests import factories
from portal import roles
from portal.tests import factories as user_factories


@dataclass
class WhosWho:
    officers: list[Officer]
    responsibilities: list
    providers: list[ProviderOrganisation]
    owner: object


def directory_editor(**kwargs):
    return user_factories.OfficerFactory(roles=[roles.OFFICER, roles.DIRECTORY_EDITOR], **kwargs)


def whos_who(*, officers: int = 55, providers: int = 55) -> WhosWho:
    """Officers with areas, deputies, owners and dates; a responsibility for each topic; providers in full."""
    areas = list(Area.objects.order_by("name"))
    service_types = list(ServiceType.objects.order_by("name"))
    client_groups = list(ClientGroup.objects.order_by("name"))
    associations = [factories.ProviderAssociationFactory(name=f"Care Association {n}") for n in range(3)]
    directorate = factories.DirectorateFactory(name="Commissioning", slug="commissioning")
    other = factories.DirectorateFactory(
        name="Adult Social Care Operations", slug="adult-social-care-operations"
    )
    teams = [
        factories.TeamFactory(name="Quality and Improvement", directorate=directorate),
        factories.TeamFactory(name="Market Development", directorate=directorate),
        factories.TeamFactory(name="Safeguarding Adults", directorate=other),
    ]
    owner = user_factories.OfficerFactory(email="owner@council.example.org")
    made = []
    for n in range(officers):
        officer = factories.OfficerFactory(
            email=f"officer.{n}@council.example.org",
            full_name=f"Officer {n}",
            job_title="Quality officer",
            team=teams[n % len(teams)],
            seniority=Officer.Seniority.values[n % 4],
            phone="+44 300 555 0100" if n % 2 else "0300 555 0101",
            market_lead=Officer.MarketLead.STRATEGIC if n == 0 else "",
            active_from=datetime.date(2024, 4, 1) if n % 3 else None,
            active_to=datetime.date(2027, 3, 31) if n % 5 == 0 else None,
            owner=owner if n % 2 else None,
            last_verified_on=datetime.date(2026, 1, 15) if n % 4 else None,
            areas=areas[: 1 + n % len(areas)],
        )
        made.append(officer)
    for n, officer in enumerate(made):
        officer.deputy = made[(n + 1) % len(made)]
    Officer.objects.bulk_update(made, ["deputy"])
    responsibilities = []
    for n, topic in enumerate(Topic.objects.order_by("name")):
        responsibilities.append(
            factories.ResponsibilityFactory(
                topic=topic,
                officer=made[n % len(made)] if n % 3 else None,
                team=teams[n % len(teams)],
                notes=f"Call first about {topic.name.lower()}" if n % 2 else "",
                areas=areas[: n % 3],
                service_types=service_types[: n % 2],
            )
        )
    provider_records = []
    for n in range(providers):
        provider = factories.ProviderOrganisationFactory(
            name=f"Provider {n} Care Ltd",
            location_id=f"1-{1000000000 + n}" if n % 4 else "",
            tier=ProviderOrganisation.Tier.ONE if n % 5 == 0 else ProviderOrganisation.Tier.TWO,
            contract_manager=made[n % len(made)] if n % 5 == 0 else None,
            contract_type=ProviderOrganisation.ContractType.SPOT if n % 2 else "framework",
            people_supported=n * 3 if n % 3 else None,
            is_active=bool(n % 7),
        )
        provider.areas.set(areas[: 1 + n % 2])
        provider.service_types.set(service_types[n % 3 : n % 3 + 2])
        provider.client_groups.set(client_groups[: n % 3])
        provider.associations.set(associations[: n % 2])
        provider_records.append(provider)
    return WhosWho(officers=made, responsibilities=responsibilities, providers=provider_records, owner=owner)


def csv_bytes(kind: str, rows: list[dict[str, str]], *, encoding: str = "utf-8-sig") -> bytes:
    """A file of the kind's headings; each row gives some cells, the rest are empty."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADINGS[kind])
    for row in rows:
        writer.writerow([row.get(heading, "") for heading in HEADINGS[kind]])
    return out.getvalue().encode(encoding)


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
