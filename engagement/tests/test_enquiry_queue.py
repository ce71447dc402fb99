"""The officers' enquiry queue: mine, my team's, unassigned and overdue, with filters, for council staff only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.tests import factories as directory_factories
from engagement.models import Enquiry
from engagement.selectors.enquiry_queue import enquiries_in_queue
from engagement.tests.factories_enquiries import EnquiryFactory
from portal import roles
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, the user's officer entry, the topics and areas, and the page of enquiries with their count.
QUEUE_MAX_QUERIES = 6


def _today() -> dt.date:
    return timezone.localdate()


def _days(days: int) -> dt.date:
    return _today() + dt.timedelta(days=days)


@pytest.fixture
def team():
    return directory_factories.TeamFactory(name="Contract Management Mid")


@pytest.fixture
def other_team():
    return directory_factories.TeamFactory(name="Provider Payments")


@pytest.fixture
def officer_user(team):
    user = CouncilUserFactory(email="olu.officer@council.example.org", full_name="Olu Officer")
    directory_factories.OfficerFactory(full_name="Olu Officer", team=team, user=user)
    return user


@pytest.fixture
def me(officer_user):
    return officer_user.officer


@pytest.fixture
def colleague(team):
    return directory_factories.OfficerFactory(full_name="Cal Colleague", team=team)


@pytest.fixture
def stranger(other_team):
    return directory_factories.OfficerFactory(full_name="Sam Stranger", team=other_team)


def _enquiry(subject: str, **fields) -> Enquiry:
    fields.setdefault("raised_by", None)
    return EnquiryFactory(subject=subject, **fields)


def _queue(client, **query):
    return client.get(reverse("engagement:enquiry-queue"), query)


def _subjects(response) -> list[str]:
    return [enquiry["subject"] for enquiry in response.context["enquiries"]]


def test_an_officer_sees_their_own_open_enquiries_first_soonest_due(client, officer_user, me, colleague):
    later = _enquiry("Later", assigned_officer=me, due_on=_days(9))
    _enquiry("Sooner", assigned_officer=me, due_on=_days(2))
    _enquiry("Resolved", assigned_officer=me, status=Enquiry.Status.RESOLVED, resolved_at=timezone.now())
    _enquiry("Colleague's", assigned_officer=colleague)
    client.force_login(officer_user)

    response = _queue(client)

    assert response.context["show"] == "mine"
    assert _subjects(response) == ["Sooner", "Later"]
    page = response.content.decode()
    assert f'href="{reverse("engagement:enquiry-detail", args=[later.pk])}">{later.reference}</a>' in page
    assert later.provider.name in page
    assert "Olu Officer" in page
    assert 'aria-current="page">Mine</a>' in page


def test_the_team_queue_holds_the_teams_enquiries_and_its_officers(
    client, officer_user, me, colleague, stranger, team, other_team
):
    _enquiry("Mine", assigned_officer=me)
    _enquiry("Colleague's", assigned_officer=colleague)
    _enquiry("With the team", assigned_officer=None, assigned_team=team)
    _enquiry("Other team's", assigned_officer=None, assigned_team=other_team)
    _enquiry("Stranger's", assigned_officer=stranger)
    client.force_login(officer_user)

    response = _queue(client, show="team")

    assert sorted(_subjects(response)) == ["Colleague's", "Mine", "With the team"]
    assert "Contract Management Mid <span" in response.content.decode()


def test_the_unassigned_queue_holds_every_teams_enquiries_not_with_an_officer(
    client, officer_user, me, team, other_team
):
    _enquiry("Mine", assigned_officer=me)
    _enquiry("With my team", assigned_officer=None, assigned_team=team)
    _enquiry("With another team", assigned_officer=None, assigned_team=other_team)
    client.force_login(officer_user)

    response = _queue(client, show="unassigned")

    assert sorted(_subjects(response)) == ["With another team", "With my team"]


def test_the_overdue_queue_leaves_out_paused_resolved_and_not_yet_due_enquiries(
    client, officer_user, me, stranger
):
    _enquiry("Late", assigned_officer=stranger, due_on=_days(-3))
    _enquiry("Due today", assigned_officer=me, due_on=_today())
    _enquiry(
        "Waiting for the provider",
        assigned_officer=me,
        due_on=_days(-3),
        status=Enquiry.Status.AWAITING_PROVIDER,
        paused_since=timezone.now(),
    )
    _enquiry(
        "Resolved late",
        assigned_officer=me,
        due_on=_days(-3),
        status=Enquiry.Status.RESOLVED,
        resolved_at=timezone.now(),
    )
    client.force_login(officer_user)

    response = _queue(client, show="overdue")

    assert _subjects(response) == ["Late"]
    assert response.content.decode().count(">Overdue</strong>") == 1


def test_the_overdue_tag_shows_in_every_queue(client, officer_user, me):
    _enquiry("Late", assigned_officer=me, due_on=_days(-1))
    _enquiry("On time", assigned_officer=me, due_on=_days(1))
    client.force_login(officer_user)

    response = _queue(client)

    assert [(enquiry["subject"], enquiry["is_overdue"]) for enquiry in response.context["enquiries"]] == [
        ("Late", True),
        ("On time", False),
    ]
    assert response.content.decode().count(">Overdue</strong>") == 1


def test_council_staff_without_an_officer_entry_see_every_team_and_have_no_mine(client, me, stranger):
    director = DirectorFactory()
    _enquiry("Olu's", assigned_officer=me)
    _enquiry("Sam's", assigned_officer=stranger)
    client.force_login(director)

    default = _queue(client)
    asked_for_mine = _queue(client, show="mine")

    assert default.context["show"] == "team"
    assert sorted(_subjects(default)) == ["Olu's", "Sam's"]
    assert asked_for_mine.context["show"] == "team"
    assert [value for value, _ in default.context["queues"]] == ["team", "unassigned", "overdue"]


def test_filters_narrow_by_topic_area_and_status(client, officer_user, me):
    safeguarding = directory_factories.topic("safeguarding")
    mid, south = directory_factories.area("mid"), directory_factories.area("south")
    _enquiry("Safeguarding in Mid", assigned_officer=me, topic=safeguarding, area=mid)
    _enquiry("Safeguarding in South", assigned_officer=me, topic=safeguarding, area=south)
    _enquiry("Payments in Mid", assigned_officer=me, area=mid)
    _enquiry(
        "Waiting",
        assigned_officer=me,
        topic=safeguarding,
        area=mid,
        status=Enquiry.Status.AWAITING_PROVIDER,
        paused_since=timezone.now(),
    )
    _enquiry(
        "Resolved",
        assigned_officer=me,
        topic=safeguarding,
        area=mid,
        status=Enquiry.Status.RESOLVED,
        resolved_at=timezone.now(),
    )
    client.force_login(officer_user)

    assert sorted(_subjects(_queue(client, topic="safeguarding", area="mid"))) == [
        "Safeguarding in Mid",
        "Waiting",
    ]
    assert _subjects(_queue(client, topic="safeguarding", area="mid", status="open")) == [
        "Safeguarding in Mid"
    ]
    assert _subjects(_queue(client, topic="safeguarding", status="awaiting_provider")) == ["Waiting"]
    assert _subjects(_queue(client, status="resolved")) == ["Resolved"]


def test_a_filter_not_in_the_list_is_an_error_and_the_others_still_apply(client, officer_user, me):
    _enquiry("Safeguarding", assigned_officer=me, topic=directory_factories.topic("safeguarding"))
    _enquiry("Payments", assigned_officer=me)
    client.force_login(officer_user)

    response = _queue(client, topic="safeguarding", area="atlantis")

    assert _subjects(response) == ["Safeguarding"]
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose an area from the list" in page


def test_an_empty_queue_says_so(client, officer_user, me):
    client.force_login(officer_user)

    page = _queue(client, topic="quality").content.decode()

    assert "No enquiries in this queue match the filters" in page


def test_the_queue_shows_twenty_five_a_page(client, officer_user, me):
    for day in range(27):
        _enquiry(f"Enquiry {day:02d}", assigned_officer=me, due_on=_days(day))
    client.force_login(officer_user)

    first, second = _queue(client), _queue(client, page=2)

    assert len(first.context["enquiries"]) == 25
    assert _subjects(second) == ["Enquiry 25", "Enquiry 26"]
    assert "Page 1 of 2" in first.content.decode()


def test_a_page_past_the_last_is_not_found_and_the_last_page_can_be_asked_for(client, officer_user, me):
    for day in range(27):
        _enquiry(f"Enquiry {day:02d}", assigned_officer=me, due_on=_days(day))
    client.force_login(officer_user)

    assert _queue(client, page=3).status_code == 404
    assert _queue(client, page="nonsense").status_code == 404
    assert _subjects(_queue(client, page="last")) == ["Enquiry 25", "Enquiry 26"]


def test_providers_cannot_see_the_queue(client, provider_a):
    client.force_login(ProviderUserFactory(provider_organisation=provider_a))

    assert _queue(client).status_code == 403


def test_the_selector_takes_the_day_it_is_asked_on(me):
    _enquiry("Due Friday", assigned_officer=me, due_on=dt.date(2026, 6, 5))

    on_friday = enquiries_in_queue(show="overdue", officer=me, today=dt.date(2026, 6, 5))
    on_monday = enquiries_in_queue(show="overdue", officer=me, today=dt.date(2026, 6, 8))

    assert list(on_friday) == []
    assert [enquiry["subject"] for enquiry in on_monday] == ["Due Friday"]


@pytest.mark.parametrize("show", ["mine", "team", "unassigned", "overdue"])
def test_the_queue_does_not_read_more_with_more_enquiries(
    client, officer_user, me, colleague, team, show, django_assert_max_num_queries
):
    providers = [directory_factories.ProviderOrganisationFactory() for _ in range(3)]
    client.force_login(officer_user)
    for rows in (3, 30):
        for index in range(rows - Enquiry.objects.count()):
            _enquiry(
                f"Enquiry {index}",
                provider=providers[index % 3],
                assigned_officer=(me, colleague, None)[index % 3] if show != "unassigned" else None,
                assigned_team=team,
                due_on=_days(-1 if show == "overdue" else index),
                area=directory_factories.area("mid"),
            )
        with django_assert_max_num_queries(QUEUE_MAX_QUERIES):
            response = _queue(client, show=show, area="mid")
        assert response.status_code == 200
        expected = rows // 3 if show == "mine" else rows
        assert response.context["page_obj"].paginator.count == expected


def test_engagement_managers_and_directory_editors_see_the_queue(client):
    for role_names in ([roles.OFFICER, roles.ENGAGEMENT_MANAGER], [roles.OFFICER, roles.DIRECTORY_EDITOR]):
        client.force_login(CouncilUserFactory(roles=role_names))
        assert _queue(client).status_code == 200
