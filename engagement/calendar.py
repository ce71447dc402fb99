"""iCalendar files for the forward plan: the subscribable feeds and the .ics attached to booking emails.

Times are written in Europe/London with the zone's rules included, so a calendar shows a forum at the same wall-clock
time on either side of the change to and from British Summer Time.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from engagement.models import Activity
from portal.contributions import DatedItem

LONDON = ZoneInfo("Europe/London")
PRODUCT_ID = "-//Provider Relationship Portal//Forward plan//EN"


def activity_uid(activity: Activity) -> str:
    """The same activity keeps the same UID in every feed and email, so a calendar updates rather than duplicates."""
    return f"activity-{activity.pk}@{urlsplit(settings.SITE_URL).hostname or 'portal'}"


def activity_url(activity: Activity) -> str:
    return settings.SITE_URL + reverse("engagement:activity-detail", kwargs={"pk": activity.pk})


def _event(activity: Activity, *, cancelled: bool = False) -> Event:
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", activity.starts_at.astimezone(LONDON))
    event.add("dtend", activity.ends_at.astimezone(LONDON))
    event.add("summary", activity.title)
    location = activity.place or activity.online_link
    if location:
        event.add("location", location)
    description = "\n\n".join(part for part in (activity.description, activity.online_link) if part)
    if description:
        event.add("description", description)
    event.add("url", activity_url(activity))
    is_cancelled = cancelled or activity.status == Activity.Status.CANCELLED
    event.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
    # A change of time or status must win over an older copy in the attendee's calendar.
    event.add("sequence", int(activity.updated_at.timestamp()) if activity.updated_at else 0)
    return event


def _calendar(name: str, *, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    if method:
        calendar.add("method", method)
    return calendar


@lru_cache(maxsize=16)
def _london(first_year: int, last_year: int) -> Timezone:
    # The zone's rules for just the years the events span: worked out once, as it is the slow part of a file.
    return Timezone.from_tzid(
        "Europe/London", first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


def _with_time_zone(calendar: Calendar, activities: list[Activity]) -> bytes:
    if activities:
        years = [moment.astimezone(LONDON).year for a in activities for moment in (a.starts_at, a.ends_at)]
        calendar.add_component(_london(min(years), max(years)))
    return calendar.to_ical()


def _dated_event(item: DatedItem) -> Event:
    event = Event()
    event.add("uid", f"{item.uid}@{urlsplit(settings.SITE_URL).hostname or 'portal'}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", item.starts_on)
    # An all-day event's end is the day after its last day.
    event.add("dtend", (item.ends_on or item.starts_on) + timedelta(days=1))
    event.add("summary", item.title)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    event.add("transp", "TRANSPARENT")  # a date to know, not time taken up
    return event


def plan_calendar(
    activities: Iterable[Activity], *, name: str, dated_items: Iterable[DatedItem] = ()
) -> bytes:
    """A feed of many activities, for subscribing to the whole plan or one group's meetings.

    The whole plan's feed also carries the dated items other parts of the portal publish, as all-day events.
    """
    calendar = _calendar(name)
    activities = list(activities)
    for activity in activities:
        calendar.add_component(_event(activity))
    for item in dated_items:
        calendar.add_component(_dated_event(item))
    return _with_time_zone(calendar, activities)


def booking_calendar(activity: Activity, *, cancelled: bool = False) -> bytes:
    """The .ics attached to a booking's confirmation, promotion or cancellation email.

    Every booking for an activity gets the same file until the activity changes (its `updated_at` moves on), so
    a saved activity's file is written once per process.
    """
    if activity.pk is None or activity.updated_at is None:
        return _booking_calendar(activity, cancelled)
    return _kept_booking_calendar(activity, activity.updated_at, cancelled, settings.SITE_URL)


@lru_cache(maxsize=64)
def _kept_booking_calendar(activity: Activity, updated_at, cancelled: bool, site_url: str) -> bytes:
    # updated_at and site_url are part of the key: a changed activity, or another site, gets a new file.
    return _booking_calendar(activity, cancelled)


def _booking_calendar(activity: Activity, cancelled: bool) -> bytes:
    calendar = _calendar(activity.title, method="CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(_event(activity, cancelled=cancelled))
    return _with_time_zone(calendar, [activity])
