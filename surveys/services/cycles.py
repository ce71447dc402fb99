"""Running the survey's cycles: starting a year's cycle with its two questionnaires, and keeping their questions.

A questionnaire is locked once its cycle has opened, so that every year asks the same questions in the same way
and the years can be compared. Each write here checks the lock on the cycle's row, in its own transaction.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from portal.relationship_themes import RelationshipTheme
from portal.service_errors import ServiceError
from surveys.models import (
    OFFICER_SEGMENTS,
    PROVIDER_SEGMENTS,
    Audience,
    Question,
    Questionnaire,
    Segment,
    SurveyCycle,
)
from surveys.selectors.cycles import earlier_questionnaire

LOCKED = "The survey has opened, so its questions can no longer change: this keeps the years comparable"
YEAR_TAKEN = "There is already a survey cycle for {year}: each year has one"
CLOSES_BEFORE_OPENING = "The closing date must be after the opening date"
OPENS_IN_THE_PAST = "The opening date must be today or later"
CLOSES_IN_THE_PAST = "The closing date must be today or later"
CLOSED = "The survey has closed, so its closing date can no longer change"
TARGET_RANGE = "The response rate target must be a percentage from 1 to 100"
REMINDER_RANGE = "Each reminder day must be a whole number from {low} to {high}"
NO_TEXT = "Enter the question"
NO_THEME = "Choose the theme an agreement question measures"
NO_SEGMENT = "Choose what a question about the respondent asks"
WRONG_SEGMENT = "Choose a segment that fits this questionnaire: {choices}"
SEGMENT_TAKEN = "This questionnaire already asks about {segment}"
FREE_TEXT_PLAIN = "A free-text question measures no theme and asks no segment: leave both empty"
AGREEMENT_NO_SEGMENT = "An agreement question measures a theme and asks no segment: leave the segment empty"
SEGMENT_NO_THEME = "A question about the respondent measures no theme: leave the theme empty"
NO_EARLIER = "There is no questionnaire for {audience} from an earlier year to copy"
FIRST_ALREADY = "This question is already the first"
LAST_ALREADY = "This question is already the last"

REMINDER_DAYS = (1, 60)

SEGMENTS_BY_AUDIENCE = {Audience.PROVIDERS: PROVIDER_SEGMENTS, Audience.OFFICERS: OFFICER_SEGMENTS}

FREE_TEXT = "What one thing would most improve the relationship?"
SEGMENT_HINT = (
    "We use this only to show results by group. Groups too small to keep anyone anonymous are never shown."
)

# The default agreement questions: one a theme, from each side of the relationship.
PROVIDER_AGREEMENT = {
    RelationshipTheme.INFORMATION_SHARING: "The council and providers share information well",
    RelationshipTheme.TRUST: "The council and providers trust each other",
    RelationshipTheme.INCLUSION: (
        "The council includes providers in planning and in key decisions that affect the people they support"
    ),
    RelationshipTheme.INTEGRATED_WORKING: "The council and providers work well together as one system",
    RelationshipTheme.MANAGING_CONFLICT: "When providers and the council disagree, the disagreement is handled well",
    RelationshipTheme.ROLES: "Providers understand the council's role and responsibilities, and the council ours",
    RelationshipTheme.STRATEGIC_DIRECTION: "The council's strategic direction for adult social care is clear",
    RelationshipTheme.RESPONSIVENESS: "The council responds to providers' needs",
}
OFFICER_AGREEMENT = {
    RelationshipTheme.INFORMATION_SHARING: "The council shares information well with providers, and they with us",
    RelationshipTheme.TRUST: "The council and providers trust each other",
    RelationshipTheme.INCLUSION: (
        "We include providers in planning and in key decisions that affect the people they support"
    ),
    RelationshipTheme.INTEGRATED_WORKING: "We work well together with providers as one system",
    RelationshipTheme.MANAGING_CONFLICT: "When we and providers disagree, the disagreement is handled well",
    RelationshipTheme.ROLES: "We understand providers' roles and responsibilities, and they understand ours",
    RelationshipTheme.STRATEGIC_DIRECTION: "We make the council's strategic direction clear to providers",
    RelationshipTheme.RESPONSIVENESS: "We respond to providers' needs",
}
SEGMENT_QUESTIONS = {
    Segment.PROVIDER_TYPE: "What type of care does your organisation mainly provide?",
    Segment.AREA: "Which area do you mostly work in?",
    Segment.SIZE: "How many people does your organisation support?",
    Segment.SENIORITY: "What is the level of your role?",
    Segment.TEAM: "Which team do you work in?",
}


class CycleError(ServiceError):
    """A change to a survey cycle, a questionnaire or a question that cannot be made."""


@dataclass(frozen=True)
class QuestionDraft:
    """A question as asked, before it has a place in a questionnaire."""

    kind: str
    text: str
    theme: str = ""
    segment: str = ""
    hint: str = ""
    required: bool = False


def default_questions(audience: str) -> list[QuestionDraft]:
    """The questions a new questionnaire starts with: a theme each, the free-text question, then the segments."""
    wording = PROVIDER_AGREEMENT if audience == Audience.PROVIDERS else OFFICER_AGREEMENT
    return [
        *(
            QuestionDraft(kind=Question.Kind.AGREEMENT, theme=theme, text=wording[theme])
            for theme in RelationshipTheme
        ),
        QuestionDraft(kind=Question.Kind.FREE_TEXT, text=FREE_TEXT),
        *(
            QuestionDraft(
                kind=Question.Kind.SEGMENT,
                segment=segment,
                text=SEGMENT_QUESTIONS[segment],
                hint=SEGMENT_HINT,
            )
            for segment in SEGMENTS_BY_AUDIENCE[Audience(audience)]
        ),
    ]


def is_locked(cycle: SurveyCycle, today: dt.date | None = None) -> bool:
    """Whether the cycle has opened, and so its questionnaires can no longer change."""
    return (today or timezone.localdate()) >= cycle.opens_on


def _locked_cycle(cycle_pk: int) -> SurveyCycle:
    """The cycle's row, locked for this transaction, refused if it has opened."""
    cycle = SurveyCycle.objects.select_for_update().get(pk=cycle_pk)
    if is_locked(cycle):
        raise CycleError(LOCKED)
    return cycle


def _check_target(response_rate_target: int) -> None:
    if not 1 <= response_rate_target <= 100:
        raise CycleError(TARGET_RANGE, field="response_rate_target")


def _reminder_days(days: Iterable[int], field: str) -> list[int]:
    days = list(days)
    low, high = REMINDER_DAYS
    if any(isinstance(day, bool) or not isinstance(day, int) or not low <= day <= high for day in days):
        raise CycleError(REMINDER_RANGE.format(low=low, high=high), field=field)
    return sorted(set(days))


def _check_dates(opens_on: dt.date, closes_on: dt.date) -> None:
    if closes_on <= opens_on:
        raise CycleError(CLOSES_BEFORE_OPENING, field="closes_on")


def _add_questions(questionnaire: Questionnaire, drafts: Sequence[QuestionDraft]) -> None:
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            position=position,
            kind=draft.kind,
            theme=draft.theme,
            segment=draft.segment,
            text=draft.text,
            hint=draft.hint,
            required=draft.required,
        )
        for position, draft in enumerate(drafts, start=1)
    )


def cycle_create(
    *,
    year: int,
    opens_on: dt.date,
    closes_on: dt.date,
    response_rate_target: int,
    created_by,
    reminder_days_after_opening: Iterable[int] = (7, 14),
    reminder_days_before_closing: Iterable[int] = (2,),
) -> SurveyCycle:
    """Start a year's cycle, with a questionnaire for providers and one for officers, each with the default questions."""
    _check_dates(opens_on, closes_on)
    _check_target(response_rate_target)
    after = _reminder_days(reminder_days_after_opening, "reminder_days_after_opening")
    before = _reminder_days(reminder_days_before_closing, "reminder_days_before_closing")
    with transaction.atomic():
        if SurveyCycle.objects.filter(year=year).exists():
            raise CycleError(YEAR_TAKEN.format(year=year), field="year")
        try:
            with transaction.atomic():
                cycle = SurveyCycle.objects.create(
                    year=year,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    response_rate_target=response_rate_target,
                    reminder_days_after_opening=after,
                    reminder_days_before_closing=before,
                    created_by=created_by,
                )
        except IntegrityError as error:
            raise CycleError(YEAR_TAKEN.format(year=year), field="year") from error
        for audience in Audience:
            questionnaire = Questionnaire.objects.create(cycle=cycle, audience=audience)
            _add_questions(questionnaire, default_questions(audience))
    return cycle


def _check_date_moves(cycle: SurveyCycle, opens_on: dt.date, closes_on: dt.date) -> None:
    """An opened cycle keeps its opening date (or its questions would unlock); a closed one keeps its closing."""
    today = timezone.localdate()
    if is_locked(cycle, today):
        if opens_on != cycle.opens_on:
            raise CycleError(LOCKED, field="opens_on")
    elif opens_on < today:
        raise CycleError(OPENS_IN_THE_PAST, field="opens_on")
    if closes_on == cycle.closes_on:
        return
    if cycle.closed_at is not None or today > cycle.closes_on:
        raise CycleError(CLOSED, field="closes_on")
    if closes_on < today:
        raise CycleError(CLOSES_IN_THE_PAST, field="closes_on")


def cycle_update(
    *,
    cycle: SurveyCycle,
    opens_on: dt.date,
    closes_on: dt.date,
    response_rate_target: int,
    reminder_days_after_opening: Iterable[int],
    reminder_days_before_closing: Iterable[int],
) -> SurveyCycle:
    """Change a cycle's dates, target and reminder days."""
    _check_dates(opens_on, closes_on)
    _check_target(response_rate_target)
    after = _reminder_days(reminder_days_after_opening, "reminder_days_after_opening")
    before = _reminder_days(reminder_days_before_closing, "reminder_days_before_closing")
    with transaction.atomic():
        cycle = SurveyCycle.objects.select_for_update().get(pk=cycle.pk)
        _check_date_moves(cycle, opens_on, closes_on)
        cycle.opens_on, cycle.closes_on = opens_on, closes_on
        cycle.response_rate_target = response_rate_target
        cycle.reminder_days_after_opening, cycle.reminder_days_before_closing = after, before
        cycle.save()
    return cycle


def _check_kind(
    questionnaire: Questionnaire, *, kind: str, theme: str, segment: str, exclude_pk=None
) -> None:
    if kind == Question.Kind.AGREEMENT:
        if not theme:
            raise CycleError(NO_THEME, field="theme")
        if segment:
            raise CycleError(AGREEMENT_NO_SEGMENT, field="segment")
    elif kind == Question.Kind.SEGMENT:
        if theme:
            raise CycleError(SEGMENT_NO_THEME, field="theme")
        _check_segment(questionnaire, segment=segment, exclude_pk=exclude_pk)
    elif theme or segment:
        raise CycleError(FREE_TEXT_PLAIN, field="theme" if theme else "segment")


def _check_segment(questionnaire: Questionnaire, *, segment: str, exclude_pk=None) -> None:
    if not segment:
        raise CycleError(NO_SEGMENT, field="segment")
    fitting = SEGMENTS_BY_AUDIENCE[Audience(questionnaire.audience)]
    if segment not in fitting:
        choices = ", ".join(Segment(choice).label.lower() for choice in fitting)
        raise CycleError(WRONG_SEGMENT.format(choices=choices), field="segment")
    if questionnaire.questions.exclude(pk=exclude_pk).filter(segment=segment).exists():
        raise CycleError(SEGMENT_TAKEN.format(segment=Segment(segment).label.lower()), field="segment")


def _cleaned(
    questionnaire: Questionnaire, *, kind: str, text: str, theme: str, segment: str, exclude_pk=None
) -> str:
    text = text.strip()
    if not text:
        raise CycleError(NO_TEXT, field="text")
    if kind not in Question.Kind.values:
        raise CycleError("Choose what kind of question it is", field="kind")
    _check_kind(questionnaire, kind=kind, theme=theme, segment=segment, exclude_pk=exclude_pk)
    return text


def question_add(
    *,
    questionnaire: Questionnaire,
    kind: str,
    text: str,
    theme: str = "",
    segment: str = "",
    hint: str = "",
    required: bool = False,
) -> Question:
    """Add a question at the end of an unlocked questionnaire."""
    with transaction.atomic():
        _locked_cycle(questionnaire.cycle_id)
        text = _cleaned(questionnaire, kind=kind, text=text, theme=theme, segment=segment)
        last = questionnaire.questions.aggregate(last=Max("position"))["last"] or 0
        return Question.objects.create(
            questionnaire=questionnaire,
            position=last + 1,
            kind=kind,
            text=text,
            theme=theme,
            segment=segment,
            hint=hint.strip(),
            required=required,
        )


def question_update(
    *,
    question: Question,
    kind: str,
    text: str,
    theme: str = "",
    segment: str = "",
    hint: str = "",
    required: bool = False,
) -> Question:
    """Change a question of an unlocked questionnaire; it keeps its place."""
    with transaction.atomic():
        _locked_cycle(question.questionnaire.cycle_id)
        question.text = _cleaned(
            question.questionnaire, kind=kind, text=text, theme=theme, segment=segment, exclude_pk=question.pk
        )
        question.kind, question.theme, question.segment = kind, theme, segment
        question.hint, question.required = hint.strip(), required
        question.save()
    return question


def question_remove(*, question: Question) -> None:
    """Remove a question from an unlocked questionnaire; the questions after it move up a place."""
    with transaction.atomic():
        _locked_cycle(question.questionnaire.cycle_id)
        questionnaire = question.questionnaire
        question.delete()
        # One at a time, from the top, so that no two questions ever share a place.
        for position, later in enumerate(questionnaire.questions.order_by("position"), start=1):
            if later.position != position:
                later.position = position
                later.save(update_fields=["position", "updated_at"])


def question_move(*, question: Question, direction: str) -> Question:
    """Swap a question with the one above ("up") or below ("down") it."""
    if direction not in ("up", "down"):
        raise CycleError("Choose to move the question up or down")
    with transaction.atomic():
        _locked_cycle(question.questionnaire.cycle_id)
        question = Question.objects.select_for_update().get(pk=question.pk)
        neighbours = question.questionnaire.questions.exclude(pk=question.pk)
        if direction == "up":
            other = neighbours.filter(position__lt=question.position).order_by("-position").first()
        else:
            other = neighbours.filter(position__gt=question.position).order_by("position").first()
        if other is None:
            raise CycleError(FIRST_ALREADY if direction == "up" else LAST_ALREADY)
        # Through a free place, as two questions may never share one.
        mine, theirs = question.position, other.position
        question.position = 0
        question.save(update_fields=["position", "updated_at"])
        other.position = mine
        other.save(update_fields=["position", "updated_at"])
        question.position = theirs
        question.save(update_fields=["position", "updated_at"])
    return question


def questionnaire_copy(*, questionnaire: Questionnaire) -> Questionnaire:
    """Replace an unlocked questionnaire's questions with a copy of the latest earlier one of its audience."""
    with transaction.atomic():
        _locked_cycle(questionnaire.cycle_id)
        source = earlier_questionnaire(questionnaire)
        if source is None:
            audience = Audience(questionnaire.audience).label.lower()
            raise CycleError(NO_EARLIER.format(audience=audience))
        drafts = [
            QuestionDraft(
                kind=question.kind,
                text=question.text,
                theme=question.theme,
                segment=question.segment,
                hint=question.hint,
                required=question.required,
            )
            for question in source.questions.order_by("position")
        ]
        questionnaire.questions.all().delete()
        _add_questions(questionnaire, drafts)
        questionnaire.copied_from = source
        questionnaire.save(update_fields=["copied_from", "updated_at"])
    return questionnaire
