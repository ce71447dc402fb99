"""Market direction: what the council intends to buy, its market position statement, and coming opportunities."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .publishing import Published


class CommissioningIntention(Published):
    """What the council intends to buy more or less of, for a type of service in some areas, and from when."""

    class Direction(models.TextChoices):
        MORE = "more", "Buy more"
        SAME = "same", "Buy about the same"
        LESS = "less", "Buy less"
        STOP = "stop", "Stop buying"
        NEW = "new", "New service"

    title = models.CharField(max_length=200)
    service_type = models.ForeignKey(
        "directory.ServiceType", on_delete=models.PROTECT, related_name="commissioning_intentions"
    )
    areas = models.ManyToManyField(
        "directory.Area",
        related_name="commissioning_intentions",
        blank=True,
        help_text="None means every area.",
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    what_and_why = models.TextField("what and why")
    when = models.CharField("when, in words", max_length=200, help_text="For example, from April 2027")
    starts_on = models.DateField("from")

    history = HistoricalRecords(m2m_fields=[areas], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["starts_on", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:intention", kwargs={"pk": self.pk})


class MarketPositionStatement(Published):
    """The council's statement of the market: what it needs, how it will buy it, and what it expects."""

    title = models.CharField(max_length=200)
    year = models.CharField(max_length=20, help_text="For example, 2026 to 2027")
    summary = models.TextField()
    body = models.TextField()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:statement", kwargs={"pk": self.pk})


class CommercialOpportunity(Published):
    """A coming chance to bid for council work, with its key dates."""

    class Route(models.TextChoices):
        OPEN_TENDER = "open", "Open tender"
        MINI_COMPETITION = "mini", "Mini-competition under a framework"
        DYNAMIC_PURCHASING = "dps", "Dynamic purchasing system"
        GRANT = "grant", "Grant"
        DIRECT_AWARD = "direct", "Direct award"

    title = models.CharField(max_length=200)
    description = models.TextField()
    service_types = models.ManyToManyField("directory.ServiceType", related_name="commercial_opportunities")
    areas = models.ManyToManyField(
        "directory.Area",
        related_name="commercial_opportunities",
        blank=True,
        help_text="None means every area.",
    )
    procurement_route = models.CharField(max_length=10, choices=Route.choices)
    opens_on = models.DateField("opens on")
    closes_on = models.DateField("closes on")
    contract_starts_on = models.DateField("contract starts on", null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[service_types, areas], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["closes_on", "title", "pk"]
        verbose_name_plural = "commercial opportunities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="opportunity_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:opportunity", kwargs={"pk": self.pk})
