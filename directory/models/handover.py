from django.conf import settings
from django.db import models

from portal.models import TimeStampedModel


class Handover(TimeStampedModel):
    """The record of an officer's duties moving to a successor when they leave or change role."""

    leaving_officer = models.ForeignKey(
        "directory.Officer", on_delete=models.PROTECT, related_name="handovers_given"
    )
    successor = models.ForeignKey(
        "directory.Officer", on_delete=models.PROTECT, related_name="handovers_received"
    )
    effective_on = models.DateField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    responsibilities_moved = models.PositiveIntegerField(default=0)
    providers_moved = models.PositiveIntegerField(default=0)
    commitments_moved = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.leaving_officer} to {self.successor} on {self.effective_on}"
