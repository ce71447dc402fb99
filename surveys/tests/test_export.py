"""The CSV export for analysts: anonymised responses, small groups' segment values suppressed."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from directory.models import Area
from portal import roles
from portal.tests.factories import DirectorFactory, OfficerFactory
from surveys.models import Audience, Invitation, Response
from surveys.selectors.results import SUPPRESSED
from surveys.tests.test_dashboard import make_cycle, respond

pytestmark = pytest.mark.django_db

# Session, user, roles and permissions, the cycle, its questions, its responses, the segments' names, the answers.
EXPORT_MAX_QUERIES = 9


def _export(client, year: int = 2025):
    response = client.get(reverse("surveys:export", kwargs={"year": year}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    # utf-8-sig: the file opens with a byte order mark, so that Excel reads it as UTF-8.
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def manager(client):
    user = OfficerFactory(roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER])
    client.force_login(user)
    return user


@pytest.fixture
def made():
    made = make_cycle(2025)
    respond(
        made,
        Audience.PROVIDERS,
        12,
        scores=(4, None),
        text="Provider comment",
        area=Area.objects.get(name="West"),
        size="large",
    )
    respond(made, Audience.PROVIDERS, 11, scores=(2,), area=Area.objects.get(name="South"), size="large")
    respond(made, Audience.PROVIDERS, 3, scores=(5,), area=Area.objects.get(name="Mid"), size="large")
    respond(made, Audience.OFFICERS, 15, scores=(3,), seniority="manager", text="Officer comment")
    return made


def test_one_row_per_response_with_each_questions_score_or_text(client, manager, made):
    rows = _export(client)

    assert len(rows) == Response.objects.count() == 41
    assert {row["response"] for row in rows} == {
        str(pk) for pk in Response.objects.values_list("pk", flat=True)
    }
    west = next(row for row in rows if row["area"] == "West")
    trust = next(key for key in west if key.startswith("Providers 1:"))
    sharing = next(key for key in west if key.startswith("Providers 2:"))
    free_text = next(key for key in west if key.startswith("Providers 3:"))
    assert {west[trust], west[sharing]} == {"4", "don't know"}
    assert west[free_text].startswith("Provider comment")
    assert west["audience"] == "providers" and west["is_complete"] == "yes"
    assert west["seniority"] == "" and west["team"] == ""
    officer = next(row for row in rows if row["audience"] == "officers")
    assert officer["seniority"] == "Manager" and officer[trust] == ""


def test_a_small_groups_segment_value_is_never_written(client, manager, made):
    rows = _export(client)
    areas = {row["area"] for row in rows if row["audience"] == "providers"}

    # Mid has three responses; South, the next smallest, is suppressed beside it.
    assert "Mid" not in areas and "South" not in areas
    assert areas == {"West", SUPPRESSED}
    assert sum(row["area"] == SUPPRESSED for row in rows) == 14
    # Size is shown: every provider gave the same one, a group of 26.
    assert {row["size"] for row in rows if row["audience"] == "providers"} == {
        "Large (100 or more people supported)"
    }


def test_the_minimum_comes_from_the_setting(client, manager, made, settings):
    settings.SURVEY_MINIMUM_GROUP_SIZE = 3

    areas = {row["area"] for row in _export(client) if row["audience"] == "providers"}

    assert areas == {"West", "South", "Mid"}


def test_nothing_identifying_is_exported(client, manager, made):
    invitation = Invitation.objects.create(
        cycle=made["cycle"], audience=Audience.PROVIDERS, email="named.person@provider.example.org", used=True
    )
    response = client.get(reverse("surveys:export", kwargs={"year": 2025}))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    heading = next(csv.reader(io.StringIO(content)))

    assert invitation.token not in content and "named.person" not in content and "@" not in content
    assert not {"invitation", "email", "token", "created_at", "submitted_at", "time", "date"} & {
        column.lower() for column in heading
    }
    assert heading[:8] == [
        "response",
        "audience",
        "provider_type",
        "area",
        "size",
        "seniority",
        "team",
        "is_complete",
    ]
    # Rows in the order of the random keys: nothing about when each came in.
    keys = [row[0] for row in csv.reader(io.StringIO(content))][1:]
    assert keys == sorted(keys)


def test_free_text_only_for_those_who_may_read_it(client, made):
    analyst = OfficerFactory(roles=[roles.OFFICER])
    analyst.user_permissions.add(Permission.objects.get(codename="export_response"))
    client.force_login(analyst)

    rows = _export(client)

    assert not any(key.startswith(("Providers 3:", "Council officers 3:")) for key in rows[0])
    assert "Provider comment" not in str(rows)


def test_directors_and_officers_may_not_export(client, made):
    for user in (DirectorFactory(), OfficerFactory()):
        client.force_login(user)
        assert client.get(reverse("surveys:export", kwargs={"year": 2025})).status_code == 403


def test_the_export_reads_the_same_however_many_responses(client, manager, django_assert_max_num_queries):
    made = make_cycle(2025)
    counts = []
    for size in (3, 40):
        respond(
            made, Audience.PROVIDERS, size, scores=(1, 5), text="Comment", area=Area.objects.get(name="Mid")
        )
        with django_assert_max_num_queries(EXPORT_MAX_QUERIES) as captured:
            rows = _export(client)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert len(rows) == 43


def test_a_combination_of_segments_too_small_to_show_is_suppressed_with_enough_company(client, manager):
    """West and "small" each have enough responses, but only one is both: its row could be picked out."""
    made = make_cycle(2025)
    west, south = Area.objects.get(name="West"), Area.objects.get(name="South")
    respond(made, Audience.PROVIDERS, 11, area=west, size="large")
    (lone,) = respond(made, Audience.PROVIDERS, 1, area=west, size="small")
    respond(made, Audience.PROVIDERS, 11, area=south, size="small")
    respond(made, Audience.PROVIDERS, 14, area=south, size="large")

    rows = {row["response"]: row for row in _export(client)}

    assert (rows[str(lone.pk)]["area"], rows[str(lone.pk)]["size"]) == (SUPPRESSED, SUPPRESSED)
    combined = {(row["area"], row["size"]) for row in rows.values()}
    assert ("West", "Small (fewer than 25 people supported)") not in combined
    # The lone row is hidden among at least ten, so the dashboard's counts less the visible rows name no one.
    hidden = [row for row in rows.values() if row["area"] == SUPPRESSED]
    assert len(hidden) >= 10
    visible = [row for row in rows.values() if row["area"] != SUPPRESSED]
    assert all(
        sum(1 for other in visible if (other["area"], other["size"]) == (row["area"], row["size"])) >= 10
        for row in visible
    )


def test_a_comment_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(client, manager):
    made = make_cycle(2025)
    respond(made, Audience.PROVIDERS, 12, text='=HYPERLINK("http://example.org/steal","Click")')

    rows = _export(client)

    comments = [
        value for row in rows for key, value in row.items() if key and "Providers" in key and "HYPER" in value
    ]
    assert len(comments) == 12
    assert all(comment.startswith("'=HYPERLINK(") for comment in comments)
