"""Relationship checks: the partners in a pilot rate their relationship on the relationship survey's themes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.models import TimeStampedModel
from portal.relationship_themes import RelationshipRating, RelationshipTheme

from .pilots import PartnershipPilot, PilotPartner


class RelationshipCheck(TimeStampedModel):
    """One round of ratings for a pilot; repeated over time, the rounds show the trend."""

    pilot = models.ForeignKey(PartnershipPilot, on_delete=models.CASCADE, related_name="relationship_checks")
    opened_on = models.DateField()
    closes_on = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pilot", "opened_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opened_on")), name="check_closes_after_open"
            ),
            models.UniqueConstraint(fields=["pilot", "opened_on"], name="check_once_a_day_per_pilot"),
        ]

    def __str__(self) -> str:
        return f"{self.pilot}: relationship check of {self.opened_on:%d %B %Y}"


class RelationshipCheckResponse(TimeStampedModel):
    """One side's ratings in a round: a partner's (given by its people, or recorded for it) or the council's."""

    check_round = models.ForeignKey(RelationshipCheck, on_delete=models.CASCADE, related_name="responses")
    # Empty for the council's own response.
    partner = models.ForeignKey(
        PilotPartner, on_delete=models.CASCADE, null=True, blank=True, related_name="check_responses"
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["check_round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["check_round", "partner"],
                condition=Q(partner__isnull=False),
                name="check_once_per_partner",
            ),
            models.UniqueConstraint(
                fields=["check_round"], condition=Q(partner__isnull=True), name="check_once_for_the_council"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_round}: {self.partner or 'the council'}"


class RelationshipCheckRating(models.Model):
    response = models.ForeignKey(RelationshipCheckResponse, on_delete=models.CASCADE, related_name="ratings")
    theme = models.CharField(max_length=25, choices=RelationshipTheme.choices)
    rating = models.PositiveSmallIntegerField(choices=RelationshipRating.choices)

    class Meta:
        ordering = ["response", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["response", "theme"], name="rating_once_per_theme"),
            models.CheckConstraint(condition=Q(rating__range=(1, 5)), name="rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.get_theme_display()}: {self.rating}"
