"""What market direction adds to the who's-who search and to the forward plan's calendar feed."""

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from directory.tests.factories import service_type
from engagement.selectors.plan import feed_token
from market.models import Published
from market.selectors.contributions import market_calendar, market_search
from market.tests.factories import (
    FeeExplanationFactory,
    IntentionFactory,
    OpportunityFactory,
    StatementFactory,
    in_days,
)
from portal.tests.factories import OfficerFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

DRAFT = Published.Status.DRAFT


@pytest.fixture
def provider_user(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="pat@provider-a.example.org")


def test_the_whos_who_search_finds_published_market_pages_matching_every_word(client, provider_user):
    IntentionFactory(title="More extra care housing", what_and_why="Villages need extra care.")
    IntentionFactory(title="Extra care in draft", status=DRAFT)
    StatementFactory(title="Market position statement", body="Extra care housing grows by a third.")
    OpportunityFactory(title="Extra care housing framework", description="A new framework.")
    OpportunityFactory(title="Extra care everywhere", description="Not housing.", status=DRAFT)
    IntentionFactory(title="Home care in towns", what_and_why="Extra hours.")
    client.force_login(provider_user)

    published = client.get(reverse("directory:search"), {"q": "extra care housing"}).context["published"]

    found = {(result.kind, result.title) for result in published}
    assert found == {
        ("Commissioning intention", "More extra care housing"),
        ("Market position statement", "Market position statement"),
        ("Commercial opportunity", "Extra care housing framework"),
    }


def test_fee_explanations_are_found_by_their_type_of_service(provider_user):
    fee = FeeExplanationFactory(service_type=service_type("nursing-care"), year="2026 to 2027")

    results = market_search(provider_user, ["nursing", "2026"])

    assert [(r.kind, r.title, r.path) for r in results] == [
        ("Fees explained", "How the nursing care fee is set", fee.get_absolute_url())
    ]


def test_council_staff_find_drafts_too_and_the_search_is_one_query(django_assert_num_queries):
    officer = OfficerFactory()
    officer.groups.values_list("name", flat=True)  # the roles, as the search page has read them already
    for index in range(12):
        IntentionFactory(
            title=f"Supported living {index}", status=DRAFT if index % 2 else Published.Status.PUBLISHED
        )

    with django_assert_num_queries(2):  # the user's roles, then the one search
        results = market_search(officer, ["supported", "living"])

    assert len(results) == 10


def test_the_forward_plans_feed_carries_opportunity_and_intention_dates_with_stable_uids(provider_user):
    opportunity = OpportunityFactory(title="Day services", opens_on=in_days(10), closes_on=in_days(40))
    intention = IntentionFactory(title="More shared lives", starts_on=in_days(90))
    OpportunityFactory(title="Draft tender", status=DRAFT)
    url = reverse("engagement:plan-ical")

    feeds = [Client().get(url, {"token": feed_token(provider_user)}) for _ in range(2)]

    events = [
        {
            str(e["summary"]): (str(e["uid"]), e["dtstart"].dt)
            for e in Calendar.from_ical(f.content).walk("VEVENT")
        }
        for f in feeds
    ]
    assert events[0] == events[1]
    assert events[0]["Opportunity opens: Day services"][1] == opportunity.opens_on
    assert events[0]["Opportunity closes: Day services"][1] == opportunity.closes_on
    assert events[0]["Commissioning intention starts: More shared lives"][1] == intention.starts_on
    assert events[0]["Opportunity opens: Day services"][0].startswith(f"market-opens-{opportunity.pk}@")
    assert not any("Draft tender" in summary for summary in events[0])


def test_the_calendar_source_is_one_query_however_many_items(django_assert_num_queries, provider_user):
    for _ in range(6):
        OpportunityFactory()
        IntentionFactory()

    with django_assert_num_queries(1):
        items = market_calendar(provider_user)

    assert len(items) == 18
