"""The forward plan: every engagement activity, planned ahead or ad hoc, and the places providers book."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel


class Activity(TimeStampedModel):
    class Kind(models.TextChoices):
        GROUP_MEETING = "group_meeting", "Group meeting"
        PROVIDER_FORUM = "provider_forum", "Provider forum"
        TIER_ONE_MEETING = "tier_one_meeting", "Tier One meeting"
        PROVIDER_EVENT = "provider_event", "Provider event"
        TRAINING = "training", "Training"
        NEWSLETTER = "newsletter", "Newsletter issue"
        COUNCILLOR_ENGAGEMENT = "councillor_engagement", "Councillor engagement"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        CONFIRMED = "confirmed", "Confirmed"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=25, choices=Kind.choices)
    group = models.ForeignKey(
        "engagement.EngagementGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=250, blank=True)
    online_link = models.URLField(blank=True)
    facilitator = models.ForeignKey(
        "directory.Officer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities_facilitated",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancellation_reason = models.TextField(blank=True)

    # Audience: who the activity is for. No areas or service types means every area or service type.
    for_tier_one = models.BooleanField("Tier One providers", default=True)
    for_tier_two = models.BooleanField("Tier Two providers", default=True)
    for_tier_three = models.BooleanField("Tier Three providers", default=True)
    areas = models.ManyToManyField("directory.Area", related_name="activities", blank=True)
    service_types = models.ManyToManyField("directory.ServiceType", related_name="activities", blank=True)

    # Ad hoc: added to the plan less than ENGAGEMENT_PLAN_WEEKS_AHEAD before it happens.
    is_ad_hoc = models.BooleanField(default=False)
    ad_hoc_reason = models.TextField(blank=True)
    ad_hoc_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ad_hoc_approved_at = models.DateTimeField(null=True, blank=True)

    # Places: an activity may take bookings.
    takes_bookings = models.BooleanField(default=False)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    cap_per_provider = models.PositiveIntegerField("places per provider", null=True, blank=True)
    bookings_open_at = models.DateTimeField(null=True, blank=True)
    bookings_close_at = models.DateTimeField(null=True, blank=True)
    cancel_by = models.DateTimeField("cancellation deadline", null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[areas, service_types])

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name_plural = "activities"
        permissions = [("approve_ad_hoc_activity", "Can approve an ad hoc activity")]
        indexes = [models.Index(fields=["starts_at"], name="activity_starts_at")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(
                condition=Q(takes_bookings=False) | Q(capacity__gte=1),
                name="activity_bookings_need_capacity",
            ),
            models.CheckConstraint(
                condition=Q(cap_per_provider__isnull=True) | Q(cap_per_provider__gte=1),
                name="activity_cap_per_provider_positive",
            ),
            models.CheckConstraint(
                condition=Q(is_ad_hoc=False) | ~Q(ad_hoc_reason=""),
                name="activity_ad_hoc_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_tiers(self) -> list[int]:
        return [
            tier
            for tier, open_to in ((1, self.for_tier_one), (2, self.for_tier_two), (3, self.for_tier_three))
            if open_to
        ]

    @property
    def awaits_approval(self) -> bool:
        return self.is_ad_hoc and self.ad_hoc_approved_at is None


class Booking(TimeStampedModel):
    """A named attendee's place at an activity, or their turn on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="bookings")
    provider = models.ForeignKey(
        "directory.ProviderOrganisation", on_delete=models.CASCADE, related_name="bookings"
    )
    attendee_name = models.CharField(max_length=150)
    attendee_email = models.EmailField()
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings_made",
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    # The waiting list's order: the time a place was asked for, then pk.
    requested_at = models.DateTimeField()
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["activity", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "activity",
                models.functions.Lower("attendee_email"),
                condition=~Q(status="cancelled"),
                name="booking_one_place_per_attendee",
                violation_error_message="This person already has a place or is on the waiting list.",
            ),
        ]
        indexes = [models.Index(fields=["activity", "status"], name="booking_activity_status")]

    def __str__(self) -> str:
        return f"{self.attendee_name} at {self.activity}"
