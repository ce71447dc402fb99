"""Reads for the register of partnership pilots and a pilot's page, scoped by partnerships.scoping."""

from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import CharField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse

from directory.models import Area, ProviderOrganisation, ServiceType
from partnerships import scoping
from partnerships.models import (
    Evaluation,
    Milestone,
    Objective,
    PartnershipPilot,
    PilotPartner,
    ProcurementRecord,
    ProgressEntry,
    Risk,
    StrategicReason,
)
from partnerships.selectors.pilot_page_sql import pilot_page_lists
from portal.related_names import annotate_names, with_names

# A pilot's many-to-many records the register shows, and the attribute each one's names go in.
LISTED_NAMES = {"areas": "area_names", "service_types": "service_type_names"}
# How many of the latest progress entries a pilot's page shows.
PROGRESS_ON_PAGE = 10

_REASON_LABELS = dict(StrategicReason.Reason.choices)


def _array(sql: str) -> RawSQL:
    return RawSQL(sql, [], output_field=ArrayField(CharField()))  # noqa: S611 - names come from the models


def _partner_names() -> RawSQL:
    """Each pilot's partners' names, in the order they joined: a provider's own name, or the one entered."""
    pilot = PartnershipPilot._meta.db_table
    partner = PilotPartner._meta.db_table
    provider = ProviderOrganisation._meta.db_table
    return _array(
        f"""
        ARRAY(
            SELECT COALESCE(provider.name, partner.organisation_name)
            FROM {partner} partner LEFT JOIN {provider} provider ON provider.id = partner.provider_id
            WHERE partner.pilot_id = {pilot}.id ORDER BY partner.id
        )
        """  # noqa: S608 - the table names come from the models
    )


def _reason_values() -> RawSQL:
    pilot = PartnershipPilot._meta.db_table
    reasons = StrategicReason._meta.db_table
    return _array(
        f"""
        ARRAY(SELECT reason.reason FROM {reasons} reason WHERE reason.pilot_id = {pilot}.id ORDER BY reason.reason)
        """  # noqa: S608 - the table names come from the models
    )


def register_pilots(user) -> QuerySet[PartnershipPilot]:
    """The pilots `user` may see, by title, reading only what a row shows; see with_register_names()."""
    pilots = (
        scoping.pilots_visible_to(user)
        .select_related("lead_officer")
        .only("title", "slug", "stage", "is_published", "lead_officer__full_name")
    )
    pilots = annotate_names(pilots.order_by("title", "pk"), LISTED_NAMES)
    if connection.vendor == "postgresql":
        pilots = pilots.annotate(partner_names=_partner_names(), reason_values=_reason_values())
    return pilots


def pilots_matching(pilots: QuerySet[PartnershipPilot], words: str) -> QuerySet[PartnershipPilot]:
    """Pilots whose title, aim or a partner's name holds `words`."""
    words = words.strip()
    if not words:
        return pilots
    partners = PilotPartner.objects.filter(
        Q(organisation_name__icontains=words) | Q(provider__name__icontains=words)
    ).values("pilot_id")
    return pilots.filter(Q(title__icontains=words) | Q(aim__icontains=words) | Q(pk__in=partners))


def pilots_in(pilots: QuerySet[PartnershipPilot], relation: str, slug: str) -> QuerySet[PartnershipPilot]:
    """Pilots linked to the area or service type `slug` (`relation` is "areas" or "service_types")."""
    field = PartnershipPilot._meta.get_field(relation)
    links = field.remote_field.through.objects.filter(**{f"{field.m2m_reverse_field_name()}__slug": slug})
    return pilots.filter(pk__in=links.values(field.m2m_field_name()))


def pilots_for_reason(pilots: QuerySet[PartnershipPilot], reason: str) -> QuerySet[PartnershipPilot]:
    return pilots.filter(pk__in=StrategicReason.objects.filter(reason=reason).values("pilot_id"))


def register_filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "area": list(Area.objects.order_by("name").values_list("slug", "name")),
        "service_type": list(ServiceType.objects.order_by("name").values_list("slug", "name")),
    }


def with_register_names(pilots: list[PartnershipPilot]) -> list[PartnershipPilot]:
    """Give a page of pilots their names (areas, service types, partners, reasons) and addresses.

    On PostgreSQL the names came with the rows; elsewhere they are read here, one query per relation.
    """
    with_names(pilots, PartnershipPilot, LISTED_NAMES)
    missing = {pilot.pk: pilot for pilot in pilots if not hasattr(pilot, "partner_names")}
    for pilot in missing.values():
        pilot.partner_names, pilot.reason_values = [], []
    if missing:
        partners = PilotPartner.objects.filter(pilot_id__in=missing).order_by("pk")
        for pilot_id, provider_name, organisation_name in partners.values_list(
            "pilot_id", "provider__name", "organisation_name"
        ):
            missing[pilot_id].partner_names.append(provider_name or organisation_name)
        reasons = StrategicReason.objects.filter(pilot_id__in=missing).order_by("reason")
        for pilot_id, reason in reasons.values_list("pilot_id", "reason"):
            missing[pilot_id].reason_values.append(reason)
    # One reverse() for the page: with_paths() (portal/paths.py) reverses by pk, and a pilot's address is its slug.
    marker = "pilot-address-marker"
    pattern = reverse("partnerships:pilot", kwargs={"slug": marker})
    for pilot in pilots:
        pilot.reason_names = [_REASON_LABELS.get(value, value) for value in pilot.reason_values]
        pilot.path = pattern.replace(marker, pilot.slug)
    return pilots


# A pilot's page


def pilot_for_page(user) -> QuerySet[PartnershipPilot]:
    """The pilots whose page `user` may open (another is a 404), with the lead officer and, for staff, procurement."""
    pilots = scoping.pilots_visible_to(user).select_related("lead_officer__team")
    return pilots.select_related("procurement") if scoping.sees_everything(user) else pilots


def pilot_for_change(user) -> QuerySet[PartnershipPilot]:
    """The pilot an officer's form is about."""
    return scoping.pilots_visible_to(user)


@dataclass(frozen=True)
class PilotPage:
    """What a pilot's page shows beyond the pilot itself, each list already scoped to the visitor."""

    reasons: list[StrategicReason]
    areas: list[Area]
    service_types: list[ServiceType]
    partners: list[PilotPartner]
    objectives: list[Objective]
    milestones: list[Milestone]
    risks: list[Risk]
    progress: list[ProgressEntry]
    evaluations: list[Evaluation]
    # Council staff only; None for providers, or when no decision is recorded yet.
    procurement: ProcurementRecord | None


def _procurement(pilot: PartnershipPilot) -> ProcurementRecord | None:
    try:
        return pilot.procurement
    except ProcurementRecord.DoesNotExist:
        return None


def pilot_page(*, pilot: PartnershipPilot, user) -> PilotPage:
    """Each list in one query on PostgreSQL (selectors/pilot_page_sql.py), one query per list elsewhere."""
    procurement = _procurement(pilot) if scoping.sees_everything(user) else None
    if connection.vendor == "postgresql":
        lists = pilot_page_lists(
            pilot_id=pilot.pk, sees_everything=scoping.sees_everything(user), progress_limit=PROGRESS_ON_PAGE
        )
        return PilotPage(**lists, procurement=procurement)
    return pilot_page_portable(pilot=pilot, user=user, procurement=procurement)


def pilot_page_portable(*, pilot: PartnershipPilot, user, procurement: ProcurementRecord | None) -> PilotPage:
    """One query per list, however many partners, objectives, risks and the rest the pilot has."""
    return PilotPage(
        reasons=list(pilot.strategic_reasons.order_by("reason")),
        areas=list(pilot.areas.order_by("name")),
        service_types=list(pilot.service_types.order_by("name")),
        partners=list(pilot.partners.select_related("provider").order_by("pk")),
        objectives=list(pilot.objectives.select_related("owner").order_by("due_on", "pk")),
        milestones=list(pilot.milestones.order_by("due_on", "pk")),
        # Open risks first ("open" sorts after "closed"), then the gravest.
        risks=list(
            scoping.risks_visible_to(user)
            .filter(pilot=pilot)
            .select_related("owner")
            .order_by("-status", "-impact", "-likelihood", "pk")
        ),
        progress=list(
            scoping.progress_visible_to(user)
            .filter(pilot=pilot)
            .select_related("recorded_by")
            .order_by("-entry_on", "-pk")[:PROGRESS_ON_PAGE]
        ),
        evaluations=list(
            scoping.evaluations_visible_to(user).filter(pilot=pilot).order_by("-evaluated_on", "-pk")
        ),
        procurement=procurement,
    )


def pilot_partners(pilot: PartnershipPilot) -> QuerySet[PilotPartner]:
    """This pilot's partners only: asking for a partner of another pilot finds nothing (a 404)."""
    return pilot.partners.select_related("provider")
