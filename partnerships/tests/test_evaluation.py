"""Evaluating a pilot: the services that record, change and publish an evaluation, add lessons, and what they
refuse."""

import datetime as dt
from email import message_from_bytes

import pytest
from django.utils import timezone

from partnerships.models import Evaluation, Lesson, ObjectiveOutcome, Stage
from partnerships.services.evaluation import (
    EvaluationError,
    Outcome,
    evaluation_create,
    evaluation_publish,
    evaluation_update,
    lesson_add,
)
from partnerships.tests.factories import (
    EvaluationFactory,
    ObjectiveFactory,
    ObjectiveOutcomeFactory,
    PartnershipPilotFactory,
)
from portal.models import OutboxMessage

pytestmark = pytest.mark.django_db

MET, PARTLY = ObjectiveOutcome.Result.MET, ObjectiveOutcome.Result.PARTLY_MET


def _pilot_in_delivery(objectives: int = 2, **kwargs):
    pilot = PartnershipPilotFactory(stage=Stage.IN_DELIVERY, **kwargs)
    for number in range(objectives):
        ObjectiveFactory(pilot=pilot, title=f"Objective {number + 1}")
    return pilot


def _outcomes(pilot, result=MET, evidence="Average of 1.8 days.") -> list[Outcome]:
    return [Outcome(objective, result, evidence) for objective in pilot.objectives.all()]


def _create(pilot, by, **overrides) -> Evaluation:
    values = {
        "point": Evaluation.Point.MID_POINT,
        "evaluated_on": timezone.localdate(),
        "summary": "Discharges are faster.",
        "outcomes": _outcomes(pilot),
        **overrides,
    }
    return evaluation_create(pilot=pilot, by=by, **values)


# Recording an evaluation


def test_an_evaluation_starts_as_a_draft_with_an_outcome_per_objective_attributed_to_the_officer(users):
    officer = users["officer"]
    pilot = _pilot_in_delivery()

    evaluation = _create(pilot, officer)

    assert not evaluation.is_published
    assert evaluation.published_at is None
    assert evaluation.evaluated_by == officer
    assert sorted(evaluation.outcomes.values_list("objective__title", "result")) == [
        ("Objective 1", MET),
        ("Objective 2", MET),
    ]
    history = evaluation.history.first()
    assert (history.history_user, history.history_change_reason) == (officer, "Evaluation drafted")


@pytest.mark.parametrize("stage", [Stage.PROPOSED, Stage.SCOPING])
def test_a_pilot_still_proposed_or_scoping_has_nothing_to_evaluate_yet(users, stage):
    pilot = _pilot_in_delivery()
    pilot.stage = stage
    pilot.save()

    with pytest.raises(EvaluationError, match="There is nothing to evaluate yet"):
        _create(pilot, users["officer"])

    assert not Evaluation.objects.exists()


def test_a_pilot_without_objectives_cannot_be_evaluated(users):
    pilot = _pilot_in_delivery(objectives=0)

    with pytest.raises(EvaluationError, match="Add the pilot's objectives before evaluating it"):
        _create(pilot, users["officer"], outcomes=[])


def test_each_point_is_evaluated_once_per_pilot(users):
    pilot = _pilot_in_delivery()
    _create(pilot, users["officer"])

    with pytest.raises(EvaluationError, match="already has an evaluation for “Mid-point review”") as refused:
        _create(pilot, users["officer"])

    assert refused.value.field == "point"
    assert _create(pilot, users["officer"], point=Evaluation.Point.END).point == Evaluation.Point.END


def test_an_evaluation_cannot_be_dated_in_the_future(users):
    pilot = _pilot_in_delivery()

    with pytest.raises(EvaluationError, match="today or in the past") as refused:
        _create(pilot, users["officer"], evaluated_on=timezone.localdate() + dt.timedelta(days=1))

    assert refused.value.field == "evaluated_on"


def test_an_outcome_without_evidence_is_refused(users):
    pilot = _pilot_in_delivery(objectives=1)

    with pytest.raises(EvaluationError, match="Enter the evidence for “Objective 1” against its target"):
        _create(pilot, users["officer"], outcomes=_outcomes(pilot, evidence="   "))

    assert not Evaluation.objects.exists()


def test_every_objective_needs_an_outcome(users):
    pilot = _pilot_in_delivery(objectives=2)

    with pytest.raises(EvaluationError, match="Record an outcome for every one of the pilot's objectives"):
        _create(pilot, users["officer"], outcomes=_outcomes(pilot)[:1])


def test_an_outcome_for_another_pilots_objective_is_refused(users):
    pilot = _pilot_in_delivery(objectives=1)
    other = _pilot_in_delivery(objectives=1)

    with pytest.raises(EvaluationError, match="every one of the pilot's objectives"):
        _create(pilot, users["officer"], outcomes=_outcomes(other))


# Changing a draft


def test_a_draft_evaluation_can_be_changed_and_its_outcomes_rewritten(users):
    officer, editor = users["officer"], users["editor"]
    pilot = _pilot_in_delivery()
    evaluation = _create(pilot, officer)

    changed = evaluation_update(
        evaluation=evaluation,
        by=editor,
        point=Evaluation.Point.END,
        evaluated_on=timezone.localdate(),
        summary="Discharges are faster, and stay faster.",
        outcomes=_outcomes(pilot, result=PARTLY, evidence="2.4 days on average."),
    )

    assert (changed.point, changed.summary) == (
        Evaluation.Point.END,
        "Discharges are faster, and stay faster.",
    )
    assert set(changed.outcomes.values_list("result", "evidence")) == {(PARTLY, "2.4 days on average.")}
    assert changed.outcomes.count() == 2
    assert changed.history.first().history_user == editor


def test_a_published_evaluation_can_no_longer_be_changed(users):
    pilot = _pilot_in_delivery()
    evaluation = EvaluationFactory(pilot=pilot, is_published=True)

    with pytest.raises(EvaluationError, match="published, so it can no longer be changed"):
        evaluation_update(
            evaluation=evaluation,
            by=users["officer"],
            point=evaluation.point,
            evaluated_on=evaluation.evaluated_on,
            summary="Rewritten after the fact.",
            outcomes=_outcomes(pilot),
        )

    evaluation.refresh_from_db()
    assert evaluation.summary != "Rewritten after the fact."


def test_a_draft_cannot_move_to_a_point_another_evaluation_has(users):
    pilot = _pilot_in_delivery()
    EvaluationFactory(pilot=pilot, point=Evaluation.Point.END)
    draft = _create(pilot, users["officer"])

    with pytest.raises(EvaluationError, match="already has an evaluation for “End of pilot”"):
        evaluation_update(
            evaluation=draft,
            by=users["officer"],
            point=Evaluation.Point.END,
            evaluated_on=draft.evaluated_on,
            summary=draft.summary,
            outcomes=_outcomes(pilot),
        )


# Publishing


def test_publishing_sets_the_time_keeps_who_and_emails_the_lead_officer(users):
    officer = users["officer"]
    pilot = _pilot_in_delivery(title="Discharge to assess")
    evaluation = _create(pilot, officer)

    published = evaluation_publish(evaluation=evaluation, by=officer)

    assert published.is_published
    assert published.published_at is not None
    history = published.history.first()
    assert (history.history_user, history.history_change_reason) == (officer, "Published")
    (message,) = OutboxMessage.objects.all()
    assert message.recipients == [pilot.lead_officer.email]
    assert message.subject == "Evaluation published: Discharge to assess, mid-point review"
    body = message_from_bytes(bytes(message.message)).get_payload(decode=True).decode()
    assert f"/partnerships/{pilot.slug}/evaluations/{evaluation.pk}/" in body


def test_an_evaluation_with_no_outcomes_is_not_published(users):
    evaluation = EvaluationFactory(pilot=_pilot_in_delivery(), is_published=False)

    with pytest.raises(EvaluationError, match="Record an outcome against at least one objective"):
        evaluation_publish(evaluation=evaluation, by=users["officer"])

    evaluation.refresh_from_db()
    assert not evaluation.is_published
    assert not OutboxMessage.objects.exists()


def test_an_evaluation_is_published_once(users):
    evaluation = EvaluationFactory(pilot=_pilot_in_delivery(), is_published=True)
    ObjectiveOutcomeFactory(evaluation=evaluation)

    with pytest.raises(EvaluationError, match="already published"):
        evaluation_publish(evaluation=evaluation, by=users["officer"])

    assert not OutboxMessage.objects.exists()


# Lessons


def test_a_lesson_belongs_to_the_evaluations_pilot_and_records_who_added_it(users):
    evaluation = EvaluationFactory(pilot=_pilot_in_delivery())

    lesson = lesson_add(
        evaluation=evaluation,
        by=users["officer"],
        theme=Lesson.Theme.NHS_INTEGRATION,
        title="  Agree shared measures first  ",
        what_happened="The trust counted delays differently.",
        do_next_time="Agree one definition of each measure.",
    )

    assert lesson.pilot == evaluation.pilot
    assert lesson.title == "Agree shared measures first"
    assert lesson.history.first().history_user == users["officer"]


def test_a_lesson_without_a_title_is_refused(users):
    evaluation = EvaluationFactory(pilot=_pilot_in_delivery())

    with pytest.raises(EvaluationError, match="Enter a title for the lesson") as refused:
        lesson_add(
            evaluation=evaluation,
            by=users["officer"],
            theme=Lesson.Theme.WORKFORCE,
            title=" ",
            what_happened="Staff left.",
            do_next_time="Plan cover.",
        )

    assert refused.value.field == "title"
    assert not Lesson.objects.exists()
