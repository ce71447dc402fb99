"""Fees explained: how the council sets the fee level for a type of service, year by year."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .publishing import Published


class FeeExplanation(Published):
    """How one year's fee for a type of service was set, from what, and what changed since the year before."""

    service_type = models.ForeignKey(
        "directory.ServiceType", on_delete=models.PROTECT, related_name="fee_explanations"
    )
    year = models.CharField("year it applies to", max_length=20, help_text="For example, 2026 to 2027")
    fee_level = models.CharField(
        "fee level", max_length=200, help_text="For example, £1,050 to £1,240 a week"
    )
    method = models.TextField("how the fee level is set")
    inputs = models.TextField("what goes into it")
    changes = models.TextField("what changed since last year", blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["service_type__name", "-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "year"], name="one_fee_explanation_per_type_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_type}: {self.year}"

    @property
    def title(self) -> str:
        return f"How the {self.service_type.name.lower()} fee is set, {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("market:fee", kwargs={"pk": self.pk})
