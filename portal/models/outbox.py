from django.db import models

from .base import TimeStampedModel


class OutboxMessage(TimeStampedModel):
    """An email recorded with the action that caused it, delivered later by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    subject = models.CharField(max_length=998)
    from_email = models.CharField(max_length=254)
    recipients = models.JSONField(help_text="Every address the message goes to: to, cc and bcc.")
    # The whole message as RFC 5322 bytes, attachments included, so the worker sends exactly what was written.
    message = models.BinaryField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"
