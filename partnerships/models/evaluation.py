"""Evaluating a pilot at set points: outcomes against its objectives, and lessons written for the next pilot."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel

from .pilots import PartnershipPilot
from .plan import Objective


class Evaluation(TimeStampedModel):
    class Point(models.TextChoices):
        MID_POINT = "mid_point", "Mid-point review"
        END = "end", "End of pilot"
        AFTER = "after", "Follow-up after the pilot"

    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="evaluations")
    point = models.CharField(max_length=10, choices=Point.choices)
    evaluated_on = models.DateField()
    summary = models.TextField()
    # A draft is for officers only, until it is published.
    is_published = models.BooleanField("published", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pilot", "-evaluated_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "point"], name="evaluation_point_once_per_pilot")
        ]

    def __str__(self) -> str:
        return f"{self.pilot}: {self.get_point_display()}"


class ObjectiveOutcome(models.Model):
    """How far an evaluation found one of the pilot's objectives met."""

    class Result(models.TextChoices):
        MET = "met", "Met"
        PARTLY_MET = "partly_met", "Partly met"
        NOT_MET = "not_met", "Not met"
        TOO_EARLY = "too_early", "Too early to say"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="outcomes")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="outcomes")
    result = models.CharField(max_length=12, choices=Result.choices)
    evidence = models.TextField(help_text="What was measured against the target.")

    class Meta:
        ordering = ["evaluation", "objective__due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "objective"], name="outcome_once_per_objective")
        ]

    def __str__(self) -> str:
        return f"{self.objective}: {self.get_result_display()}"


class Lesson(TimeStampedModel):
    """A lesson learnt, written so that the next pilot can use it; in the library once its evaluation is published."""

    class Theme(models.TextChoices):
        PROCUREMENT = "procurement", "Procurement and contracting"
        GOVERNANCE = "governance", "Governance and decision-making"
        INFORMATION_SHARING = "information_sharing", "Information and data sharing"
        WORKFORCE = "workforce", "Workforce"
        OUTCOMES = "outcomes", "Outcomes and measurement"
        NHS_INTEGRATION = "nhs_integration", "Working with the NHS"
        RISK_SHARING = "risk_sharing", "Sharing risk and reward"
        COMMUNICATION = "communication", "Communication and engagement"
        FAIRNESS = "fairness", "Fairness to other providers"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="lessons")
    # The evaluation's pilot, kept beside it so that the library filters without a join.
    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="lessons")
    theme = models.CharField(max_length=20, choices=Theme.choices)
    title = models.CharField(max_length=200)
    what_happened = models.TextField()
    do_next_time = models.TextField("what to do next time")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="lesson_has_title")]

    def __str__(self) -> str:
        return self.title
