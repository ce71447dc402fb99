"""The market direction pages: what providers and council staff see, filters, forms, and constant queries."""

import pytest
from django.urls import reverse

from directory.tests.factories import area, service_type
from market.models import CommissioningIntention, Published
from market.tests.factories import (
    FeeExplanationFactory,
    IntentionFactory,
    OpportunityFactory,
    StatementFactory,
    in_days,
)
from portal import roles
from portal.tests.factories import OfficerFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

DRAFT = Published.Status.DRAFT
# Session, user, roles; the filter's types of service and areas; the statement; the opportunities with their types
# of service and areas; a page of intentions with their count and their areas.
DIRECTION_QUERIES = 12
# Session, user, roles; a page of opportunities with their count, types of service and areas.
OPPORTUNITY_QUERIES = 7
# Session, user, roles; a page of fee explanations with their count.
FEE_QUERIES = 5


@pytest.fixture
def provider_user(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="pat@provider-a.example.org")


@pytest.fixture
def manager():
    return OfficerFactory(email="mo@council.example.org", roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER])


def _page(client, name: str, data=None, **kwargs) -> str:
    response = client.get(reverse(name, kwargs=kwargs or None), data or {})
    assert response.status_code == 200
    return response.content.decode()


def test_intentions_filter_by_service_type_and_area_and_every_area_counts_as_each(client, provider_user):
    IntentionFactory(title="Home care in the south", areas=[area("south")])
    IntentionFactory(title="Home care everywhere")
    IntentionFactory(title="Home care in the west", areas=[area("west")])
    IntentionFactory(
        title="Nursing in the south", service_type=service_type("nursing-care"), areas=[area("south")]
    )
    client.force_login(provider_user)

    page = _page(client, "market:direction", {"service_type": "home-care", "area": "south"})

    assert "Home care in the south" in page and "Home care everywhere" in page
    assert "Home care in the west" not in page and "Nursing in the south" not in page


def test_an_unknown_filter_value_gets_an_error_summary_not_a_500(client, provider_user):
    client.force_login(provider_user)

    page = _page(client, "market:direction", {"area": "atlantis"})

    assert "govuk-error-summary" in page and "Choose an area from the list" in page


def test_providers_never_see_drafts_and_staff_see_them_marked(client, provider_user):
    IntentionFactory(title="Published intention")
    IntentionFactory(title="Draft intention", status=DRAFT)
    client.force_login(provider_user)
    assert "Draft intention" not in _page(client, "market:direction")

    client.force_login(OfficerFactory())
    page = _page(client, "market:direction")

    assert "Draft intention" in page and "govuk-tag--yellow" in page


def test_the_engagement_manager_sees_review_due_and_the_drafts_to_keep(client, manager):
    IntentionFactory(title="Overdue intention", review_on=in_days(-3))
    StatementFactory(title="Draft statement", status=DRAFT)
    client.force_login(manager)

    assert "Review due" in _page(client, "market:direction")
    page = _page(client, "market:keep")

    assert "Overdue intention" in page and "Draft statement" in page


@pytest.mark.parametrize("intentions", [2, 10])
def test_the_landing_page_takes_the_same_queries_for_a_few_or_many(
    client, provider_user, django_assert_num_queries, intentions
):
    StatementFactory()
    for index in range(intentions):
        IntentionFactory(areas=[area(("south", "west")[index % 2]), area("mid")])
        OpportunityFactory(areas=[area("south")])
    client.force_login(provider_user)

    with django_assert_num_queries(DIRECTION_QUERIES):
        page = _page(client, "market:direction", {"service_type": "home-care"})

    assert page.count("Every area") == 0 and "Mid, South" in page


def test_opportunities_are_soonest_to_close_first_and_closed_ones_are_left_out(client, provider_user):
    OpportunityFactory(title="Closes later", opens_on=in_days(1), closes_on=in_days(40))
    OpportunityFactory(title="Closes sooner", opens_on=in_days(1), closes_on=in_days(20))
    OpportunityFactory(title="Closed last month", opens_on=in_days(-60), closes_on=in_days(-30))
    client.force_login(provider_user)

    page = _page(client, "market:opportunities")

    assert page.index("Closes sooner") < page.index("Closes later")
    assert "Closed last month" not in page


@pytest.mark.parametrize("opportunities", [2, 10])
def test_the_opportunities_take_the_same_queries_for_a_few_or_many(
    client, provider_user, django_assert_num_queries, opportunities
):
    for _ in range(opportunities):
        OpportunityFactory(
            areas=[area("west")], service_types=[service_type("home-care"), service_type("day-opportunities")]
        )
    client.force_login(provider_user)

    with django_assert_num_queries(OPPORTUNITY_QUERIES):
        page = _page(client, "market:opportunities")

    assert page.count("Day opportunities, Home care") == opportunities


@pytest.mark.parametrize("years", [2, 10])
def test_fees_explained_take_the_same_queries_for_a_few_or_many(
    client, provider_user, django_assert_num_queries, years
):
    for _ in range(years):
        FeeExplanationFactory()
        FeeExplanationFactory(service_type=service_type("home-care"))
    client.force_login(provider_user)

    with django_assert_num_queries(FEE_QUERIES):
        page = _page(client, "market:fees")

    assert "Residential care" in page and "Home care" in page


def test_ask_about_fees_opens_the_enquiry_form_with_the_fees_topic_chosen(client, provider_user):
    fee = FeeExplanationFactory(year="2026 to 2027", changes="The National Living Wage rose.")
    client.force_login(provider_user)

    page = _page(client, "market:fee", pk=fee.pk)
    link = reverse("engagement:enquiry-raise") + "?topic=fees-and-pricing&amp;service_type=residential-care"
    assert link in page and "The National Living Wage rose." in page

    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form["topic"].value() == "fees-and-pricing"
    assert form["service_type"].value() == "residential-care"


def test_the_engagement_manager_writes_a_draft_intention(client, manager):
    owner = IntentionFactory().owner
    client.force_login(manager)

    response = client.post(
        reverse("market:page-create", kwargs={"kind": "intention"}),
        {
            "title": "Buy less residential care in the Mid area",
            "service_type": service_type("residential-care").pk,
            "areas": [area("mid").pk],
            "direction": "less",
            "what_and_why": "More people want to stay at home.",
            "when": "From April 2027",
            "starts_on_0": "1",
            "starts_on_1": "4",
            "starts_on_2": "2027",
            "owner": owner.pk,
            "review_on_0": "1",
            "review_on_1": "10",
            "review_on_2": str(in_days(400).year),
        },
    )

    intention = CommissioningIntention.objects.get(title="Buy less residential care in the Mid area")
    assert response.status_code == 302 and response["Location"] == intention.get_absolute_url()
    assert intention.status == DRAFT and list(intention.areas.all()) == [area("mid")]
    assert intention.history.exists()


def test_a_review_date_in_the_past_is_an_error_on_the_form_not_a_500(client, manager):
    statement = StatementFactory(status=DRAFT)
    client.force_login(manager)
    url = reverse("market:page-edit", kwargs={"kind": "statement", "pk": statement.pk})
    assert f'value="{statement.title}"' in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "title": "Statement",
            "year": "2026 to 2027",
            "summary": "Summary",
            "body": "Body",
            "owner": statement.owner.pk,
            "review_on_0": "1",
            "review_on_1": "1",
            "review_on_2": "2020",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "The review date must be after the publication date" in page


def test_officers_read_drafts_but_cannot_write_or_publish(client):
    draft = IntentionFactory(status=DRAFT)
    client.force_login(OfficerFactory())

    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(reverse("market:page-create", kwargs={"kind": "intention"})).status_code == 403
    publish = reverse("market:page-publish", kwargs={"kind": "intention", "pk": draft.pk})
    assert client.post(publish).status_code == 403
    draft.refresh_from_db()
    assert draft.status == DRAFT


def test_an_unknown_kind_of_page_is_not_found(client, manager):
    client.force_login(manager)

    assert client.get(reverse("market:page-create", kwargs={"kind": "newsletter"})).status_code == 404
