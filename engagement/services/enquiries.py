"""Provider enquiries: raised by a provider user, routed to whoever answers the topic, answered by a promised date.

Every step is one transaction: it locks the enquiry, writes an event to its timeline and any email (through the
outbox, so an email exists only if the step does). The promised date counts working days in England; while the
council waits for more information from the provider the clock is paused, and the provider's answer moves the date
on by the working days it was paused. No email is ever written from an internal note.

Each function takes `now=` so that tests can fix the day; it defaults to the present.
"""

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from directory.models import Area, Officer, ProviderOrganisation, ServiceType, Team, Topic
from engagement.models import Enquiry, EnquiryAttachment, EnquiryEvent
from engagement.selectors.enquiries import (
    assignee_recipients,
    enquiry_route,
    enquiry_target_days,
    nobody_answers_guidance,
    provider_recipients,
)
from engagement.services.enquiry_attachments import AttachmentError, CheckedAttachment, attachments_check
from portal.service_errors import ServiceError
from portal.working_days import working_days_after, working_days_between

Kind = EnquiryEvent.Kind
OPEN = Enquiry.Status.OPEN
AWAITING_PROVIDER = Enquiry.Status.AWAITING_PROVIDER
RESOLVED = Enquiry.Status.RESOLVED


class EnquiryError(ServiceError):
    """An enquiry step that cannot be taken."""


class NobodyAnswersError(EnquiryError):
    """Nobody at the council answers the topic for the area and service type: the enquiry is not sent."""


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _required(text: str, message: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise EnquiryError(message, field=field)
    return text


def assignee_name(enquiry: Enquiry) -> str:
    if enquiry.assigned_officer_id:
        return str(enquiry.assigned_officer)
    return str(enquiry.assigned_team)


def _question(topic: Topic, area: Area | None, service_type: ServiceType | None) -> str:
    what = topic.name
    if service_type is not None:
        what += f" for {service_type.name.lower()}"
    if area is not None:
        what += f" in {area.name}"
    return what


def _next_pk() -> int:
    """The enquiry's key, taken before its one insert, so that its reference is written with it.

    On SQLite (local development), which lets one writer in at a time, the next key is simply the highest plus one.
    """
    if connection.vendor != "postgresql":
        return (Enquiry.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Enquiry._meta.db_table])
        return cursor.fetchone()[0]


def _lock(enquiry: Enquiry) -> Enquiry:
    """Lock the enquiry's row: two officers acting at once take their steps one after the other."""
    return (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("provider", "topic", "area", "service_type", "assigned_officer", "assigned_team")
        .get(pk=enquiry.pk)
    )


def _event(enquiry: Enquiry, kind: str, *, author, text: str = "") -> EnquiryEvent:
    return EnquiryEvent.objects.create(
        enquiry=enquiry, kind=kind, author=author, text=text, is_internal=kind == Kind.INTERNAL_NOTE
    )


def _store(enquiry: Enquiry, event: EnquiryEvent, attachments: list[CheckedAttachment]) -> None:
    """Keep the files under a random name in the enquiry's folder; written last, after every check has passed."""
    for checked in attachments:
        attachment = EnquiryAttachment(
            enquiry=enquiry,
            event=event,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size_bytes=checked.upload.size,
        )
        checked.upload.seek(0)
        attachment.file.save(f"{secrets.token_hex(16)}{checked.extension}", checked.upload, save=False)
        attachment.save()


def _save(enquiry: Enquiry, by, fields: list[str]) -> None:
    enquiry._history_user = by
    enquiry.save(update_fields=[*fields, "updated_at"])


def _email(template: str, *, enquiry: Enquiry, to: list[str], **context) -> None:
    if not to:
        return
    context = {
        "enquiry": enquiry,
        "assignee": assignee_name(enquiry),
        "council_name": settings.COUNCIL_NAME,
        "enquiry_url": settings.SITE_URL + reverse("engagement:enquiry-detail", args=[enquiry.pk]),
        **context,
    }
    subject = render_to_string(f"engagement/emails/enquiry_{template}_subject.txt", context)
    body = render_to_string(f"engagement/emails/enquiry_{template}.txt", context)
    EmailMessage(" ".join(subject.split()), body, to=to).send()


def _refuse_if_resolved(enquiry: Enquiry, *, by_provider: bool = False) -> None:
    if enquiry.status != RESOLVED:
        return
    resolved_on = _day(timezone.localdate(enquiry.resolved_at))
    if by_provider:
        raise EnquiryError(
            f"This enquiry was resolved on {resolved_on}, so you cannot reply to it. If you still need help, "
            f"raise a new enquiry and mention {enquiry.reference}"
        )
    raise EnquiryError(f"{enquiry.reference} was resolved on {resolved_on}: it can no longer be changed")


def _clock_resume(enquiry: Enquiry, now: dt.datetime) -> None:
    """Move the promised date on by the working days the clock was paused, and restart it."""
    if enquiry.paused_since is None:
        return
    paused = working_days_between(timezone.localdate(enquiry.paused_since), timezone.localdate(now))
    if paused:
        enquiry.due_on = working_days_after(enquiry.due_on, paused)
    enquiry.paused_since = None


def enquiry_raise(
    *,
    provider: ProviderOrganisation,
    raised_by,
    topic: Topic,
    area: Area | None,
    service_type: ServiceType | None,
    subject: str,
    message: str,
    attachments: Iterable[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Enquiry:
    """Raise an enquiry for the provider, route it, promise a date and acknowledge it; refused if nobody answers."""
    if getattr(raised_by, "provider_organisation_id", None) != provider.pk:
        raise EnquiryError("You can only raise enquiries for your own organisation")
    subject = _required(subject, "Enter a subject", "subject")
    message = _required(message, "Enter your message", "message")
    checked = _checked(attachments)
    route = enquiry_route(topic=topic, area=area, service_type=service_type)
    if route is None:
        raise NobodyAnswersError(
            f"Nobody at the council answers {_question(topic, area, service_type)} yet, so your enquiry "
            f"cannot be sent. Please {nobody_answers_guidance(provider=provider)}, or use “Who do I contact "
            f"about…?” to find someone"
        )
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        pk = _next_pk()
        enquiry = Enquiry(
            pk=pk,
            reference=f"ENQ-{today.year}-{pk:06d}",
            provider=provider,
            raised_by=raised_by,
            topic=topic,
            area=area,
            service_type=service_type,
            subject=subject,
            message=message,
            assigned_officer=route.officer,
            assigned_team=route.team,
            due_on=working_days_after(today, enquiry_target_days(topic=topic)),
        )
        enquiry._history_user = raised_by
        enquiry.save(force_insert=True)
        raised = _event(enquiry, Kind.RAISED, author=raised_by, text=message)
        _event(enquiry, Kind.ASSIGNED, author=None, text=f"Sent to {assignee_name(enquiry)}")
        _email("acknowledged", enquiry=enquiry, to=provider_recipients(enquiry=enquiry))
        _email("assigned", enquiry=enquiry, to=assignee_recipients(enquiry=enquiry), raised=True)
        _store(enquiry, raised, checked)
    return enquiry


def _checked(attachments: Iterable[UploadedFile]) -> list[CheckedAttachment]:
    try:
        return attachments_check(list(attachments or []))
    except AttachmentError as error:
        raise EnquiryError(str(error), field="attachments") from error


def enquiry_reply(
    *, enquiry: Enquiry, author, message: str, attachments: Iterable[UploadedFile] = (), now=None
) -> EnquiryEvent:
    """A reply: from the council, emailed to the provider; from the provider, to the officer.

    The provider's reply while the council waits for more information is that information: the clock restarts.
    """
    message = _required(message, "Enter your message", "message")
    checked = _checked(attachments)
    now = now or timezone.now()
    by_provider = bool(getattr(author, "provider_organisation_id", None))
    with transaction.atomic():
        enquiry = _lock(enquiry)
        if by_provider and author.provider_organisation_id != enquiry.provider_id:
            raise EnquiryError("You can only reply to your own organisation’s enquiries")
        _refuse_if_resolved(enquiry, by_provider=by_provider)
        if by_provider:
            kind = Kind.INFORMATION_GIVEN if enquiry.status == AWAITING_PROVIDER else Kind.PROVIDER_REPLY
            if kind == Kind.INFORMATION_GIVEN:
                _clock_resume(enquiry, now)
                enquiry.status = OPEN
                _save(enquiry, author, ["status", "paused_since", "due_on"])
            event = _event(enquiry, kind, author=author, text=message)
            _email("provider_replied", enquiry=enquiry, to=assignee_recipients(enquiry=enquiry), event=event)
        else:
            if enquiry.first_response_at is None:
                enquiry.first_response_at = now
                _save(enquiry, author, ["first_response_at"])
            event = _event(enquiry, Kind.REPLY, author=author, text=message)
            _email("reply", enquiry=enquiry, to=provider_recipients(enquiry=enquiry), event=event)
        _store(enquiry, event, checked)
    return event


def enquiry_reassign(
    *,
    enquiry: Enquiry,
    reassigned_by,
    reason: str,
    officer: Officer | None = None,
    team: Team | None = None,
) -> Enquiry:
    """Pass the enquiry to another officer (and their team) or to a team, saying why; the new assignee is told."""
    if (officer is None) == (team is None):
        raise EnquiryError("Choose an officer or a team, not both", field="officer")
    if officer is not None and not officer.is_active:
        raise EnquiryError(f"{officer} is no longer in post. Choose an officer who is", field="officer")
    if team is not None and not team.is_active:
        raise EnquiryError(f"{team} has closed. Choose a team that is still working", field="team")
    reason = _required(reason, "Enter why you are passing the enquiry on", "reason")
    with transaction.atomic():
        enquiry = _lock(enquiry)
        _refuse_if_resolved(enquiry)
        if (officer is not None and enquiry.assigned_officer_id == officer.pk) or (
            team is not None and not enquiry.assigned_officer_id and enquiry.assigned_team_id == team.pk
        ):
            raise EnquiryError(f"The enquiry is already with {assignee_name(enquiry)}", field="officer")
        before = assignee_name(enquiry)
        enquiry.assigned_officer = officer
        enquiry.assigned_team = officer.team if officer is not None else team
        _save(enquiry, reassigned_by, ["assigned_officer", "assigned_team"])
        text = f"Passed from {before} to {assignee_name(enquiry)}.\n{reason}"
        _event(enquiry, Kind.REASSIGNED, author=reassigned_by, text=text)
        _email("assigned", enquiry=enquiry, to=assignee_recipients(enquiry=enquiry), reason=reason)
    return enquiry


def enquiry_request_information(
    *, enquiry: Enquiry, requested_by, message: str, now: dt.datetime | None = None
) -> EnquiryEvent:
    """Ask the provider for more information; the clock is paused until they answer."""
    message = _required(message, "Enter what you need to know", "message")
    now = now or timezone.now()
    with transaction.atomic():
        enquiry = _lock(enquiry)
        _refuse_if_resolved(enquiry)
        if enquiry.status == AWAITING_PROVIDER:
            asked_on = _day(timezone.localdate(enquiry.paused_since))
            raise EnquiryError(
                f"You already asked {enquiry.provider} for more information on {asked_on}. "
                "Reply instead, or wait for their answer"
            )
        enquiry.status = AWAITING_PROVIDER
        enquiry.paused_since = now
        enquiry.first_response_at = enquiry.first_response_at or now
        _save(enquiry, requested_by, ["status", "paused_since", "first_response_at"])
        event = _event(enquiry, Kind.INFORMATION_REQUESTED, author=requested_by, text=message)
        _email("information_requested", enquiry=enquiry, to=provider_recipients(enquiry=enquiry), event=event)
    return event


def enquiry_note(*, enquiry: Enquiry, author, text: str) -> EnquiryEvent:
    """An internal note for council staff: never shown nor sent to the provider."""
    if getattr(author, "provider_organisation_id", None):
        raise EnquiryError("Only council staff can add internal notes")
    text = _required(text, "Enter your note", "text")
    with transaction.atomic():
        enquiry = _lock(enquiry)
        return _event(enquiry, Kind.INTERNAL_NOTE, author=author, text=text)


def enquiry_resolve(
    *, enquiry: Enquiry, resolved_by, message: str, now: dt.datetime | None = None
) -> Enquiry:
    """Close the enquiry with the council's answer, which the provider is emailed."""
    message = _required(message, "Enter how the enquiry was resolved", "message")
    now = now or timezone.now()
    with transaction.atomic():
        enquiry = _lock(enquiry)
        if enquiry.status == RESOLVED:
            raise EnquiryError(
                f"{enquiry.reference} was already resolved on {_day(timezone.localdate(enquiry.resolved_at))}"
            )
        _clock_resume(enquiry, now)
        enquiry.status = RESOLVED
        enquiry.resolved_at = now
        enquiry.first_response_at = enquiry.first_response_at or now
        _save(enquiry, resolved_by, ["status", "resolved_at", "paused_since", "due_on", "first_response_at"])
        event = _event(enquiry, Kind.RESOLVED, author=resolved_by, text=message)
        _email("resolved", enquiry=enquiry, to=provider_recipients(enquiry=enquiry), event=event)
    return enquiry
