"""The forward plan's pages: the plan and its filters, the printable view, activities and ad hoc approvals."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import ServiceType
from directory.tests import factories as directory_factories
from engagement.models import Activity, Booking
from engagement.tests.factories import ActivityFactory, BookingFactory, EngagementGroupFactory, in_days
from portal import roles
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from portal.tests.factories import OfficerFactory as CouncilUserFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, permissions (two, for council staff only), the filters' choices, the count, and the page
# with each row's group, areas and service types.
PLAN_MAX_QUERIES = 8
# Session, user, roles, permissions (two), the quarters, the count and the page with its people.
AD_HOC_MAX_QUERIES = 8


@pytest.fixture
def officer_user():
    return CouncilUserFactory(email="olu.officer@council.example.org")


@pytest.fixture
def manager_user():
    return CouncilUserFactory(
        email="mira.manager@council.example.org", roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER]
    )


@pytest.fixture
def provider_user(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="pat@provider-a.example.org")


def _titles(response) -> list[str]:
    return [activity.title for activity in response.context["activities"]]


def _plan(client, **query):
    return client.get(reverse("engagement:plan"), query)


# The plan and its filters


def test_the_plan_runs_from_today_onward_in_date_order(client, provider_user):
    ActivityFactory(title="Last month's forum", starts_at=in_days(-30), status=Activity.Status.HELD)
    ActivityFactory(title="Later forum", starts_at=in_days(40))
    ActivityFactory(title="Sooner forum", starts_at=in_days(3))
    ActivityFactory(title="Cancelled forum", starts_at=in_days(20), status=Activity.Status.CANCELLED)
    client.force_login(provider_user)

    response = _plan(client)

    assert _titles(response) == ["Sooner forum", "Cancelled forum", "Later forum"]
    page = response.content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Cancelled</strong>' in page
    assert "Add an activity to the plan" not in page


def test_the_plan_filters_by_kind_tier_and_month(client, officer_user):
    ActivityFactory(title="Forum", starts_at=in_days(10))
    ActivityFactory(
        title="Training", kind=Activity.Kind.TRAINING, starts_at=in_days(11), for_tier_three=False
    )
    ActivityFactory(title="Past training", kind=Activity.Kind.TRAINING, starts_at=in_days(-40))
    client.force_login(officer_user)
    past_month = timezone.localtime(in_days(-40)).strftime("%Y-%m")

    assert _titles(_plan(client, kind="training")) == ["Training"]
    assert _titles(_plan(client, tier="3")) == ["Forum"]
    assert _titles(_plan(client, kind="training", month=past_month)) == ["Past training"]


def test_an_activity_for_every_area_or_service_shows_under_each(client, officer_user):
    north_east, mid = directory_factories.area("north-east"), directory_factories.area("mid")
    home_care = ServiceType.objects.get(slug="home-care")
    ActivityFactory(title="Everywhere", starts_at=in_days(10))
    ActivityFactory(title="North East home care", starts_at=in_days(11)).areas.set([north_east])
    Activity.objects.get(title="North East home care").service_types.set([home_care])
    ActivityFactory(title="Mid only", starts_at=in_days(12)).areas.set([mid, north_east])
    Activity.objects.get(title="Mid only").areas.set([mid])
    client.force_login(officer_user)

    assert _titles(_plan(client, area="north-east")) == ["Everywhere", "North East home care"]
    assert _titles(_plan(client, area="mid")) == ["Everywhere", "Mid only"]
    assert _titles(_plan(client, service_type="nursing-care")) == ["Everywhere", "Mid only"]
    assert _titles(_plan(client, area="north-east", service_type="home-care")) == [
        "Everywhere",
        "North East home care",
    ]


def test_a_filter_that_is_not_on_the_list_gets_an_error_summary(client, officer_user):
    ActivityFactory(starts_at=in_days(10))
    client.force_login(officer_user)

    response = _plan(client, month="1999-01", kind="party")

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Choose a month from the list" in page
    assert "Choose a kind of activity from the list" in page
    assert _titles(response) == []


@pytest.mark.parametrize("who", ["provider", "officer"])
def test_the_plan_does_not_read_more_with_more_activities(
    client, who, provider_user, officer_user, django_assert_max_num_queries
):
    areas = [directory_factories.area("north-east"), directory_factories.area("mid")]
    group = EngagementGroupFactory()
    client.force_login(provider_user if who == "provider" else officer_user)
    for rows in (3, 30):
        for index in range(rows - Activity.objects.count()):
            ad_hoc = index % 2 == 0
            activity = ActivityFactory(
                starts_at=in_days(5 + index),
                group=group,
                is_ad_hoc=ad_hoc,
                ad_hoc_reason="Late" if ad_hoc else "",
            )
            activity.areas.set(areas)
            activity.service_types.set(ServiceType.objects.all()[:2])
        with django_assert_max_num_queries(PLAN_MAX_QUERIES):
            response = _plan(client, area="mid", tier="1")
        assert response.status_code == 200
        assert len(response.context["activities"]) == min(rows, 20)


def test_officers_see_which_activities_are_ad_hoc_and_providers_do_not(client, provider_user, officer_user):
    ActivityFactory(title="Briefing", starts_at=in_days(9), is_ad_hoc=True, ad_hoc_reason="Secret reason")

    client.force_login(provider_user)
    provider_plan = _plan(client).content.decode()
    client.force_login(officer_user)
    officer_plan = _plan(client).content.decode()

    assert ">Ad hoc</strong>" in officer_plan
    assert ">Ad hoc</strong>" not in provider_plan
    assert "Ad hoc activities and approvals" not in provider_plan


def test_the_printable_plan_lists_three_months_by_month_without_pages(client, provider_user):
    for days in range(1, 150, 3):
        ActivityFactory(title=f"Forum in {days} days", starts_at=in_days(days))
    client.force_login(provider_user)

    response = client.get(reverse("engagement:plan-print"))

    titles = _titles(response)
    assert titles[0] == "Forum in 1 days"
    assert len(titles) > 25
    last = max(activity.starts_at for activity in response.context["activities"])
    assert timezone.localtime(last).date() <= response.context["until"]
    assert "govuk-pagination" not in response.content.decode()
    month = timezone.localtime(in_days(1)).strftime("%B %Y")
    assert f'<h2 class="govuk-heading-l">{month}</h2>' in response.content.decode()


def test_the_printable_plan_prints_a_chosen_month(client, provider_user):
    ActivityFactory(title="Far ahead", starts_at=in_days(200))
    client.force_login(provider_user)

    response = client.get(
        reverse("engagement:plan-print"), {"month": timezone.localtime(in_days(200)).strftime("%Y-%m")}
    )

    assert _titles(response) == ["Far ahead"]


# The activity page


def test_the_activity_page_shows_its_facts_and_places(client, provider_user):
    forum = ActivityFactory(
        bookable=True, title="Mid Provider Forum: March", place="Mid Community Hub", for_tier_three=False
    )
    forum.areas.set([directory_factories.area("mid")])
    BookingFactory(activity=forum)
    client.force_login(provider_user)

    response = client.get(reverse("engagement:activity-detail", args=[forum.pk]))

    page = response.content.decode()
    assert "Mid Community Hub" in page
    assert "Tier One, Tier Two providers" in page
    assert "Mid;" in page
    assert response.context["places"].confirmed == 1
    assert "Change this activity" not in page


def test_officers_see_ad_hoc_details_and_change_links_that_providers_do_not(
    client, provider_user, officer_user, manager_user
):
    activity = ActivityFactory(starts_at=in_days(9), is_ad_hoc=True, ad_hoc_reason="The minister asked")
    url = reverse("engagement:activity-detail", args=[activity.pk])

    client.force_login(provider_user)
    provider_page = client.get(url).content.decode()
    client.force_login(officer_user)
    officer_page = client.get(url).content.decode()
    client.force_login(manager_user)
    manager_page = client.get(url).content.decode()

    assert "The minister asked" not in provider_page
    assert "The minister asked" in officer_page
    assert "Change this activity" in officer_page
    assert reverse("engagement:ad-hoc-approve", args=[activity.pk]) not in officer_page
    assert reverse("engagement:ad-hoc-approve", args=[activity.pk]) in manager_page


# Adding, changing and cancelling through the forms


def _form(activity_date: dt.date, facilitator, **overrides) -> dict:
    data = {
        "title": "South Provider Forum",
        "kind": "provider_forum",
        "on_0": activity_date.day,
        "on_1": activity_date.month,
        "on_2": activity_date.year,
        "start_time": "10:00",
        "end_time": "12:00",
        "place": "South Community Hub",
        "facilitator": facilitator.pk,
        "status": "planned",
        "tiers": ["1", "2", "3"],
        "takes_bookings": "no",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _summary(response) -> str:
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    return page


def test_an_officer_adds_an_ad_hoc_activity_with_its_reason(client, officer_user):
    facilitator = directory_factories.OfficerFactory()
    client.force_login(officer_user)
    day = timezone.localdate() + dt.timedelta(days=14)

    refused = client.post(reverse("engagement:activity-add"), _form(day, facilitator))
    added = client.post(
        reverse("engagement:activity-add"), _form(day, facilitator, ad_hoc_reason="The venue moved the date")
    )

    assert "Give a reason: this activity is less than 6 weeks away, so it is ad hoc" in _summary(refused)
    activity = Activity.objects.get()
    assert added.status_code == 302
    assert added["Location"] == reverse("engagement:activity-detail", args=[activity.pk])
    assert activity.is_ad_hoc
    assert timezone.localtime(activity.starts_at).time() == dt.time(10)
    assert activity.created_by == officer_user


def test_bad_times_and_places_without_capacity_get_an_error_summary(client, officer_user):
    facilitator = directory_factories.OfficerFactory()
    client.force_login(officer_user)
    day = timezone.localdate() + dt.timedelta(days=60)

    ends_before = client.post(
        reverse("engagement:activity-add"), _form(day, facilitator, start_time="14:00", end_time="13:00")
    )
    no_capacity = client.post(
        reverse("engagement:activity-add"), _form(day, facilitator, takes_bookings="yes")
    )
    bad_time = client.post(reverse("engagement:activity-add"), _form(day, facilitator, start_time="25:00"))

    assert "The activity must end after it starts" in _summary(ends_before)
    assert "an activity that takes bookings needs a capacity" in _summary(no_capacity)
    assert "Enter the start time as a time on the 24-hour clock, like 14:30" in _summary(bad_time)
    assert not Activity.objects.exists()


def test_lowering_capacity_below_the_confirmed_places_gets_an_error_summary(client, officer_user):
    forum = ActivityFactory(bookable=True, capacity=10)
    BookingFactory.create_batch(4, activity=forum)
    client.force_login(officer_user)
    day = timezone.localtime(forum.starts_at).date()

    response = client.post(
        reverse("engagement:activity-edit", args=[forum.pk]),
        _form(day, forum.facilitator, takes_bookings="yes", capacity="3"),
    )

    assert "There are already 4 confirmed places; capacity cannot be lower" in _summary(response)
    forum.refresh_from_db()
    assert forum.capacity == 10


def test_the_edit_form_starts_from_the_activity_and_saves_changes(client, officer_user):
    forum = ActivityFactory(bookable=True, capacity=10, place="Old Hall")
    client.force_login(officer_user)
    url = reverse("engagement:activity-edit", args=[forum.pk])

    form = client.get(url).context["form"]
    data = _form(
        timezone.localtime(forum.starts_at).date(),
        forum.facilitator,
        takes_bookings="yes",
        capacity="12",
        place="New Hall",
    )
    response = client.post(url, data)

    assert form["place"].value() == "Old Hall"
    assert form["capacity"].value() == 10
    assert response.status_code == 302
    forum.refresh_from_db()
    assert (forum.place, forum.capacity) == ("New Hall", 12)


def test_a_cancelled_activity_cannot_be_edited(client, officer_user):
    activity = ActivityFactory(status=Activity.Status.CANCELLED, cancellation_reason="Snow")
    client.force_login(officer_user)

    response = client.get(reverse("engagement:activity-edit", args=[activity.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("engagement:activity-detail", args=[activity.pk])


def test_an_officer_cancels_an_activity_with_a_reason(client, officer_user):
    forum = ActivityFactory(bookable=True)
    BookingFactory(activity=forum)
    client.force_login(officer_user)
    url = reverse("engagement:activity-cancel", args=[forum.pk])

    refused = client.post(url, {"reason": ""})
    response = client.post(url, {"reason": "The venue flooded"})

    assert "Enter why the activity is cancelled" in _summary(refused)
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.status == Activity.Status.CANCELLED
    assert forum.bookings.get().status == Booking.Status.CANCELLED


# Ad hoc activities


def test_the_ad_hoc_page_counts_each_quarter_and_lists_those_awaiting_approval(client, officer_user):
    ActivityFactory(title="Awaiting", starts_at=in_days(9), is_ad_hoc=True, ad_hoc_reason="Short notice")
    ActivityFactory(
        title="Approved",
        starts_at=in_days(8),
        is_ad_hoc=True,
        ad_hoc_reason="Short notice",
        ad_hoc_approved_at=timezone.now(),
    )
    ActivityFactory(title="Planned", starts_at=in_days(8))
    client.force_login(officer_user)

    awaiting = client.get(reverse("engagement:ad-hoc"))
    approved = client.get(reverse("engagement:ad-hoc"), {"show": "approved"})

    assert _titles(awaiting) == ["Awaiting"]
    assert _titles(approved) == ["Approved"]
    counted = {
        (quarter.ad_hoc, quarter.approved, quarter.awaiting) for quarter in awaiting.context["quarters"]
    }
    assert sum(quarter.activities for quarter in awaiting.context["quarters"]) == 3
    assert sum(quarter.ad_hoc for quarter in awaiting.context["quarters"]) == 2
    assert counted <= {(2, 1, 1), (1, 1, 0), (1, 0, 1), (0, 0, 0)}
    assert "Approve" not in awaiting.content.decode().split("Awaiting approval</h2>")[1]


def test_the_ad_hoc_page_labels_calendar_quarters():
    from engagement.selectors.plan import QuarterCount

    assert QuarterCount(dt.date(2027, 10, 1), activities=4, ad_hoc=1, approved=0).label == (
        "October to December 2027"
    )


def test_the_ad_hoc_page_does_not_read_more_with_more_activities(
    client, manager_user, django_assert_max_num_queries
):
    client.force_login(manager_user)
    for rows in (3, 30):
        for index in range(rows - Activity.objects.count()):
            ActivityFactory(
                starts_at=in_days(5 + index * 5),
                is_ad_hoc=True,
                ad_hoc_reason="Short notice",
                created_by=manager_user,
            )
        with django_assert_max_num_queries(AD_HOC_MAX_QUERIES):
            response = client.get(reverse("engagement:ad-hoc"))
        assert len(response.context["activities"]) == min(rows, 25)


def test_the_engagement_manager_approves_an_ad_hoc_activity(client, manager_user):
    activity = ActivityFactory(starts_at=in_days(9), is_ad_hoc=True, ad_hoc_reason="The minister asked")
    client.force_login(manager_user)
    url = reverse("engagement:ad-hoc-approve", args=[activity.pk])

    page = client.get(url).content.decode()
    response = client.post(url)
    again = client.post(url, follow=True)

    assert "The minister asked" in page
    assert response["Location"] == reverse("engagement:ad-hoc")
    activity.refresh_from_db()
    assert activity.ad_hoc_approved_by == manager_user
    assert "already approved on" in again.content.decode()


def test_directors_read_the_plan_but_do_not_change_it(client):
    director = DirectorFactory()
    activity = ActivityFactory()
    client.force_login(director)

    assert client.get(reverse("engagement:activity-detail", args=[activity.pk])).status_code == 200
    assert client.get(reverse("engagement:activity-edit", args=[activity.pk])).status_code == 403
    assert client.get(reverse("engagement:ad-hoc")).status_code == 200
