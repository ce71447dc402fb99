"""Reads for the handover screens: what an officer holds, who may take over, who to tell, past handovers."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from directory.models import Handover, Officer, ProviderOrganisation, ProviderPerson, Responsibility
from portal.models import User


@dataclass(frozen=True)
class HandoverPreview:
    """What the directory itself would move from an officer, listed in full for the handover screen."""

    responsibilities: list[Responsibility]
    providers: list[ProviderOrganisation]
    deputising_for: list[Officer]


def officer_to_hand_over(*, pk: int) -> Officer:
    return Officer.objects.select_related("team", "deputy").get(pk=pk)


def handover_preview(*, leaving: Officer) -> HandoverPreview:
    responsibilities = (
        Responsibility.objects.filter(officer=leaving, retired_on__isnull=True)
        .select_related("topic", "team")
        .prefetch_related("areas", "service_types")
        .order_by("topic__name", "pk")
    )
    providers = ProviderOrganisation.objects.filter(contract_manager=leaving).order_by("tier", "name")
    deputising_for = Officer.objects.filter(deputy=leaving).order_by("full_name")
    return HandoverPreview(
        responsibilities=list(responsibilities),
        providers=list(providers),
        deputising_for=list(deputising_for),
    )


def handover_already_made(*, leaving: Officer) -> Handover | None:
    """The handover that set the officer's leaving date, if one did."""
    if leaving.active_to is None:
        return None
    return (
        Handover.objects.select_related("successor")
        .filter(leaving_officer=leaving, effective_on=leaving.active_to)
        .order_by("-created_at")
        .first()
    )


def handover_successor_choices(*, leaving: Officer) -> QuerySet[Officer]:
    """Officers who have not left, other than the one leaving."""
    today = timezone.localdate()
    return (
        Officer.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=today))
        .exclude(pk=leaving.pk)
        .order_by("full_name", "pk")
    )


def handover_email_recipients(*, provider_ids: list[int]) -> dict[int, list[str]]:
    """Each provider's addresses to tell about a new contact: its contact-list recipients and its users."""
    addresses: dict[int, dict[str, str]] = defaultdict(dict)
    people = ProviderPerson.objects.filter(provider_id__in=provider_ids, receives_contact_list=True).exclude(
        email=""
    )
    users = User.objects.filter(provider_organisation_id__in=provider_ids, is_active=True)
    for provider_id, email in [
        *people.order_by("pk").values_list("provider_id", "email"),
        *users.order_by("pk").values_list("provider_organisation_id", "email"),
    ]:
        # One address once, however it is spelt and however many records hold it.
        addresses[provider_id].setdefault(email.lower(), email)
    return {provider_id: list(by_key.values()) for provider_id, by_key in addresses.items()}


def handovers_recorded() -> QuerySet[Handover]:
    return Handover.objects.select_related("leaving_officer", "successor", "made_by").order_by(
        "-created_at", "-pk"
    )
