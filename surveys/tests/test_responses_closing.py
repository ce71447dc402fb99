"""Closing a cycle: half-finished answers become incomplete responses, so no response is lost."""

import datetime as dt

import pytest
from django.utils import timezone

from directory.tests import factories as directory_factories
from surveys.models import Invitation, Response, SurveyCycle
from surveys.services.responses import ResponseError, cycle_close
from surveys.tasks import close_cycle, close_ended_cycles
from surveys.tests import factories
from surveys.tests.test_responses import provider_survey

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def cycle() -> SurveyCycle:
    return factories.SurveyCycleFactory(
        year=2026, opens_on=dt.date(2026, 5, 1), closes_on=dt.date(2026, 5, 31)
    )


@pytest.fixture
def survey(cycle):
    return provider_survey(cycle)


def test_saved_answers_become_an_incomplete_response_when_the_cycle_closes(cycle, survey):
    south = directory_factories.area("south")
    half_done = factories.InvitationFactory(
        cycle=cycle,
        area=directory_factories.area("mid"),
        draft={
            str(survey.trust.pk): "2",
            str(survey.comment.pk): "Slow replies",
            str(survey.area.pk): str(south.pk),
        },
    )
    untouched = factories.InvitationFactory(cycle=cycle)

    kept = cycle_close(cycle=cycle, today=TODAY)

    assert kept == 1
    response = Response.objects.get()
    assert not response.is_complete and response.area == south
    answers = {answer.question_id: (answer.score, answer.text) for answer in response.answers.all()}
    assert answers == {survey.trust.pk: (2, ""), survey.comment.pk: (None, "Slow replies")}
    half_done.refresh_from_db()
    assert half_done.used and half_done.draft is None
    untouched.refresh_from_db()
    assert not untouched.used
    cycle.refresh_from_db()
    assert cycle.closed_at is not None


def test_a_saved_answer_outside_the_scale_is_left_out_and_the_rest_kept(cycle, survey):
    factories.InvitationFactory(cycle=cycle, draft={str(survey.trust.pk): "9", str(survey.sharing.pk): "5"})

    cycle_close(cycle=cycle, today=TODAY)

    assert [answer.score for answer in Response.objects.get().answers.all()] == [5]


def test_a_segment_asked_but_missing_from_the_saved_answers_is_kept_as_not_said(cycle, survey):
    # The form filled the area in from the invitation: saved without it, the respondent chose not to say.
    factories.InvitationFactory(
        cycle=cycle, area=directory_factories.area("west"), draft={str(survey.trust.pk): "3"}
    )

    cycle_close(cycle=cycle, today=TODAY)

    assert Response.objects.get().area is None


def test_a_segment_the_questionnaire_does_not_ask_comes_from_the_invitation():
    cycle = factories.SurveyCycleFactory(
        year=2026, opens_on=dt.date(2026, 5, 1), closes_on=dt.date(2026, 5, 31)
    )
    trust = factories.AgreementQuestionFactory(questionnaire=factories.QuestionnaireFactory(cycle=cycle))
    factories.InvitationFactory(
        cycle=cycle, area=directory_factories.area("west"), size="large", draft={str(trust.pk): "3"}
    )

    cycle_close(cycle=cycle, today=TODAY)

    response = Response.objects.get()
    assert (response.area.slug, response.size) == ("west", "large")


def test_closing_twice_keeps_nothing_twice(cycle, survey):
    factories.InvitationFactory(cycle=cycle, draft={str(survey.trust.pk): "4"})

    assert cycle_close(cycle=cycle, today=TODAY) == 1
    factories.InvitationFactory(cycle=cycle, draft={str(survey.trust.pk): "4"})
    assert cycle_close(cycle=cycle, today=TODAY) == 0

    assert Response.objects.count() == 1


def test_a_cycle_still_open_is_not_closed(cycle, survey):
    factories.InvitationFactory(cycle=cycle, draft={str(survey.trust.pk): "4"})

    with pytest.raises(ResponseError, match="open until 31 May 2026"):
        cycle_close(cycle=cycle, today=cycle.closes_on)

    assert Response.objects.count() == 0
    assert Invitation.objects.get().draft


def test_a_used_invitation_and_an_empty_draft_make_no_response(cycle, survey):
    factories.InvitationFactory(cycle=cycle, used=True, draft={str(survey.trust.pk): "4"})
    factories.InvitationFactory(cycle=cycle, draft={})

    assert cycle_close(cycle=cycle, today=TODAY) == 0
    assert Response.objects.count() == 0


def test_the_daily_task_closes_only_cycles_whose_last_day_has_passed(cycle, survey):
    still_open = factories.SurveyCycleFactory(
        year=2027, opens_on=dt.date(2026, 5, 20), closes_on=dt.date(2026, 6, 10)
    )
    factories.InvitationFactory(cycle=cycle, draft={str(survey.trust.pk): "1"})

    assert close_ended_cycles.delay(today=TODAY.isoformat()).get() == {2026: 1}
    assert close_ended_cycles.delay(today=TODAY.isoformat()).get() == {}

    still_open.refresh_from_db()
    assert still_open.closed_at is None
    assert Response.objects.filter(is_complete=False).count() == 1


def test_the_task_for_one_cycle_runs_the_service(cycle, survey):
    factories.InvitationFactory(cycle=cycle, draft={str(survey.trust.pk): "1"})

    assert close_cycle.delay(cycle.pk, today=TODAY.isoformat()).get() == 1
    assert close_cycle.delay(cycle.pk).get() == 0


def test_closing_takes_the_same_queries_however_many_drafts(cycle, survey, django_assert_max_num_queries):
    for _ in range(20):
        factories.InvitationFactory(
            cycle=cycle, draft={str(survey.trust.pk): "4", str(survey.comment.pk): "x"}
        )

    # Two inserts (response, answers) a kept response; everything else once.
    with django_assert_max_num_queries(12 + 2 * 20):
        cycle_close(cycle=cycle, today=TODAY)
    assert Response.objects.count() == 20


def test_after_closing_the_link_says_the_answers_were_received(client, cycle, survey):
    invitation = factories.InvitationFactory(cycle=cycle, draft={str(survey.trust.pk): "4"})
    cycle_close(cycle=cycle, today=max(TODAY, timezone.localdate()))

    html = client.get(f"/surveys/answer/{invitation.token}/").content.decode()

    assert "You have already answered this year’s survey. Thank you." in html
