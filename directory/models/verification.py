from django.conf import settings
from django.db import models


class Verified(models.Model):
    """An entry of the who's-who with a named owner who confirms, from time to time, that it is still right."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person who keeps this entry up to date.",
    )
    last_verified_on = models.DateField(
        null=True, blank=True, help_text="When the owner last confirmed the entry is right."
    )

    class Meta:
        abstract = True


class VerificationReminder(models.Model):
    """That an owner was sent their entries needing checking in a given month, so the job never sends twice."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month the reminder was for.")
    entries = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "month"], name="one_verification_reminder_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.month:%B %Y}"
