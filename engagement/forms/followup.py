"""Forms for what happens after an activity: feedback, notes, actions and "you said, we did"."""

from crispy_forms_gds.layout import Field
from django import forms

from directory.forms.editing import GovukDateField, OfficerChoiceField, officers_in_post
from engagement.models import Activity, Booking, EngagementGroup, Feedback
from engagement.selectors.followup import activities_of_group
from engagement.services.followup import ANSWER_NEEDED_TO_PUBLISH
from portal.forms import form_helper


class BookingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Booking) -> str:
        return obj.attendee_name


class FeedbackForm(forms.Form):
    """The short form an attendee fills in; the place is chosen only when the organisation held several."""

    booking = BookingChoiceField(
        queryset=Booking.objects.none(),
        label="Who is giving feedback?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose who is giving feedback",
            "invalid_choice": "Choose who is giving feedback",
        },
    )
    rating = forms.TypedChoiceField(
        label="Overall, how was it?",
        choices=[(value, f"{value} – {label}") for value, label in Feedback.Rating.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating from 1 to 5"},
    )
    useful = forms.CharField(label="What was most useful? (optional)", widget=forms.Textarea, required=False)
    improve = forms.CharField(label="What could be better? (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"].queryset = bookings
        choices = list(bookings)
        fields = [
            Field.radios("rating", small=True),
            Field.textarea("useful", rows=3),
            Field.textarea("improve", rows=3),
        ]
        if len(choices) == 1:
            # One place: nothing to choose.
            self.fields["booking"].initial = choices[0].pk
            self.fields["booking"].widget = forms.HiddenInput()
        else:
            fields.insert(0, Field.radios("booking", small=True))
        self.helper = form_helper(*fields, submit="Send feedback")


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes of the discussion",
        widget=forms.Textarea,
        error_messages={"required": "Enter the notes of the discussion"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("notes", rows=8), submit="Save notes")


class ActionForm(forms.Form):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea,
        error_messages={"required": "Enter what was agreed"},
    )
    owner = OfficerChoiceField(
        queryset=None,
        label="Owner",
        empty_label="Choose an officer",
        error_messages={
            "required": "Choose who owns the action",
            "invalid_choice": "Choose an officer in post",
        },
    )
    due_on = GovukDateField(
        label="Due by", what="the date the action is due", help_text="For example, 27 3 2027"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officers_in_post()
        self.helper = form_helper(
            Field.textarea("description", rows=2),
            Field.select("owner"),
            Field("due_on"),
            submit="Add action",
        )


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.title}, {obj.starts_at:%-d %B %Y}"


class YouSaidWeDidForm(forms.Form):
    you_said = forms.CharField(
        label="You said",
        widget=forms.Textarea,
        help_text="What providers raised, in their words where you can.",
        error_messages={"required": "Enter what providers said"},
    )
    we_did = forms.CharField(
        label="We did (optional until it is published)",
        widget=forms.Textarea,
        required=False,
        help_text="What the council did about it.",
    )
    activity = ActivityChoiceField(
        queryset=Activity.objects.none(),
        required=False,
        label="Raised at (optional)",
        empty_label="Not at one activity",
        error_messages={"invalid_choice": "Choose an activity of this group"},
    )
    published_on = GovukDateField(
        label="Publish on (optional)",
        what="the date to publish the entry",
        required=False,
        help_text="Providers see the entry from this date. Leave empty to keep it as a draft.",
    )

    def __init__(self, *args, group: EngagementGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities_of_group(group)
        self.helper = form_helper(
            Field.textarea("you_said", rows=4),
            Field.textarea("we_did", rows=4),
            Field.select("activity"),
            Field("published_on"),
            submit="Save entry",
        )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("published_on")
            and not cleaned.get("we_did", "").strip()
            and "we_did" not in self.errors
        ):
            self.add_error("we_did", ANSWER_NEEDED_TO_PUBLISH)
        return cleaned
