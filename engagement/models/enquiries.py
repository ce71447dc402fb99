"""Provider enquiries: a question routed to the officer (or team) who answers it, with a promised answer date."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel


class EnquiryTarget(TimeStampedModel):
    """How many working days the council promises to answer an enquiry about a topic in."""

    topic = models.OneToOneField("directory.Topic", on_delete=models.CASCADE, related_name="enquiry_target")
    working_days = models.PositiveSmallIntegerField(default=10)

    class Meta:
        ordering = ["topic__name"]
        constraints = [
            models.CheckConstraint(condition=Q(working_days__gte=1), name="enquiry_target_at_least_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.working_days} working days"


class Enquiry(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        AWAITING_PROVIDER = "awaiting_provider", "Waiting for more information"
        RESOLVED = "resolved", "Resolved"

    reference = models.CharField(max_length=20, unique=True)
    provider = models.ForeignKey(
        "directory.ProviderOrganisation", on_delete=models.PROTECT, related_name="enquiries"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="enquiries_raised"
    )
    topic = models.ForeignKey("directory.Topic", on_delete=models.PROTECT, related_name="enquiries")
    area = models.ForeignKey(
        "directory.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="enquiries"
    )
    service_type = models.ForeignKey(
        "directory.ServiceType", on_delete=models.PROTECT, null=True, blank=True, related_name="enquiries"
    )
    subject = models.CharField(max_length=200)
    message = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    assigned_officer = models.ForeignKey(
        "directory.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="enquiries"
    )
    assigned_team = models.ForeignKey(
        "directory.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="enquiries"
    )
    # The promised answer date; moved on by the working days the clock was paused.
    due_on = models.DateField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Set while the council waits for the provider: the clock is paused.
    paused_since = models.DateTimeField(null=True, blank=True)
    # The last day a "due tomorrow" warning or an overdue escalation was sent, so the daily job sends each once.
    warned_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name_plural = "enquiries"
        indexes = [
            models.Index(fields=["status", "due_on"], name="enquiry_status_due"),
            models.Index(fields=["assigned_officer", "status"], name="enquiry_officer_status"),
            models.Index(fields=["assigned_team", "status"], name="enquiry_team_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(assigned_officer__isnull=False) | Q(assigned_team__isnull=False),
                name="enquiry_has_officer_or_team",
                violation_error_message="An enquiry must be with an officer or a team.",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
                name="enquiry_resolved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"


class EnquiryEvent(models.Model):
    """One step in an enquiry's timeline. Internal notes are never shown or sent to the provider."""

    class Kind(models.TextChoices):
        RAISED = "raised", "Raised"
        ASSIGNED = "assigned", "Assigned"
        REPLY = "reply", "Reply from the council"
        PROVIDER_REPLY = "provider_reply", "Reply from the provider"
        REASSIGNED = "reassigned", "Reassigned"
        INFORMATION_REQUESTED = "information_requested", "More information requested"
        INFORMATION_GIVEN = "information_given", "More information given"
        INTERNAL_NOTE = "internal_note", "Internal note"
        RESOLVED = "resolved", "Resolved"
        DUE_WARNING = "due_warning", "Due tomorrow warning"
        ESCALATED = "escalated", "Escalated as overdue"
        HANDED_OVER = "handed_over", "Handed over"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=25, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    is_internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enquiry", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="internal_note") | Q(is_internal=True),
                name="enquiry_internal_note_is_internal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enquiry.reference}: {self.get_kind_display()}"


def _attachment_path(instance: "EnquiryAttachment", filename: str) -> str:
    return f"enquiries/{instance.enquiry_id}/{filename}"


class EnquiryAttachment(models.Model):
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        EnquiryEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enquiry", "pk"]

    def __str__(self) -> str:
        return self.original_name


class KeptEnquiryFigures(models.Model):
    """Directors' enquiry figures for a range of months as counted on a day, kept so that a visit never waits.

    Counting a year of enquiries takes several times as long as showing them; the worker counts them again after
    enquiries change (`version` says which state they were counted at) and each night for the default range.
    """

    first_month = models.DateField()
    last_month = models.DateField()
    today = models.DateField()
    version = models.CharField(max_length=60)
    rows = models.JSONField()
    counted_at = models.DateTimeField()
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "kept enquiry figures"
        constraints = [
            models.UniqueConstraint(
                fields=["first_month", "last_month", "today"], name="kept_figures_one_per_range"
            )
        ]

    def __str__(self) -> str:
        return f"Enquiry figures {self.first_month:%b %Y}–{self.last_month:%b %Y}, counted {self.counted_at:%d %b %H:%M}"
