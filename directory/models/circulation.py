"""The quarterly circulation of the who's-who: each PDF version, each run that emails it, each delivery."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from portal.models import TimeStampedModel


class ContactListVersion(TimeStampedModel):
    """One dated PDF of the who's-who, kept with its checksum so what was sent can be proved later."""

    version_date = models.DateField()
    file = models.FileField(upload_to="contact-lists/")
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField()
    page_count = models.PositiveIntegerField(default=0)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Contact list of {self.version_date:%-d %B %Y}"


class CirculationRun(TimeStampedModel):
    """Emailing one version of the contact list to every active provider's nominated recipients."""

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        COMPLETE = "complete", "Complete"
        COMPLETE_WITH_FAILURES = "complete_with_failures", "Complete with failures"

    version = models.ForeignKey(ContactListVersion, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=25, choices=Status.choices, default=Status.SENDING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled = models.BooleanField(
        default=False, help_text="Started by the quarterly schedule rather than by hand."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    providers_without_recipients = models.JSONField(
        default=list, blank=True, help_text="Providers with nobody to send to: [{id, name, reason}]."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Circulation of {self.version} ({self.get_status_display()})"


class CirculationDelivery(models.Model):
    """One recipient of one run. The database refuses a second row for the same address in a run."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        # The whole message has been handed to the mail server; its answer is awaited.
        SENDING = "sending", "Handed to the mail server"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # The worker stopped while the mail server was taking the message: it may have arrived, so it is not
        # sent again.
        UNCONFIRMED = "unconfirmed", "Interrupted: may have arrived"

    run = models.ForeignKey(CirculationRun, on_delete=models.CASCADE, related_name="deliveries")
    provider = models.ForeignKey(
        "directory.ProviderOrganisation", on_delete=models.CASCADE, related_name="deliveries"
    )
    person = models.ForeignKey(
        "directory.ProviderPerson", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.CharField(max_length=254)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "circulation deliveries"
        constraints = [
            models.UniqueConstraint("run", Lower("email"), name="one_delivery_per_address_per_run"),
        ]
        indexes = [models.Index(fields=["run", "status"], name="delivery_run_status_idx")]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"
