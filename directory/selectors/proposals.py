"""Reads for contact proposals: a provider sees its own; council staff see them all."""

from django.db.models import QuerySet

from directory.models import ContactProposal, ProviderPerson
from portal.permissions import is_council_staff


def _proposals() -> QuerySet[ContactProposal]:
    return ContactProposal.objects.select_related("provider", "proposed_by", "decided_by")


def proposals_visible_to(user) -> QuerySet[ContactProposal]:
    """Council staff see every proposal; a provider user only its own organisation's; anyone else none."""
    if is_council_staff(user):
        return _proposals()
    if user.is_authenticated and user.provider_organisation_id:
        return _proposals().filter(provider_id=user.provider_organisation_id)
    return ContactProposal.objects.none()


def proposals_of_own_organisation(user) -> QuerySet[ContactProposal]:
    if not (user.is_authenticated and user.provider_organisation_id):
        return ContactProposal.objects.none()
    return _proposals().filter(provider_id=user.provider_organisation_id).order_by("-created_at", "-pk")


def proposals_waiting_for_decision() -> QuerySet[ContactProposal]:
    """The queue, oldest first."""
    return _proposals().filter(status=ContactProposal.Status.PENDING).order_by("created_at", "pk")


def proposals_decided() -> QuerySet[ContactProposal]:
    return _proposals().exclude(status=ContactProposal.Status.PENDING).order_by("-decided_at", "-pk")


def proposal_email_recipients(*, proposal: ContactProposal) -> list[str]:
    """The proposer, if they can still sign in, and the provider's contact-list recipients; each address once."""
    addresses: dict[str, str] = {}
    proposer = proposal.proposed_by
    if proposer is not None and proposer.is_active and proposer.email:
        addresses[proposer.email.lower()] = proposer.email
    people = ProviderPerson.objects.filter(
        provider_id=proposal.provider_id, receives_contact_list=True
    ).exclude(email="")
    for email in people.order_by("pk").values_list("email", flat=True):
        addresses.setdefault(email.lower(), email)
    return list(addresses.values())
