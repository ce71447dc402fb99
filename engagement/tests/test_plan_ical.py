"""The forward plan's calendar feeds: personal addresses a calendar app opens without a session."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from engagement.calendar import activity_uid
from engagement.selectors.plan import feed_token
from engagement.tests.factories import ActivityFactory, EngagementGroupFactory, in_days
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def provider_user(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="pat@provider-a.example.org")


def _events(response) -> dict[str, dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def _feed(url: str, token: str):
    return Client().get(url, {"token": token})


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def test_the_plan_page_gives_a_personal_feed_address_that_opens_without_a_session(client, provider_user):
    ActivityFactory(title="Forum next month", starts_at=in_days(30))
    ActivityFactory(title="Forum a fortnight ago", starts_at=in_days(-14))
    ActivityFactory(title="Forum two months ago", starts_at=in_days(-60))
    client.force_login(provider_user)

    feed_url = client.get(reverse("engagement:plan")).context["feed_url"]
    address = urlsplit(feed_url)
    events = _events(Client().get(address.path, parse_qs(address.query)))

    assert address.path == reverse("engagement:plan-ical")
    assert f'value="{feed_url}"' in client.get(reverse("engagement:plan")).content.decode()
    assert set(events) == {"Forum next month", "Forum a fortnight ago"}


def test_a_meeting_at_ten_in_london_stays_at_ten_either_side_of_the_clock_changes(provider_user):
    """Late March and late October of next year, the days before and after the clocks change."""
    year = timezone.localdate().year + 1
    spring, autumn = _last_sunday(year, 3), _last_sunday(year, 10)
    days = {
        "Before summer time": spring - dt.timedelta(days=2),
        "In summer time": spring + dt.timedelta(days=1),
        "Before winter time": autumn - dt.timedelta(days=2),
        "After winter time": autumn + dt.timedelta(days=1),
    }
    for title, day in days.items():
        starts_at = dt.datetime.combine(day, dt.time(10), tzinfo=LONDON)
        ActivityFactory(title=title, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2))

    response = _feed(reverse("engagement:plan-ical"), feed_token(provider_user))

    events = _events(response)
    calendar = Calendar.from_ical(response.content)
    assert [component["tzid"] for component in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    for title, day in days.items():
        starts, ends = events[title].decoded("dtstart"), events[title].decoded("dtend")
        assert events[title]["dtstart"].params["TZID"] == "Europe/London"
        assert starts.astimezone(LONDON).replace(tzinfo=None) == dt.datetime.combine(day, dt.time(10))
        assert ends.astimezone(LONDON).time() == dt.time(12)
    utc_hours = {title: events[title].decoded("dtstart").astimezone(dt.UTC).hour for title in days}
    assert utc_hours == {
        "Before summer time": 10,
        "In summer time": 9,
        "Before winter time": 9,
        "After winter time": 10,
    }


def test_a_group_feed_has_only_that_groups_activities(provider_user):
    forum, other = EngagementGroupFactory(name="Mid Provider Forum"), EngagementGroupFactory()
    meeting = ActivityFactory(title="Mid forum meeting", group=forum, starts_at=in_days(20))
    ActivityFactory(title="Another group's meeting", group=other, starts_at=in_days(21))
    ActivityFactory(title="Training", starts_at=in_days(22))
    url = reverse("engagement:group-ical", kwargs={"slug": forum.slug})

    response = _feed(url, feed_token(provider_user, group=forum))

    events = _events(response)
    assert set(events) == {"Mid forum meeting"}
    assert str(events["Mid forum meeting"]["uid"]) == activity_uid(meeting)
    assert 'filename="mid-provider-forum.ics"' in response["Content-Disposition"]


def test_a_feed_without_a_good_token_is_not_found(provider_user):
    forum, other = EngagementGroupFactory(), EngagementGroupFactory()
    plan_url = reverse("engagement:plan-ical")
    group_url = reverse("engagement:group-ical", kwargs={"slug": forum.slug})
    plan_token = feed_token(provider_user)

    assert Client().get(plan_url).status_code == 404
    assert _feed(plan_url, plan_token[:-2] + "xx").status_code == 404
    assert _feed(plan_url, feed_token(provider_user, group=forum)).status_code == 404
    assert _feed(group_url, plan_token).status_code == 404
    assert _feed(group_url, feed_token(provider_user, group=other)).status_code == 404
    assert (
        _feed(reverse("engagement:group-ical", kwargs={"slug": "no-such-group"}), plan_token).status_code
        == 404
    )
    assert _feed(group_url, feed_token(provider_user, group=forum)).status_code == 200


def test_a_feed_stops_when_its_user_is_deactivated(provider_user):
    token = feed_token(provider_user)
    provider_user.is_active = False
    provider_user.save()

    assert _feed(reverse("engagement:plan-ical"), token).status_code == 404


def test_a_cancelled_activity_shows_as_cancelled_in_the_feed(provider_user):
    ActivityFactory(
        title="Cancelled forum", starts_at=in_days(10), status="cancelled", cancellation_reason="Snow"
    )

    events = _events(_feed(reverse("engagement:plan-ical"), feed_token(provider_user)))

    assert str(events["Cancelled forum"]["status"]) == "CANCELLED"
