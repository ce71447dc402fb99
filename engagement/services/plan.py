"""Changes to the forward plan: adding, editing and cancelling activities, and approving ad hoc ones.

An activity added less than ENGAGEMENT_PLAN_WEEKS_AHEAD weeks before it starts is ad hoc: it needs a reason, and
the engagement manager's approval. Being ad hoc is decided once, when the activity is added; moving it later
does not put it back in the plan in good time.

Places are the bookings part's business (engagement.services.bookings); the plan tells it when an activity's
capacity rises (the waiting list moves up) or the activity is cancelled (everyone booked is told).
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from directory.models import Area, ServiceType
from directory.services.entries import entry_save
from engagement.models import Activity
from engagement.selectors.plan import BookingCounts, ad_hoc_cutoff, booking_counts
from portal.service_errors import ServiceError

# The fields of an activity an officer fills in; the rest (ad hoc, approval, who added it) the service sets.
ACTIVITY_FIELDS = (
    "title",
    "kind",
    "group",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "facilitator",
    "status",
    "for_tier_one",
    "for_tier_two",
    "for_tier_three",
    "ad_hoc_reason",
    "takes_bookings",
    "capacity",
    "cap_per_provider",
    "bookings_open_at",
    "bookings_close_at",
    "cancel_by",
)
_BOOKING_FIELDS = ("capacity", "cap_per_provider", "bookings_open_at", "bookings_close_at", "cancel_by")

ENDS_BEFORE_START = "The activity must end after it starts"
STARTS_IN_THE_PAST = "The activity must start in the future"
NO_TIER = "Choose at least one tier of provider the activity is for"
NO_PLACE = "Enter a place or an online link"
NO_CAPACITY = "Enter how many places there are: an activity that takes bookings needs a capacity"
CAP_ABOVE_CAPACITY = "Places per provider cannot be more than the number of places"
CLOSES_AFTER_START = "Bookings must close before the activity starts"
OPENS_AFTER_CLOSE = "Bookings must open before they close"
CANCEL_BY_AFTER_START = "The cancellation deadline must be before the activity starts"
HELD_BEFORE_START = "An activity can only be marked as held once it has started"
CANCEL_REASON_REQUIRED = "Enter why the activity is cancelled"
ALREADY_CANCELLED = "This activity was cancelled: it can no longer be changed"


def ad_hoc_reason_required() -> str:
    weeks = settings.ENGAGEMENT_PLAN_WEEKS_AHEAD
    return f"Give a reason: this activity is less than {weeks} week{'s' if weeks != 1 else ''} away, so it is ad hoc"


class PlanError(ServiceError):
    """A change to the plan that breaks one of its rules."""


class PlanProblems(PlanError):
    """Several broken rules at once, so that a form can show them all in its error summary."""

    def __init__(self, problems: Mapping[str | None, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = dict(problems)


def _places(count: int) -> str:
    return f"There {'is' if count == 1 else 'are'} already {count} confirmed place{'' if count == 1 else 's'}"


def _time_problems(values: Mapping[str, Any], *, adding: bool, now: datetime) -> dict[str | None, str]:
    problems: dict[str | None, str] = {}
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        problems["ends_at"] = ENDS_BEFORE_START
    if adding and starts_at and starts_at <= now:
        problems["starts_at"] = STARTS_IN_THE_PAST
    if values.get("status") == Activity.Status.HELD and starts_at and starts_at > now:
        problems["status"] = HELD_BEFORE_START
    return problems


def _booking_problems(values: Mapping[str, Any], *, bookings: BookingCounts) -> dict[str | None, str]:
    if not values.get("takes_bookings"):
        if bookings.live:
            return {
                "takes_bookings": f"The activity must keep taking bookings: {bookings.live} "
                f"{'person has a place or is' if bookings.live == 1 else 'people have a place or are'} "
                "on the waiting list. Cancel the activity instead"
            }
        return {}
    problems: dict[str | None, str] = {}
    capacity, cap = values.get("capacity"), values.get("cap_per_provider")
    starts_at = values.get("starts_at")
    opens, closes, cancel_by = (
        values.get(name) for name in ("bookings_open_at", "bookings_close_at", "cancel_by")
    )
    if not capacity:
        problems["capacity"] = NO_CAPACITY
    elif capacity < bookings.confirmed:
        problems["capacity"] = f"{_places(bookings.confirmed)}; capacity cannot be lower"
    if cap and capacity and cap > capacity:
        problems["cap_per_provider"] = CAP_ABOVE_CAPACITY
    if starts_at and closes and closes > starts_at:
        problems["bookings_close_at"] = CLOSES_AFTER_START
    if opens and closes and opens >= closes:
        problems["bookings_open_at"] = OPENS_AFTER_CLOSE
    if starts_at and cancel_by and cancel_by > starts_at:
        problems["cancel_by"] = CANCEL_BY_AFTER_START
    return problems


def activity_problems(
    *, activity: Activity | None, values: Mapping[str, Any], bookings: BookingCounts | None = None
) -> dict[str | None, str]:
    """Every rule `values` would break, by field; `activity` is None when adding one to the plan."""
    now = timezone.now()
    adding = activity is None
    problems = _time_problems(values, adding=adding, now=now)
    if not any(values.get(tier) for tier in ("for_tier_one", "for_tier_two", "for_tier_three")):
        problems["tiers"] = NO_TIER
    if values.get("kind") != Activity.Kind.NEWSLETTER and not (
        values.get("place") or values.get("online_link")
    ):
        problems["place"] = NO_PLACE
    reason = (values.get("ad_hoc_reason") or "").strip()
    starts_at = values.get("starts_at")
    ad_hoc = activity.is_ad_hoc if activity else bool(starts_at and starts_at < ad_hoc_cutoff(now))
    if ad_hoc and not reason:
        problems["ad_hoc_reason"] = ad_hoc_reason_required()
    if bookings is None:
        bookings = booking_counts(activity) if activity else BookingCounts()
    problems.update(_booking_problems(values, bookings=bookings))
    return problems


def _raise(problems: Mapping[str | None, str]) -> None:
    if problems:
        raise PlanProblems(problems)


def _cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of an activity: {sorted(unknown)}")
    cleaned = dict(values)
    cleaned["ad_hoc_reason"] = (cleaned.get("ad_hoc_reason") or "").strip()
    if not cleaned.get("takes_bookings"):
        cleaned.update(dict.fromkeys(_BOOKING_FIELDS))
    return cleaned


def activity_create(
    *,
    created_by,
    areas: Iterable[Area] = (),
    service_types: Iterable[ServiceType] = (),
    **values: Any,
) -> Activity:
    """Add an activity to the plan; it is ad hoc if it starts sooner than the plan's weeks ahead."""
    values = _cleaned(values)
    _raise(activity_problems(activity=None, values=values))
    is_ad_hoc = values["starts_at"] < ad_hoc_cutoff()
    if not is_ad_hoc:
        values["ad_hoc_reason"] = ""
    activity = Activity(**values, is_ad_hoc=is_ad_hoc, created_by=created_by)
    with transaction.atomic():
        entry_save(
            activity,
            by=created_by,
            reason="Added to the forward plan" + (" (ad hoc)" if is_ad_hoc else ""),
            many={"areas": list(areas), "service_types": list(service_types)},
        )
    return activity


def activity_update(
    *,
    activity: Activity,
    changed_by,
    areas: Iterable[Area] = (),
    service_types: Iterable[ServiceType] = (),
    **values: Any,
) -> Activity:
    """Change an activity; when its capacity rises, the waiting list moves up into the new places."""
    from engagement.services.bookings import waiting_list_promote

    values = _cleaned(values)
    with transaction.atomic():
        # Locked, so no place is booked between counting the confirmed places and saving the new capacity.
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status == Activity.Status.CANCELLED:
            raise PlanError(ALREADY_CANCELLED)
        _raise(activity_problems(activity=locked, values=values, bookings=booking_counts(locked)))
        places_before = locked.capacity if locked.takes_bookings else 0
        if not locked.is_ad_hoc:
            values["ad_hoc_reason"] = ""
        for name, value in values.items():
            setattr(locked, name, value)
        entry_save(
            locked,
            by=changed_by,
            reason="Changed in the forward plan",
            many={"areas": list(areas), "service_types": list(service_types)},
        )
        if locked.takes_bookings and (locked.capacity or 0) > (places_before or 0):
            waiting_list_promote(activity=locked)
    return locked


def activity_cancel(*, activity: Activity, cancelled_by, reason: str) -> Activity:
    """Cancel an activity with a reason; everyone with a place or waiting for one is told."""
    from engagement.services.bookings import bookings_cancel_for_activity

    reason = reason.strip()
    if not reason:
        raise PlanError(CANCEL_REASON_REQUIRED, field="reason")
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status == Activity.Status.CANCELLED:
            raise PlanError("This activity was already cancelled")
        if locked.status == Activity.Status.HELD:
            raise PlanError("This activity was held: it cannot be cancelled")
        locked.status = Activity.Status.CANCELLED
        locked.cancellation_reason = reason
        entry_save(
            locked,
            by=cancelled_by,
            reason="Cancelled",
            update_fields=["status", "cancellation_reason", "updated_at"],
        )
        bookings_cancel_for_activity(activity=locked)
    return locked


def ad_hoc_activity_approve(*, activity: Activity, approved_by) -> Activity:
    """The engagement manager accepts an ad hoc activity's reason; once only."""
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if not locked.is_ad_hoc:
            raise PlanError("This activity was in the plan in good time: it needs no approval")
        if locked.ad_hoc_approved_at is not None:
            raise PlanError(
                f"This ad hoc activity was already approved on {date_format(timezone.localtime(locked.ad_hoc_approved_at), 'j F Y')}"
            )
        locked.ad_hoc_approved_by = approved_by
        locked.ad_hoc_approved_at = timezone.now()
        entry_save(
            locked,
            by=approved_by,
            reason="Ad hoc activity approved",
            update_fields=["ad_hoc_approved_by", "ad_hoc_approved_at", "updated_at"],
        )
    return locked
