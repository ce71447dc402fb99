"""Tier One cadence: each Tier One provider should meet the council at least once a quarter."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import ProviderOrganisation
from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory
from engagement.models import Activity, Booking
from engagement.selectors.groups import Quarter, tier_one_cadence, tier_one_met_count
from engagement.tests.factories import ActivityFactory, BookingFactory, EngagementGroupFactory

pytestmark = pytest.mark.django_db

# Session, user, roles, the count and the page of providers with their contract manager and meetings.
CADENCE_MAX_QUERIES = 5

NOW = timezone.make_aware(dt.datetime(2026, 11, 25, 12))
Q4 = Quarter(2026, 4)


def _meeting(starts_at: dt.datetime, **kwargs) -> Activity:
    kwargs.setdefault("kind", Activity.Kind.TIER_ONE_MEETING)
    return ActivityFactory(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1), **kwargs)


def _at(month: int, day: int, year: int = 2026) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10))


def _met(provider, starts_at: dt.datetime, **booking) -> Booking:
    return BookingFactory(activity=_meeting(starts_at), provider=provider, **booking)


def _tier_one(name: str, **kwargs):
    return ProviderOrganisationFactory(name=name, tier_one=True, **kwargs)


def _not_met(quarter: Quarter = Q4, now: dt.datetime = NOW) -> list[str]:
    """The providers listed as behind; and every case checks that the count of those that met agrees."""
    listed = [provider.name for provider in tier_one_cadence(quarter=quarter, now=now)]
    active = ProviderOrganisation.objects.filter(tier=ProviderOrganisation.Tier.ONE, is_active=True).count()
    assert tier_one_met_count(quarter=quarter, now=now) == active - len(listed)
    return listed


def test_quarters_are_calendar_quarters():
    assert (Q4.first_day, Q4.last_day) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert Quarter.containing(dt.date(2026, 3, 31)) == Quarter(2026, 1)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter.parse("2026-Q3") == Quarter(2026, 3)
    assert Quarter.parse("2026-Q5") is None


def test_a_tier_one_provider_that_met_the_council_this_quarter_is_not_listed():
    met = _tier_one("Met Care Ltd")
    _met(met, _at(10, 15))
    _tier_one("Not Met Care Ltd")

    assert _not_met() == ["Not Met Care Ltd"]


def test_a_meeting_in_a_tier_one_group_counts_whatever_its_kind():
    provider = _tier_one("Grouped Care Ltd")
    group = EngagementGroupFactory(kind="tier_one")
    BookingFactory(
        activity=_meeting(_at(11, 2), kind=Activity.Kind.GROUP_MEETING, group=group), provider=provider
    )

    assert _not_met() == []


@pytest.mark.parametrize(
    ("booking", "activity"),
    [
        pytest.param({"status": Booking.Status.CANCELLED}, {}, id="place cancelled"),
        pytest.param({"status": Booking.Status.WAITING}, {}, id="on the waiting list"),
        pytest.param({"attended": False}, {}, id="marked absent"),
        pytest.param({}, {"status": Activity.Status.CANCELLED}, id="meeting cancelled"),
        pytest.param({}, {"kind": Activity.Kind.PROVIDER_FORUM}, id="not a Tier One meeting"),
        pytest.param({}, {"starts_at": _at(9, 30)}, id="in the quarter before"),
    ],
)
def test_what_does_not_count_as_meeting_the_council(booking, activity):
    provider = _tier_one("Provider Care Ltd")
    starts_at = activity.pop("starts_at", _at(10, 20))
    BookingFactory(activity=_meeting(starts_at, **activity), provider=provider, **booking)

    assert _not_met() == ["Provider Care Ltd"]


def test_a_meeting_later_this_quarter_does_not_count_yet_but_shows_as_booked():
    provider = _tier_one("Booked Care Ltd")
    _met(provider, _at(9, 1))
    _met(provider, _at(12, 10))

    listed = list(tier_one_cadence(quarter=Q4, now=NOW))

    assert [p.name for p in listed] == ["Booked Care Ltd"]
    assert listed[0].last_met_at == _at(9, 1)
    assert listed[0].next_meeting_at == _at(12, 10)


def test_tier_two_and_inactive_providers_are_not_listed():
    ProviderOrganisationFactory(name="Tier Two Ltd", tier=2)
    _tier_one("Closed Care Ltd", is_active=False)

    assert _not_met() == []


def test_a_past_quarter_counts_its_own_meetings():
    provider = _tier_one("Summer Care Ltd")
    _met(provider, _at(8, 5))

    assert _not_met(Quarter(2026, 3)) == []
    assert _not_met(Quarter(2026, 2)) == ["Summer Care Ltd"]


def test_the_page_names_the_contract_manager_with_a_link_and_the_last_meeting(client, users):
    manager = OfficerFactory(full_name="Casey Contracts")
    provider = _tier_one("Lapsed Care Ltd", contract_manager=manager)
    _met(provider, timezone.now() - dt.timedelta(days=400))
    client.force_login(users["officer"])

    response = client.get(reverse("engagement:tier-one-cadence"))

    content = response.content.decode()
    assert [p.name for p in response.context["providers"]] == ["Lapsed Care Ltd"]
    assert reverse("directory:officer-detail", args=[manager.pk]) in content
    assert "Casey Contracts" in content
    assert timezone.localtime(timezone.now() - dt.timedelta(days=400)).strftime("%B %Y") in content


def test_the_page_shows_a_chosen_past_quarter(client, users):
    provider = _tier_one("Summer Care Ltd")
    _met(provider, _at(8, 5))
    client.force_login(users["officer"])
    last_quarter = Quarter.containing(timezone.localdate()).previous()

    response = client.get(reverse("engagement:tier-one-cadence"), {"quarter": str(last_quarter)})

    assert response.context["quarter"] == last_quarter
    assert last_quarter.label in response.content.decode()


def test_an_unknown_quarter_shows_an_error_summary_and_this_quarter(client, users):
    client.force_login(users["officer"])

    response = client.get(reverse("engagement:tier-one-cadence"), {"quarter": "2099-Q1"})

    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Choose a quarter from the list" in content
    assert response.context["quarter"] == Quarter.containing(timezone.localdate())


def test_providers_may_not_see_the_cadence(client, users):
    client.force_login(users["provider_a"])

    assert client.get(reverse("engagement:tier-one-cadence")).status_code == 403


def test_the_cadence_takes_the_same_queries_for_3_or_30_providers(
    client, users, django_assert_max_num_queries
):
    client.force_login(users["officer"])
    earlier = timezone.now() - dt.timedelta(days=200)

    def add(count: int) -> None:
        for _ in range(count):
            _met(_tier_one(f"Care {ProviderOrganisationFactory._meta.model.objects.count()} Ltd"), earlier)

    add(3)
    with django_assert_max_num_queries(CADENCE_MAX_QUERIES):
        small = client.get(reverse("engagement:tier-one-cadence"))
    add(27)
    with django_assert_max_num_queries(CADENCE_MAX_QUERIES):
        large = client.get(reverse("engagement:tier-one-cadence"))

    assert small.context["page_obj"].paginator.count == 3
    assert large.context["page_obj"].paginator.count == 30
