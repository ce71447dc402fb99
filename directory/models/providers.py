"""The provider side of the who's-who: organisations, their key people and their associations."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel

location_id_validator = RegexValidator(
    r"^1-\d{8,11}$", "Enter a location ID in the format the care regulator uses, like 1-1234567890"
)


class ProviderAssociation(TimeStampedModel):
    """A body that represents a group of providers."""

    name = models.CharField(max_length=200, unique=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderOrganisation(TimeStampedModel):
    """An independent or voluntary organisation that delivers care the council buys."""

    class Tier(models.IntegerChoices):
        ONE = 1, "Tier 1"
        TWO = 2, "Tier 2"
        THREE = 3, "Tier 3"

    class ContractType(models.TextChoices):
        FRAMEWORK = "framework", "Framework"
        SPOT = "spot", "Spot"

    name = models.CharField(max_length=200, unique=True)
    location_id = models.CharField(
        "care regulator location ID",
        max_length=14,
        blank=True,
        validators=[location_id_validator],
        help_text="For example, 1-1234567890",
    )
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.THREE)
    contract_type = models.CharField(
        max_length=10, choices=ContractType.choices, default=ContractType.FRAMEWORK
    )
    people_supported = models.PositiveIntegerField("number of people supported", null=True, blank=True)
    areas = models.ManyToManyField("directory.Area", related_name="providers", blank=True)
    service_types = models.ManyToManyField("directory.ServiceType", related_name="providers", blank=True)
    client_groups = models.ManyToManyField("directory.ClientGroup", related_name="providers", blank=True)
    associations = models.ManyToManyField(ProviderAssociation, related_name="members", blank=True)
    contract_manager = models.ForeignKey(
        "directory.Officer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_providers",
        help_text="Every Tier One provider has a named contract manager.",
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(tier=1) | Q(contract_manager__isnull=False),
                name="tier_one_provider_has_contract_manager",
                violation_error_message="A Tier One provider must have a named contract manager.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderPerson(TimeStampedModel):
    """One of a provider's key people."""

    class Role(models.TextChoices):
        REGISTERED_MANAGER = "registered_manager", "Registered manager"
        NOMINATED_INDIVIDUAL = "nominated_individual", "Nominated individual"
        OWNER = "owner", "Owner or director"
        OFFICE = "office", "Office contact"
        FINANCE = "finance", "Finance contact"
        OTHER = "other", "Other"

    provider = models.ForeignKey(ProviderOrganisation, on_delete=models.CASCADE, related_name="people")
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=25, choices=Role.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    receives_contact_list = models.BooleanField(default=False, help_text="Sent the who's-who every quarter.")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["provider", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(receives_contact_list=False) | ~Q(email=""),
                name="contact_list_recipient_has_email",
                violation_error_message="Someone who receives the contact list needs an email address.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class ContactProposal(TimeStampedModel):
    """A provider's suggestion of a person or organisation the council should keep in regular contact with."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    provider = models.ForeignKey(ProviderOrganisation, on_delete=models.CASCADE, related_name="proposals")
    proposed_by = models.ForeignKey("portal.User", on_delete=models.SET_NULL, null=True, related_name="+")
    name = models.CharField("person or organisation", max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    reason = models.TextField("why the council should be in regular contact")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
