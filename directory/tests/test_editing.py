"""Directory editors add, edit and retire officers, teams and responsibilities in the browser."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Area, Officer, Responsibility, Team
from directory.services import officers as officer_services
from directory.services.entries import EntryError
from directory.tests import factories
from portal import roles
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, permissions (twice), count, one page of rows (with their areas and service types).
LIST_MAX_QUERIES = 10


@pytest.fixture
def editor():
    return CouncilUserFactory(
        email="editor@council.example.org", roles=[roles.OFFICER, roles.DIRECTORY_EDITOR]
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def team():
    return factories.TeamFactory(name="Safeguarding Adults Mid")


@pytest.fixture
def officer(team):
    return factories.OfficerFactory(
        full_name="Jo Bloggs", email="jo.bloggs@council.example.org", team=team, active_from=date(2020, 1, 1)
    )


def officer_data(team, **changes) -> dict:
    data = {
        "full_name": "Sam Patel",
        "job_title": "Contract officer",
        "seniority": Officer.Seniority.OFFICER,
        "team": team.pk,
        "email": "sam.patel@council.example.org",
        "phone": "0300 555 0199",
        "areas": [factories.area("mid").pk],
        "deputy": "",
        "market_lead": "",
        "active_from_0": "1",
        "active_from_1": "4",
        "active_from_2": "2024",
        "active_to_0": "",
        "active_to_1": "",
        "active_to_2": "",
    }
    data.update(changes)
    return data


def error_summary(response) -> str:
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page, "the page has no error summary"
    return page.split('class="govuk-error-summary"', 1)[1].split("<h1", 1)[0]


# Officers


def test_editor_adds_an_officer_who_is_owned_by_the_editor_and_checked_today(editor_client, editor, team):
    response = editor_client.post(
        reverse("directory:manage-officer-add"), officer_data(team, owner=editor.pk), follow=True
    )

    officer = Officer.objects.get(email="sam.patel@council.example.org")
    assert response.redirect_chain[-1][0] == reverse("directory:manage-officer-detail", args=[officer.pk])
    assert "Officer added: Sam Patel" in response.content.decode()
    assert "govuk-notification-banner--success" in response.content.decode()
    assert officer.owner == editor
    assert officer.last_verified_on == timezone.localdate()
    assert list(officer.areas.values_list("slug", flat=True)) == ["mid"]
    record = officer.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", editor, "Added")
    assert list(record.areas.values_list("area__slug", flat=True)) == ["mid"]


def test_add_form_suggests_the_editor_as_owner(editor_client, editor):
    response = editor_client.get(reverse("directory:manage-officer-add"))

    assert response.context["form"]["owner"].value() == editor.pk


def test_editor_edits_an_officer_in_one_history_record(editor_client, editor, officer, team):
    url = reverse("directory:manage-officer-edit", args=[officer.pk])
    data = officer_data(
        team,
        full_name="Jo Bloggs",
        job_title="Head of safeguarding",
        email="JO.BLOGGS@council.example.org",
        areas=[factories.area("mid").pk, factories.area("west").pk],
        owner=editor.pk,
    )

    response = editor_client.post(url, data, follow=True)

    officer.refresh_from_db()
    assert "Changes to Jo Bloggs saved" in response.content.decode()
    assert officer.job_title == "Head of safeguarding"
    assert officer.email == "jo.bloggs@council.example.org"
    assert sorted(officer.areas.values_list("slug", flat=True)) == ["mid", "west"]
    assert officer.history.count() == 2, "the edit, areas included, is one record after the addition"
    latest = officer.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == ("~", editor, "Edited")


def test_edit_form_starts_from_the_officers_details(editor_client, officer):
    officer.areas.set([factories.area("south")])

    form = editor_client.get(reverse("directory:manage-officer-edit", args=[officer.pk])).context["form"]

    assert form["full_name"].value() == "Jo Bloggs"
    assert form["team"].value() == officer.team_id
    assert [area.slug for area in form.initial["areas"]] == ["south"]
    assert form.initial["active_from"] == date(2020, 1, 1)


def test_duplicate_officer_email_is_an_error_not_a_500(editor_client, officer, team):
    response = editor_client.post(
        reverse("directory:manage-officer-add"), officer_data(team, email="Jo.Bloggs@Council.Example.org")
    )

    assert response.status_code == 200
    assert "An officer with this email address already exists" in error_summary(response)
    assert response.context["form"].errors["email"] == ["An officer with this email address already exists"]
    assert Officer.objects.count() == 1


def test_an_officer_cannot_be_their_own_deputy(editor_client, officer, team, editor):
    response = editor_client.post(
        reverse("directory:manage-officer-edit", args=[officer.pk]),
        officer_data(team, email=officer.email, deputy=officer.pk, owner=editor.pk),
    )

    assert response.status_code == 200
    assert "An officer cannot be their own deputy." in error_summary(response)
    officer.refresh_from_db()
    assert officer.deputy is None


def test_end_date_before_start_date_is_an_error(editor_client, team, editor):
    data = officer_data(team, owner=editor.pk, active_to_0="31", active_to_1="3", active_to_2="2024")

    response = editor_client.post(reverse("directory:manage-officer-add"), data)

    assert response.status_code == 200
    assert "The end date must be on or after the start date." in error_summary(response)
    assert not Officer.objects.exists()


def test_a_date_that_does_not_exist_is_an_error(editor_client, team, editor):
    data = officer_data(team, owner=editor.pk, active_from_0="31", active_from_1="2", active_from_2="2024")

    response = editor_client.post(reverse("directory:manage-officer-add"), data)

    assert "The date the officer started must be a real date" in error_summary(response)


@pytest.mark.parametrize("team_choice", ["retired", "unknown", "not a number"])
def test_officer_needs_a_team_that_exists_and_is_active(editor_client, editor, team_choice):
    retired = factories.TeamFactory(is_active=False)
    data = officer_data(retired, owner=editor.pk)
    data["team"] = {"retired": retired.pk, "unknown": 987654, "not a number": "abc"}[team_choice]

    response = editor_client.post(reverse("directory:manage-officer-add"), data)

    assert response.status_code == 200
    assert "Choose a team that is still active" in error_summary(response)


def test_empty_officer_form_lists_every_missing_answer(editor_client):
    response = editor_client.post(reverse("directory:manage-officer-add"), {})

    summary = error_summary(response)
    for message in (
        "Enter the officer&#x27;s full name",
        "Enter the officer&#x27;s job title",
        "Choose the officer&#x27;s seniority",
        "Choose the officer&#x27;s team",
        "Enter the officer&#x27;s email address",
    ):
        assert message in summary
    assert response.context["form"].errors


def test_service_refuses_a_duplicate_email_even_without_the_form(editor, officer, team):
    with pytest.raises(EntryError) as refused:
        officer_services.officer_create(
            by=editor,
            full_name="Another",
            job_title="Officer",
            team=team,
            email="jo.bloggs@council.example.org",
        )

    assert refused.value.problems == {"email": "An officer with this email address already exists"}


def test_editor_records_an_officers_last_day_and_the_entry_stays(editor_client, editor, officer):
    response = editor_client.post(
        reverse("directory:manage-officer-retire", args=[officer.pk]),
        {"last_day_0": "30", "last_day_1": "6", "last_day_2": "2025"},
        follow=True,
    )

    officer.refresh_from_db()
    assert officer.active_to == date(2025, 6, 30)
    assert "last day in post is recorded as 30 June 2025" in response.content.decode()
    assert officer.history.first().history_change_reason == "Left"
    assert Officer.objects.filter(pk=officer.pk).exists()


def test_last_day_before_the_officer_started_is_an_error(editor_client, officer):
    response = editor_client.post(
        reverse("directory:manage-officer-retire", args=[officer.pk]),
        {"last_day_0": "1", "last_day_1": "1", "last_day_2": "2019"},
    )

    assert "The end date must be on or after the start date." in error_summary(response)
    officer.refresh_from_db()
    assert officer.active_to is None


def test_retire_page_warns_what_the_officer_still_answers(editor_client, officer):
    factories.ResponsibilityFactory(officer=officer, team=officer.team)

    response = editor_client.get(reverse("directory:manage-officer-retire", args=[officer.pk]))

    assert response.context["still_depending"]["responsibilities"] == 1
    assert "still answers 1 responsibility" in response.content.decode()


# Teams


def test_editor_adds_and_edits_a_team(editor_client, editor):
    directorate = factories.DirectorateFactory(name="Commissioning", slug="commissioning")
    data = {
        "directorate": directorate.pk,
        "name": "Market Development",
        "mailbox": "market@council.example.org",
        "phone": "",
        "owner": editor.pk,
    }

    editor_client.post(reverse("directory:manage-team-add"), data)
    team = Team.objects.get(name="Market Development")
    response = editor_client.post(
        reverse("directory:manage-team-edit", args=[team.pk]), {**data, "phone": "0300 555 0111"}, follow=True
    )

    team.refresh_from_db()
    assert team.phone == "0300 555 0111"
    assert team.owner == editor
    assert "Changes to Market Development saved" in response.content.decode()
    assert [record.history_change_reason for record in team.history.all()] == ["Edited", "Added"]


def test_duplicate_team_name_in_a_directorate_is_an_error(editor_client, team, editor):
    response = editor_client.post(
        reverse("directory:manage-team-add"),
        {
            "directorate": team.directorate_id,
            "name": team.name.upper(),
            "mailbox": "other@council.example.org",
            "owner": editor.pk,
        },
    )

    assert "A team with this name already exists in this directorate" in error_summary(response)


def test_team_with_officers_in_post_cannot_be_retired(editor_client, officer, team):
    response = editor_client.post(reverse("directory:manage-team-retire", args=[team.pk]))

    assert response.status_code == 200
    assert "Move the team&#x27;s 1 officer in post to another team before retiring it" in error_summary(
        response
    )
    team.refresh_from_db()
    assert team.is_active


def test_editor_retires_a_team_and_keeps_its_history(editor_client, team):
    response = editor_client.post(reverse("directory:manage-team-retire", args=[team.pk]), follow=True)

    team.refresh_from_db()
    assert not team.is_active
    assert f"{team.name} is retired" in response.content.decode()
    assert team.history.first().history_change_reason == "Retired"


# Responsibilities


def responsibility_data(**changes) -> dict:
    data = {
        "topic": factories.topic("safeguarding").pk,
        "officer": "",
        "team": "",
        "areas": [],
        "service_types": [],
        "notes": "",
    }
    data.update(changes)
    return data


def test_responsibility_needs_an_officer_or_a_team(editor_client, editor):
    response = editor_client.post(
        reverse("directory:manage-responsibility-add"), responsibility_data(owner=editor.pk)
    )

    assert response.status_code == 200
    assert "Choose the officer or the team who answers." in error_summary(response)
    assert not Responsibility.objects.exists()


def test_responsibility_cannot_point_at_a_retired_team(editor_client, editor):
    retired = factories.TeamFactory(is_active=False)

    response = editor_client.post(
        reverse("directory:manage-responsibility-add"), responsibility_data(team=retired.pk, owner=editor.pk)
    )

    assert "Choose a team that is still active" in error_summary(response)


def test_editor_adds_a_responsibility_with_its_areas_and_service_types(editor_client, editor, officer):
    data = responsibility_data(
        officer=officer.pk,
        team=officer.team_id,
        areas=[factories.area("mid").pk],
        service_types=[factories.service_type("home-care").pk],
        owner=editor.pk,
    )

    response = editor_client.post(reverse("directory:manage-responsibility-add"), data, follow=True)

    responsibility = Responsibility.objects.get()
    assert "Responsibility added: Safeguarding: Jo Bloggs" in response.content.decode()
    assert [area.slug for area in responsibility.areas.all()] == ["mid"]
    assert [kind.slug for kind in responsibility.service_types.all()] == ["home-care"]
    assert responsibility.history.get().history_type == "+"


def test_editor_retires_a_responsibility_from_a_date(editor_client, officer):
    responsibility = factories.ResponsibilityFactory(officer=officer, team=officer.team)
    ends = timezone.localdate() + timedelta(days=7)

    editor_client.post(
        reverse("directory:manage-responsibility-retire", args=[responsibility.pk]),
        {"on_0": str(ends.day), "on_1": str(ends.month), "on_2": str(ends.year)},
    )

    responsibility.refresh_from_db()
    assert responsibility.retired_on == ends


# Mark as checked


def test_mark_as_checked_records_today_and_who(editor_client, editor, officer):
    Officer.objects.filter(pk=officer.pk).update(last_verified_on=date(2020, 1, 1))

    response = editor_client.post(reverse("directory:manage-officer-check", args=[officer.pk]), follow=True)

    officer.refresh_from_db()
    assert officer.last_verified_on == timezone.localdate()
    assert "Jo Bloggs marked as checked today" in response.content.decode()
    record = officer.history.first()
    assert (record.history_user, record.history_change_reason) == (editor, "Marked as checked")


def test_mark_as_checked_returns_to_the_list_it_came_from_but_never_off_site(editor_client, team):
    needs_checking = reverse("directory:needs-checking") + "?owner=mine"

    back = editor_client.post(
        reverse("directory:manage-team-check", args=[team.pk]), {"next": needs_checking}
    )
    off_site = editor_client.post(
        reverse("directory:manage-team-check", args=[team.pk]), {"next": "https://evil.example.com/"}
    )

    assert back["Location"] == needs_checking
    assert off_site["Location"] == reverse("directory:manage-team-detail", args=[team.pk])


def test_mark_as_checked_is_a_post_only_action(editor_client, team):
    assert editor_client.get(reverse("directory:manage-team-check", args=[team.pk])).status_code == 405


# Who may do what


@pytest.mark.parametrize("url_name", ["manage-officer-edit", "manage-officer-retire"])
def test_officers_without_the_editor_role_cannot_change_the_whos_who(client, officer, url_name):
    client.force_login(CouncilUserFactory())

    assert client.get(reverse(f"directory:{url_name}", args=[officer.pk])).status_code == 403
    assert client.post(reverse("directory:manage-officer-check", args=[officer.pk])).status_code == 403


def test_officers_may_read_the_lists_but_see_no_edit_buttons(client, officer):
    client.force_login(CouncilUserFactory())

    listing = client.get(reverse("directory:manage-officer-list"))
    page = client.get(reverse("directory:manage-officer-detail", args=[officer.pk]))

    assert listing.status_code == page.status_code == 200
    assert "Add an officer" not in listing.content.decode()
    assert "Mark as checked" not in page.content.decode()


def test_providers_cannot_see_the_editors_pages(client, officer):
    client.force_login(ProviderUserFactory())

    assert client.get(reverse("directory:manage-officer-list")).status_code == 403
    assert client.get(reverse("directory:manage-officer-detail", args=[officer.pk])).status_code == 403


def test_a_provider_user_in_the_editor_group_still_cannot_edit(client, officer):
    client.force_login(ProviderUserFactory(roles=[roles.PROVIDER_USER, roles.DIRECTORY_EDITOR]))

    assert client.get(reverse("directory:manage-officer-edit", args=[officer.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, officer):
    response = client.get(reverse("directory:manage-officer-edit", args=[officer.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Lists


@pytest.fixture
def many_entries(team):
    areas = list(Area.objects.all())
    officers = factories.OfficerFactory.create_batch(60, team=team)
    teams = factories.TeamFactory.create_batch(59)
    for index, officer in enumerate(officers):
        responsibility = factories.ResponsibilityFactory(officer=officer, team=team)
        responsibility.areas.set(areas[: 1 + index % 3])
    return officers, teams


@pytest.mark.parametrize(
    ("url_name", "rows"),
    [
        ("directory:manage-officer-list", 60),
        ("directory:manage-team-list", 60),
        ("directory:manage-responsibility-list", 60),
    ],
)
def test_lists_page_through_entries_without_a_query_per_row(
    editor_client, many_entries, django_assert_max_num_queries, url_name, rows
):
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        first = editor_client.get(reverse(url_name))
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        second = editor_client.get(reverse(url_name), {"page": 2})

    assert first.context["page_obj"].paginator.count == rows
    assert len(first.context["object_list"]) == 50
    assert len(second.context["object_list"]) == rows - 50
    assert "Page 1 of 2" in first.content.decode()


def test_officer_list_shows_those_who_have_left_only_when_asked(editor_client, officer, team):
    left = factories.OfficerFactory(team=team, active_to=date(2021, 1, 1), full_name="Lee Left")

    current = editor_client.get(reverse("directory:manage-officer-list"))
    retired = editor_client.get(reverse("directory:manage-officer-list"), {"status": "retired"})

    assert list(current.context["object_list"]) == [officer]
    assert list(retired.context["object_list"]) == [left]
