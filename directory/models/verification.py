from django.conf import settings
from django.db import models


class Verified(models.Model):
    """An entry of the who's-who with a named owner who confirms, from time to time, that it is still right."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person who keeps this entry up to date.",
    )
    last_verified_on = models.DateField(
        null=True, blank=True, help_text="When the owner last confirmed the entry is right."
    )

    class Meta:
        abstract = True
