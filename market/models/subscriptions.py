"""Provider users' subscriptions to news of intentions and opportunities for their types of service and areas."""

from django.conf import settings
from django.db import models

from portal.models import TimeStampedModel


class Subscription(TimeStampedModel):
    """One provider user's choice: the email goes to them, for the types of service and areas they chose."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="market_subscription"
    )
    all_service_types = models.BooleanField(default=False)
    service_types = models.ManyToManyField("directory.ServiceType", related_name="+", blank=True)
    all_areas = models.BooleanField(default=False)
    areas = models.ManyToManyField("directory.Area", related_name="+", blank=True)

    def __str__(self) -> str:
        return f"Market direction updates for {self.user}"
