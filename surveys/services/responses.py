"""Answering the relationship survey: saving answers to come back to, sending them, and keeping half-finished
answers when a cycle closes.

A response is made without any link to its invitation. Sending marks the invitation used, removes its saved
answers and puts the answers aside (SentAnswers), in one transaction; a second transaction files them as the
response. So no row of a response shares a transaction with its invitation: PostgreSQL stamps each row with the
transaction that wrote it, and a shared stamp would join the two. Answers are filed in groups (see
sent_answers_file); what waits is filed by a later send, the sweep every few minutes, or the cycle's closing. Nothing here logs a token, an email address or a person.
"""

import datetime as dt
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from directory.models import Area, Officer, ServiceType, Team
from portal.service_errors import ServiceError
from surveys.models import (
    OFFICER_SEGMENTS,
    PROVIDER_SEGMENTS,
    Answer,
    Audience,
    Invitation,
    ProviderSize,
    Question,
    Questionnaire,
    Response,
    Segment,
    SentAnswers,
    SurveyCycle,
)
from surveys.selectors.respond import answering_refusal, questionnaire_for, questionnaires_of

logger = logging.getLogger(__name__)

DONT_KNOW = "dont_know"
SCALE = {str(value) for value in Answer.Agreement.values}
FREE_TEXT_MAX_LENGTH = 5000
OUTSIDE_THE_SCALE = "Select one of the answers given, from strongly disagree to strongly agree, or don’t know"
# The response's field for each segment: a directory record's id, or a choice's value.
SEGMENT_FIELDS = {
    Segment.PROVIDER_TYPE: "provider_type_id",
    Segment.AREA: "area_id",
    Segment.SIZE: "size",
    Segment.SENIORITY: "seniority",
    Segment.TEAM: "team_id",
}


class ResponseError(ServiceError):
    """Answers that cannot be saved or sent."""


def field_name(question: Question) -> str:
    """The form field, and error summary anchor, of a question."""
    return f"question_{question.pk}"


def required_message(question: Question) -> str:
    if question.kind == Question.Kind.AGREEMENT:
        return f"Select how much you agree or disagree: {question.text}"
    if question.kind == Question.Kind.SEGMENT:
        return f"Select an answer: {question.text}"
    return f"Enter your answer: {question.text}"


@dataclass
class _Choices:
    """The segment values a response may hold, read once however many responses are made."""

    ids: dict[str, set[int]]

    @classmethod
    def load(cls) -> "_Choices":
        return cls(
            ids={
                Segment.PROVIDER_TYPE: set(ServiceType.objects.values_list("pk", flat=True)),
                Segment.AREA: set(Area.objects.values_list("pk", flat=True)),
                Segment.TEAM: set(Team.objects.values_list("pk", flat=True)),
            }
        )

    def segment_value(self, segment: str, raw: str) -> int | str | None:
        if segment == Segment.SIZE:
            return raw if raw in ProviderSize.values else None
        if segment == Segment.SENIORITY:
            return raw if raw in Officer.Seniority.values else None
        number = int(raw) if raw.isdigit() else None
        return number if number in self.ids.get(segment, set()) else None


@dataclass
class _Made:
    segments: dict[str, int | str | None]
    answers: list[Answer]


def _make(
    questionnaire: Questionnaire, answers: dict, *, known: Invitation, choices: _Choices, strict: bool
) -> _Made:
    """The answers and segments of a response. Strict (sending) refuses a value outside the choices or a required
    question left empty; lenient (keeping saved answers at closing) leaves such an answer out."""
    segments = {
        segment: getattr(known, SEGMENT_FIELDS[segment])
        for segment in (
            PROVIDER_SEGMENTS if questionnaire.audience == Audience.PROVIDERS else OFFICER_SEGMENTS
        )
    }
    made: list[Answer] = []
    for question in questionnaire.questions.all():
        raw = str(answers.get(str(question.pk), "") or "").strip()
        if not raw:
            if strict and question.required:
                raise ResponseError(required_message(question), field=field_name(question))
            if question.kind == Question.Kind.SEGMENT and question.segment in segments:
                # Asked and left empty: the respondent preferred not to say.
                segments[question.segment] = None if question.segment in _ID_SEGMENTS else ""
            continue
        try:
            answer = _answer(question, raw, segments=segments, choices=choices)
        except ValueError:
            if strict:
                raise ResponseError(OUTSIDE_THE_SCALE, field=field_name(question)) from None
            continue
        if answer is not None:
            made.append(answer)
    return _Made(segments=segments, answers=made)


_ID_SEGMENTS = {Segment.PROVIDER_TYPE, Segment.AREA, Segment.TEAM}


def _answer(question: Question, raw: str, *, segments: dict, choices: _Choices) -> Answer | None:
    if question.kind == Question.Kind.AGREEMENT:
        if raw == DONT_KNOW:
            return Answer(question=question, score=None)
        if raw not in SCALE:
            raise ValueError(raw)
        return Answer(question=question, score=int(raw))
    if question.kind == Question.Kind.FREE_TEXT:
        return Answer(question=question, text=raw[:FREE_TEXT_MAX_LENGTH])
    value = choices.segment_value(question.segment, raw)
    if value is None:
        raise ValueError(raw)
    if question.segment in segments:
        segments[question.segment] = value
    return None


def _set_aside(questionnaire: Questionnaire, made: _Made, *, is_complete: bool) -> SentAnswers:
    return SentAnswers.objects.create(
        questionnaire=questionnaire,
        is_complete=is_complete,
        segments=made.segments,
        answers=[[answer.question_id, answer.score, answer.text] for answer in made.answers],
    )


def sent_answers_file(*, limit: int = 5000) -> list[Response]:
    """File answers set aside as responses, in a transaction of their own, in no particular order; resumable.

    A cycle's answers are filed only once at least SURVEY_FILING_GROUP of them wait (the minimum group size
    unless set), or when it has closed: a response written on its own, just after its invitation was used, could
    be matched to it by the order of the database's transactions. In the same transaction every used invitation
    of the cycle is written again, so the order in which they were used is not kept either.
    """
    with transaction.atomic():
        waiting = list(
            SentAnswers.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("questionnaire__cycle")
            .order_by("?")[:limit]
        )
        by_cycle: dict[SurveyCycle, list[SentAnswers]] = defaultdict(list)
        for sent in waiting:
            by_cycle[sent.questionnaire.cycle].append(sent)
        filing = [
            sent
            for cycle, sents in by_cycle.items()
            if cycle.closed_at is not None or len(sents) >= settings.SURVEY_FILING_GROUP
            for sent in sents
        ]
        if not filing:
            return []
        responses, answers = [], []
        for sent in filing:
            questionnaire = sent.questionnaire
            response = Response(
                cycle_id=questionnaire.cycle_id,
                questionnaire=questionnaire,
                audience=questionnaire.audience,
                is_complete=sent.is_complete,
                **{SEGMENT_FIELDS[segment]: value for segment, value in sent.segments.items()},
            )
            responses.append(response)
            answers += [
                Answer(response=response, question_id=question_id, score=score, text=text)
                for question_id, score, text in sent.answers
            ]
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers)
        cycles = {response.cycle_id for response in responses}
        Invitation.objects.filter(cycle_id__in=cycles, used=True).update(used=True)
        SentAnswers.objects.filter(pk__in=[sent.pk for sent in filing]).delete()
    return responses


def _locked(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=invitation.pk)


def _refuse_if_not_answerable(invitation: Invitation) -> None:
    refusal = answering_refusal(invitation, today=timezone.localdate())
    if refusal is not None:
        raise ResponseError(refusal.message)


def response_draft_save(*, invitation: Invitation, answers: dict[str, str]) -> None:
    """Keep the answers given so far on the invitation, to come back to with the same link."""
    with transaction.atomic():
        invitation = _locked(invitation)
        _refuse_if_not_answerable(invitation)
        invitation.draft = {key: value for key, value in answers.items() if value not in ("", None)}
        invitation.save(update_fields=["draft"])


def response_submit(*, invitation: Invitation, answers: dict[str, str]) -> None:
    """Mark the invitation used and set its answers aside, once only; then file them as an anonymous response."""
    with transaction.atomic():
        invitation = _locked(invitation)
        _refuse_if_not_answerable(invitation)
        questionnaire = questionnaire_for(invitation)
        if questionnaire is None:
            raise ResponseError("The questionnaire is not ready yet. Try again later with the same link.")
        made = _make(questionnaire, answers, known=invitation, choices=_Choices.load(), strict=True)
        _set_aside(questionnaire, made, is_complete=True)
        invitation.used = True
        invitation.draft = None
        invitation.save(update_fields=["used", "draft"])
    sent_answers_file()


def cycle_close(*, cycle: SurveyCycle, today: dt.date | None = None) -> int:
    """Once a cycle's last day has passed, keep every half-finished set of saved answers as an incomplete
    response, so no response is lost. Returns how many were kept; a second run keeps nothing more."""
    today = today or timezone.localdate()
    with transaction.atomic():
        cycle = SurveyCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.closed_at is not None:
            return 0
        if today <= cycle.closes_on:
            raise ResponseError(
                f"The survey is open until {date_format(cycle.closes_on, 'j F Y')}: it closes the day after"
            )
        drafts = [
            invitation
            for invitation in Invitation.objects.select_for_update()
            .filter(cycle=cycle, used=False, draft__isnull=False)
            .only("pk", "audience", "draft", *SEGMENT_FIELDS.values())
            .order_by("pk")
            if invitation.draft
        ]
        # Kept in a random order, so the order of the answers' rows says nothing of the invitations'.
        secrets.SystemRandom().shuffle(drafts)
        questionnaires = questionnaires_of(cycle)
        choices = _Choices.load()
        for invitation in drafts:
            questionnaire = questionnaires.get(invitation.audience)
            if questionnaire is not None:
                made = _make(questionnaire, invitation.draft, known=invitation, choices=choices, strict=False)
                _set_aside(questionnaire, made, is_complete=False)
            invitation.used = True
            invitation.draft = None
        Invitation.objects.bulk_update(drafts, ["used", "draft"])
        cycle.closed_at = timezone.now()
        cycle.save(update_fields=["closed_at", "updated_at"])
    sent_answers_file()
    logger.info("Relationship survey %s closed: %s half-finished responses kept", cycle.year, len(drafts))
    return len(drafts)
