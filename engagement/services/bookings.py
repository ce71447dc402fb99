"""Forum places: booking named attendees, the waiting list, cancelling, and recording who came.

Every change to an activity's bookings first locks the activity's row, so bookings for one activity are made one
at a time: confirmed places never exceed its capacity nor a provider's cap, and the waiting list keeps the order in
which places were asked for. Each attendee is emailed in the same transaction (through the outbox), with an .ics
for their calendar.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from directory.models import ProviderOrganisation
from engagement.calendar import activity_url, booking_calendar
from engagement.models import Activity, Booking
from engagement.selectors.bookings import (
    activity_figures,
    booking_refusal,
    cancellation_refusal,
    deadline_text,
    when_text,
)
from portal.service_errors import ServiceError

CONFIRMED = Booking.Status.CONFIRMED
WAITING = Booking.Status.WAITING
CANCELLED = Booking.Status.CANCELLED
ALREADY_BOOKED = "already has a place or is on the waiting list"


class BookingError(ServiceError):
    """A booking change that cannot be made."""


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


def _attendees(attendees: list[tuple[str, str]]) -> list[Attendee]:
    cleaned = [Attendee(name.strip(), email.strip()) for name, email in attendees]
    if not cleaned:
        raise BookingError("Enter the name and email address of at least one person")
    if any(not attendee.name or not attendee.email for attendee in cleaned):
        raise BookingError("Enter a name and an email address for each person")
    twice = [email for email, number in Counter(a.email.lower() for a in cleaned).items() if number > 1]
    if twice:
        raise BookingError(
            f"You entered {twice[0]} more than once: each person needs their own email address"
        )
    return cleaned


def _lock(activity: Activity) -> Activity:
    """Lock the activity's row: every change to its bookings waits here for the one before it."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def booking_create(
    *, activity: Activity, provider: ProviderOrganisation, booked_by, attendees: list[tuple[str, str]]
) -> list[Booking]:
    """Book places for named attendees of the provider's: confirmed while places last, then the waiting list."""
    people = _attendees(attendees)
    if getattr(booked_by, "provider_organisation_id", None) != provider.pk:
        raise BookingError("You can only book places for people from your own organisation")
    with transaction.atomic():
        return _book_under_lock(activity=activity, provider=provider, booked_by=booked_by, people=people)


def _book_under_lock(
    *, activity: Activity, provider: ProviderOrganisation, booked_by, people: list[Attendee]
) -> list[Booking]:
    activity = _lock(activity)
    # Read once the lock is held, so the waiting list's order is the order the bookings were made in.
    now = timezone.now()
    figures = activity_figures(activity=activity, provider_id=provider.pk)
    refusal = booking_refusal(activity=activity, figures=figures, now=now)
    if refusal:
        raise BookingError(refusal)
    _refuse_people_already_booked(activity, people)
    confirmed, provider_confirmed = figures.confirmed, figures.provider_confirmed
    bookings = []
    for person in people:
        has_place = confirmed < activity.capacity and (
            activity.cap_per_provider is None or provider_confirmed < activity.cap_per_provider
        )
        booking = Booking(
            activity=activity,
            provider=provider,
            attendee_name=person.name,
            attendee_email=person.email,
            booked_by=booked_by,
            status=CONFIRMED if has_place else WAITING,
            requested_at=now,
        )
        _save(booking, by=booked_by)
        confirmed += has_place
        provider_confirmed += has_place
        bookings.append(booking)
    _email_booked(bookings)
    return bookings


def _save(booking: Booking, *, by) -> None:
    """Save a new booking. The check under the activity's lock finds anyone already booked; should anything get
    past it, the database's constraint refuses, and leaving the transaction keeps nothing of the booking (no
    savepoint is needed for that)."""
    booking._history_user = by
    try:
        booking.save()
    except IntegrityError as error:
        if "booking_one_place_per_attendee" not in str(error):
            raise
        raise BookingError(f"{booking.attendee_name} ({booking.attendee_email}) {ALREADY_BOOKED}") from error


def _refuse_people_already_booked(activity: Activity, people: list[Attendee]) -> None:
    emails = {person.email.lower(): person for person in people}
    taken = (
        Booking.objects.filter(activity=activity)
        .exclude(status=CANCELLED)
        .annotate(email=Lower("attendee_email"))
        .filter(email__in=emails)
        .order_by()
        .values_list("email", flat=True)[:1]
    )
    if taken:
        person = emails[taken[0]]
        raise BookingError(f"{person.name} ({person.email}) {ALREADY_BOOKED}")


def booking_cancel(*, booking: Booking, cancelled_by) -> Booking:
    """Cancel a place or a turn on the waiting list before the deadline; a freed place goes to the next waiting."""
    with transaction.atomic():
        activity = _lock(booking.activity)
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("booked_by", "provider")
            .get(pk=booking.pk)
        )
        provider_id = getattr(cancelled_by, "provider_organisation_id", None)
        if provider_id and provider_id != booking.provider_id:
            raise BookingError("You can only cancel your own organisation’s bookings")
        if booking.status == CANCELLED:
            raise BookingError(f"{booking.attendee_name}’s booking was already cancelled")
        refusal = cancellation_refusal(activity=activity, now=timezone.now())
        if refusal:
            raise BookingError(refusal)
        had_place = booking.status == CONFIRMED
        _mark_cancelled(booking, by=cancelled_by)
        booking.activity = activity
        _email(
            booking,
            "booking_cancelled",
            calendar=booking_calendar(activity, cancelled=True),
            had_place=had_place,
        )
        if had_place:
            waiting_list_promote(activity=activity)
    return booking


def _mark_cancelled(booking: Booking, *, by) -> None:
    booking.status = CANCELLED
    booking.cancelled_at = timezone.now()
    booking._history_user = by
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])


def waiting_list_promote(*, activity: Activity) -> int:
    """Give free places to the waiting list in the order places were asked for; returns how many were promoted.

    Someone whose organisation has reached its cap keeps their turn while the next person is promoted.
    """
    with transaction.atomic():
        activity = _lock(activity)
        if (
            not activity.takes_bookings
            or activity.status in (Activity.Status.CANCELLED, Activity.Status.HELD)
            or activity.starts_at <= timezone.now()
        ):
            return 0
        per_provider = Counter(
            dict(
                Booking.objects.filter(activity=activity, status=CONFIRMED)
                .order_by()
                .values_list("provider_id")
                .annotate(number=Count("pk"))
            )
        )
        free = activity.capacity - sum(per_provider.values())
        if free <= 0:
            return 0
        cap = activity.cap_per_provider
        promoted = []
        waiting = Booking.objects.filter(activity=activity, status=WAITING).select_related(
            "booked_by", "provider"
        )
        for booking in waiting.order_by("requested_at", "pk"):
            if len(promoted) == free:
                break
            if cap is not None and per_provider[booking.provider_id] >= cap:
                continue
            booking.status = CONFIRMED
            booking.promoted_at = timezone.now()
            booking.save(update_fields=["status", "promoted_at", "updated_at"])
            per_provider[booking.provider_id] += 1
            promoted.append(booking)
        calendar = booking_calendar(activity) if promoted else b""
        for booking in promoted:
            booking.activity = activity
            _email(booking, "booking_promoted", calendar=calendar)
    return len(promoted)


def bookings_cancel_for_activity(*, activity: Activity) -> int:
    """The activity was cancelled: cancel every place and waiting turn, and tell each attendee with an .ics."""
    with transaction.atomic():
        activity = _lock(activity)
        bookings = list(
            Booking.objects.filter(activity=activity)
            .exclude(status=CANCELLED)
            .select_related("booked_by", "provider")
            .order_by("requested_at", "pk")
        )
        calendar = booking_calendar(activity, cancelled=True)
        for booking in bookings:
            _mark_cancelled(booking, by=None)
            booking.activity = activity
            _email(booking, "booking_activity_cancelled", calendar=calendar)
    return len(bookings)


def attendance_record(
    *, activity: Activity, attended_ids: set[int], booking_ids: set[int], recorded_by
) -> int:
    """Record who came, among the confirmed bookings listed on the officer's page; returns how many changed."""
    with transaction.atomic():
        activity = _lock(activity)
        if activity.starts_at > timezone.now():
            raise BookingError("You can record attendance once the activity has started")
        changed = 0
        confirmed = Booking.objects.filter(activity=activity, status=CONFIRMED, pk__in=booking_ids)
        for booking in confirmed.select_for_update():
            came = booking.pk in attended_ids
            if booking.attended == came:
                continue
            booking.attended = came
            booking._history_user = recorded_by
            booking.save(update_fields=["attended", "updated_at"])
            changed += 1
    return changed


def _email_booked(bookings: list[Booking]) -> None:
    confirmed = [booking for booking in bookings if booking.status == CONFIRMED]
    calendar = booking_calendar(confirmed[0].activity) if confirmed else None
    for booking in bookings:
        if booking.status == CONFIRMED:
            _email(booking, "booking_confirmed", calendar=calendar)
        else:
            # No calendar entry for a place not yet given: it comes with the promotion email.
            _email(booking, "booking_waiting", calendar=None, waiting_position=_waiting_position(booking))


def _waiting_position(booking: Booking) -> int:
    ahead = Q(requested_at__lt=booking.requested_at) | Q(requested_at=booking.requested_at, pk__lt=booking.pk)
    return Booking.objects.filter(ahead, activity_id=booking.activity_id, status=WAITING).count() + 1


def _email(booking: Booking, template: str, *, calendar: bytes | None, **extra) -> None:
    """Email the attendee, copying the person who booked; the .ics comes with it when there is one."""
    activity: Activity = booking.activity
    booker = booking.booked_by
    cc = (
        [booker.email]
        if booker is not None and booker.is_active and booker.email.lower() != booking.attendee_email.lower()
        else []
    )
    context = {
        "booking": booking,
        "activity": activity,
        "starts_at": timezone.localtime(activity.starts_at),
        "when": when_text(activity),
        "cancel_by": deadline_text(activity.cancel_by),
        "council_name": settings.COUNCIL_NAME,
        "activity_url": activity_url(activity),
        "my_bookings_url": settings.SITE_URL + reverse("engagement:my-bookings"),
        **extra,
    }
    subject = " ".join(render_to_string(f"engagement/emails/{template}_subject.txt", context).split())
    body = render_to_string(f"engagement/emails/{template}.txt", context)
    message = EmailMessage(subject, body, to=[booking.attendee_email], cc=cc)
    if calendar:
        message.attach(_ics_name(activity), calendar, "text/calendar")
    message.send()


def _ics_name(activity: Activity) -> str:
    day: dt.date = timezone.localtime(activity.starts_at).date()
    return f"{day.isoformat()}-activity-{activity.pk}.ics"
