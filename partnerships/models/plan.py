"""What a pilot sets out to do and how it is going: objectives, milestones, risks and the progress log."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel

from .pilots import PartnershipPilot


class Objective(TimeStampedModel):
    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    measure = models.CharField(max_length=300, help_text="How progress is measured.")
    target = models.CharField(max_length=300)
    owner = models.ForeignKey("directory.Officer", on_delete=models.PROTECT, related_name="pilot_objectives")
    due_on = models.DateField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pilot", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Milestone(TimeStampedModel):
    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pilot", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Risk(TimeStampedModel):
    class Level(models.IntegerChoices):
        LOW = 1, "Low"
        MEDIUM = 2, "Medium"
        HIGH = 3, "High"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(choices=Level.choices)
    impact = models.PositiveSmallIntegerField(choices=Level.choices)
    mitigation = models.TextField(blank=True)
    owner = models.ForeignKey("directory.Officer", on_delete=models.PROTECT, related_name="pilot_risks")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # An internal risk (a partner's finances, say) is never shown to providers.
    is_internal = models.BooleanField("internal to the council", default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pilot", "status", "-impact", "-likelihood", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class ProgressEntry(TimeStampedModel):
    """A dated line in a pilot's progress log."""

    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="progress_entries")
    entry_on = models.DateField()
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_internal = models.BooleanField("internal to the council", default=False)

    class Meta:
        ordering = ["pilot", "-entry_on", "-pk"]
        verbose_name_plural = "progress entries"

    def __str__(self) -> str:
        return f"{self.pilot}, {self.entry_on}"
