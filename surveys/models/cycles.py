"""Survey cycles: one a year, each with a questionnaire for providers and one for officers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from portal.models import TimeStampedModel
from portal.relationship_themes import RelationshipTheme


class Audience(models.TextChoices):
    PROVIDERS = "providers", "Providers"
    OFFICERS = "officers", "Council officers"


class Segment(models.TextChoices):
    """What a response is broken down by: asked in the questionnaire, filled in where the invitation knows it."""

    PROVIDER_TYPE = "provider_type", "Type of provider"
    AREA = "area", "Area"
    SIZE = "size", "Size of organisation"
    SENIORITY = "seniority", "Seniority"
    TEAM = "team", "Team"


PROVIDER_SEGMENTS = (Segment.PROVIDER_TYPE, Segment.AREA, Segment.SIZE)
OFFICER_SEGMENTS = (Segment.SENIORITY, Segment.TEAM)


class ProviderSize(models.TextChoices):
    """By the number of people the organisation supports."""

    SMALL = "small", "Small (fewer than 25 people supported)"
    MEDIUM = "medium", "Medium (25 to 99 people supported)"
    LARGE = "large", "Large (100 or more people supported)"


class SurveyCycle(TimeStampedModel):
    year = models.PositiveSmallIntegerField(unique=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    response_rate_target = models.PositiveSmallIntegerField(
        "response rate target (%)", default=50, help_text="The share of those invited who should answer."
    )
    # Days after opening, and days before closing, on which those who have not answered are reminded.
    reminder_days_after_opening = models.JSONField(default=list)
    reminder_days_before_closing = models.JSONField(default=list)
    # Set once half-finished answers have been kept as responses after the cycle closed.
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gt=F("opens_on")), name="cycle_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(response_rate_target__range=(1, 100)), name="cycle_target_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"Relationship survey {self.year}"


class Questionnaire(TimeStampedModel):
    """The questions one audience is asked in a cycle; locked once the cycle opens, so years stay comparable."""

    cycle = models.ForeignKey(SurveyCycle, on_delete=models.CASCADE, related_name="questionnaires")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    introduction = models.TextField(blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )

    class Meta:
        ordering = ["cycle", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "audience"], name="one_questionnaire_per_audience")
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.get_audience_display()}"


class Question(TimeStampedModel):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Agreement scale (strongly disagree to strongly agree)"
        FREE_TEXT = "free_text", "Free text"
        SEGMENT = "segment", "About the respondent (for the breakdowns)"

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # An agreement question measures a theme; a segment question asks one segment.
    theme = models.CharField(max_length=25, choices=RelationshipTheme.choices, blank=True)
    segment = models.CharField(max_length=15, choices=Segment.choices, blank=True)
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_position_unique"),
            models.CheckConstraint(
                condition=(Q(kind="agreement") & ~Q(theme="") & Q(segment=""))
                | (Q(kind="segment") & ~Q(segment="") & Q(theme=""))
                | (Q(kind="free_text") & Q(segment="")),
                name="question_kind_fits_theme_and_segment",
            ),
        ]

    def __str__(self) -> str:
        return self.text
