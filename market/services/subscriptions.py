"""A provider user's subscription to market direction updates: chosen types of service and areas, or all."""

from django.db import transaction

from market.models import Subscription
from portal.service_errors import ServiceError

CHOOSE_SERVICE_TYPES = "Choose at least one type of service, or all types of service"
CHOOSE_AREAS = "Choose at least one area, or all areas"
PROVIDERS_ONLY = "Only provider users can subscribe to market direction updates"


class SubscriptionError(ServiceError):
    """A subscription that cannot be saved."""


def subscription_save(
    *, user, all_service_types: bool, service_types, all_areas: bool, areas
) -> Subscription:
    """Start or change the user's subscription; the emails go to the user's own address."""
    if not getattr(user, "provider_organisation_id", None):
        raise SubscriptionError(PROVIDERS_ONLY)
    service_types, areas = list(service_types), list(areas)
    if not (all_service_types or service_types):
        raise SubscriptionError(CHOOSE_SERVICE_TYPES, field="service_types")
    if not (all_areas or areas):
        raise SubscriptionError(CHOOSE_AREAS, field="areas")
    with transaction.atomic():
        subscription, _ = Subscription.objects.select_for_update().get_or_create(user=user)
        subscription.all_service_types, subscription.all_areas = all_service_types, all_areas
        subscription.save()
        subscription.service_types.set([] if all_service_types else service_types)
        subscription.areas.set([] if all_areas else areas)
    return subscription


def subscription_remove(*, user) -> bool:
    """Stop the user's emails; True if there was a subscription to stop."""
    with transaction.atomic():
        deleted, _ = Subscription.objects.filter(user=user).delete()
    return bool(deleted)
