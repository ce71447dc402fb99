"""The demo relationship surveys: six past cycles with believable trends and one open now, made once."""

import pytest
from django.utils import timezone

from directory.demo import seed_directory
from surveys.demo import PAST_CYCLES, seed_surveys
from surveys.models import Answer, Audience, Invitation, Response, SurveyCycle
from surveys.selectors.overview import theme_trends

pytestmark = pytest.mark.django_db

MODELS = [SurveyCycle, Invitation, Response, Answer]


@pytest.fixture
def seeded():
    seed_directory(scale=1)
    return seed_surveys(scale=1)


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seeding_twice_adds_nothing_the_second_time(seeded):
    before = _counts()

    again = seed_surveys(scale=1)

    assert _counts() == before
    assert set(again.values()) == {0}
    assert seeded["survey answers"] == before["Answer"]


def test_six_past_cycles_closed_in_november_and_one_open_now(seeded):
    today = timezone.localdate()
    cycles = list(SurveyCycle.objects.order_by("year"))

    assert [cycle.year for cycle in cycles] == list(range(today.year - PAST_CYCLES, today.year + 1))
    for cycle in cycles[:-1]:
        assert (cycle.opens_on.month, cycle.closes_on.month) == (10, 11)
        assert cycle.closed_at is not None
        assert cycle.questionnaires.count() == 2
    current = cycles[-1]
    assert current.opens_on < today < current.closes_on
    assert current.questionnaires.count() == 2


def test_the_open_cycle_has_invitations_a_share_of_them_used(seeded):
    current = SurveyCycle.objects.get(year=timezone.localdate().year)
    invitations = current.invitations.all()
    used = invitations.filter(used=True).count()

    assert 0 < used < invitations.count()
    assert invitations.filter(audience=Audience.OFFICERS).exists()
    assert current.responses.count() == used


def test_scale_one_makes_about_twenty_thousand_answers(seeded):
    assert 15_000 <= Answer.objects.count() <= 30_000


def test_providers_score_lower_than_officers_and_improve_on_most_themes(seeded):
    years, trends = theme_trends()

    assert len(years) == PAST_CYCLES
    improving = [
        trend for trend in trends if trend.points[-1].providers.mean > trend.points[0].providers.mean
    ]
    assert len(improving) >= len(trends) // 2 + 1
    assert all(trend.latest.providers.mean < trend.latest.officers.mean for trend in trends)
    # The gap narrows on most themes.
    first_gap = [
        point.officers.mean - point.providers.mean for point in (trend.points[0] for trend in trends)
    ]
    last_gap = [
        point.officers.mean - point.providers.mean for point in (trend.points[-1] for trend in trends)
    ]
    assert sum(last < first for first, last in zip(first_gap, last_gap, strict=True)) >= len(trends) // 2 + 1


def test_responses_vary_by_area_and_type_of_provider(seeded):
    areas = set(Response.objects.filter(audience=Audience.PROVIDERS).values_list("area", flat=True))
    types = set(Response.objects.filter(audience=Audience.PROVIDERS).values_list("provider_type", flat=True))

    assert len(areas - {None}) >= 3
    assert len(types - {None}) >= 3
