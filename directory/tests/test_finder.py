"""The "Who do I contact about…?" finder: one best answer to topic + area + service type, in constant queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.selectors import finder
from directory.tests.factories import (
    OfficerFactory,
    ProviderOrganisationFactory,
    ResponsibilityFactory,
    TeamFactory,
    TopicFactory,
    area,
    service_type,
    topic,
)
from portal.tests.factories import OfficerFactory as OfficerUserFactory
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)

# Session, user; the topics, areas and service types to choose from; which responsibility answers, and whom
# it names.
FINDER_QUERIES_ANSWERED = 5
# With no responsibility to read, the market leads instead.
FINDER_QUERIES_UNANSWERED = 5


def ask(topic_slug="safeguarding", area_slug="mid", service_type_slug="home-care"):
    return finder.contact_find(
        topic=topic(topic_slug), area=area(area_slug), service_type=service_type(service_type_slug)
    )


def test_responsibility_with_no_areas_answers_for_every_area():
    county_wide = ResponsibilityFactory(areas=[], service_types=[service_type("home-care")])

    for slug in ("north-east", "mid", "south", "west"):
        assert ask(area_slug=slug).responsibility == county_wide


def test_responsibility_with_no_service_types_answers_for_every_type():
    every_type = ResponsibilityFactory(areas=[area("mid")])

    assert ask(service_type_slug="home-care").responsibility == every_type
    assert ask(service_type_slug="nursing-care").responsibility == every_type


def test_responsibility_for_another_area_or_type_does_not_answer():
    ResponsibilityFactory(areas=[area("south")])
    ResponsibilityFactory(service_types=[service_type("nursing-care")])

    assert ask(area_slug="mid", service_type_slug="home-care") is None


def test_responsibility_for_another_topic_does_not_answer():
    ResponsibilityFactory(topic=topic("quality"))

    assert ask(topic_slug="safeguarding") is None


def test_area_and_service_type_both_named_beats_one_named_beats_none():
    everywhere = ResponsibilityFactory()
    for_home_care = ResponsibilityFactory(service_types=[service_type("home-care")])
    for_mid = ResponsibilityFactory(areas=[area("mid")])
    for_home_care_in_mid = ResponsibilityFactory(
        areas=[area("mid")], service_types=[service_type("home-care")]
    )

    assert ask().responsibility == for_home_care_in_mid
    # Without the most specific, one named beats none; between the two one-named, the older wins.
    assert ask(area_slug="mid", service_type_slug="nursing-care").responsibility == for_mid
    assert ask(area_slug="south", service_type_slug="home-care").responsibility == for_home_care
    assert ask(area_slug="south", service_type_slug="nursing-care").responsibility == everywhere
    for_home_care_in_mid.areas.clear()
    assert ask().responsibility == for_home_care


def test_equally_specific_responsibilities_go_to_the_oldest():
    oldest = ResponsibilityFactory(areas=[area("mid")])
    ResponsibilityFactory(areas=[area("mid")])

    assert ask().responsibility == oldest


def test_retired_responsibility_does_not_answer_but_one_retiring_later_does():
    ResponsibilityFactory(areas=[area("mid")], retired_on=TODAY)
    fallback = ResponsibilityFactory()
    assert ask().responsibility == fallback

    retiring = ResponsibilityFactory(areas=[area("mid")], retired_on=TODAY + datetime.timedelta(days=30))
    assert ask().responsibility == retiring


def test_answer_names_officer_deputy_and_the_responsibilitys_team():
    deputy = OfficerFactory(full_name="Dana Deputy")
    officer = OfficerFactory(full_name="Olu Officer", deputy=deputy)
    duty_team = TeamFactory(name="Safeguarding Duty Desk")
    ResponsibilityFactory(officer=officer, team=duty_team)

    answer = ask()

    assert (answer.officer, answer.deputy, answer.team) == (officer, deputy, duty_team)


def test_officer_no_longer_in_post_leaves_their_deputy_and_team_to_answer():
    deputy = OfficerFactory()
    officer = OfficerFactory(deputy=deputy, active_to=YESTERDAY)
    ResponsibilityFactory(officer=officer, team=None)

    answer = ask()

    assert answer.officer is None
    assert answer.deputy == deputy
    # No team on the responsibility: the officer's own team is the fallback.
    assert answer.team == officer.team


def test_deputy_no_longer_in_post_is_not_offered():
    officer = OfficerFactory(deputy=OfficerFactory(active_to=YESTERDAY))
    ResponsibilityFactory(officer=officer)

    assert ask().deputy is None


def test_team_only_responsibility_answers_with_the_team():
    team = TeamFactory()
    ResponsibilityFactory(officer=None, team=team)

    answer = ask()

    assert (answer.officer, answer.deputy, answer.team) == (None, None, team)


def test_many_questions_are_answered_in_two_queries(django_assert_num_queries):
    for slug in ("north-east", "mid", "south", "west"):
        for topic_slug in ("safeguarding", "quality", "contract-management"):
            ResponsibilityFactory(topic=topic(topic_slug), areas=[area(slug)])
    questions = [
        finder.Question(topic(topic_slug).pk, area(slug).pk, service_type(type_slug).pk)
        for slug in ("north-east", "mid", "south", "west")
        for topic_slug in ("safeguarding", "quality", "contract-management")
        for type_slug in ("home-care", "nursing-care")
    ]

    # Which responsibility answers each question; then who they name.
    with django_assert_num_queries(2):
        answers = finder.contacts_resolve(questions)

    assert len(answers) == 24
    assert all(answer is not None for answer in answers.values())
    mid_quality = answers[finder.Question(topic("quality").pk, area("mid").pk, service_type("home-care").pk)]
    assert mid_quality.responsibility.topic.slug == "quality"
    assert mid_quality.responsibility.areas.get().slug == "mid"


def test_provider_user_finds_its_contact_in_one_step(client):
    provider = ProviderOrganisationFactory()
    provider.areas.set([area("west"), area("mid")])
    provider.service_types.set([service_type("home-care")])
    officer = OfficerFactory(
        full_name="Sam Safeguarding", email="sam@council.example.org", phone="0300 555 0199"
    )
    ResponsibilityFactory(officer=officer, areas=[area("mid")], service_types=[service_type("home-care")])
    client.force_login(ProviderUserFactory(provider_organisation=provider))

    first_visit = client.get(reverse("directory:finder"))
    # Its first area and service type by name are chosen already: Mid before West.
    assert first_visit.context["form"].initial == {"area": "mid", "service_type": "home-care"}
    assert 'value="mid" checked' in first_visit.content.decode()

    response = client.get(
        reverse("directory:finder"), {"topic": "safeguarding", "area": "mid", "service_type": "home-care"}
    )

    page = response.content.decode()
    assert response.context["answer"].officer == officer
    assert "Your contact" in page
    assert reverse("directory:officer-detail", args=[officer.pk]) in page
    assert "sam@council.example.org" in page
    assert "0300 555 0199" in page
    assert officer.team.mailbox in page


def test_finder_with_no_named_contact_offers_the_market_leads(client):
    lead = OfficerFactory(full_name="Helen Lead", market_lead="strategic")
    OfficerFactory(full_name="Former Lead", market_lead="operational", active_to=YESTERDAY)
    client.force_login(OfficerUserFactory())

    response = client.get(
        reverse("directory:finder"),
        {"topic": "fees-and-pricing", "area": "south", "service_type": "nursing-care"},
    )

    page = response.content.decode()
    assert "There is no named contact for this yet" in page
    assert response.context["market_leads"] == [lead]
    assert "Helen Lead" in page
    assert "Former Lead" not in page


def test_finder_question_with_missing_or_unknown_answers_gets_an_error_summary(client):
    client.force_login(OfficerUserFactory())

    response = client.get(reverse("directory:finder"), {"topic": "gossip", "area": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose what your question is about from the list" in page
    assert "Choose the area the service is in" in page
    assert "Choose the type of service" in page
    assert '<a href="#id_topic">' in page and 'id="id_topic"' in page
    assert "answer" not in response.context


def test_finder_offers_a_topic_added_since_it_was_last_asked(client):
    client.force_login(OfficerUserFactory())
    client.get(reverse("directory:finder"))

    TopicFactory(name="Hospital discharge", slug="hospital-discharge")

    assert 'value="hospital-discharge"' in client.get(reverse("directory:finder")).content.decode()


@pytest.mark.parametrize("extra_responsibilities", [0, 40])
def test_finder_answers_in_the_same_number_of_queries_however_many_responsibilities(
    client, django_assert_num_queries, extra_responsibilities
):
    ResponsibilityFactory(areas=[area("mid")], service_types=[service_type("home-care")])
    for index in range(extra_responsibilities):
        ResponsibilityFactory(
            topic=topic(("safeguarding", "quality")[index % 2]),
            areas=[area(("mid", "south")[index % 2])],
            service_types=[service_type("home-care"), service_type("nursing-care")],
        )
    client.force_login(ProviderUserFactory())
    question = {"topic": "safeguarding", "area": "mid", "service_type": "home-care"}

    with django_assert_num_queries(FINDER_QUERIES_ANSWERED):
        answered = client.get(reverse("directory:finder"), question)
    with django_assert_num_queries(FINDER_QUERIES_UNANSWERED):
        unanswered = client.get(reverse("directory:finder"), {**question, "topic": "commissioning"})

    assert answered.context["answer"] is not None
    assert unanswered.context["answer"] is None
