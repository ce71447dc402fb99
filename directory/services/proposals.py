"""Providers' proposals of people and organisations the council should be in regular contact with.

A provider user proposes for their own organisation only. A directory editor accepts or declines each proposal
once, with a reason the provider sees (required when declining); the proposer and the provider's contact-list
recipients are emailed the outcome in the same transaction. Accepting links nothing by itself: an editor may
then add an accepted person as one of the provider's key people.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from directory.models import ContactProposal, ProviderOrganisation, ProviderPerson
from directory.selectors.proposals import proposal_email_recipients
from portal.service_errors import ServiceError

DECLINE_REASON_REQUIRED = "Enter a reason for declining"


class ProposalError(ServiceError):
    """A proposal change that cannot be made."""


def proposal_create(
    *,
    provider: ProviderOrganisation,
    proposed_by,
    name: str,
    reason: str,
    organisation: str = "",
    role: str = "",
    email: str = "",
    phone: str = "",
) -> ContactProposal:
    if proposed_by.provider_organisation_id != provider.pk:
        raise ProposalError("You can only make proposals for your own organisation")
    proposal = ContactProposal(
        provider=provider,
        proposed_by=proposed_by,
        name=name,
        organisation=organisation,
        role=role,
        email=email,
        phone=phone,
        reason=reason,
    )
    proposal._history_user = proposed_by
    with transaction.atomic():
        proposal.save()
    return proposal


def proposal_decide(*, proposal: ContactProposal, decided_by, accept: bool, reason: str) -> ContactProposal:
    """Accept or decline a pending proposal once, and email the provider the outcome."""
    reason = reason.strip()
    if not accept and not reason:
        raise ProposalError(DECLINE_REASON_REQUIRED, field="decision_reason")
    with transaction.atomic():
        # Locked, so that two editors deciding at once give one decision and one email.
        proposal = ContactProposal.objects.select_for_update().select_related("provider").get(pk=proposal.pk)
        if proposal.status != ContactProposal.Status.PENDING:
            raise ProposalError(_already_decided(proposal))
        proposal.status = ContactProposal.Status.ACCEPTED if accept else ContactProposal.Status.DECLINED
        proposal.decided_by = decided_by
        proposal.decided_at = timezone.now()
        proposal.decision_reason = reason
        proposal._history_user = decided_by
        proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
        _email_decision(proposal)
    return proposal


def _already_decided(proposal: ContactProposal) -> str:
    decided = (
        date_format(timezone.localtime(proposal.decided_at), "j F Y") if proposal.decided_at else "earlier"
    )
    who = f" by {proposal.decided_by}" if proposal.decided_by_id else ""
    return f"This proposal was already {proposal.get_status_display().lower()}{who} on {decided}"


def _email_decision(proposal: ContactProposal) -> None:
    recipients = proposal_email_recipients(proposal=proposal)
    if not recipients:
        return
    context = {
        "proposal": proposal,
        "accepted": proposal.status == ContactProposal.Status.ACCEPTED,
        "council_name": settings.COUNCIL_NAME,
        "proposal_url": settings.SITE_URL + reverse("directory:proposal-detail", args=[proposal.pk]),
    }
    subject = render_to_string("directory/emails/proposal_decided_subject.txt", context)
    body = render_to_string("directory/emails/proposal_decided.txt", context)
    EmailMessage(" ".join(subject.split()), body, to=recipients).send()


def proposal_add_key_person(*, proposal: ContactProposal, added_by) -> ProviderPerson:
    """Record an accepted proposal as one of its provider's key people (not on the contact list)."""
    with transaction.atomic():
        proposal = ContactProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != ContactProposal.Status.ACCEPTED:
            raise ProposalError("Only an accepted proposal can be added as a key person")
        existing = ProviderPerson.objects.filter(provider_id=proposal.provider_id, full_name=proposal.name)
        if proposal.email:
            existing = existing.filter(email__iexact=proposal.email)
        if existing.exists():
            raise ProposalError(f"{proposal.name} is already one of the provider’s key people")
        person = ProviderPerson(
            provider_id=proposal.provider_id,
            full_name=proposal.name[: ProviderPerson._meta.get_field("full_name").max_length],
            role=ProviderPerson.Role.OTHER,
            email=proposal.email,
            phone=proposal.phone,
            receives_contact_list=False,
        )
        person._history_user = added_by
        person.save()
    return person
