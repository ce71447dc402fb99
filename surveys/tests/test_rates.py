"""Live response rates: invited, answered and the rate against the target, overall and per segment."""

import pytest
from django.db import connection
from django.urls import reverse

from directory.models import Area, ServiceType
from directory.tests.factories import TeamFactory
from portal import roles
from portal.tests.factories import DirectorFactory, OfficerFactory
from surveys.models import Audience, Invitation
from surveys.selectors import rates as selectors
from surveys.tests.factories import SurveyCycleFactory

pytestmark = pytest.mark.django_db

# Session, user, permissions (two), roles, the cycle, the counts, and the segments' names.
RATES_MAX_QUERIES = 8


def invite(cycle, count: int, *, answered: int = 0, audience=Audience.PROVIDERS, **segments) -> None:
    Invitation.objects.bulk_create(
        Invitation(
            cycle=cycle, audience=audience, email=f"r{index}@example.org", used=index < answered, **segments
        )
        for index in range(count)
    )


def _page(client, cycle):
    return client.get(reverse("surveys:rates", kwargs={"year": cycle.year}))


@pytest.fixture
def manager(client):
    user = OfficerFactory(roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER])
    client.force_login(user)
    return user


def test_rates_overall_per_audience_and_per_segment():
    cycle = SurveyCycleFactory(year=2026, response_rate_target=50)
    mid, south = Area.objects.get(name="Mid"), Area.objects.get(name="South")
    invite(cycle, 10, answered=8, area=mid, size="small")
    invite(cycle, 10, answered=2, area=south, size="small")
    invite(cycle, 5, answered=1, audience=Audience.OFFICERS, seniority="manager")

    rates = selectors.response_rates(cycle=cycle)

    assert (rates.overall.invited, rates.overall.answered, rates.overall.rate) == (25, 11, 44)
    assert [(label, line.rate) for label, line in rates.audiences] == [
        ("Providers", 50),
        ("Council officers", 20),
    ]
    by_area = next(segment for segment in rates.segments if segment.segment == "area")
    assert [(line.label, line.answered, line.invited, line.below_target) for line in by_area.lines] == [
        ("South", 2, 10, True),
        ("Mid", 8, 10, False),
    ]
    by_seniority = next(segment for segment in rates.segments if segment.segment == "seniority")
    assert [(line.label, line.rate) for line in by_seniority.lines] == [("Manager", 20)]


def test_segments_below_target_come_first_lowest_rate_first_and_say_how_many_more_are_needed():
    cycle = SurveyCycleFactory(year=2026, response_rate_target=60)
    for name, answered in (("Mid", 9), ("South", 1), ("West", 4), ("North East", 5)):
        invite(cycle, 10, answered=answered, area=Area.objects.get(name=name))
    invite(cycle, 10, answered=7)

    by_area = next(
        segment for segment in selectors.response_rates(cycle=cycle).segments if segment.segment == "area"
    )

    assert [line.label for line in by_area.lines] == ["South", "West", "North East", "Not given", "Mid"]
    assert [line.to_reach_target for line in by_area.lines] == [5, 2, 1, 0, 0]


def test_the_page_lists_the_groups_to_chase(client, manager):
    cycle = SurveyCycleFactory(year=2026, response_rate_target=50)
    invite(cycle, 10, answered=1, provider_type=ServiceType.objects.get(name="Home care"))
    invite(cycle, 10, answered=9, provider_type=ServiceType.objects.get(name="Nursing care"))

    page = _page(client, cycle).content.decode()
    chase = page.split('data-rates="below-target"')[1].split("</ul>")[0]

    assert "Home care" in chase and "Nursing care" not in chase
    assert "10% (1 of 10)" in chase


def test_a_cycle_with_no_invitations_shows_empty_tables(client, manager):
    cycle = SurveyCycleFactory(year=2026)

    response = _page(client, cycle)

    assert response.status_code == 200
    assert "No one invited yet" in response.content.decode()


def test_an_unknown_year_is_not_found(client, manager):
    assert client.get(reverse("surveys:rates", kwargs={"year": 1990})).status_code == 404


def test_directors_and_officers_cannot_see_the_rates(client):
    cycle = SurveyCycleFactory(year=2026)
    for user in (DirectorFactory(), OfficerFactory()):
        client.force_login(user)
        assert _page(client, cycle).status_code == 403


def test_the_portable_count_for_sqlite_gives_the_same_rows_as_the_query():
    cycle = SurveyCycleFactory(year=2026)
    invite(cycle, 4, answered=1, area=Area.objects.get(name="Mid"), size="large")
    invite(cycle, 3, answered=3, audience=Audience.OFFICERS, team=TeamFactory(), seniority="officer")
    invite(cycle, 2)
    assert connection.vendor == "postgresql"

    def comparable(rows):
        return sorted(tuple(str(value) for value in row) for row in rows)

    assert comparable(selectors._count_portable(cycle)) == comparable(selectors._count(cycle))


def test_the_rates_page_reads_the_same_however_many_invitations(
    client, manager, django_assert_max_num_queries
):
    cycle = SurveyCycleFactory(year=2026)
    areas, teams = list(Area.objects.all()), [TeamFactory() for _ in range(4)]
    counts = []
    for size in (4, 60):
        for index in range(size):
            invite(cycle, 1, answered=index % 3, area=areas[index % 4], size="medium")
            invite(cycle, 1, audience=Audience.OFFICERS, team=teams[index % 4], seniority="officer")
        with django_assert_max_num_queries(RATES_MAX_QUERIES) as captured:
            response = _page(client, cycle)
        counts.append(len(captured))
        assert response.status_code == 200
    assert counts[0] == counts[1]
    assert response.context["rates"].overall.invited == 128
