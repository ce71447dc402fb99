"""The council side of the who's-who: directorates, teams and officers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel

from .verification import Verified


class Directorate(TimeStampedModel):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(Verified, TimeStampedModel):
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=150)
    mailbox = models.EmailField("team mailbox")
    phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["directorate", "name"], name="team_name_unique_in_directorate")
        ]

    def __str__(self) -> str:
        return self.name


class OfficerQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(active_from__lte=day) | Q(active_from__isnull=True)).filter(
            Q(active_to__gte=day) | Q(active_to__isnull=True)
        )


class Officer(Verified, TimeStampedModel):
    """A member of council staff that providers may need to contact."""

    class Seniority(models.TextChoices):
        DIRECTOR = "director", "Director"
        HEAD_OF_SERVICE = "head_of_service", "Head of service"
        MANAGER = "manager", "Manager"
        OFFICER = "officer", "Officer"

    class MarketLead(models.TextChoices):
        STRATEGIC = "strategic", "Strategic lead for the care market"
        OPERATIONAL = "operational", "Operational lead for the care market"

    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150)
    seniority = models.CharField(max_length=20, choices=Seniority.choices, default=Seniority.OFFICER)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="officers")
    email = models.EmailField(unique=True)
    phone = models.CharField(max_length=30, blank=True)
    areas = models.ManyToManyField("directory.Area", related_name="officers", blank=True)
    deputy = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="deputising_for"
    )
    market_lead = models.CharField(
        "market leadership",
        max_length=20,
        choices=MarketLead.choices,
        blank=True,
        help_text="Leave blank for most officers.",
    )
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(
        null=True, blank=True, help_text="Set when the officer leaves or changes role."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="officer"
    )

    objects = OfficerQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[areas], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(deputy=F("pk")),
                name="officer_not_own_deputy",
                violation_error_message="An officer cannot be their own deputy.",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=F("active_from")),
                name="officer_active_dates_in_order",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]
        indexes = [models.Index(fields=["last_verified_on"], name="officer_verified_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.active_from is None or self.active_from <= today) and (
            self.active_to is None or self.active_to >= today
        )
