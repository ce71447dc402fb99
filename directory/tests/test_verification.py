"""Entries that need checking: the list, the owners' monthly reminder and its schedule."""

from datetime import date, timedelta
from email import message_from_bytes

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from directory.models import VerificationReminder
from directory.selectors import verification as selectors
from directory.services.verification import stale_entry_reminders_send
from directory.tasks import send_stale_entry_reminders
from directory.tests import factories
from portal import roles
from portal.models import OutboxMessage
from portal.schedules import SCHEDULES, ensure_periodic_tasks
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

MONTH = date(2026, 3, 1)
REMINDER = "Email owners their who's-who entries that need checking"
# Session, user, roles, permissions (twice), owner counts (three kinds and their owners), the page's count and
# rows, and one query per kind and one for owners to load the page's entries.
NEEDS_CHECKING_MAX_QUERIES = 16


def long_ago() -> date:
    return timezone.localdate() - timedelta(days=400)


def recently() -> date:
    return timezone.localdate() - timedelta(days=10)


@pytest.fixture
def owner():
    return CouncilUserFactory(email="owner@council.example.org", full_name="Olive Owner")


@pytest.fixture
def other_owner():
    return CouncilUserFactory(email="other@council.example.org", full_name="Oscar Other")


@pytest.fixture
def team(owner):
    return factories.TeamFactory(name="Provider Payments", owner=owner, last_verified_on=recently())


# What counts as stale


def test_entries_never_checked_or_checked_too_long_ago_need_checking(team, owner):
    never = factories.OfficerFactory(team=team, owner=owner, last_verified_on=None)
    old = factories.OfficerFactory(team=team, owner=owner, last_verified_on=long_ago())
    factories.OfficerFactory(team=team, owner=owner, last_verified_on=recently())

    assert set(selectors.stale_officers()) == {never, old}


def test_how_long_is_too_long_comes_from_the_setting(settings, team):
    checked = factories.OfficerFactory(team=team, last_verified_on=timezone.localdate() - timedelta(days=40))

    settings.DIRECTORY_STALE_AFTER_DAYS = 30
    assert list(selectors.stale_officers()) == [checked]
    settings.DIRECTORY_STALE_AFTER_DAYS = 182
    assert list(selectors.stale_officers()) == []


def test_the_default_is_about_six_months(settings):
    assert settings.DIRECTORY_STALE_AFTER_DAYS == 182


def test_retired_entries_do_not_need_checking(team):
    left = factories.OfficerFactory(team=team, active_to=date(2020, 1, 1), last_verified_on=None)
    factories.TeamFactory(is_active=False, last_verified_on=None)
    factories.ResponsibilityFactory(
        officer=left, team=team, retired_on=date(2020, 1, 2), last_verified_on=None
    )

    assert not selectors.stale_officers().exists()
    assert not selectors.stale_teams().exists()
    assert not selectors.stale_responsibilities().exists()


# The needs-checking list


@pytest.fixture
def stale_entries(team, owner, other_owner):
    """21 stale officers and 20 stale responsibilities for the owner, 20 stale teams for the other owner."""
    officers = factories.OfficerFactory.create_batch(21, team=team, owner=owner, last_verified_on=long_ago())
    for officer in officers[:20]:
        factories.ResponsibilityFactory(officer=officer, team=team, owner=owner, last_verified_on=None)
    factories.TeamFactory.create_batch(20, owner=other_owner, last_verified_on=None)
    factories.OfficerFactory(team=team, owner=None, full_name="Nora Nobody", last_verified_on=None)
    return officers


def test_council_staff_page_through_every_stale_entry_without_a_query_per_row(
    client, stale_entries, django_assert_max_num_queries
):
    client.force_login(CouncilUserFactory())

    with django_assert_max_num_queries(NEEDS_CHECKING_MAX_QUERIES):
        first = client.get(reverse("directory:needs-checking"))
    with django_assert_max_num_queries(NEEDS_CHECKING_MAX_QUERIES):
        second = client.get(reverse("directory:needs-checking"), {"page": 2})

    assert first.status_code == 200
    assert first.context["page_obj"].paginator.count == 62
    assert len(first.context["entries"]) == 50
    assert len(second.context["entries"]) == 12
    kinds = {row.kind for row in first.context["entries"] + second.context["entries"]}
    assert kinds == {"officer", "team", "responsibility"}


def test_needs_checking_lists_entries_by_owner_with_those_nobody_owns_last(client, stale_entries, owner):
    client.force_login(CouncilUserFactory())

    response = client.get(reverse("directory:needs-checking"), {"page": 2})

    rows = response.context["entries"]
    assert rows[-1].entry.full_name == "Nora Nobody"
    assert rows[-1].owner is None
    counts = {str(count.owner): count.entries for count in response.context["owner_counts"]}
    assert counts == {"Olive Owner": 41, "Oscar Other": 20, "None": 1}


def test_mine_shows_only_the_signed_in_owners_entries(client, stale_entries, owner):
    client.force_login(owner)

    response = client.get(reverse("directory:needs-checking"), {"owner": "mine"})

    assert response.context["page_obj"].paginator.count == 41
    assert {row.owner for row in response.context["entries"]} == {owner}


def test_needs_checking_filters_by_another_owner_nobody_and_kind(client, stale_entries, other_owner):
    client.force_login(CouncilUserFactory())

    by_owner = client.get(reverse("directory:needs-checking"), {"owner": other_owner.pk})
    nobody = client.get(reverse("directory:needs-checking"), {"owner": "none"})
    responsibilities = client.get(reverse("directory:needs-checking"), {"kind": "responsibility"})

    assert {row.kind for row in by_owner.context["entries"]} == {"team"}
    assert [row.entry.full_name for row in nobody.context["entries"]] == ["Nora Nobody"]
    assert responsibilities.context["page_obj"].paginator.count == 20


def test_an_unknown_filter_shows_everyone_rather_than_failing(client, stale_entries):
    client.force_login(CouncilUserFactory())

    response = client.get(reverse("directory:needs-checking"), {"owner": "999999", "kind": "dragons"})

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 62


def test_editors_can_mark_entries_checked_from_the_list_and_officers_cannot(client, stale_entries):
    client.force_login(CouncilUserFactory(roles=[roles.OFFICER, roles.DIRECTORY_EDITOR]))
    as_editor = client.get(reverse("directory:needs-checking")).content.decode()
    client.force_login(CouncilUserFactory())
    as_officer = client.get(reverse("directory:needs-checking")).content.decode()

    assert "Mark as checked" in as_editor
    assert "Mark as checked" not in as_officer


def test_marking_an_entry_checked_takes_it_off_the_list(client, stale_entries):
    client.force_login(CouncilUserFactory(roles=[roles.OFFICER, roles.DIRECTORY_EDITOR]))
    officer = stale_entries[0]

    response = client.post(
        reverse("directory:manage-officer-check", args=[officer.pk]),
        {"next": reverse("directory:needs-checking")},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("directory:needs-checking")
    assert response.context["page_obj"].paginator.count == 61
    assert "marked as checked today" in response.content.decode()


def test_providers_cannot_see_the_needs_checking_list(client, stale_entries):
    client.force_login(ProviderUserFactory())

    assert client.get(reverse("directory:needs-checking")).status_code == 403


# The monthly reminder


@pytest.fixture
def reminders_due(owner, other_owner, team):
    """The owner has two stale entries, the other owner one; a third owner has only fresh ones."""
    fresh_owner = CouncilUserFactory(email="fresh@council.example.org")
    officer = factories.OfficerFactory(
        team=team, owner=owner, full_name="Stan Stale", last_verified_on=long_ago()
    )
    factories.ResponsibilityFactory(officer=officer, team=team, owner=owner, last_verified_on=None)
    factories.TeamFactory(name="Quality", owner=other_owner, last_verified_on=None)
    factories.OfficerFactory(team=team, owner=fresh_owner, last_verified_on=recently())
    return {"owner": owner, "other_owner": other_owner, "fresh_owner": fresh_owner, "officer": officer}


def test_each_owner_with_stale_entries_gets_exactly_one_email(
    reminders_due, smtp_sink, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.council.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        sent = stale_entry_reminders_send(month=MONTH)

    assert sent == 2
    delivered = {tuple(envelope.rcpt_tos): envelope for envelope in smtp_sink.messages}
    assert set(delivered) == {("owner@council.example.org",), ("other@council.example.org",)}
    body = (
        message_from_bytes(delivered[("owner@council.example.org",)].content)
        .get_payload(decode=True)
        .decode()
    )
    officer_url = reverse("directory:manage-officer-detail", args=[reminders_due["officer"].pk])
    assert f"https://portal.council.example.org{officer_url}" in body
    assert "Stan Stale" in body
    assert "Safeguarding: Stan Stale" in body
    assert "Quality" not in body
    reminder = VerificationReminder.objects.get(owner=reminders_due["owner"])
    assert (reminder.month, reminder.entries) == (MONTH, 2)


def test_owners_with_nothing_stale_get_no_email(reminders_due):
    stale_entry_reminders_send(month=MONTH)

    recipients = [address for message in OutboxMessage.objects.all() for address in message.recipients]
    assert "fresh@council.example.org" not in recipients
    assert not VerificationReminder.objects.filter(owner=reminders_due["fresh_owner"]).exists()


def test_a_second_run_in_the_same_month_sends_nothing_more(
    reminders_due, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stale_entry_reminders_send(month=MONTH)
    with django_capture_on_commit_callbacks(execute=True):
        again = stale_entry_reminders_send(month=date(2026, 3, 17))

    assert again == 0
    assert len(smtp_sink.messages) == 2
    assert OutboxMessage.objects.count() == 2
    assert VerificationReminder.objects.count() == 2


def test_next_month_owners_are_reminded_again(reminders_due):
    stale_entry_reminders_send(month=MONTH)

    assert stale_entry_reminders_send(month=date(2026, 4, 1)) == 2
    assert OutboxMessage.objects.count() == 4


def test_an_owner_whose_account_is_closed_is_not_emailed(reminders_due):
    reminders_due["other_owner"].is_active = False
    reminders_due["other_owner"].save()

    assert stale_entry_reminders_send(month=MONTH) == 1
    assert OutboxMessage.objects.get().recipients == ["owner@council.example.org"]


def test_the_task_calls_the_service_for_the_month_it_is_given(reminders_due):
    assert send_stale_entry_reminders("2026-03-01") == 2
    assert send_stale_entry_reminders("2026-03-01") == 0
    assert set(VerificationReminder.objects.values_list("month", flat=True)) == {MONTH}


def test_the_task_defaults_to_this_month(reminders_due):
    send_stale_entry_reminders()

    assert set(VerificationReminder.objects.values_list("month", flat=True)) == {
        timezone.localdate().replace(day=1)
    }


# The schedule


def test_the_reminder_runs_at_eight_on_the_first_of_each_month_london_time():
    task = PeriodicTask.objects.get(name=REMINDER)

    assert task.task == "directory.tasks.send_stale_entry_reminders"
    assert task.interval is None
    crontab = task.crontab
    assert (
        crontab.minute,
        crontab.hour,
        crontab.day_of_month,
        crontab.month_of_year,
        crontab.day_of_week,
    ) == (
        "0",
        "8",
        "1",
        "*",
        "*",
    )
    assert str(crontab.timezone) == "Europe/London"


def test_schedules_are_created_only_when_missing_and_keep_an_administrators_changes():
    task = PeriodicTask.objects.get(name=REMINDER)
    task.enabled = False
    task.save()

    ensure_periodic_tasks()
    ensure_periodic_tasks()

    assert PeriodicTask.objects.filter(name=REMINDER).count() == 1
    assert not PeriodicTask.objects.get(name=REMINDER).enabled
    assert CrontabSchedule.objects.filter(hour="8", day_of_month="1").count() == 1
    assert PeriodicTask.objects.filter(name__in=[name for name, _, _ in SCHEDULES]).count() == len(SCHEDULES)


def test_interval_schedules_still_run_every_minute():
    heartbeat = PeriodicTask.objects.get(task="portal.tasks.record_heartbeat")

    assert (heartbeat.interval.every, heartbeat.interval.period) == (60, "seconds")
    assert heartbeat.crontab is None
