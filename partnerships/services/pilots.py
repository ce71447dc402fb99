"""Keeping a partnership pilot's core record: the pilot itself, its partners and why it is strategic.

A pilot starts at "proposed" and its first stage change is recorded with it; later moves are the stage pages'.
Its slug, and so its address, is made once from the title and never changes.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import Area, Officer, ProviderOrganisation, ServiceType
from partnerships.models import PartnershipPilot, PilotPartner, Stage, StageChange, StrategicReason
from portal.service_errors import ServiceError
from portal.slugs import unique_slug

TITLE_TAKEN = "There is already a pilot with this title"
PROVIDER_OR_NAME = "Choose a provider from the who's-who, or enter the name of another organisation"
NOT_BOTH = "Choose a provider or enter another organisation's name, not both"
CHOOSE_KIND = "Choose what kind of organisation it is"
NO_REASON = "Choose at least one reason the pilot is strategic"
HAS_CHECK_RESPONSES = (
    "This partner has answered a relationship check: it cannot be removed, or its answers would be lost"
)

# Addresses under /partnerships/ that are pages, not pilots.
RESERVED_SLUGS = frozenset({"new", "lessons"})

# The kinds an organisation that is not a provider may be.
ORGANISATION_KINDS = [kind for kind in PilotPartner.Kind if kind != PilotPartner.Kind.PROVIDER]


class PilotError(ServiceError):
    """A change to a pilot, its partners or its reasons that cannot be made."""


def explanation_missing(reason: str) -> str:
    return f"Explain how “{StrategicReason.Reason(reason).label}” applies to this pilot"


def _check_title(title: str, *, exclude_pk: int | None = None) -> None:
    if PartnershipPilot.objects.exclude(pk=exclude_pk).filter(title__iexact=title).exists():
        raise PilotError(TITLE_TAKEN, field="title")


def pilot_create(
    *,
    by,
    title: str,
    aim: str,
    lead_officer: Officer,
    areas: Iterable[Area] = (),
    service_types: Iterable[ServiceType] = (),
    risk_sharing: str = "",
    commercial_details: str = "",
    internal_notes: str = "",
    is_published: bool = False,
) -> PartnershipPilot:
    """Propose a pilot: it starts at "proposed", and that first stage is recorded as changed by `by`, now."""
    title = title.strip()
    now = timezone.now()
    with transaction.atomic():
        _check_title(title)
        pilot = PartnershipPilot(
            title=title,
            slug=unique_slug(PartnershipPilot, title, fallback="pilot", reserved=RESERVED_SLUGS),
            aim=aim,
            lead_officer=lead_officer,
            stage=Stage.PROPOSED,
            stage_changed_at=now,
            risk_sharing=risk_sharing,
            commercial_details=commercial_details,
            internal_notes=internal_notes,
            is_published=is_published,
            created_by=by,
        )
        pilot._history_user = by
        pilot._change_reason = "Proposed"
        try:
            with transaction.atomic():
                pilot.save()
        except IntegrityError as error:
            raise PilotError(TITLE_TAKEN, field="title") from error
        pilot.areas.set(areas)
        pilot.service_types.set(service_types)
        StageChange.objects.create(
            pilot=pilot, from_stage="", to_stage=Stage.PROPOSED, changed_at=now, changed_by=by
        )
    return pilot


def pilot_update(
    *,
    pilot: PartnershipPilot,
    by,
    title: str,
    aim: str,
    lead_officer: Officer,
    areas: Iterable[Area] = (),
    service_types: Iterable[ServiceType] = (),
    risk_sharing: str = "",
    commercial_details: str = "",
    internal_notes: str = "",
    is_published: bool = False,
) -> PartnershipPilot:
    """Change a pilot's record; its stage is changed on its own page, and its slug stays the same."""
    title = title.strip()
    with transaction.atomic():
        pilot = PartnershipPilot.objects.select_for_update().get(pk=pilot.pk)
        _check_title(title, exclude_pk=pilot.pk)
        pilot.title, pilot.aim, pilot.lead_officer = title, aim, lead_officer
        pilot.risk_sharing, pilot.commercial_details, pilot.internal_notes = (
            risk_sharing,
            commercial_details,
            internal_notes,
        )
        pilot.is_published = is_published
        pilot._history_user = by
        try:
            with transaction.atomic():
                pilot.save()
        except IntegrityError as error:
            raise PilotError(TITLE_TAKEN, field="title") from error
        pilot.areas.set(areas)
        pilot.service_types.set(service_types)
    return pilot


# Partners


def _partner_identity(
    provider: ProviderOrganisation | None, kind: str, organisation_name: str
) -> tuple[str, str]:
    """The partner's kind and organisation name, once the form's choice is known to be one or the other."""
    organisation_name = organisation_name.strip()
    if provider is not None and organisation_name:
        raise PilotError(NOT_BOTH, field="organisation_name")
    if provider is None and not organisation_name:
        raise PilotError(PROVIDER_OR_NAME, field="provider")
    if provider is not None:
        return PilotPartner.Kind.PROVIDER, ""
    if kind not in ORGANISATION_KINDS:
        raise PilotError(CHOOSE_KIND, field="kind")
    return kind, organisation_name


def _check_provider_once(pilot: PartnershipPilot, provider, *, exclude_pk: int | None = None) -> None:
    if provider is not None and pilot.partners.exclude(pk=exclude_pk).filter(provider=provider).exists():
        raise PilotError(f"{provider.name} is already a partner in this pilot", field="provider")


def _save_partner(partner: PilotPartner, by) -> PilotPartner:
    partner._history_user = by
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as error:
        # Two officers adding the same provider at once: the database keeps one.
        raise PilotError(f"{partner.name} is already a partner in this pilot", field="provider") from error
    return partner


def pilot_partner_add(
    *,
    pilot: PartnershipPilot,
    by,
    provider: ProviderOrganisation | None = None,
    kind: str = "",
    organisation_name: str = "",
    role: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> PilotPartner:
    """Add a partner: a provider from the who's-who, or another organisation named here with its kind."""
    kind, organisation_name = _partner_identity(provider, kind, organisation_name)
    with transaction.atomic():
        _check_provider_once(pilot, provider)
        partner = PilotPartner(
            pilot=pilot,
            kind=kind,
            provider=provider,
            organisation_name=organisation_name,
            role=role,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
        )
        return _save_partner(partner, by)


def pilot_partner_update(
    *,
    partner: PilotPartner,
    by,
    provider: ProviderOrganisation | None = None,
    kind: str = "",
    organisation_name: str = "",
    role: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> PilotPartner:
    kind, organisation_name = _partner_identity(provider, kind, organisation_name)
    with transaction.atomic():
        partner = PilotPartner.objects.select_for_update().select_related("pilot").get(pk=partner.pk)
        _check_provider_once(partner.pilot, provider, exclude_pk=partner.pk)
        partner.kind, partner.provider, partner.organisation_name = kind, provider, organisation_name
        partner.role, partner.contact_name, partner.contact_email, partner.contact_phone = (
            role,
            contact_name,
            contact_email,
            contact_phone,
        )
        return _save_partner(partner, by)


def pilot_partner_remove(*, partner: PilotPartner, by) -> None:
    """Take a partner off a pilot; refused once it has answered a relationship check, whose trend needs it."""
    with transaction.atomic():
        partner = PilotPartner.objects.select_for_update().get(pk=partner.pk)
        if partner.check_responses.exists():
            raise PilotError(HAS_CHECK_RESPONSES)
        partner._history_user = by
        partner.delete()


# Strategic reasons


def pilot_reasons_set(*, pilot: PartnershipPilot, by, reasons: dict[str, str]) -> list[StrategicReason]:
    """Replace why the pilot is strategic: `reasons` maps each chosen reason to how it applies.

    `by` keeps the services' common signature: the reasons keep no history of their own.
    """
    if not reasons:
        raise PilotError(NO_REASON, field=StrategicReason.Reason.values[0])
    for reason, explanation in reasons.items():
        if reason not in StrategicReason.Reason.values:
            raise PilotError(f"“{reason}” is not one of the strategic reasons")
        if not explanation.strip():
            raise PilotError(explanation_missing(reason), field=f"{reason}_explanation")
    with transaction.atomic():
        # Locked, so that two officers saving at once leave one whole set rather than a mixture.
        PartnershipPilot.objects.select_for_update().only("pk").get(pk=pilot.pk)
        pilot.strategic_reasons.all().delete()
        return StrategicReason.objects.bulk_create(
            StrategicReason(pilot=pilot, reason=reason, explanation=explanation.strip())
            for reason, explanation in sorted(reasons.items())
        )
