"""Engagement groups: the council's formal meeting points with providers, with terms of reference and maturity."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel


class EngagementGroup(TimeStampedModel):
    class Kind(models.TextChoices):
        STRATEGIC = "strategic", "Strategic group"
        AREA_FORUM = "area_forum", "Area provider forum"
        TIER_ONE = "tier_one", "Tier One meeting"
        SECTOR = "sector", "Sector group"
        SAFEGUARDING = "safeguarding", "Safeguarding group"
        ASSOCIATION_LIAISON = "association_liaison", "Provider association liaison"
        OTHER = "other", "Other"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        BIMONTHLY = "bimonthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six_monthly", "Every six months"
        ANNUALLY = "annually", "Once a year"
        AS_NEEDED = "as_needed", "As needed"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=25, choices=Kind.choices)
    purpose = models.TextField()
    chair = models.ForeignKey(
        "directory.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="groups_chaired"
    )
    area = models.ForeignKey(
        "directory.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagement_groups",
        help_text="For an area provider forum: the area it serves.",
    )
    meeting_frequency = models.CharField(
        max_length=15, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    member_officers = models.ManyToManyField(
        "directory.Officer", related_name="engagement_groups", blank=True
    )
    member_providers = models.ManyToManyField(
        "directory.ProviderOrganisation", related_name="engagement_groups", blank=True
    )
    member_associations = models.ManyToManyField(
        "directory.ProviderAssociation", related_name="engagement_groups", blank=True
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TermsOfReference(TimeStampedModel):
    """One version of a group's terms of reference; every version is kept."""

    group = models.ForeignKey(EngagementGroup, on_delete=models.CASCADE, related_name="terms_of_reference")
    version = models.PositiveSmallIntegerField()
    purpose = models.TextField()
    membership = models.TextField()
    decision_making = models.TextField("how decisions are made")
    frequency_and_quorum = models.TextField("frequency and quorum", blank=True)
    approved_on = models.DateField()
    review_on = models.DateField("review by")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["group", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["group", "version"], name="terms_version_unique_in_group"),
            models.CheckConstraint(
                condition=Q(review_on__gt=F("approved_on")), name="terms_review_after_approval"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} terms of reference, version {self.version}"


class MaturityAssessment(TimeStampedModel):
    """How established a group is, rated on a few criteria from 1 (new) to 4 (established); each kept."""

    class Rating(models.IntegerChoices):
        NEW = 1, "New"
        DEVELOPING = 2, "Developing"
        ESTABLISHED = 3, "Established"
        MATURE = 4, "Mature"

    CRITERIA = (
        "clear_purpose",
        "right_membership",
        "steady_attendance",
        "actions_followed_up",
        "provider_voice",
    )

    group = models.ForeignKey(EngagementGroup, on_delete=models.CASCADE, related_name="maturity_assessments")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clear_purpose = models.PositiveSmallIntegerField(choices=Rating.choices)
    right_membership = models.PositiveSmallIntegerField("the right people attend", choices=Rating.choices)
    steady_attendance = models.PositiveSmallIntegerField(choices=Rating.choices)
    actions_followed_up = models.PositiveSmallIntegerField(choices=Rating.choices)
    provider_voice = models.PositiveSmallIntegerField("providers shape the agenda", choices=Rating.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["group", "-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(clear_purpose__range=(1, 4))
                & Q(right_membership__range=(1, 4))
                & Q(steady_attendance__range=(1, 4))
                & Q(actions_followed_up__range=(1, 4))
                & Q(provider_voice__range=(1, 4)),
                name="maturity_ratings_1_to_4",
            )
        ]

    @property
    def score(self) -> float:
        return sum(getattr(self, name) for name in self.CRITERIA) / len(self.CRITERIA)
