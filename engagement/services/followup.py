"""After an activity: attendees' feedback, the notes and actions, and what the council did about what was said.

Feedback is given once per booking, by a user of the provider that held the place, once the activity has happened.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import Officer
from engagement.models import (
    Action,
    Activity,
    ActivityNote,
    Booking,
    EngagementGroup,
    Feedback,
    YouSaidWeDid,
)
from engagement.selectors.followup import activity_has_happened
from portal.service_errors import ServiceError

ALREADY_GIVEN = "Feedback has already been given for this place"
NOT_YET_HAPPENED = "You can give feedback once the activity has happened"
CANCELLED = "This activity was cancelled"
ANSWER_NEEDED_TO_PUBLISH = "Enter what the council did before you publish this entry"
ACTIVITY_NOT_IN_GROUP = "Choose an activity of this group"
DUE_DATE_TOO_EARLY = "The due date must be on or after the day of the activity"


class FollowupError(ServiceError):
    """A follow-up that cannot be recorded."""


def feedback_give(*, booking: Booking, by, rating: int, useful: str = "", improve: str = "") -> Feedback:
    """Record an attendee's feedback on a place their organisation held."""
    if by.provider_organisation_id != booking.provider_id:
        raise FollowupError("You can only give feedback on your own organisation's places")
    if booking.status != Booking.Status.CONFIRMED or booking.attended is False:
        raise FollowupError("Feedback can only be given for a place that was taken up")
    if not activity_has_happened(booking.activity):
        raise FollowupError(
            CANCELLED if booking.activity.status == Activity.Status.CANCELLED else NOT_YET_HAPPENED
        )
    if rating not in Feedback.Rating.values:
        raise FollowupError("Choose a rating from 1 to 5", field="rating")
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                booking=booking,
                activity_id=booking.activity_id,
                rating=rating,
                useful=useful.strip(),
                improve=improve.strip(),
                given_by=by,
            )
    except IntegrityError as error:
        raise FollowupError(ALREADY_GIVEN, field="booking") from error


def _check_open(activity: Activity) -> None:
    if activity.status == Activity.Status.CANCELLED:
        raise FollowupError(CANCELLED)


def activity_note_save(*, activity: Activity, by, notes: str) -> ActivityNote:
    """Write or rewrite the record of what was discussed; the latest writer is kept."""
    _check_open(activity)
    with transaction.atomic():
        note, _ = ActivityNote.objects.select_for_update().get_or_create(
            activity=activity, defaults={"notes": notes, "written_by": by}
        )
        if note.notes != notes or note.written_by_id != getattr(by, "pk", None):
            note.notes, note.written_by = notes, by
            note.save(update_fields=["notes", "written_by", "updated_at"])
    return note


def action_add(*, activity: Activity, by, description: str, owner: Officer, due_on: dt.date) -> Action:
    _check_open(activity)
    if due_on < timezone.localtime(activity.starts_at).date():
        raise FollowupError(DUE_DATE_TOO_EARLY, field="due_on")
    with transaction.atomic():
        return Action.objects.create(activity=activity, description=description, owner=owner, due_on=due_on)


def action_mark_done(*, action: Action, by, done: bool = True) -> Action:
    """Mark an action done today, or open again."""
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        action.done_on = timezone.localdate() if done else None
        action.save(update_fields=["done_on", "updated_at"])
    return action


def you_said_we_did_save(
    *,
    group: EngagementGroup,
    by,
    you_said: str,
    we_did: str = "",
    activity: Activity | None = None,
    published_on: dt.date | None = None,
    entry: YouSaidWeDid | None = None,
) -> YouSaidWeDid:
    """Add an entry, or change one; it is public from its publish date, and only with an answer."""
    if activity is not None and activity.group_id != group.pk:
        raise FollowupError(ACTIVITY_NOT_IN_GROUP, field="activity")
    if published_on is not None and not we_did.strip():
        raise FollowupError(ANSWER_NEEDED_TO_PUBLISH, field="we_did")
    with transaction.atomic():
        if entry is None:
            entry = YouSaidWeDid(group=group)
        else:
            entry = YouSaidWeDid.objects.select_for_update().get(pk=entry.pk, group=group)
        entry.you_said, entry.we_did = you_said.strip(), we_did.strip()
        entry.activity, entry.published_on = activity, published_on
        entry.save()
    return entry
