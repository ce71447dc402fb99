"""What every page of market direction and fees shares: an owner, a draft or published state, and its dates."""

from django.db import models
from django.utils import timezone

from portal.models import TimeStampedModel


class Published(TimeStampedModel):
    """A page engagement managers write as a draft and publish; providers see it only once published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey("directory.Officer", on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField("publication date", null=True, blank=True)
    review_on = models.DateField("review date", help_text="When the owner checks it is still right.")
    # Set once, by the publish that wrote its emails: publishing again sends nothing.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def review_due(self) -> bool:
        return self.review_on < timezone.localdate()
