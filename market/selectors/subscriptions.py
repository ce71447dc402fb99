"""Who gets an email when an intention or opportunity is published, and a user's own subscription."""

from django.db.models import Q

from market.models import (
    CommissioningIntention,
    FeeExplanation,
    MarketPositionStatement,
    Subscription,
)


def subscribers_for(item) -> list[str]:
    """The addresses of active provider users whose types of service and areas the item concerns.

    An item for no particular area concerns every area; the market position statement concerns every subscriber,
    and a fee explanation every subscriber to its type of service.
    """
    matching = Subscription.objects.filter(user__is_active=True, user__provider_organisation__isnull=False)
    if isinstance(item, MarketPositionStatement):
        return sorted(set(matching.values_list("user__email", flat=True)))
    if isinstance(item, CommissioningIntention | FeeExplanation):
        type_ids = [item.service_type_id]
    else:
        type_ids = list(item.service_types.values_list("pk", flat=True))
    area_ids = [] if isinstance(item, FeeExplanation) else list(item.areas.values_list("pk", flat=True))
    matching = matching.filter(Q(all_service_types=True) | Q(service_types__in=type_ids))
    if area_ids:
        matching = matching.filter(Q(all_areas=True) | Q(areas__in=area_ids))
    return sorted(set(matching.values_list("user__email", flat=True)))


def subscription_of(user) -> Subscription | None:
    return Subscription.objects.filter(user=user).prefetch_related("service_types", "areas").first()
