"""What happens after an activity: attendees' feedback, notes and actions, and "you said, we did"."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.models import TimeStampedModel


class Feedback(TimeStampedModel):
    """An attendee's short feedback on an activity they booked."""

    class Rating(models.IntegerChoices):
        POOR = 1, "Poor"
        FAIR = 2, "Fair"
        GOOD = 3, "Good"
        VERY_GOOD = 4, "Very good"
        EXCELLENT = 5, "Excellent"

    booking = models.OneToOneField("engagement.Booking", on_delete=models.CASCADE, related_name="feedback")
    activity = models.ForeignKey("engagement.Activity", on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    useful = models.TextField("what was most useful", blank=True)
    improve = models.TextField("what could be better", blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["activity", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__range=(1, 5)), name="feedback_rating_1_to_5")
        ]


class ActivityNote(TimeStampedModel):
    """The record of what was discussed at an activity."""

    activity = models.OneToOneField("engagement.Activity", on_delete=models.CASCADE, related_name="note")
    notes = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )


class Action(TimeStampedModel):
    """Something agreed at an activity, with an owner and a due date."""

    activity = models.ForeignKey("engagement.Activity", on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        "directory.Officer", on_delete=models.PROTECT, related_name="engagement_actions"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


class YouSaidWeDid(TimeStampedModel):
    """What providers raised in a group and what the council did about it; public once published."""

    group = models.ForeignKey(
        "engagement.EngagementGroup", on_delete=models.CASCADE, related_name="you_said_we_did"
    )
    activity = models.ForeignKey(
        "engagement.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="you_said_we_did",
    )
    you_said = models.TextField()
    we_did = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group", "-published_on", "-pk"]
        verbose_name = "you said, we did"
        verbose_name_plural = "you said, we did"
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | ~Q(we_did=""),
                name="you_said_we_did_published_with_answer",
            )
        ]
