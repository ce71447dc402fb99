from django.db import models
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel


class ProviderOrganisation(TimeStampedModel):
    """An independent or voluntary organisation that delivers care the council buys."""

    class Tier(models.IntegerChoices):
        ONE = 1, "Tier 1"
        TWO = 2, "Tier 2"
        THREE = 3, "Tier 3"

    name = models.CharField(max_length=200, unique=True)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.THREE)
    areas = models.ManyToManyField("directory.Area", related_name="providers", blank=True)
    service_types = models.ManyToManyField("directory.ServiceType", related_name="providers", blank=True)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
