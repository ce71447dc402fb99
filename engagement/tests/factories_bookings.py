"""Helpers for the forum-places tests: a bookable forum, a provider's user, and emails read back."""

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage

from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar

from directory.tests.factories import ProviderOrganisationFactory
from engagement.models import Activity, Booking
from engagement.services.bookings import booking_create
from engagement.tests.factories import ActivityFactory
from portal.models import OutboxMessage
from portal.tests.factories import ProviderUserFactory


def forum(**overrides) -> Activity:
    """A forum eight weeks ahead that any provider may book, 20 places, open for bookings since yesterday."""
    return ActivityFactory(bookable=True, **overrides)


def past(activity: Activity) -> Activity:
    """Move the activity to have started two hours ago."""
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    activity.refresh_from_db()
    return activity


def provider_with_user(name: str, **provider_fields):
    provider = ProviderOrganisationFactory(name=name, **provider_fields)
    user = ProviderUserFactory(provider_organisation=provider, email=f"booker@{slugify(name)}.example.org")
    return provider, user


def book(activity: Activity, user, *people: tuple[str, str]) -> list[Booking]:
    return booking_create(
        activity=activity, provider=user.provider_organisation, booked_by=user, attendees=list(people)
    )


def person(number: int, provider: str = "a") -> tuple[str, str]:
    return (f"Person {number}", f"person{number}@provider-{provider}.example.org")


def parsed(message: OutboxMessage) -> EmailMessage:
    return message_from_bytes(bytes(message.message), policy=policy.default)


def body(message: OutboxMessage) -> str:
    return parsed(message).get_body(preferencelist=("plain",)).get_content()


def calendars(message: OutboxMessage) -> list[Calendar]:
    return [
        Calendar.from_ical(part.get_payload(decode=True))
        for part in parsed(message).iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


def emails_to(address: str) -> list[OutboxMessage]:
    return [message for message in OutboxMessage.objects.order_by("pk") if address in message.recipients]
