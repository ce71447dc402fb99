"""The directors' relationship overview: one page drawing on every part of the portal."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.tests.factories import (
    OfficerFactory,
    ProviderOrganisationFactory,
    ResponsibilityFactory,
    TeamFactory,
    topic,
)
from engagement.models import Activity
from engagement.selectors.groups import Quarter
from engagement.tests.factories import ActivityFactory, BookingFactory
from engagement.tests.factories_enquiries import EnquiryFactory
from partnerships.models import Stage
from partnerships.tests.factories import PartnershipPilotFactory
from portal.relationship_themes import RelationshipTheme
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from surveys.models import Answer, Audience, Question, Questionnaire, Response, SurveyCycle
from surveys.selectors.overview import relationship_overview, theme_trends
from surveys.tests.factories import SurveyCycleFactory

pytestmark = pytest.mark.django_db

# Session, user, the permission check (user and group permissions), the user's roles (for the report link), then
# the panels: survey scores (the cycles with their kept results, and the names of the groups: 2), Tier One
# providers and those behind the cadence (2), forums (1), the kept enquiry figures with the names of topics, areas
# and service types (2), who's-who entries (1), pilots by stage (1), sign-up to the New Deal: its current version,
# and providers' and officers' shares of it (2).
OVERVIEW_MAX_QUERIES = 16


def cycle_closed_in(year: int) -> SurveyCycle:
    return SurveyCycleFactory(year=year, opens_on=dt.date(year, 10, 1), closes_on=dt.date(year, 11, 15))


def responses(cycle: SurveyCycle, audience: str, *, score: int, count: int, comment: str = "") -> None:
    """`count` responses of `audience`, scoring every theme `score`, with a free-text answer if `comment`."""
    questionnaire, made = Questionnaire.objects.get_or_create(cycle=cycle, audience=audience)
    if made:
        Question.objects.bulk_create(
            [
                Question(
                    questionnaire=questionnaire, position=position, kind="agreement", theme=theme, text=theme
                )
                for position, theme in enumerate(RelationshipTheme.values, start=1)
            ]
            + [Question(questionnaire=questionnaire, position=99, kind="free_text", text="Anything else?")]
        )
    questions = list(questionnaire.questions.all())
    made_responses = Response.objects.bulk_create(
        Response(cycle=cycle, questionnaire=questionnaire, audience=audience) for _ in range(count)
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=question,
            score=score if question.kind == "agreement" else None,
            text=comment if question.kind == "free_text" else "",
        )
        for response in made_responses
        for question in questions
        if question.kind == "agreement" or comment
    )


def _page(client):
    return client.get(reverse("surveys:overview"))


def _quarter_moment(now: dt.datetime, *, hours: int) -> dt.datetime:
    """A moment in this quarter `hours` from its start."""
    return Quarter.containing(timezone.localdate(now)).starts_at() + dt.timedelta(hours=hours)


def _forum(starts_at: dt.datetime, **fields) -> Activity:
    return ActivityFactory(starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2), **fields)


def test_an_empty_portal_shows_every_panel_empty(client):
    client.force_login(DirectorFactory())

    response = _page(client)

    assert response.status_code == 200
    for panel in ("survey", "tier-one", "forums", "enquiries", "whos-who", "pilots"):
        assert f'data-empty="{panel}"'.encode() in response.content


def test_theme_trends_show_each_closed_cycle_side_by_side_with_the_gap():
    for years_ago, providers, officers in ((2, 2, 4), (1, 3, 4)):
        cycle = cycle_closed_in(timezone.localdate().year - years_ago)
        responses(cycle, Audience.PROVIDERS, score=providers, count=10)
        responses(cycle, Audience.OFFICERS, score=officers, count=10)

    years, trends = theme_trends()

    this_year = timezone.localdate().year
    assert years == [this_year - 2, this_year - 1]
    trust = next(trend for trend in trends if trend.theme == RelationshipTheme.TRUST)
    assert [(point.providers.cell, point.officers.cell, point.gap) for point in trust.points] == [
        ("2.0", "4.0", "+2.0"),
        ("3.0", "4.0", "+1.0"),
    ]


def test_a_group_smaller_than_the_minimum_and_its_gap_are_not_shown(settings):
    settings.SURVEY_MINIMUM_GROUP_SIZE = 5
    cycle = cycle_closed_in(timezone.localdate().year - 1)
    responses(cycle, Audience.PROVIDERS, score=2, count=5)
    responses(cycle, Audience.OFFICERS, score=5, count=4)

    _, trends = theme_trends()

    point = trends[0].points[0]
    assert (point.providers.cell, point.officers.cell, point.gap) == ("2.0", "–", "–")


def test_the_open_cycle_is_not_in_the_trends_until_it_closes():
    responses(SurveyCycleFactory(year=timezone.localdate().year), Audience.PROVIDERS, score=4, count=12)

    assert theme_trends() == ([], [])


def test_the_panels_count_tier_one_meetings_forums_enquiries_whos_who_and_pilots():
    now = timezone.now()
    today = timezone.localdate(now)
    met, _not_met = ProviderOrganisationFactory(tier_one=True), ProviderOrganisationFactory(tier_one=True)
    BookingFactory(
        provider=met, activity=_forum(_quarter_moment(now, hours=1), kind=Activity.Kind.TIER_ONE_MEETING)
    )
    _forum(_quarter_moment(now, hours=2), status=Activity.Status.HELD)
    _forum(_quarter_moment(now, hours=3), status=Activity.Status.CANCELLED)
    _forum(now + dt.timedelta(minutes=5))
    _forum(_quarter_moment(now, hours=4), is_ad_hoc=True, ad_hoc_reason="Urgent fee discussion")
    checked = today - dt.timedelta(days=30)
    OfficerFactory(last_verified_on=checked, team=TeamFactory(last_verified_on=checked))
    ResponsibilityFactory(officer=OfficerFactory(last_verified_on=today - dt.timedelta(days=400)))
    PartnershipPilotFactory(stage=Stage.SCOPING)
    PartnershipPilotFactory(stage=Stage.IN_DELIVERY, is_published=False)
    EnquiryFactory(topic=topic("safeguarding"))

    overview = relationship_overview(DirectorFactory(), now=now)

    assert (overview.tier_one.providers, overview.tier_one.met) == (2, 1)
    forums = overview.forums
    # The Tier One meeting is not a forum. Whether the forum five minutes from now falls in this quarter depends
    # on the time of the run; the others are in it.
    in_quarter = Quarter.containing(timezone.localdate(now + dt.timedelta(minutes=5))) == Quarter.containing(
        today
    )
    assert (forums.planned, forums.held, forums.cancelled, forums.to_come, forums.ad_hoc) == (
        2 + in_quarter,
        1,
        1,
        int(in_quarter),
        1,
    )
    shares = {share.label: (share.entries, share.verified) for share in overview.whos_who}
    # Three officers in post (two through the factories' contract managers and pilots' leads too), so count
    # only what this test checked: the one officer and its team.
    assert shares["All entries"][1] == 2
    assert shares["Who answers each topic"] == (1, 0)
    stages = {count.stage: count.pilots for count in overview.pilots}
    assert (stages[Stage.SCOPING], stages[Stage.IN_DELIVERY], stages[Stage.CLOSED]) == (1, 1, 0)
    assert overview.enquiries.total.raised == 1


def test_directors_see_each_panel_with_a_link_to_its_detail(client):
    cycle = cycle_closed_in(timezone.localdate().year - 1)
    responses(cycle, Audience.PROVIDERS, score=3, count=10)
    responses(cycle, Audience.OFFICERS, score=4, count=10)
    PartnershipPilotFactory(stage=Stage.AGREED)
    OfficerFactory(last_verified_on=timezone.localdate())
    client.force_login(DirectorFactory())

    content = _page(client).content.decode()

    for url in (
        reverse("surveys:report", kwargs={"year": cycle.year}),
        reverse("surveys:dashboard"),
        reverse("engagement:tier-one-cadence"),
        reverse("engagement:plan"),
        reverse("engagement:enquiry-figures"),
        reverse("directory:needs-checking"),
        f"{reverse('partnerships:register')}?stage=agreed",
    ):
        assert f'href="{url}' in content
    assert 'data-panel="survey-providers"' in content
    assert 'data-panel="whos-who"' in content


@pytest.mark.parametrize("role", ["officer", "provider"])
def test_officers_and_providers_cannot_open_the_overview(client, role, provider_a):
    user = (
        CouncilUserFactory() if role == "officer" else ProviderUserFactory(provider_organisation=provider_a)
    )
    client.force_login(user)

    assert _page(client).status_code == 403


def _grow(size: int) -> None:
    """More of everything each panel reads."""
    now = timezone.now()
    for number in range(size):
        cycle = cycle_closed_in(timezone.localdate().year - 1 - number)
        responses(cycle, Audience.PROVIDERS, score=3, count=10)
        responses(cycle, Audience.OFFICERS, score=4, count=10)
        provider = ProviderOrganisationFactory(tier_one=True)
        BookingFactory(
            provider=provider,
            activity=_forum(_quarter_moment(now, hours=number + 1), kind=Activity.Kind.TIER_ONE_MEETING),
        )
        _forum(_quarter_moment(now, hours=number + 1), status=Activity.Status.HELD)
        ResponsibilityFactory(officer=OfficerFactory(last_verified_on=timezone.localdate()))
        PartnershipPilotFactory(stage=list(Stage)[number % len(Stage)])
        EnquiryFactory(topic=topic("safeguarding"))


def test_the_overview_reads_the_same_number_of_times_however_much_there_is(
    client, django_assert_max_num_queries
):
    client.force_login(DirectorFactory())
    for size in (1, 4):
        _grow(size)
        _page(client)  # the enquiry figures are counted and kept on the first visit after a change
        with django_assert_max_num_queries(OVERVIEW_MAX_QUERIES):
            response = _page(client)
        assert response.status_code == 200
        assert len(response.context["overview"].years) == size
