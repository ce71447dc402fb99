from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel

from .verification import Verified


class Responsibility(Verified, TimeStampedModel):
    """Who answers a topic for some areas and service types: an officer, a team, or both.

    No areas (or no service types) means every area (or every service type). The most specific match answers.
    """

    topic = models.ForeignKey("directory.Topic", on_delete=models.PROTECT, related_name="responsibilities")
    officer = models.ForeignKey(
        "directory.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="responsibilities"
    )
    team = models.ForeignKey(
        "directory.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="responsibilities"
    )
    areas = models.ManyToManyField("directory.Area", related_name="responsibilities", blank=True)
    service_types = models.ManyToManyField(
        "directory.ServiceType", related_name="responsibilities", blank=True
    )
    notes = models.CharField(max_length=300, blank=True)
    retired_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[areas, service_types], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["topic__name"]
        verbose_name_plural = "responsibilities"
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | Q(team__isnull=False),
                name="responsibility_has_officer_or_team",
                violation_error_message="Choose the officer or the team who answers.",
            ),
        ]

    def __str__(self) -> str:
        who = self.officer or self.team
        return f"{self.topic}: {who}"
