"""Answering from the personal link: the questionnaire, saving to come back, sending once, and bad input."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import Officer
from directory.tests import factories as directory_factories
from portal.relationship_themes import RelationshipTheme
from surveys.models import Answer, Audience, Invitation, ProviderSize, Question, Questionnaire, Response
from surveys.services.responses import DONT_KNOW, ResponseError, response_submit
from surveys.tests import factories

pytestmark = pytest.mark.django_db

PAGE_MAX_QUERIES = 12


@dataclass
class Survey:
    questionnaire: Questionnaire
    trust: Question
    sharing: Question
    comment: Question
    provider_type: Question
    area: Question
    size: Question


def provider_survey(cycle=None, *, extra_agreement_questions: int = 0) -> Survey:
    """A provider questionnaire: a required and an optional agreement question, free text, the three segments."""
    cycle = cycle or factories.SurveyCycleFactory(year=timezone.localdate().year)
    questionnaire = factories.QuestionnaireFactory(cycle=cycle, audience=Audience.PROVIDERS)
    agreement = factories.AgreementQuestionFactory
    survey = Survey(
        questionnaire=questionnaire,
        trust=agreement(questionnaire=questionnaire, position=1, text="We trust each other.", required=True),
        sharing=agreement(
            questionnaire=questionnaire,
            position=2,
            theme=RelationshipTheme.INFORMATION_SHARING,
            text="The council shares information with us in good time.",
        ),
        comment=factories.FreeTextQuestionFactory(questionnaire=questionnaire, position=3),
        provider_type=factories.SegmentQuestionFactory(
            questionnaire=questionnaire, position=4, segment="provider_type", text="What type of care?"
        ),
        area=factories.SegmentQuestionFactory(questionnaire=questionnaire, position=5, segment="area"),
        size=factories.SegmentQuestionFactory(
            questionnaire=questionnaire, position=6, segment="size", text="How many people do you support?"
        ),
    )
    for number in range(extra_agreement_questions):
        agreement(questionnaire=questionnaire, position=10 + number, text=f"Extra question {number}.")
    return survey


def field(question: Question) -> str:
    return f"question_{question.pk}"


def answer_url(invitation: Invitation) -> str:
    return reverse("surveys:respond", kwargs={"token": invitation.token})


@pytest.fixture
def survey() -> Survey:
    return provider_survey()


@pytest.fixture
def invitation(survey) -> Invitation:
    return factories.InvitationFactory(
        cycle=survey.questionnaire.cycle,
        provider_type=directory_factories.service_type("home-care"),
        area=directory_factories.area("mid"),
        size=ProviderSize.MEDIUM,
    )


def full_answers(survey: Survey) -> dict[str, str]:
    return {
        field(survey.trust): "4",
        field(survey.sharing): DONT_KNOW,
        field(survey.comment): "Meet us more often.",
        field(survey.provider_type): str(directory_factories.service_type("home-care").pk),
        field(survey.area): str(directory_factories.area("south").pk),
        field(survey.size): ProviderSize.SMALL,
    }


# The page


def test_the_page_needs_no_sign_in_and_shows_the_audiences_questions(client, survey, invitation):
    page = client.get(answer_url(invitation))

    assert page.status_code == 200
    html = page.content.decode()
    for question in (survey.trust, survey.sharing, survey.comment, survey.size):
        assert question.text in html
    for label in ("Strongly disagree", "Neither agree nor disagree", "Strongly agree", "Don’t know"):
        assert label in html
    assert "Send your answers" in html and "Save and come back later" in html


def test_each_agreement_question_is_a_fieldset_of_labelled_radios(client, survey, invitation):
    html = client.get(answer_url(invitation)).content.decode()

    name = field(survey.trust)
    assert html.count('<fieldset class="govuk-fieldset"') >= 3
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in html
    assert html.count(f'name="{name}"') == 6
    assert f'<label class="govuk-label govuk-radios__label" for="id_{name}_1">' in html
    assert f'<label for="id_{field(survey.comment)}" class="govuk-label govuk-label--s">' in html
    assert f'<label for="id_{field(survey.area)}" class="govuk-label govuk-label--s">' in html


def test_the_segments_the_invitation_knows_are_filled_in(client, survey, invitation):
    form = client.get(answer_url(invitation)).context["form"]

    assert form.initial == {
        field(survey.provider_type): str(invitation.provider_type_id),
        field(survey.area): str(invitation.area_id),
        field(survey.size): ProviderSize.MEDIUM,
    }


def test_the_page_takes_few_queries_however_many_questions(client, django_assert_max_num_queries):
    survey = provider_survey(extra_agreement_questions=30)
    invitation = factories.InvitationFactory(cycle=survey.questionnaire.cycle)

    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        page = client.get(answer_url(invitation))
    assert page.status_code == 200


def test_the_officers_questionnaire_asks_seniority_and_team_filled_in_from_the_invitation(client):
    cycle = factories.SurveyCycleFactory(year=timezone.localdate().year)
    questionnaire = factories.QuestionnaireFactory(cycle=cycle, audience=Audience.OFFICERS)
    factories.AgreementQuestionFactory(questionnaire=questionnaire, position=1)
    seniority = factories.SegmentQuestionFactory(questionnaire=questionnaire, position=2, segment="seniority")
    team_question = factories.SegmentQuestionFactory(questionnaire=questionnaire, position=3, segment="team")
    team = directory_factories.TeamFactory(name="Contract Management Mid")
    invitation = factories.InvitationFactory(
        cycle=cycle, audience=Audience.OFFICERS, seniority=Officer.Seniority.MANAGER, team=team
    )

    page = client.get(answer_url(invitation))

    assert page.context["form"].initial == {field(seniority): "manager", field(team_question): str(team.pk)}
    assert "Contract Management Mid" in page.content.decode()


# Saving to come back


def test_saving_keeps_the_answers_on_the_invitation_and_the_link_working(client, survey, invitation):
    saved = client.post(
        answer_url(invitation), {field(survey.sharing): "2", field(survey.comment): "More notice", "save": ""}
    )

    assert saved.status_code == 302 and saved["Location"] == answer_url(invitation)
    invitation.refresh_from_db()
    assert invitation.draft == {str(survey.sharing.pk): "2", str(survey.comment.pk): "More notice"}
    assert not invitation.used
    assert Response.objects.count() == 0
    again = client.get(saved["Location"])
    assert "Your answers have been saved" in again.content.decode()
    assert again.context["form"].initial == {field(survey.sharing): "2", field(survey.comment): "More notice"}


def test_saving_does_not_ask_for_required_answers_but_refuses_one_outside_the_scale(
    client, survey, invitation
):
    refused = client.post(answer_url(invitation), {field(survey.sharing): "6", "save": ""})

    assert refused.status_code == 200
    assert "Select one of the answers given" in refused.content.decode()
    invitation.refresh_from_db()
    assert invitation.draft is None


# Sending


def test_sending_makes_an_anonymous_response_and_uses_the_invitation(client, survey, invitation):
    invitation.draft = {str(survey.trust.pk): "1"}
    invitation.save()

    sent = client.post(answer_url(invitation), {**full_answers(survey), "send": ""})

    assert sent.status_code == 302 and sent["Location"] == reverse("surveys:respond-thanks")
    response = Response.objects.get()
    assert response.is_complete and response.audience == Audience.PROVIDERS
    assert response.questionnaire == survey.questionnaire
    assert (response.provider_type.slug, response.area.slug, response.size) == ("home-care", "south", "small")
    answers = {answer.question_id: (answer.score, answer.text) for answer in response.answers.all()}
    assert answers == {
        survey.trust.pk: (4, ""),
        survey.sharing.pk: (None, ""),
        survey.comment.pk: (None, "Meet us more often."),
    }
    invitation.refresh_from_db()
    assert invitation.used and invitation.draft is None
    assert "Your answers have been sent" in client.get(sent["Location"]).content.decode()


def test_a_segment_left_empty_is_kept_as_not_said_rather_than_filled_from_the_invitation(
    client, survey, invitation
):
    answers = {**full_answers(survey), field(survey.area): "", field(survey.size): ""}

    client.post(answer_url(invitation), {**answers, "send": ""})

    response = Response.objects.get()
    assert response.area is None and response.size == ""


def test_a_required_question_left_empty_is_a_form_error_and_nothing_is_kept(client, survey, invitation):
    answers = {**full_answers(survey), field(survey.trust): ""}

    page = client.post(answer_url(invitation), {**answers, "send": ""})

    assert page.status_code == 200
    assert f"Select how much you agree or disagree: {survey.trust.text}" in page.content.decode()
    assert f'href="#id_{field(survey.trust)}' in page.content.decode()
    assert Response.objects.count() == 0
    invitation.refresh_from_db()
    assert not invitation.used


@pytest.mark.parametrize("outside", ["0", "6", "strongly", "4.5", "-1"])
def test_an_answer_outside_the_scale_is_a_form_error(client, survey, invitation, outside):
    page = client.post(
        answer_url(invitation), {**full_answers(survey), field(survey.trust): outside, "send": ""}
    )

    assert page.status_code == 200
    assert (
        "Select one of the answers given, from strongly disagree to strongly agree" in page.content.decode()
    )
    assert Response.objects.count() == 0


def test_the_service_refuses_an_answer_outside_the_scale_even_past_the_form(survey, invitation):
    with pytest.raises(ResponseError, match="Select one of the answers given"):
        response_submit(invitation=invitation, answers={str(survey.trust.pk): "9"})
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_an_invitation_is_answered_once_only(client, survey, invitation):
    client.post(answer_url(invitation), {**full_answers(survey), "send": ""})

    again = client.post(answer_url(invitation), {**full_answers(survey), "send": ""})

    assert again.status_code == 200
    assert "You have already answered this year’s survey. Thank you." in again.content.decode()
    assert Response.objects.count() == 1
    with pytest.raises(ResponseError, match="already answered"):
        response_submit(invitation=invitation, answers={str(survey.trust.pk): "3"})


# Links that cannot be answered


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 43, "y" * 200])
def test_a_forged_link_is_not_found_and_says_nothing_of_any_invitation(client, invitation, token):
    page = client.get(reverse("surveys:respond", kwargs={"token": token}))

    assert page.status_code == 404
    html = page.content.decode()
    assert "Survey link not recognised" in html
    assert "already" not in html and "closed" not in html


def test_a_used_link_says_it_was_answered(client, invitation):
    invitation.used = True
    invitation.save()

    page = client.get(answer_url(invitation))

    assert page.status_code == 200
    assert "You have already answered this year’s survey. Thank you." in page.content.decode()
    assert "Send your answers" not in page.content.decode()


def test_a_link_to_a_survey_not_yet_open_says_when_it_opens(client):
    today = timezone.localdate()
    cycle = factories.SurveyCycleFactory(
        year=today.year + 1, opens_on=today + dt.timedelta(days=3), closes_on=today + dt.timedelta(days=30)
    )
    survey = provider_survey(cycle)
    invitation = factories.InvitationFactory(cycle=cycle)

    page = client.get(answer_url(invitation))
    posted = client.post(answer_url(invitation), {**full_answers(survey), "send": ""})

    assert f"The survey opens on {cycle.opens_on:%-d %B %Y}" in page.content.decode()
    assert "Send your answers" not in page.content.decode()
    assert posted.status_code == 200 and Response.objects.count() == 0


def _closed_cycle():
    today = timezone.localdate()
    return factories.SurveyCycleFactory(
        year=today.year - 1, opens_on=today - dt.timedelta(days=40), closes_on=today - dt.timedelta(days=1)
    )


def test_a_link_to_a_closed_survey_says_saved_answers_were_kept(client):
    cycle = _closed_cycle()
    survey = provider_survey(cycle)
    invitation = factories.InvitationFactory(cycle=cycle, draft={str(survey.trust.pk): "5"})

    page = client.get(answer_url(invitation))
    posted = client.post(answer_url(invitation), {**full_answers(survey), "send": ""})

    assert f"The survey closed on {cycle.closes_on:%-d %B %Y}; your saved answers were kept." in (
        page.content.decode()
    )
    assert posted.status_code == 200 and Response.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.draft == {str(survey.trust.pk): "5"}


def test_a_link_to_a_closed_survey_without_saved_answers_says_only_when_it_closed(client):
    cycle = _closed_cycle()
    provider_survey(cycle)
    invitation = factories.InvitationFactory(cycle=cycle)

    html = client.get(answer_url(invitation)).content.decode()

    assert f"The survey closed on {cycle.closes_on:%-d %B %Y}." in html
    assert "saved answers" not in html


def test_a_signed_in_person_answers_like_anyone_else_and_is_not_recorded(survey, invitation, users):
    client = Client()
    client.force_login(users["officer"])

    client.post(answer_url(invitation), {**full_answers(survey), "send": ""})

    assert Response.objects.count() == 1
