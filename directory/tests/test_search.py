"""The who's-who search: words in names, job titles, teams and topics; filters; paging; constant queries."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Officer
from directory.selectors import search as selectors
from directory.tests.factories import (
    OfficerFactory,
    ResponsibilityFactory,
    TeamFactory,
    area,
    topic,
)
from portal.tests.factories import OfficerFactory as OfficerUserFactory
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
# Session, user, roles; the teams, topics and areas to filter by; a page of officers with the total and the
# topics each answers; the current New Deal version (principles' search source); market direction's one union.
SEARCH_QUERIES = 5 + 1 + 1


@pytest.fixture
def whos_who():
    safeguarding_team = TeamFactory(name="Safeguarding Adults Mid")
    payments_team = TeamFactory(name="Provider Payments")
    people = {
        "aisha": OfficerFactory(
            full_name="Aisha Begum", job_title="Safeguarding lead", team=safeguarding_team
        ),
        "ben": OfficerFactory(full_name="Ben Khan", job_title="Payments officer", team=payments_team),
        "chloe": OfficerFactory(
            full_name="Chloe Clarke", job_title="Contract officer", seniority=Officer.Seniority.MANAGER
        ),
        "dan": OfficerFactory(full_name="Dan Davies", job_title="Quality officer", areas=[area("south")]),
        "left": OfficerFactory(full_name="Lena Left", job_title="Safeguarding lead", active_to=YESTERDAY),
    }
    ResponsibilityFactory(officer=people["chloe"], topic=topic("safeguarding"))
    ResponsibilityFactory(officer=people["dan"], topic=topic("fees-and-pricing"), retired_on=YESTERDAY)
    return people


def found(text: str) -> set[str]:
    return set(
        selectors.officers_matching(selectors.officer_search_base(), text).values_list("full_name", flat=True)
    )


def test_search_finds_officers_by_name_job_title_team_and_topic_they_answer(whos_who):
    assert found("Khan") == {"Ben Khan"}
    assert found("payments") == {"Ben Khan"}
    assert found("adults") == {"Aisha Begum"}
    # Aisha's job title and team say safeguarding; Chloe answers it.
    assert found("safeguarding") == {"Aisha Begum", "Chloe Clarke"}


def test_search_matches_the_start_of_words_in_any_case(whos_who):
    assert found("SAFE") == {"Aisha Begum", "Chloe Clarke"}
    assert found("beg") == {"Aisha Begum"}


def test_every_word_must_match_somewhere(whos_who):
    assert found("safeguarding mid") == {"Aisha Begum"}
    assert found("ben payments") == {"Ben Khan"}
    assert found("ben safeguarding") == set()


def test_search_leaves_out_officers_no_longer_in_post_and_retired_responsibilities(whos_who):
    assert "Lena Left" not in found("safeguarding lead")
    assert found("fees") == set()


def test_search_ignores_punctuation_that_would_break_a_full_text_query(whos_who):
    assert found("khan:* & | !") == {"Ben Khan"}
    assert found("'") == found("") == {"Aisha Begum", "Ben Khan", "Chloe Clarke", "Dan Davies"}


def test_plain_search_for_sqlite_finds_the_same_officers(whos_who, monkeypatch):
    monkeypatch.setattr(selectors, "connection", SimpleNamespace(vendor="sqlite"))

    assert found("khan") == {"Ben Khan"}
    assert found("safeguarding") == {"Aisha Begum", "Chloe Clarke"}
    assert found("safeguarding mid") == {"Aisha Begum"}


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_results_name_the_topics_each_officer_answers_once(whos_who, monkeypatch, vendor):
    ResponsibilityFactory(officer=whos_who["chloe"], topic=topic("safeguarding"))
    ResponsibilityFactory(officer=whos_who["chloe"], topic=topic("commissioning"))
    if vendor == "sqlite":
        monkeypatch.setattr(selectors, "connection", SimpleNamespace(vendor="sqlite"))

    page = selectors.with_topics_answered(
        list(selectors.officers_matching(selectors.officer_search_base(), ""))
    )

    topics = {officer.full_name: officer.topic_names for officer in page}
    # Dan's fees and pricing was retired yesterday.
    assert topics == {
        "Aisha Begum": [],
        "Ben Khan": [],
        "Chloe Clarke": ["Commissioning", "Safeguarding"],
        "Dan Davies": [],
    }


def test_search_suggests_close_names_when_nothing_matches(client, whos_who):
    client.force_login(OfficerUserFactory())

    response = client.get(reverse("directory:search"), {"q": "Begun"})

    page = response.content.decode()
    assert "No officers found" in page
    assert "Did you mean" in page
    assert [officer.full_name for officer in response.context["suggestions"]] == ["Aisha Begum"]


def test_filters_narrow_by_team_topic_area_and_level(client, whos_who):
    client.force_login(OfficerUserFactory())

    def names(**query):
        response = client.get(reverse("directory:search"), query)
        return {officer.full_name for officer in response.context["officers"]}

    assert names(team=whos_who["ben"].team_id) == {"Ben Khan"}
    assert names(topic="safeguarding") == {"Chloe Clarke"}
    assert names(topic="fees-and-pricing") == set()
    assert names(area="south") == {"Dan Davies"}
    assert names(seniority="manager") == {"Chloe Clarke"}
    assert names(q="officer", seniority="officer") == {"Ben Khan", "Dan Davies"}


def test_unknown_filter_value_gets_an_error_summary_not_a_500(client, whos_who):
    client.force_login(OfficerUserFactory())

    response = client.get(reverse("directory:search"), {"topic": "gossip", "area": "atlantis"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose a topic from the list" in page
    assert "Choose an area from the list" in page
    assert list(response.context["officers"]) == []
    assert "<title>Error: Who" in page


def test_provider_users_can_search_the_whos_who(client, whos_who):
    client.force_login(ProviderUserFactory())

    response = client.get(reverse("directory:search"), {"q": "khan"})

    assert response.status_code == 200
    assert reverse("directory:officer-detail", args=[whos_who["ben"].pk]) in response.content.decode()


def test_results_are_paged_and_each_page_keeps_the_search(client):
    team = TeamFactory(name="Contract Management West")
    OfficerFactory.create_batch(25, team=team)
    OfficerFactory.create_batch(3)
    client.force_login(OfficerUserFactory())

    first = client.get(reverse("directory:search"), {"q": "contract management"})
    second = client.get(reverse("directory:search"), {"q": "contract management", "page": 2})

    assert first.context["page_obj"].paginator.count == 25
    assert "25 officers found" in first.content.decode()
    assert len(first.context["officers"]) == 20
    assert "q=contract+management&amp;page=2" in first.content.decode()
    assert len(second.context["officers"]) == 5
    assert client.get(reverse("directory:search"), {"q": "contract", "page": 9}).status_code == 404


def test_empty_whos_who_says_so(client):
    client.force_login(OfficerUserFactory())

    page = client.get(reverse("directory:search")).content.decode()

    assert "No officers have been added to the who's-who yet." in page


@pytest.mark.parametrize("officers", [3, 60])
def test_search_takes_the_same_queries_for_a_few_or_many_officers(
    client, django_assert_num_queries, officers
):
    team = TeamFactory(name="Safeguarding Adults South")
    for index in range(officers):
        officer = OfficerFactory(team=team, areas=[area("south")])
        ResponsibilityFactory(officer=officer, topic=topic(("safeguarding", "quality")[index % 2]))
    client.force_login(OfficerUserFactory())

    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(
            reverse("directory:search"), {"q": "safeguarding", "area": "south", "seniority": "officer"}
        )

    assert response.context["page_obj"].paginator.count == officers
    assert "Safeguarding" in response.content.decode()
