"""Partnership pilots: who is in them, why they are strategic, and the stages they pass through."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from portal.models import TimeStampedModel


class Stage(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SCOPING = "scoping", "Scoping"
    AGREED = "agreed", "Agreed"
    IN_DELIVERY = "in_delivery", "In delivery"
    EVALUATING = "evaluating", "Evaluating"
    CLOSED = "closed", "Closed"
    STOPPED = "stopped", "Stopped"


class PartnershipPilot(TimeStampedModel):
    """A pilot of a new way of working with providers and other partners, run openly through set stages."""

    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    aim = models.TextField(help_text="What the pilot sets out to test or achieve, in plain words.")
    lead_officer = models.ForeignKey(
        "directory.Officer", on_delete=models.PROTECT, related_name="partnership_pilots_led"
    )
    stage = models.CharField(max_length=15, choices=Stage.choices, default=Stage.PROPOSED)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    service_types = models.ManyToManyField(
        "directory.ServiceType", related_name="partnership_pilots", blank=True
    )
    areas = models.ManyToManyField("directory.Area", related_name="partnership_pilots", blank=True)
    # Officers only: how risk and reward are shared is a commercial matter.
    risk_sharing = models.TextField("how risk is shared", blank=True)
    commercial_details = models.TextField(blank=True)
    internal_notes = models.TextField(blank=True)
    # A draft is not on the providers' register until it is published.
    is_published = models.BooleanField("on the register", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class StrategicReason(models.Model):
    """One reason a pilot is strategic, with how it applies: the register shows providers why it was chosen."""

    class Reason(models.TextChoices):
        PEOPLE_SUPPORTED = "people_supported", "Number of people supported"
        INNOVATION = "innovation", "Innovation and integration"
        SPECIALIST = "specialist", "Specialist services"
        CLIENT_GROUPS = "client_groups", "Joining up client groups"
        LOCALITY = "locality", "Locality working"

    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="strategic_reasons")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["pilot", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "reason"], name="strategic_reason_once_per_pilot")
        ]

    def __str__(self) -> str:
        return self.get_reason_display()


class PilotPartner(TimeStampedModel):
    """A partner in a pilot: a provider from the who's-who, or another organisation with its contact."""

    class Kind(models.TextChoices):
        PROVIDER = "provider", "Care provider"
        NHS_ICB = "nhs_icb", "NHS integrated care board"
        NHS_TRUST = "nhs_trust", "NHS hospital or community trust"
        VOLUNTARY = "voluntary", "Voluntary group"
        OTHER = "other", "Other organisation"

    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    provider = models.ForeignKey(
        "directory.ProviderOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnership_pilots",
    )
    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="For a partner that is not a provider."
    )
    role = models.CharField("role in the pilot", max_length=200, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pilot", "pk"]
        constraints = [
            # A provider partner is the who's-who's organisation; any other partner is named here.
            models.CheckConstraint(
                condition=(Q(kind="provider") & Q(provider__isnull=False) & Q(organisation_name=""))
                | (~Q(kind="provider") & Q(provider__isnull=True) & ~Q(organisation_name="")),
                name="pilot_partner_provider_or_named",
            ),
            models.UniqueConstraint(
                fields=["pilot", "provider"],
                condition=Q(provider__isnull=False),
                name="pilot_partner_provider_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.provider.name if self.provider_id else self.organisation_name


class ProcurementRecord(TimeStampedModel):
    """How the council may lawfully enter the partnership, and who decided: needed before a pilot is agreed."""

    class Route(models.TextChoices):
        OPEN_TENDER = "open_tender", "Open tender"
        FRAMEWORK = "framework", "Call-off from a framework contract"
        VARIATION = "variation", "Variation of an existing contract"
        DIRECT_AWARD = "direct_award", "Direct award, with the justification recorded"
        GRANT = "grant", "Grant agreement"
        NO_SPEND = "no_spend", "No procurement: no money changes hands"

    pilot = models.OneToOneField(PartnershipPilot, on_delete=models.CASCADE, related_name="procurement")
    route = models.CharField(max_length=15, choices=Route.choices)
    decision = models.TextField(help_text="The decision taken, and how other providers were treated fairly.")
    decided_on = models.DateField()
    decided_by = models.CharField(
        "decision maker", max_length=200, help_text="For example, the commissioning board."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self) -> str:
        return f"{self.pilot}: {self.get_route_display()}"


class StageChange(models.Model):
    """One move of a pilot from a stage to the next: dated, attributed and kept."""

    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=15, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=15, choices=Stage.choices)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["pilot", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.pilot}: {self.get_from_stage_display() or 'new'} to {self.get_to_stage_display()}"
