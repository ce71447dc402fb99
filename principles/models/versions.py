"""The New Deal: the principles providers and officers sign up to, one numbered version after another."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel


class PrinciplesVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PrinciplesVersion.Status.PUBLISHED)

    def current(self):
        """The latest published version, the one everyone is asked to sign, or None."""
        return self.published().order_by("-number").first()


class PrinciplesVersion(TimeStampedModel):
    """One version of the text. A draft changes until an engagement manager approves it; then it never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text: leave a blank line between paragraphs.")
    what_changed = models.TextField("what changed", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When someone last signed this version: the coverage figures kept for it are counted again after it changes.
    last_signed_at = models.DateTimeField(null=True, blank=True)

    objects = PrinciplesVersionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "last_signed_at"])

    class Meta:
        ordering = ["-number"]
        permissions = [("publish_principlesversion", "Can approve and publish a version of the New Deal")]
        constraints = [
            # One draft at a time, so that versions are published in the order of their numbers.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="principles_one_draft_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="principles_published_has_date",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="principles_version_has_title"),
        ]

    def __str__(self) -> str:
        return f"The New Deal, version {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
