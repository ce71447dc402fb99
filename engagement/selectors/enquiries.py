"""Reads for provider enquiries: a provider sees its own organisation's; council staff see them all.

What a provider may see is decided here, once: another organisation's enquiry, or an internal note, is simply
not in the queryset, so asking for it is a 404 and no page, email or export can show it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from directory.models import Area, Officer, ProviderOrganisation, ServiceType, Team, Topic
from directory.selectors.finder import contact_find, market_leads
from engagement.models import Enquiry, EnquiryAttachment, EnquiryEvent, EnquiryTarget
from portal.permissions import is_council_staff

# The provider's side of the conversation: after one of these the council has something to read.
PROVIDER_KINDS = (
    EnquiryEvent.Kind.RAISED,
    EnquiryEvent.Kind.PROVIDER_REPLY,
    EnquiryEvent.Kind.INFORMATION_GIVEN,
)


def _enquiries() -> QuerySet[Enquiry]:
    return Enquiry.objects.select_related(
        "provider", "raised_by", "topic", "area", "service_type", "assigned_officer", "assigned_team"
    )


def visible_enquiries(user) -> QuerySet[Enquiry]:
    """Council staff see every enquiry; a provider user only its own organisation's; anyone else none."""
    if is_council_staff(user):
        return _enquiries()
    if user.is_authenticated and user.provider_organisation_id:
        return _enquiries().filter(provider_id=user.provider_organisation_id)
    return Enquiry.objects.none()


def enquiries_of_own_organisation(user) -> QuerySet[Enquiry]:
    """A provider's enquiries, open ones first and the soonest due at the top."""
    if not (user.is_authenticated and user.provider_organisation_id):
        return Enquiry.objects.none()
    return (
        _enquiries()
        .filter(provider_id=user.provider_organisation_id)
        .order_by("resolved_at", "due_on", "-pk")
        .defer("message")
    )


def enquiry_timeline(*, enquiry: Enquiry, user) -> list[EnquiryEvent]:
    """The enquiry's events, oldest first, with their authors and attachments; internal notes for staff only."""
    events = EnquiryEvent.objects.filter(enquiry=enquiry).select_related("author")
    if not is_council_staff(user):
        events = events.filter(is_internal=False)
    attachments = Prefetch("attachments", queryset=EnquiryAttachment.objects.order_by("pk"))
    return list(events.prefetch_related(attachments).order_by("created_at", "pk"))


def information_asked(*, enquiry: Enquiry) -> EnquiryEvent | None:
    """What the council last asked the provider, while it waits for the answer."""
    if enquiry.status != Enquiry.Status.AWAITING_PROVIDER:
        return None
    asked = EnquiryEvent.objects.filter(enquiry=enquiry, kind=EnquiryEvent.Kind.INFORMATION_REQUESTED)
    return asked.select_related("author").order_by("-created_at", "-pk").first()


def visible_attachments(user) -> QuerySet[EnquiryAttachment]:
    """Attachments of the enquiries the user sees, never one on an internal note unless they are staff."""
    attachments = EnquiryAttachment.objects.filter(enquiry__in=visible_enquiries(user).values("pk"))
    if not is_council_staff(user):
        attachments = attachments.filter(Q(event__isnull=True) | Q(event__is_internal=False))
    return attachments


def enquiry_target_days(*, topic: Topic) -> int:
    """The working days the council promises to answer an enquiry about `topic` in."""
    days = EnquiryTarget.objects.filter(topic=topic).values_list("working_days", flat=True).first()
    return days or settings.ENQUIRY_DEFAULT_TARGET_WORKING_DAYS


def reassign_choices() -> tuple[QuerySet[Officer], QuerySet[Team]]:
    """Who an enquiry may be passed to: officers in post and the teams still working."""
    officers = Officer.objects.active().select_related("team")
    return officers.order_by("full_name", "pk"), Team.objects.filter(is_active=True).order_by("name", "pk")


def provider_recipients(*, enquiry: Enquiry) -> list[str]:
    """Who at the provider hears from the council: the person who raised it and anyone of theirs who replied.

    Only people who can still sign in for that organisation, each address once.
    """
    authors = EnquiryEvent.objects.filter(enquiry=enquiry, kind__in=PROVIDER_KINDS).values("author_id")
    people = (
        get_user_model()
        .objects.filter(Q(pk=enquiry.raised_by_id) | Q(pk__in=authors))
        .filter(is_active=True, provider_organisation_id=enquiry.provider_id)
        .exclude(email="")
        .order_by("pk")
    )
    addresses: dict[str, str] = {}
    for email in people.values_list("email", flat=True):
        addresses.setdefault(email.lower(), email)
    return list(addresses.values())


def assignee_recipients(*, enquiry: Enquiry) -> list[str]:
    """The officer who has the enquiry, or the team mailbox when it is with a team."""
    if enquiry.assigned_officer_id:
        return [enquiry.assigned_officer.email]
    if enquiry.assigned_team_id and enquiry.assigned_team.mailbox:
        return [enquiry.assigned_team.mailbox]
    return []


@dataclass(frozen=True)
class EnquiryRoute:
    """Where a new enquiry goes: an officer (with their team) or, when nobody is named, the team."""

    officer: Officer | None
    team: Team | None


def enquiry_route(
    *, topic: Topic, area: Area | None, service_type: ServiceType | None
) -> EnquiryRoute | None:
    """The officer who answers the topic for the area and service type, while in post; else the team.

    The deputy answers only when the named officer is not in post. None when there is nobody at all.
    """
    answer = contact_find(topic=topic, area=area, service_type=service_type)
    if answer is None:
        return None
    team = answer.team if answer.team is not None and answer.team.is_active else None
    officer = answer.officer or answer.deputy
    if officer is None and team is None:
        return None
    return EnquiryRoute(officer=officer, team=team)


def nobody_answers_guidance(*, provider: ProviderOrganisation) -> str:
    """Whom a provider can call when no one answers its topic yet: a market lead, else its contract manager."""
    lead = next((officer for officer in market_leads() if officer.phone), None)
    if lead is not None:
        return f"call {lead.full_name}, {lead.get_market_lead_display().lower()}, on {lead.phone}"
    manager = provider.contract_manager if provider.contract_manager_id else None
    if manager is not None and manager.is_active and manager.phone:
        return f"call your contract manager, {manager.full_name}, on {manager.phone}"
    return "call your usual council contact"
