"""The who's-who's change history: each entry's own page, and what changed across it since a date."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Officer, Team
from directory.selectors import history
from directory.services import officers as officer_services
from directory.services import responsibilities as responsibility_services
from directory.services import teams as team_services
from directory.services.verification import entry_mark_checked
from directory.tests import factories
from portal import roles
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

# Session, user and roles (3); the count and page of the union (2); for each of the four kinds its records and
# the records before them (8); the three many-to-many histories (3); one query per model the records name
# (users, teams, officers, directorates, topics, areas, service types: 7). A query per row would be 50 more.
CHANGES_MAX_QUERIES = 23


@pytest.fixture
def editor():
    return CouncilUserFactory(full_name="Edie Editor", roles=[roles.OFFICER, roles.DIRECTORY_EDITOR])


@pytest.fixture
def team():
    return factories.TeamFactory(name="Contract Management Mid")


@pytest.fixture
def officer(editor, team):
    return officer_services.officer_create(
        by=editor,
        full_name="Jo Bloggs",
        job_title="Contract officer",
        team=team,
        email="jo.bloggs@council.example.org",
        areas=[factories.area("mid")],
    )


def changes_of(response) -> list[history.Change]:
    return response.context["history"]


def test_officer_page_shows_who_changed_what_and_when(client, editor, officer):
    other_team = factories.TeamFactory(name="Contract Management West")
    officer_services.officer_update(
        officer=officer,
        by=editor,
        job_title="Senior contract officer",
        team=other_team,
        areas=[factories.area("mid"), factories.area("west")],
    )
    client.force_login(CouncilUserFactory())

    response = client.get(reverse("directory:manage-officer-detail", args=[officer.pk]))

    latest, added = changes_of(response)
    assert (latest.who, latest.action, latest.reason) == ("Edie Editor", "Changed", "Edited")
    assert {(change.label, change.old, change.new) for change in latest.changes} == {
        ("Job title", "Contract officer", "Senior contract officer"),
        ("Team", "Contract Management Mid", "Contract Management West"),
        ("Areas", "Mid", "Mid, West"),
    }
    assert (added.action, added.changes) == ("Added", [])
    page = response.content.decode()
    assert "Senior contract officer" in page
    assert "Edie Editor" in page


def test_marking_as_checked_and_leaving_show_in_the_history(client, editor, officer):
    entry_mark_checked(entry=officer, by=editor)
    officer_services.officer_retire(officer=officer, by=editor, last_day=timezone.localdate())
    client.force_login(CouncilUserFactory())

    response = client.get(reverse("directory:manage-officer-detail", args=[officer.pk]))

    left = changes_of(response)[0]
    assert left.reason == "Left"
    assert [change.label for change in left.changes] == ["Last day in post"]
    assert left.changes[0].old == "(none)"


def test_team_and_responsibility_pages_show_their_history(client, editor, officer, team):
    old_mailbox = team.mailbox
    team_services.team_update(team=team, by=editor, mailbox="contracts.mid@council.example.org")
    responsibility = responsibility_services.responsibility_create(
        by=editor, topic=factories.topic("quality"), officer=officer, team=team
    )
    responsibility_services.responsibility_update(
        responsibility=responsibility, by=editor, service_types=[factories.service_type("home-care")]
    )
    client.force_login(CouncilUserFactory())

    team_page = client.get(reverse("directory:manage-team-detail", args=[team.pk]))
    responsibility_page = client.get(
        reverse("directory:manage-responsibility-detail", args=[responsibility.pk])
    )

    mailbox = changes_of(team_page)[0].changes
    assert {(change.label, change.old, change.new) for change in mailbox} == {
        ("Team mailbox", old_mailbox, "contracts.mid@council.example.org"),
        ("Owner", "(none)", "Edie Editor"),
    }
    service_types = changes_of(responsibility_page)[0].changes
    assert [(change.label, change.old, change.new) for change in service_types] == [
        ("Service types", "(none)", "Home care")
    ]


def test_a_change_whose_earlier_version_was_never_recorded_says_so(editor, team):
    officer = factories.OfficerFactory(team=team)
    officer.history.all().delete()
    officer_services.officer_update(officer=officer, by=editor, job_title="Manager")

    (change,) = history.entry_history(officer)

    assert change.earlier_version_unknown
    assert change.changes == []


def test_entry_history_costs_the_same_however_long_it_is(editor, officer, django_assert_max_num_queries):
    for number in range(30):
        officer_services.officer_update(officer=officer, by=editor, job_title=f"Title {number}")

    # The records with their users, the areas of every record, and the names behind foreign keys.
    with django_assert_max_num_queries(6):
        changes = history.entry_history(officer)

    assert len(changes) == 31
    assert changes[0].changes[0].new == "Title 29"


# What changed since a date


def move_history_back(model, days: int) -> None:
    model.history.update(history_date=timezone.now() - timedelta(days=days))


def test_what_changed_shows_the_last_30_days_by_default_newest_first(client, editor, officer, team):
    move_history_back(Officer, 40)
    move_history_back(Team, 40)
    officer_services.officer_update(officer=officer, by=editor, phone="0300 555 0000")
    provider = factories.ProviderOrganisationFactory(name="Sunrise Care Ltd")
    provider.people_supported = 42
    provider.save()
    client.force_login(CouncilUserFactory())

    response = client.get(reverse("directory:changes-since"))

    changes = response.context["changes"]
    assert response.context["since"] == timezone.localdate() - timedelta(days=30)
    assert [(change.kind, change.name, change.action) for change in changes] == [
        ("provider", "Sunrise Care Ltd", "Changed"),
        ("provider", "Sunrise Care Ltd", "Added"),
        ("officer", "Jo Bloggs", "Changed"),
    ]
    assert changes[0].changes[0].label == "Number of people supported"
    assert [(field.label, field.old, field.new) for field in changes[2].changes] == [
        ("Phone", "(none)", "0300 555 0000")
    ]
    assert changes[2].who == "Edie Editor"
    assert changes[2].url == reverse("directory:manage-officer-detail", args=[officer.pk])
    assert changes[0].url == reverse("directory:provider-detail", args=[provider.pk])


def test_what_changed_since_an_earlier_date_includes_older_changes(client, officer):
    move_history_back(Officer, 40)
    move_history_back(Team, 90)
    since = timezone.localdate() - timedelta(days=60)
    client.force_login(CouncilUserFactory())

    response = client.get(
        reverse("directory:changes-since"),
        {"since_0": since.day, "since_1": since.month, "since_2": since.year},
    )

    assert [change.name for change in response.context["changes"]] == ["Jo Bloggs"]
    assert f"since {since:%-d %B %Y}" in response.content.decode()


def test_what_changed_filters_by_kind(client, officer, team):
    factories.ProviderOrganisationFactory()
    client.force_login(CouncilUserFactory())
    since = timezone.localdate()

    response = client.get(
        reverse("directory:changes-since"),
        {"since_0": since.day, "since_1": since.month, "since_2": since.year, "kind": "team"},
    )

    assert {change.kind for change in response.context["changes"]} == {"team"}


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2024", "The date to show changes from must be a real date"),
        ("", "", "", "Enter the date to show changes from"),
        ("1", "1", "2999", "The date to show changes from must be today or in the past"),
    ],
)
def test_a_bad_date_gets_an_error_summary_not_a_500(client, day, month, year, message):
    client.force_login(CouncilUserFactory())

    response = client.get(
        reverse("directory:changes-since"), {"since_0": day, "since_1": month, "since_2": year}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert page.count("<title>Error: ") == 1


@pytest.fixture
def busy_month(editor):
    """About 150 changes across every kind, each with an earlier version and many-to-many choices to compare."""
    teams = factories.TeamFactory.create_batch(10)
    officers = [
        officer_services.officer_create(
            by=editor,
            full_name=f"Officer {number}",
            job_title="Officer",
            team=teams[number % 10],
            email=f"officer.{number}@council.example.org",
        )
        for number in range(30)
    ]
    for number, officer in enumerate(officers):
        officer_services.officer_update(
            officer=officer, by=editor, deputy=officers[number - 1], areas=[factories.area("south")]
        )
        responsibility = responsibility_services.responsibility_create(
            by=editor, topic=factories.topic("safeguarding"), officer=officer
        )
        responsibility_services.responsibility_update(
            responsibility=responsibility, by=editor, team=officer.team, areas=[factories.area("west")]
        )
    for provider in factories.ProviderOrganisationFactory.create_batch(15):
        provider.contract_manager = officers[0]
        provider.save()
    for team in teams:
        team_services.team_update(team=team, by=editor, phone="0300 555 0123")


def test_what_changed_pages_through_changes_without_a_query_per_row(
    client, busy_month, django_assert_max_num_queries
):
    client.force_login(CouncilUserFactory())

    with django_assert_max_num_queries(CHANGES_MAX_QUERIES):
        first = client.get(reverse("directory:changes-since"))
    with django_assert_max_num_queries(CHANGES_MAX_QUERIES):
        last = client.get(reverse("directory:changes-since"), {"page": "last"})

    assert first.context["page_obj"].paginator.count > 150
    assert len(first.context["changes"]) == 50
    assert all(change.changes for change in first.context["changes"] if change.action == "Changed")
    assert last.context["page_obj"].number == first.context["page_obj"].paginator.num_pages
    whens = [change.when for change in first.context["changes"]]
    assert whens == sorted(whens, reverse=True)


def test_changes_are_told_against_their_earlier_versions_in_bulk(busy_month, django_assert_max_num_queries):
    rows = list(history.changes_since(since=timezone.localdate())[:100])

    # Per kind: the records, their earlier versions, their many-to-many choices; then the names behind them.
    with django_assert_max_num_queries(20):
        changes = history.changes_load(rows)

    assert len(changes) == 100
    deputies = [field for change in changes for field in change.changes if field.label == "Deputy"]
    assert deputies and all(field.new.startswith("Officer ") for field in deputies)
    managers = [field for change in changes for field in change.changes if field.label == "Contract manager"]
    assert all(field.new == "Officer 0" for field in managers)


def test_providers_cannot_see_what_changed(client):
    client.force_login(ProviderUserFactory())

    assert client.get(reverse("directory:changes-since")).status_code == 403


def test_provider_changes_are_named_and_linked(client):
    provider = factories.ProviderOrganisationFactory(name="Meadow View Care Ltd")
    client.force_login(CouncilUserFactory())

    response = client.get(reverse("directory:changes-since"))

    assert reverse("directory:provider-detail", args=[provider.pk]) in response.content.decode()
