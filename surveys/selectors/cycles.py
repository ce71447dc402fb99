"""What the survey cycles' pages read: the cycles, a cycle with its questionnaires, a questionnaire's questions."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from surveys.models import Audience, Question, Questionnaire, SurveyCycle

NOT_YET_OPEN = "not_yet_open"
OPEN = "open"
CLOSED = "closed"

STATUS_LABELS = {NOT_YET_OPEN: "Not yet open", OPEN: "Open", CLOSED: "Closed"}


def cycle_status(cycle: SurveyCycle, today: dt.date | None = None) -> str:
    """Not yet open before its opening date, open up to and including its closing date, closed after."""
    today = today or timezone.localdate()
    if today < cycle.opens_on:
        return NOT_YET_OPEN
    if today > cycle.closes_on or cycle.closed_at is not None:
        return CLOSED
    return OPEN


def with_status(cycles, today: dt.date | None = None):
    """Give each cycle its `status` and `status_label`, worked out against one `today`."""
    today = today or timezone.localdate()
    for cycle in cycles:
        cycle.status = cycle_status(cycle, today)
        cycle.status_label = STATUS_LABELS[cycle.status]
    return cycles


def cycles_for_list() -> QuerySet[SurveyCycle]:
    return SurveyCycle.objects.order_by("-year")


def _ordered_questions() -> Prefetch:
    return Prefetch("questions", queryset=Question.objects.order_by("position"))


def cycle_for_page(year: int) -> SurveyCycle:
    """The cycle, with its questionnaires (providers first) and their questions in order, in three queries."""
    questionnaires = Questionnaire.objects.order_by("-audience").prefetch_related(_ordered_questions())
    cycle = get_object_or_404(
        SurveyCycle.objects.prefetch_related(Prefetch("questionnaires", queryset=questionnaires)), year=year
    )
    return with_status([cycle])[0]


def cycle_for_change(year: int) -> SurveyCycle:
    return get_object_or_404(SurveyCycle, year=year)


def questionnaire_for_page(year: int, audience: str) -> Questionnaire:
    """A cycle's questionnaire for one audience, with its cycle and questions in order; a 404 for any other."""
    if audience not in Audience.values:
        raise Http404("No such questionnaire")
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("cycle", "copied_from__cycle").prefetch_related(
            _ordered_questions()
        ),
        cycle__year=year,
        audience=audience,
    )
    with_status([questionnaire.cycle])
    return questionnaire


def questionnaire_question(questionnaire: Questionnaire, pk: int) -> Question:
    """A question of this questionnaire; a question of any other is a 404."""
    question = get_object_or_404(Question, questionnaire=questionnaire, pk=pk)
    question.questionnaire = questionnaire
    return question


def earlier_questionnaire(questionnaire: Questionnaire) -> Questionnaire | None:
    """The same audience's questionnaire of the latest cycle before this one's."""
    return (
        Questionnaire.objects.filter(
            audience=questionnaire.audience, cycle__year__lt=questionnaire.cycle.year
        )
        .select_related("cycle")
        .order_by("-cycle__year")
        .first()
    )
