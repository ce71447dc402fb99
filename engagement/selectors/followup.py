"""Reads for what happens after an activity: feedback, notes and actions, and "you said, we did"."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from engagement.models import Action, Activity, ActivityNote, Booking, EngagementGroup, Feedback
from portal.permissions import is_council_staff


def you_said_we_did_for(*, group: EngagementGroup, user, today: dt.date | None = None) -> QuerySet:
    """A group's entries, newest published first: published ones for everyone, drafts too for council staff."""
    entries = group.you_said_we_did.select_related("activity").order_by("-published_on", "-created_at", "-pk")
    if is_council_staff(user):
        return entries
    return entries.filter(published_on__lte=today or timezone.localdate())


def you_said_we_did_editable(*, group: EngagementGroup) -> QuerySet:
    return group.you_said_we_did.all()


def activities_of_group(group: EngagementGroup) -> QuerySet:
    """The activities an entry may point at: the group's own, not cancelled, newest first."""
    return group.activities.exclude(status=Activity.Status.CANCELLED).order_by("-starts_at", "-pk")


def activity_has_happened(activity: Activity, *, now: dt.datetime | None = None) -> bool:
    if activity.status == Activity.Status.CANCELLED:
        return False
    return activity.status == Activity.Status.HELD or activity.starts_at <= (now or timezone.now())


def feedback_bookings(*, activity: Activity, user) -> QuerySet:
    """The places the user's organisation held at the activity that may give feedback.

    Only a provider user, only confirmed places not marked absent, only once the activity has happened;
    anything else is empty, which the page turns into a 404.
    """
    provider_id = getattr(user, "provider_organisation_id", None)
    if not provider_id or not activity_has_happened(activity):
        return Booking.objects.none()
    return (
        activity.bookings.filter(provider_id=provider_id, status=Booking.Status.CONFIRMED)
        .exclude(attended=False)
        .select_related("feedback")
        .order_by("attendee_name", "pk")
    )


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None


def feedback_summary(activity: Activity) -> FeedbackSummary:
    totals = Feedback.objects.filter(activity=activity).aggregate(count=Count("pk"), average=Avg("rating"))
    return FeedbackSummary(count=totals["count"], average=totals["average"])


def feedback_comments(activity: Activity) -> QuerySet:
    """Feedback that says something beyond the rating, newest first."""
    return (
        Feedback.objects.filter(activity=activity)
        .exclude(Q(useful="") & Q(improve=""))
        .select_related("booking__provider")
        .order_by("-created_at", "-pk")
    )


def activity_note(activity: Activity) -> ActivityNote | None:
    return ActivityNote.objects.filter(activity=activity).select_related("written_by").first()


def activity_actions(activity: Activity) -> QuerySet:
    """Open actions first, soonest due first."""
    return (
        Action.objects.filter(activity=activity)
        .select_related("owner")
        .order_by(F("done_on").asc(nulls_first=True), "due_on", "pk")
    )


def activity_for_followup() -> QuerySet:
    return Activity.objects.select_related("group", "facilitator")
