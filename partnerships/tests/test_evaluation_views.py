"""A pilot's evaluation pages: adding, changing and publishing an evaluation, its page, and adding lessons."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Evaluation, Lesson, ObjectiveOutcome, Stage
from partnerships.tests.factories import (
    EvaluationFactory,
    LessonFactory,
    ObjectiveFactory,
    ObjectiveOutcomeFactory,
    PartnershipPilotFactory,
)
from portal.models import OutboxMessage

pytestmark = pytest.mark.django_db

# Session, user, roles, the evaluation with its pilot, outcomes with objectives, lessons, and the permissions
# (two) for the officers' actions.
EVALUATION_PAGE_MAX_QUERIES = 8


def _pilot_in_delivery(objectives: int = 2, **kwargs):
    pilot = PartnershipPilotFactory(stage=Stage.IN_DELIVERY, **kwargs)
    for number in range(objectives):
        ObjectiveFactory(
            pilot=pilot,
            title=f"Objective {number + 1}",
            measure=f"Measure {number + 1}",
            target=f"Target {number + 1}",
            due_on=timezone.localdate() + dt.timedelta(days=number + 1),
        )
    return pilot


def _add_url(pilot) -> str:
    return reverse("partnerships:evaluation-add", kwargs={"slug": pilot.slug})


def _url(evaluation, name: str = "partnerships:evaluation") -> str:
    return reverse(name, kwargs={"slug": evaluation.pilot.slug, "pk": evaluation.pk})


def _posted(pilot, *, point="mid_point", evaluated_on=None, rows=None) -> dict:
    day = evaluated_on or timezone.localdate()
    data = {
        "point": point,
        "evaluated_on_0": day.day,
        "evaluated_on_1": day.month,
        "evaluated_on_2": day.year,
        "summary": "Discharges are faster but staffing is stretched.",
        "outcomes-TOTAL_FORMS": pilot.objectives.count(),
        "outcomes-INITIAL_FORMS": pilot.objectives.count(),
    }
    objectives = list(pilot.objectives.order_by("due_on", "pk"))
    for index, objective in enumerate(objectives):
        result, evidence = (rows or {}).get(index, ("met", f"Evidence {index + 1}"))
        data |= {
            f"outcomes-{index}-objective": objective.pk,
            f"outcomes-{index}-result": result,
            f"outcomes-{index}-evidence": evidence,
        }
    return data


def _page(response) -> str:
    return response.content.decode()


# Adding an evaluation


def test_the_add_page_has_a_row_per_objective_with_its_measure_and_target_as_the_hint(client, users):
    pilot = _pilot_in_delivery()
    client.force_login(users["officer"])

    page = _page(client.get(_add_url(pilot)))

    assert "Objective 1" in page and "Objective 2" in page
    assert "Measured by: Measure 1. Target: Target 1." in page
    assert "Measured by: Measure 2. Target: Target 2." in page
    assert page.count('name="outcomes-0-result"') == len(ObjectiveOutcome.Result.choices)


def test_an_officer_adds_a_draft_evaluation_and_lands_on_its_page(client, users):
    pilot = _pilot_in_delivery()
    client.force_login(users["officer"])

    response = client.post(_add_url(pilot), _posted(pilot, rows={1: ("too_early", "Only two months in.")}))

    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(evaluation)
    assert not evaluation.is_published
    assert evaluation.evaluated_by == users["officer"]
    assert list(evaluation.outcomes.order_by("objective__due_on").values_list("result", "evidence")) == [
        ("met", "Evidence 1"),
        ("too_early", "Only two months in."),
    ]


def test_an_outcome_without_evidence_is_shown_in_the_error_summary(client, users):
    pilot = _pilot_in_delivery()
    client.force_login(users["officer"])

    response = client.post(_add_url(pilot), _posted(pilot, rows={0: ("met", "  ")}))

    page = _page(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the evidence for “Objective 1” against its target" in page
    assert not Evaluation.objects.exists()


def test_a_date_in_the_future_is_refused(client, users):
    pilot = _pilot_in_delivery()
    client.force_login(users["officer"])

    response = client.post(
        _add_url(pilot), _posted(pilot, evaluated_on=timezone.localdate() + dt.timedelta(days=2))
    )

    assert "The date of the evaluation must be today or in the past" in _page(response)
    assert not Evaluation.objects.exists()


def test_a_point_already_evaluated_is_refused_against_the_point(client, users):
    pilot = _pilot_in_delivery()
    EvaluationFactory(pilot=pilot, point=Evaluation.Point.MID_POINT)
    client.force_login(users["officer"])

    response = client.post(_add_url(pilot), _posted(pilot))

    assert "This pilot already has an evaluation for “Mid-point review”" in _page(response)
    assert Evaluation.objects.count() == 1


def test_a_pilot_with_no_objectives_is_refused_before_anything_is_written(client, users):
    pilot = _pilot_in_delivery(objectives=0)
    client.force_login(users["officer"])

    page = _page(client.get(_add_url(pilot)))

    assert "Add the pilot&#x27;s objectives before evaluating it" in page
    assert 'name="summary"' not in page


@pytest.mark.parametrize("stage", [Stage.PROPOSED, Stage.SCOPING])
def test_a_pilot_still_proposed_or_scoping_is_refused(client, users, stage):
    pilot = _pilot_in_delivery()
    pilot.stage = stage
    pilot.save()
    client.force_login(users["officer"])

    page = _page(client.get(_add_url(pilot)))
    posted = client.post(_add_url(pilot), _posted(pilot))

    assert "There is nothing to evaluate yet" in page
    assert 'name="summary"' not in page
    assert "govuk-error-summary" in _page(posted)
    assert not Evaluation.objects.exists()


def test_a_row_posted_for_an_objective_that_is_no_longer_there_is_refused(client, users):
    pilot = _pilot_in_delivery(objectives=1)
    client.force_login(users["officer"])
    data = _posted(pilot)
    data["outcomes-0-objective"] = 999999

    response = client.post(_add_url(pilot), data)

    assert "The pilot&#x27;s objectives changed while you were writing" in _page(response)
    assert not Evaluation.objects.exists()


# The evaluation's page


def _published_with_lesson(**pilot_kwargs):
    pilot = _pilot_in_delivery(objectives=1, **pilot_kwargs)
    evaluation = EvaluationFactory(pilot=pilot, summary="Halfway, it works.")
    ObjectiveOutcomeFactory(
        evaluation=evaluation,
        objective=pilot.objectives.get(),
        result=ObjectiveOutcome.Result.PARTLY_MET,
        evidence="2.6 days, down from 4.",
    )
    LessonFactory(evaluation=evaluation, title="Agree measures before starting")
    return evaluation


def test_a_provider_sees_a_published_evaluation_with_outcomes_and_lessons_but_no_actions(client, users):
    evaluation = _published_with_lesson()
    client.force_login(users["provider_a"])

    page = _page(client.get(_url(evaluation)))

    for shown in (
        "Halfway, it works.",
        "Objective 1",
        "Measure 1",
        "Target 1",
        "Partly met",
        "2.6 days, down",
    ):
        assert shown in page
    assert "Agree measures before starting" in page
    assert ">Draft<" not in page
    assert "Change the draft evaluation" not in page
    assert "Add a lesson" not in page


def test_a_provider_never_sees_a_draft_evaluation(client, users):
    evaluation = _published_with_lesson()
    evaluation.is_published = False
    evaluation.save()
    client.force_login(users["provider_a"])

    assert client.get(_url(evaluation)).status_code == 404


def test_a_provider_never_sees_an_evaluation_of_a_draft_pilot(client, users):
    evaluation = _published_with_lesson(is_published=False)
    client.force_login(users["provider_a"])

    assert client.get(_url(evaluation)).status_code == 404


def test_an_evaluation_is_found_only_under_its_own_pilot(client, users):
    evaluation = _published_with_lesson()
    other = PartnershipPilotFactory()
    client.force_login(users["officer"])

    url = reverse("partnerships:evaluation", kwargs={"slug": other.slug, "pk": evaluation.pk})
    assert client.get(url).status_code == 404


def test_officers_see_a_draft_marked_as_such_with_its_actions(client, users):
    evaluation = _published_with_lesson()
    evaluation.is_published = False
    evaluation.save()
    client.force_login(users["officer"])

    page = _page(client.get(_url(evaluation)))

    assert ">Draft<" in page
    assert _url(evaluation, "partnerships:evaluation-edit") in page
    assert _url(evaluation, "partnerships:evaluation-publish") in page
    assert _url(evaluation, "partnerships:lesson-add") in page


def test_a_published_evaluation_offers_officers_no_change_or_publish(client, users):
    evaluation = _published_with_lesson()
    client.force_login(users["officer"])

    page = _page(client.get(_url(evaluation)))

    assert _url(evaluation, "partnerships:evaluation-edit") not in page
    assert _url(evaluation, "partnerships:evaluation-publish") not in page
    assert _url(evaluation, "partnerships:lesson-add") in page


@pytest.mark.parametrize("who", ["provider_a", "officer"])
def test_the_evaluation_page_does_not_read_more_with_more_outcomes_and_lessons(
    client, users, who, django_assert_max_num_queries
):
    pilot = _pilot_in_delivery(objectives=0)
    evaluation = EvaluationFactory(pilot=pilot)
    client.force_login(users[who])
    for rows in (2, 20):
        for _ in range(rows - evaluation.outcomes.count()):
            ObjectiveOutcomeFactory(evaluation=evaluation, objective=ObjectiveFactory(pilot=pilot))
            LessonFactory(evaluation=evaluation)
        with django_assert_max_num_queries(EVALUATION_PAGE_MAX_QUERIES):
            response = client.get(_url(evaluation))
        assert response.status_code == 200


# Changing and publishing


def test_an_officer_changes_a_draft_starting_from_what_was_written(client, users):
    pilot = _pilot_in_delivery(objectives=1)
    evaluation = EvaluationFactory(pilot=pilot, is_published=False, summary="First thoughts.")
    ObjectiveOutcomeFactory(
        evaluation=evaluation, objective=pilot.objectives.get(), evidence="Early figures."
    )
    client.force_login(users["officer"])

    form_page = _page(client.get(_url(evaluation, "partnerships:evaluation-edit")))
    response = client.post(
        _url(evaluation, "partnerships:evaluation-edit"), _posted(pilot, rows={0: ("met", "Final figures.")})
    )

    assert "First thoughts." in form_page and "Early figures." in form_page
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.summary == "Discharges are faster but staffing is stretched."
    assert list(evaluation.outcomes.values_list("result", "evidence")) == [("met", "Final figures.")]


def test_a_published_evaluation_cannot_be_changed(client, users):
    evaluation = _published_with_lesson()
    client.force_login(users["officer"])

    page = _page(client.get(_url(evaluation, "partnerships:evaluation-edit")))
    posted = client.post(_url(evaluation, "partnerships:evaluation-edit"), _posted(evaluation.pilot))

    assert "This evaluation is published, so it can no longer be changed" in page
    assert 'name="summary"' not in page
    assert posted.status_code == 200
    assert "govuk-error-summary" in _page(posted)
    evaluation.refresh_from_db()
    assert evaluation.summary == "Halfway, it works."


def test_publishing_asks_for_confirmation_then_publishes_and_emails_the_lead_officer(client, users):
    evaluation = _published_with_lesson()
    evaluation.is_published = False
    evaluation.save()
    client.force_login(users["officer"])
    url = _url(evaluation, "partnerships:evaluation-publish")

    confirmation = client.get(url)
    evaluation.refresh_from_db()
    assert not evaluation.is_published
    assert "Publish evaluation" in _page(confirmation)

    response = client.post(url)

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.is_published and evaluation.published_at
    assert [message.recipients for message in OutboxMessage.objects.all()] == [
        [evaluation.pilot.lead_officer.email]
    ]
    client.force_login(users["provider_a"])
    assert client.get(_url(evaluation)).status_code == 200


def test_publishing_an_evaluation_with_no_outcomes_is_refused_with_a_message(client, users):
    evaluation = EvaluationFactory(pilot=_pilot_in_delivery(), is_published=False)
    client.force_login(users["officer"])

    response = client.post(_url(evaluation, "partnerships:evaluation-publish"))

    assert response.status_code == 200
    assert "Record an outcome against at least one objective before publishing" in _page(response)
    evaluation.refresh_from_db()
    assert not evaluation.is_published


# Lessons


def test_the_lesson_form_says_to_write_for_reuse(client, users):
    evaluation = _published_with_lesson()
    client.force_login(users["officer"])

    page = _page(client.get(_url(evaluation, "partnerships:lesson-add")))

    assert "Written for reuse" in page


def test_an_officer_adds_a_lesson_to_an_evaluation(client, users):
    evaluation = _published_with_lesson()
    client.force_login(users["officer"])

    response = client.post(
        _url(evaluation, "partnerships:lesson-add"),
        {
            "theme": Lesson.Theme.WORKFORCE,
            "title": "Plan cover for the first month",
            "what_happened": "Two carers left in week three.",
            "do_next_time": "Agree cover with a second provider before starting.",
        },
    )

    assert response.status_code == 302
    lesson = Lesson.objects.get(title="Plan cover for the first month")
    assert (lesson.evaluation, lesson.pilot) == (evaluation, evaluation.pilot)


def test_a_lesson_with_nothing_filled_in_names_each_missing_part(client, users):
    evaluation = _published_with_lesson()
    client.force_login(users["officer"])

    page = _page(client.post(_url(evaluation, "partnerships:lesson-add"), {}))

    for message in (
        "Choose the lesson&#x27;s theme",
        "Enter a title for the lesson",
        "Enter what happened",
        "Enter what to do next time",
    ):
        assert message in page
