"""Reads for the market direction and fees pages: providers see published pages only; council staff see drafts."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from directory.models import Area, ServiceType
from market.models import (
    CommercialOpportunity,
    CommissioningIntention,
    FeeExplanation,
    MarketPositionStatement,
    Published,
)
from portal.permissions import is_council_staff

KINDS: dict[str, type[Published]] = {
    "intention": CommissioningIntention,
    "statement": MarketPositionStatement,
    "opportunity": CommercialOpportunity,
    "fee": FeeExplanation,
}


def sees_drafts(user) -> bool:
    return is_council_staff(user)


def visible(model: type[Published], user) -> QuerySet:
    """What `user` may open: everything for council staff, published pages only for anyone else."""
    queryset = model.objects.all()
    if not sees_drafts(user):
        queryset = queryset.filter(status=Published.Status.PUBLISHED)
    return queryset


def intentions_visible_to(user) -> QuerySet:
    return (
        visible(CommissioningIntention, user)
        .select_related("service_type", "owner")
        .prefetch_related("areas")
        .order_by("service_type__name", "starts_on", "title", "pk")
    )


def intentions_in_area(queryset: QuerySet, slug: str) -> QuerySet:
    """An intention for no particular area is for every area."""
    return queryset.filter(Q(areas__slug=slug) | Q(areas__isnull=True)).distinct()


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "service_type": list(ServiceType.objects.values_list("slug", "name")),
        "area": list(Area.objects.values_list("slug", "name")),
    }


def current_statement(user) -> MarketPositionStatement | None:
    """The latest published market position statement."""
    return (
        MarketPositionStatement.objects.filter(status=Published.Status.PUBLISHED)
        .select_related("owner")
        .order_by("-published_on", "-pk")
        .first()
    )


def opportunities_visible_to(user, *, upcoming_only: bool = True) -> QuerySet:
    """Opportunities still open to bids, the soonest to close first."""
    queryset = visible(CommercialOpportunity, user)
    if upcoming_only:
        queryset = queryset.filter(closes_on__gte=timezone.localdate())
    return (
        queryset.select_related("owner")
        .prefetch_related("service_types", "areas")
        .order_by("closes_on", "opens_on", "title", "pk")
    )


def fee_explanations_visible_to(user) -> QuerySet:
    return (
        visible(FeeExplanation, user)
        .select_related("service_type", "owner")
        .order_by("service_type__name", "-year", "pk")
    )


def statement_visible_to(user) -> QuerySet:
    return visible(MarketPositionStatement, user).select_related("owner")


def pages_to_keep() -> dict[str, list[Published]]:
    """For engagement managers: drafts and pages past their review date, kind by kind, oldest review first."""
    today = timezone.localdate()
    wanted = Q(status=Published.Status.DRAFT) | Q(review_on__lt=today)
    return {
        kind: list(model.objects.filter(wanted).select_related("owner").order_by("review_on", "pk")[:50])
        for kind, model in KINDS.items()
    }
