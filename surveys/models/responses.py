"""Invitations and anonymous responses.

An invitation knows its person and whether it has been used, nothing more. A response keeps no link to its
invitation, its person or an exact time: its key is random (so the order responses came in cannot be read from it)
and it holds only the cycle, the questionnaire, the segments and the answers. Answers saved to come back to later
are held on the invitation until the response is sent, then moved into the response and removed.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q

from .cycles import Audience, ProviderSize, Question, Questionnaire, SurveyCycle


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    cycle = models.ForeignKey(SurveyCycle, on_delete=models.CASCADE, related_name="invitations")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    provider_person = models.ForeignKey(
        "directory.ProviderPerson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    officer = models.ForeignKey(
        "directory.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField()
    # What the invitation knows of the segments: filled into the questionnaire, and the denominators of the
    # response rates.
    provider_type = models.ForeignKey(
        "directory.ServiceType", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        "directory.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    size = models.CharField(max_length=10, choices=ProviderSize.choices, blank=True)
    seniority = models.CharField(max_length=20, blank=True)
    team = models.ForeignKey(
        "directory.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    # Which reminders have gone ("after-7", "before-2", ...), so a reminder job can run twice without harm.
    reminders_sent = models.JSONField(default=list, blank=True)
    # Answers saved to come back to: {question id: value}. Emptied when the response is sent.
    draft = models.JSONField(null=True, blank=True)
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["cycle", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "provider_person"],
                condition=Q(provider_person__isnull=False),
                name="invitation_once_per_provider_person",
            ),
            models.UniqueConstraint(
                fields=["cycle", "officer"],
                condition=Q(officer__isnull=False),
                name="invitation_once_per_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: invitation {self.pk}"


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(SurveyCycle, on_delete=models.CASCADE, related_name="responses")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    # False for answers half-finished when the cycle closed, kept rather than lost.
    is_complete = models.BooleanField(default=True)
    provider_type = models.ForeignKey(
        "directory.ServiceType", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        "directory.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    size = models.CharField(max_length=10, choices=ProviderSize.choices, blank=True)
    seniority = models.CharField(max_length=20, blank=True)
    team = models.ForeignKey(
        "directory.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        permissions = [("export_response", "Can export the anonymised responses")]

    def __str__(self) -> str:
        return f"{self.cycle}: a response"


class SentAnswers(models.Model):
    """Answers sent, waiting to be filed as a response in a transaction of their own.

    Marking an invitation used and writing its answers happen in one transaction, so that nothing is lost or sent
    twice; PostgreSQL stamps every row a transaction writes with its number, so a response written there could be
    joined to its invitation by that number. The answers wait here instead, and are filed as a response (and this
    row removed) by a later transaction.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    is_complete = models.BooleanField(default=True)
    # {segment: value}, and [[question id, score, text], ...].
    segments = models.JSONField(default=dict)
    answers = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = "sent answers"

    def __str__(self) -> str:
        return "Answers waiting to be filed"


class Answer(models.Model):
    class Agreement(models.IntegerChoices):
        STRONGLY_DISAGREE = 1, "Strongly disagree"
        DISAGREE = 2, "Disagree"
        NEITHER = 3, "Neither agree nor disagree"
        AGREE = 4, "Agree"
        STRONGLY_AGREE = 5, "Strongly agree"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # An agreement question's answer; empty for "don't know".
    score = models.PositiveSmallIntegerField(choices=Agreement.choices, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        permissions = [("view_free_text", "Can read free-text answers")]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__range=(1, 5)), name="answer_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score or self.text[:40]}"


class KeptSurveyResults(models.Model):
    """A cycle's results counted and kept, so the dashboards never wait for a count of every answer."""

    cycle = models.OneToOneField(SurveyCycle, on_delete=models.CASCADE, related_name="kept_results")
    # Which state the responses were in when counted (a closed cycle's never changes).
    version = models.CharField(max_length=100)
    rows = models.JSONField(default=list)
    counted_at = models.DateTimeField()
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "kept survey results"

    def __str__(self) -> str:
        return f"{self.cycle}: results counted at {self.counted_at:%d %B %Y %H:%M}"
