"""After an activity: attendees' feedback, officers' notes and actions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.tests.factories import OfficerFactory
from engagement.models import Action, Activity, ActivityNote, Booking, Feedback
from engagement.services.followup import ALREADY_GIVEN, FollowupError, action_add, feedback_give
from engagement.tests.factories import ActivityFactory, BookingFactory
from engagement.tests.factories_groups import ActionFactory, FeedbackFactory, held_activity
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


@pytest.fixture
def held(users):
    """A forum held last week where provider A had one confirmed place."""
    activity = held_activity(title="Mid forum, November")
    booking = BookingFactory(activity=activity, provider=users["provider_a"].provider_organisation)
    return activity, booking


# Feedback


def test_an_attendees_provider_gives_feedback_once_per_place(client, users, held):
    activity, booking = held
    client = _client(client, users["provider_a"])
    url = reverse("engagement:activity-feedback", args=[activity.pk])

    response = client.post(url, {"booking": booking.pk, "rating": "4", "useful": "The payments update."})

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.booking, feedback.activity, feedback.rating, feedback.given_by) == (
        booking,
        activity,
        4,
        users["provider_a"],
    )
    page = client.get(url).content.decode()
    assert "Thank you" in page
    assert "Send feedback" not in page


def test_feedback_cannot_be_given_twice_for_the_same_place(users, held):
    _, booking = held
    feedback_give(booking=booking, by=users["provider_a"], rating=5)

    with pytest.raises(FollowupError, match=ALREADY_GIVEN):
        feedback_give(booking=booking, by=users["provider_a"], rating=1)

    assert Feedback.objects.get().rating == 5


def test_a_provider_with_several_places_chooses_who_gives_feedback(client, users, held):
    activity, booking = held
    second = BookingFactory(
        activity=activity, provider=users["provider_a"].provider_organisation, attendee_name="Sam Second"
    )
    FeedbackFactory(booking=booking)

    response = _client(client, users["provider_a"]).get(
        reverse("engagement:activity-feedback", args=[activity.pk])
    )

    assert list(response.context["form"].fields["booking"].queryset) == [second]
    assert "Sam Second" in response.content.decode()


def test_an_empty_feedback_form_shows_an_error_summary(client, users, held):
    activity, _ = held

    response = _client(client, users["provider_a"]).post(
        reverse("engagement:activity-feedback", args=[activity.pk]), {}
    )

    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Choose a rating from 1 to 5" in content
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("role", ["provider_b", "officer", "manager"])
def test_anyone_but_the_attendees_provider_gets_a_404(client, users, held, role):
    activity, _ = held

    response = _client(client, users[role]).get(reverse("engagement:activity-feedback", args=[activity.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("activity_changes", "booking_changes"),
    [
        pytest.param({"starts_at": "future", "status": Activity.Status.CONFIRMED}, {}, id="not yet held"),
        pytest.param({"status": Activity.Status.CANCELLED}, {}, id="cancelled"),
        pytest.param({}, {"attended": False}, id="marked absent"),
        pytest.param({}, {"status": Booking.Status.WAITING}, id="on the waiting list"),
    ],
)
def test_no_feedback_without_a_place_taken_up_at_an_activity_that_happened(
    client, users, held, activity_changes, booking_changes
):
    activity, booking = held
    if activity_changes.pop("starts_at", None) == "future":
        activity.starts_at = timezone.now() + dt.timedelta(days=3)
        activity.ends_at = activity.starts_at + dt.timedelta(hours=2)
    for name, value in activity_changes.items():
        setattr(activity, name, value)
    activity.save()
    Booking.objects.filter(pk=booking.pk).update(**booking_changes)

    response = _client(client, users["provider_a"]).get(
        reverse("engagement:activity-feedback", args=[activity.pk])
    )

    assert response.status_code == 404


def test_a_provider_user_cannot_give_feedback_on_another_providers_place(users, held):
    _, booking = held

    with pytest.raises(FollowupError, match="your own organisation"):
        feedback_give(booking=booking, by=users["provider_b"], rating=3)


# Notes and actions


def test_an_officer_writes_the_notes_and_rewrites_them(client, users, held):
    activity, _ = held
    client = _client(client, users["officer"])
    url = reverse("engagement:activity-notes", args=[activity.pk])

    client.post(url, {"form": "notes", "notes": "First draft."})
    client.post(url, {"form": "notes", "notes": "Agreed notes."})

    note = ActivityNote.objects.get()
    assert (note.activity, note.notes, note.written_by) == (activity, "Agreed notes.", users["officer"])
    assert client.get(url).context["notes_form"].initial["notes"] == "Agreed notes."


def test_an_officer_adds_an_action_with_an_owner_and_due_date_and_marks_it_done(client, users, held):
    activity, _ = held
    owner = OfficerFactory(full_name="Olu Owner")
    client = _client(client, users["officer"])
    url = reverse("engagement:activity-notes", args=[activity.pk])
    due = timezone.localdate() + dt.timedelta(days=14)

    client.post(
        url, {"form": "action", "description": "Send the slides", "owner": owner.pk, **_date("due_on", due)}
    )
    action = Action.objects.get()
    assert (action.description, action.owner, action.due_on, action.done_on) == (
        "Send the slides",
        owner,
        due,
        None,
    )
    assert "Olu Owner" in client.get(url).content.decode()

    client.post(url, {"form": "done", "action": action.pk})
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()

    client.post(url, {"form": "done", "action": action.pk, "done": "no"})
    action.refresh_from_db()
    assert action.done_on is None


def test_an_action_without_an_owner_or_date_shows_an_error_summary(client, users, held):
    activity, _ = held

    response = _client(client, users["officer"]).post(
        reverse("engagement:activity-notes", args=[activity.pk]),
        {"form": "action", "description": "Something"},
    )

    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Choose who owns the action" in content
    assert "Enter the date the action is due" in content
    assert not Action.objects.exists()


def test_an_action_cannot_be_due_before_the_activity(users, held):
    activity, _ = held

    with pytest.raises(FollowupError) as error:
        action_add(
            activity=activity,
            by=users["officer"],
            description="Too early",
            owner=OfficerFactory(),
            due_on=timezone.localdate() - dt.timedelta(days=30),
        )

    assert error.value.field == "due_on"


def test_an_action_of_another_activity_cannot_be_marked_done_here(client, users, held):
    activity, _ = held
    elsewhere = ActionFactory()

    response = _client(client, users["officer"]).post(
        reverse("engagement:activity-notes", args=[activity.pk]), {"form": "done", "action": elsewhere.pk}
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.done_on is None


def test_the_notes_page_summarises_feedback(client, users, held):
    activity, booking = held
    FeedbackFactory(booking=booking, rating=5, useful="Hearing the plans early.")
    other = BookingFactory(activity=activity)
    FeedbackFactory(booking=other, rating=2, improve="Send papers sooner.")

    response = _client(client, users["officer"]).get(reverse("engagement:activity-notes", args=[activity.pk]))

    summary = response.context["summary"]
    assert (summary.count, summary.average) == (2, 3.5)
    content = response.content.decode()
    assert "3.5 out of 5" in content
    assert "Hearing the plans early." in content
    assert "Send papers sooner." in content


def test_a_director_reads_the_notes_but_may_not_write_them(client, users, held):
    activity, _ = held
    ActivityNote.objects.create(activity=activity, notes="What we discussed.")
    client = _client(client, users["director"])
    url = reverse("engagement:activity-notes", args=[activity.pk])

    page = client.get(url)
    refused = client.post(url, {"form": "notes", "notes": "Changed."})

    assert page.status_code == 200
    assert "What we discussed." in page.content.decode()
    assert "Save notes" not in page.content.decode()
    assert refused.status_code == 403
    assert ActivityNote.objects.get().notes == "What we discussed."


def test_providers_may_not_see_the_notes(client, users, held):
    activity, _ = held

    response = _client(client, users["provider_a"]).get(
        reverse("engagement:activity-notes", args=[activity.pk])
    )

    assert response.status_code == 403


def test_notes_cannot_be_written_for_a_cancelled_activity(client, users):
    activity = ActivityFactory(status=Activity.Status.CANCELLED, cancellation_reason="Venue closed")

    response = _client(client, users["officer"]).post(
        reverse("engagement:activity-notes", args=[activity.pk]), {"form": "notes", "notes": "Notes."}
    )

    assert "This activity was cancelled" in response.content.decode()
    assert not ActivityNote.objects.exists()


def test_a_provider_user_of_the_same_organisation_may_give_feedback_for_a_colleague(client, held):
    activity, booking = held
    colleague = ProviderUserFactory(provider_organisation=booking.provider)

    response = _client(client, colleague).post(
        reverse("engagement:activity-feedback", args=[activity.pk]), {"booking": booking.pk, "rating": "3"}
    )

    assert response.status_code == 302
    assert Feedback.objects.get().given_by == colleague
