"""Evaluating a pilot at set points, publishing the evaluation, and the lessons written for the next pilot.

An evaluation starts as a draft, seen by council staff only; it records an outcome against every one of the
pilot's objectives, with the evidence measured against the objective's target. Once published it no longer
changes: providers in the pilot see it, and its lessons join the library.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Evaluation, Lesson, Objective, ObjectiveOutcome, PartnershipPilot, Stage
from portal.service_errors import ServiceError

NO_OBJECTIVES = "Add the pilot's objectives before evaluating it"
IN_THE_FUTURE = "The date of the evaluation must be today or in the past"
ALREADY_PUBLISHED = "This evaluation is published, so it can no longer be changed"
NO_OUTCOMES = "Record an outcome against at least one objective before publishing the evaluation"
EVERY_OBJECTIVE = "Record an outcome for every one of the pilot's objectives"
NO_SUMMARY = "Enter a summary of the evaluation"
NO_TITLE = "Enter a title for the lesson"
# Stages at which there is nothing yet to evaluate.
TOO_SOON = frozenset({Stage.PROPOSED, Stage.SCOPING})


class EvaluationError(ServiceError):
    """An evaluation, or a lesson, that cannot be saved."""


@dataclass(frozen=True)
class Outcome:
    """What an evaluation found for one objective."""

    objective: Objective
    result: str
    evidence: str


def evaluation_refusal(*, pilot: PartnershipPilot, objectives: list[Objective]) -> str | None:
    """Why the pilot cannot be evaluated yet, or None: the add page says so before anyone starts writing."""
    if pilot.stage in TOO_SOON:
        return (
            f"There is nothing to evaluate yet: the pilot is still at the {Stage(pilot.stage).label.lower()} "
            "stage. Evaluate it once it is agreed and under way"
        )
    if not objectives:
        return NO_OBJECTIVES
    return None


def point_taken(point: str) -> str:
    label = Evaluation.Point(point).label
    return f"This pilot already has an evaluation for “{label}”: change that one instead"


def _check_outcomes(objectives: list[Objective], outcomes: list[Outcome]) -> None:
    if sorted(outcome.objective.pk for outcome in outcomes) != sorted(
        objective.pk for objective in objectives
    ):
        raise EvaluationError(EVERY_OBJECTIVE)
    for outcome in outcomes:
        if outcome.result not in ObjectiveOutcome.Result.values:
            raise EvaluationError(f"Choose how far “{outcome.objective.title}” was met")
        if not outcome.evidence.strip():
            raise EvaluationError(f"Enter the evidence for “{outcome.objective.title}” against its target")


def _check(
    *, pilot: PartnershipPilot, point: str, evaluated_on: dt.date, summary: str, outcomes: list[Outcome]
) -> None:
    """Every rule of an evaluation, checked with the pilot's row locked."""
    if point not in Evaluation.Point.values:
        raise EvaluationError("Choose the point the pilot is evaluated at", field="point")
    if evaluated_on > timezone.localdate():
        raise EvaluationError(IN_THE_FUTURE, field="evaluated_on")
    if not summary.strip():
        raise EvaluationError(NO_SUMMARY, field="summary")
    objectives = list(pilot.objectives.all())
    refusal = evaluation_refusal(pilot=pilot, objectives=objectives)
    if refusal:
        raise EvaluationError(refusal)
    _check_outcomes(objectives, outcomes)


def _lock(pilot: PartnershipPilot) -> PartnershipPilot:
    """Evaluations of one pilot are saved one at a time, so that a point is taken once."""
    return PartnershipPilot.objects.select_for_update().get(pk=pilot.pk)


def _save(evaluation: Evaluation, *, by, reason: str) -> None:
    evaluation._history_user = by
    evaluation._change_reason = reason
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError as error:
        if "evaluation_point_once_per_pilot" not in str(error):
            raise
        raise EvaluationError(point_taken(evaluation.point), field="point") from error


def evaluation_create(
    *,
    pilot: PartnershipPilot,
    by,
    point: str,
    evaluated_on: dt.date,
    summary: str,
    outcomes: list[Outcome],
) -> Evaluation:
    """Record a draft evaluation of the pilot at `point`, with an outcome against each of its objectives."""
    with transaction.atomic():
        pilot = _lock(pilot)
        _check(pilot=pilot, point=point, evaluated_on=evaluated_on, summary=summary, outcomes=outcomes)
        if pilot.evaluations.filter(point=point).exists():
            raise EvaluationError(point_taken(point), field="point")
        evaluation = Evaluation(
            pilot=pilot,
            point=point,
            evaluated_on=evaluated_on,
            summary=summary.strip(),
            evaluated_by=by,
            is_published=False,
        )
        _save(evaluation, by=by, reason="Evaluation drafted")
        ObjectiveOutcome.objects.bulk_create(
            ObjectiveOutcome(
                evaluation=evaluation,
                objective=outcome.objective,
                result=outcome.result,
                evidence=outcome.evidence.strip(),
            )
            for outcome in outcomes
        )
    return evaluation


def evaluation_update(
    *,
    evaluation: Evaluation,
    by,
    point: str,
    evaluated_on: dt.date,
    summary: str,
    outcomes: list[Outcome],
) -> Evaluation:
    """Change a draft evaluation and its outcomes; a published one stays as it was published."""
    with transaction.atomic():
        pilot = _lock(evaluation.pilot)
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.is_published:
            raise EvaluationError(ALREADY_PUBLISHED)
        _check(pilot=pilot, point=point, evaluated_on=evaluated_on, summary=summary, outcomes=outcomes)
        if pilot.evaluations.exclude(pk=evaluation.pk).filter(point=point).exists():
            raise EvaluationError(point_taken(point), field="point")
        evaluation.point, evaluation.evaluated_on, evaluation.summary = point, evaluated_on, summary.strip()
        _save(evaluation, by=by, reason="Draft evaluation changed")
        for outcome in outcomes:
            ObjectiveOutcome.objects.update_or_create(
                evaluation=evaluation,
                objective=outcome.objective,
                defaults={"result": outcome.result, "evidence": outcome.evidence.strip()},
            )
    return evaluation


def evaluation_publish(*, evaluation: Evaluation, by) -> Evaluation:
    """Publish a draft: providers in a published pilot see it, its lessons join the library, and the lead
    officer is told by email."""
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_for_update(of=("self",))
            .select_related("pilot__lead_officer")
            .get(pk=evaluation.pk)
        )
        if evaluation.is_published:
            raise EvaluationError("This evaluation is already published")
        if not evaluation.outcomes.exists():
            raise EvaluationError(NO_OUTCOMES)
        evaluation.is_published = True
        evaluation.published_at = timezone.now()
        evaluation._history_user = by
        evaluation._change_reason = "Published"
        evaluation.save()
        _email_published(evaluation, by=by)
    return evaluation


def _email_published(evaluation: Evaluation, *, by) -> None:
    """Tell the pilot's lead officer, through the outbox, in the same transaction as the publishing."""
    lead = evaluation.pilot.lead_officer
    address = reverse("partnerships:evaluation", kwargs={"slug": evaluation.pilot.slug, "pk": evaluation.pk})
    context = {
        "evaluation": evaluation,
        "pilot": evaluation.pilot,
        "lead": lead,
        "published_by": getattr(by, "full_name", "") or getattr(by, "email", ""),
        "evaluation_url": settings.SITE_URL + address,
        "council_name": settings.COUNCIL_NAME,
    }
    subject = " ".join(
        render_to_string("partnerships/emails/evaluation_published_subject.txt", context).split()
    )
    body = render_to_string("partnerships/emails/evaluation_published.txt", context)
    EmailMessage(subject, body, to=[lead.email]).send()


def lesson_add(
    *,
    evaluation: Evaluation,
    by,
    theme: str,
    title: str,
    what_happened: str,
    do_next_time: str,
) -> Lesson:
    """Add a lesson to an evaluation; it reaches the library once the evaluation is published."""
    title = title.strip()
    if theme not in Lesson.Theme.values:
        raise EvaluationError("Choose the lesson's theme", field="theme")
    if not title:
        raise EvaluationError(NO_TITLE, field="title")
    if not what_happened.strip():
        raise EvaluationError("Enter what happened", field="what_happened")
    if not do_next_time.strip():
        raise EvaluationError("Enter what to do next time", field="do_next_time")
    with transaction.atomic():
        lesson = Lesson(
            evaluation=evaluation,
            pilot_id=evaluation.pilot_id,
            theme=theme,
            title=title,
            what_happened=what_happened.strip(),
            do_next_time=do_next_time.strip(),
        )
        lesson._history_user = by
        lesson._change_reason = "Lesson added"
        lesson.save()
    return lesson
