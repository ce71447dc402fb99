"""Demo records around the groups: terms of reference, maturity, "you said, we did", notes, actions and feedback.

Runs after the forward plan and the bookings are seeded. Most groups get current terms; one gets terms overdue
for review and one none at all. Each record is only added where its kind is still missing, so a second run adds
nothing. Dates are counted from today, so the demo always looks current.
"""

import datetime as dt
import zlib

from django.db.models import Exists, OuterRef
from django.utils import timezone

from directory.models import Officer
from engagement.models import (
    Action,
    Activity,
    ActivityNote,
    Booking,
    EngagementGroup,
    Feedback,
    MaturityAssessment,
    TermsOfReference,
    YouSaidWeDid,
)

_MEMBERSHIP = "Providers serving the area, the council's commissioners and contract managers; the chair is a council officer."
_DECISIONS = (
    "By consensus. Where there is none, the chair records the different views and takes them to the council."
)
_QUORUM = "Meets as set out above; quorate with the chair and five providers."

_YOU_SAID = [
    (
        "Invoices for home care visits are paid late when a care plan changes mid-month.",
        "Provider Payments now pays changed care plans in the same weekly run, and publishes the run dates.",
    ),
    (
        "Hospital discharges arrive on Friday afternoons without the care plan.",
        "The discharge team agreed to send care plans with every referral and to avoid Friday afternoon starts.",
    ),
    (
        "It is hard to know who to contact about safeguarding outside office hours.",
        "The who's-who now lists the out-of-hours safeguarding line on every safeguarding lead's page.",
    ),
    (
        "Training on the new assessment framework clashes with rota changes.",
        "Sessions are now repeated in the morning and the evening, and recorded.",
    ),
    (
        "Providers want a say in the fee uplift before it is decided.",
        "",
    ),
]
_NOTES = (
    "Welcome and apologies. Updates from the council on commissioning plans and the market position statement. "
    "Providers raised workforce pressures and payment timings. Actions agreed below."
)
_ACTIONS = [
    "Circulate the slides and the commissioning timetable to members",
    "Bring figures on payment timings to the next meeting",
]
_FEEDBACK = [
    (5, "Hearing the commissioning plans early.", ""),
    (4, "Meeting other providers in the area.", "More time for questions."),
    (3, "", "Send papers a week before."),
    (4, "The update on payments.", ""),
]
_RATINGS = [(1, 2, 1, 1, 2), (2, 2, 3, 2, 2), (3, 3, 2, 3, 3), (2, 3, 3, 2, 2)]


def seed_group_records(*, scale: int) -> dict[str, int]:
    """Add what is missing; `scale` is accepted for symmetry: the volumes follow the plan's groups and activities."""
    today = timezone.localdate()
    groups = list(EngagementGroup.objects.select_related("chair").order_by("slug"))
    past = list(_past_activities())
    return {
        "terms of reference": _seed_terms(groups, today),
        "maturity assessments": _seed_maturity(groups, today),
        "you said we did entries": _seed_you_said_we_did(groups, past, today),
        **_seed_notes_and_actions(past, today),
        "feedback": _seed_feedback(),
    }


def _past_activities():
    return (
        Activity.objects.filter(starts_at__lt=timezone.now())
        .exclude(status=Activity.Status.CANCELLED)
        .exclude(kind=Activity.Kind.NEWSLETTER)
        .select_related("group__chair", "facilitator")
        .order_by("starts_at", "title", "pk")
    )


def _terms(
    group: EngagementGroup, *, version: int, approved_on: dt.date, review_on: dt.date
) -> TermsOfReference:
    return TermsOfReference(
        group=group,
        version=version,
        purpose=group.purpose,
        membership=_MEMBERSHIP,
        decision_making=_DECISIONS,
        frequency_and_quorum=f"{group.get_meeting_frequency_display()}. {_QUORUM}",
        approved_on=approved_on,
        review_on=review_on,
    )


def _seed_terms(groups: list[EngagementGroup], today: dt.date) -> int:
    """Current terms for most groups (some on their second version); the last but one overdue, the last none."""
    having = set(TermsOfReference.objects.values_list("group_id", flat=True).distinct())
    missing = groups[-1] if len(groups) >= 3 else None
    overdue = groups[-2] if len(groups) >= 3 else None
    terms = []
    for index, group in enumerate(groups):
        if group.pk in having or group == missing:
            continue
        if group == overdue:
            approved = today - dt.timedelta(days=430)
            terms.append(
                _terms(group, version=1, approved_on=approved, review_on=approved + dt.timedelta(days=365))
            )
            continue
        approved = today - dt.timedelta(days=30 + (index * 37) % 300)
        if index % 3 == 0:
            first = approved - dt.timedelta(days=365)
            terms.append(
                _terms(group, version=1, approved_on=first, review_on=first + dt.timedelta(days=365))
            )
        terms.append(
            _terms(
                group,
                version=2 if index % 3 == 0 else 1,
                approved_on=approved,
                review_on=approved + dt.timedelta(days=365),
            )
        )
    return len(TermsOfReference.objects.bulk_create(terms))


def _seed_maturity(groups: list[EngagementGroup], today: dt.date) -> int:
    """Two assessments a year apart, the later one usually a step up."""
    assessed = set(MaturityAssessment.objects.values_list("group_id", flat=True).distinct())
    assessments = []
    for index, group in enumerate(groups):
        if group.pk in assessed:
            continue
        latest = today - dt.timedelta(days=10 + index % 60)
        earlier = _RATINGS[index % len(_RATINGS)]
        later = tuple(min(4, rating + (index + position) % 2) for position, rating in enumerate(earlier))
        for on, ratings in ((latest - dt.timedelta(days=365), earlier), (latest, later)):
            assessments.append(
                MaturityAssessment(
                    group=group,
                    assessed_on=on,
                    notes=""
                    if ratings is earlier
                    else "Attendance is steadier; providers now add items to the agenda.",
                    **dict(zip(MaturityAssessment.CRITERIA, ratings, strict=True)),
                )
            )
    return len(MaturityAssessment.objects.bulk_create(assessments))


def _seed_you_said_we_did(groups: list[EngagementGroup], past: list[Activity], today: dt.date) -> int:
    """Up to three entries a group, from its latest past meetings: published three weeks on, the last a draft."""
    having = set(YouSaidWeDid.objects.values_list("group_id", flat=True).distinct())
    by_group: dict[int, list[Activity]] = {}
    for activity in past:
        if activity.group_id:
            by_group.setdefault(activity.group_id, []).append(activity)
    entries = []
    for index, group in enumerate(groups):
        if group.pk in having:
            continue
        meetings = by_group.get(group.pk, [])[-3:]
        for number, activity in enumerate(meetings):
            you_said, we_did = _YOU_SAID[(index + number) % len(_YOU_SAID)]
            published_on = timezone.localtime(activity.starts_at).date() + dt.timedelta(days=21)
            publish = bool(we_did) and published_on <= today and number < len(meetings) - 1
            entries.append(
                YouSaidWeDid(
                    group=group,
                    activity=activity,
                    you_said=you_said,
                    we_did=we_did,
                    published_on=published_on if publish else None,
                )
            )
    return len(YouSaidWeDid.objects.bulk_create(entries))


def _seed_notes_and_actions(past: list[Activity], today: dt.date) -> dict[str, int]:
    """Notes and two actions for every past activity that has no notes yet; most actions due by now are done."""
    noted = set(ActivityNote.objects.values_list("activity_id", flat=True))
    fallback = list(Officer.objects.order_by("email").values_list("pk", flat=True)[:50])
    notes, actions = [], []
    for index, activity in enumerate(past):
        if activity.pk in noted:
            continue
        owner_id = activity.facilitator_id or (activity.group.chair_id if activity.group else None)
        owner_id = owner_id or (fallback[index % len(fallback)] if fallback else None)
        if owner_id is None:
            continue
        notes.append(ActivityNote(activity=activity, notes=_NOTES))
        held_on = timezone.localtime(activity.starts_at).date()
        for number, description in enumerate(_ACTIONS):
            due_on = held_on + dt.timedelta(days=14 * (number + 1))
            done = due_on < today and (index + number) % 4 != 0
            actions.append(
                Action(
                    activity=activity,
                    description=description,
                    owner_id=owner_id,
                    due_on=due_on,
                    done_on=due_on - dt.timedelta(days=2) if done else None,
                )
            )
    return {
        "activity notes": len(ActivityNote.objects.bulk_create(notes)),
        "actions": len(Action.objects.bulk_create(actions)),
    }


def _seed_feedback() -> int:
    """Feedback from two in three attendees of past activities who have given none."""
    bookings = (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            activity__starts_at__lt=timezone.now(),
        )
        .exclude(attended=False)
        .exclude(activity__status=Activity.Status.CANCELLED)
        .filter(~Exists(Feedback.objects.filter(booking=OuterRef("pk"))))
        .order_by("activity__starts_at", "activity_id", "attendee_email")
        .only("pk", "activity_id", "attendee_email")
    )
    feedback = []
    for booking in bookings:
        # Chosen by the attendee, not by position, so that a second run skips the same people again.
        choice = zlib.crc32(booking.attendee_email.lower().encode())
        if choice % 3 == 2:
            continue
        rating, useful, improve = _FEEDBACK[choice % len(_FEEDBACK)]
        feedback.append(
            Feedback(
                booking=booking,
                activity_id=booking.activity_id,
                rating=rating,
                useful=useful,
                improve=improve,
            )
        )
    return len(Feedback.objects.bulk_create(feedback))
