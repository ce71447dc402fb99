"""Forms of the survey cycles: a cycle's dates, target and reminders; a question; confirming a removal."""

import re

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from directory.forms.editing import GovukDateField
from portal.forms import form_helper
from portal.relationship_themes import RelationshipTheme
from surveys.models import Audience, Question, Questionnaire, Segment, SurveyCycle
from surveys.services.cycles import REMINDER_DAYS, REMINDER_RANGE, SEGMENTS_BY_AUDIENCE, TARGET_RANGE

REMINDER_FORMAT = "Enter {what} as whole numbers separated by commas, like {example}"


def days_text(days) -> str:
    return ", ".join(str(day) for day in days)


class ReminderDaysField(forms.CharField):
    """Whole numbers of days, typed as "7, 14": an empty field means no reminders."""

    def __init__(self, *, what: str, example: str, **kwargs):
        super().__init__(required=False, max_length=100, **kwargs)
        self.what, self.example = what, example

    def to_python(self, value) -> list[int]:
        text = super().to_python(value)
        parts = [part for part in re.split(r"[,\s]+", text) if part]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(REMINDER_FORMAT.format(what=self.what, example=self.example))
        days = [int(part) for part in parts]
        low, high = REMINDER_DAYS
        if any(not low <= day <= high for day in days):
            raise forms.ValidationError(REMINDER_RANGE.format(low=low, high=high))
        return sorted(set(days))

    def prepare_value(self, value):
        return days_text(value) if isinstance(value, list | tuple) else value


class CycleForm(forms.Form):
    """A cycle's dates, response-rate target and reminder days. Its field names are the services' own."""

    year = forms.IntegerField(
        label="Year",
        min_value=2000,
        max_value=2100,
        help_text="Each year has one survey cycle.",
        error_messages={
            "required": "Enter the year of the survey",
            "invalid": "Enter the year as 4 digits, like 2026",
            "min_value": "Enter a year from 2000 to 2100",
            "max_value": "Enter a year from 2000 to 2100",
        },
    )
    opens_on = GovukDateField(
        label="Opening date",
        what="the opening date",
        help_text="The day invitations go out. For example, 1 5 2026",
    )
    closes_on = GovukDateField(
        label="Closing date",
        what="the closing date",
        help_text="The last day to answer. For example, 31 5 2026",
    )
    response_rate_target = forms.IntegerField(
        label="Response rate target (%)",
        help_text="The share of those invited who should answer, from 1 to 100.",
        min_value=1,
        max_value=100,
        error_messages={
            "required": "Enter the response rate target",
            "invalid": "Enter the response rate target as a whole number, like 50",
            "min_value": TARGET_RANGE,
            "max_value": TARGET_RANGE,
        },
    )
    reminder_days_after_opening = ReminderDaysField(
        label="Remind on these days after opening",
        what="the days after opening",
        example="7, 14",
        help_text="Those who have not answered are reminded. Separate the days with commas, like 7, 14.",
    )
    reminder_days_before_closing = ReminderDaysField(
        label="Remind on these days before closing",
        what="the days before closing",
        example="2",
        help_text="Separate the days with commas, like 2. Leave empty for no reminder before closing.",
    )

    def __init__(self, *args, instance: SurveyCycle | None = None, next_year: int | None = None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "opens_on",
                    "closes_on",
                    "response_rate_target",
                    "reminder_days_after_opening",
                    "reminder_days_before_closing",
                )
            }
        else:
            kwargs["initial"] = {
                "year": next_year,
                "response_rate_target": 50,
                "reminder_days_after_opening": [7, 14],
                "reminder_days_before_closing": [2],
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        fields = [
            Field("opens_on"),
            Field("closes_on"),
            Field.text("response_rate_target", field_width=3),
            Field.text("reminder_days_after_opening", field_width=10),
            Field.text("reminder_days_before_closing", field_width=10),
        ]
        if instance is not None:
            del self.fields["year"]
        else:
            fields.insert(0, Field.text("year", field_width=4))
        self.helper = form_helper(*fields, submit="Save cycle" if instance else "Start the cycle")


class QuestionForm(forms.Form):
    """A question: its kind, its wording, and the theme or segment it is about."""

    kind = forms.ChoiceField(
        label="Kind of question",
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of question it is"},
    )
    text = forms.CharField(
        label="Question",
        max_length=500,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter the question",
            "max_length": "The question must be 500 characters or fewer",
        },
    )
    hint = forms.CharField(
        label="Hint (optional)",
        max_length=500,
        required=False,
        help_text="Shown under the question, to help people answer it.",
        error_messages={"max_length": "The hint must be 500 characters or fewer"},
    )
    theme = forms.ChoiceField(
        label="Theme (agreement questions only)",
        choices=[("", "No theme"), *RelationshipTheme.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a theme from the list"},
    )
    segment = forms.ChoiceField(
        label="What it asks about the respondent (those questions only)",
        required=False,
        error_messages={"invalid_choice": "Choose a segment from the list"},
    )
    required = forms.BooleanField(label="An answer is needed to send the response", required=False)

    def __init__(self, *args, questionnaire: Questionnaire, instance: Question | None = None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in ("kind", "text", "hint", "theme", "segment", "required")
            }
        super().__init__(*args, **kwargs)
        segments = SEGMENTS_BY_AUDIENCE[Audience(questionnaire.audience)]
        self.fields["segment"].choices = [("", "None")] + [
            (segment, Segment(segment).label) for segment in segments
        ]
        self.helper = form_helper(
            Field.radios("kind", small=True),
            Field.textarea("text", rows=3),
            Field.text("hint"),
            Fieldset(
                Field.select("theme"),
                Field.select("segment"),
                legend="What the question is about",
                legend_size=Size.SMALL,
            ),
            Field.checkbox("required", small=True),
            submit="Save question",
        )


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button confirms."""

    def __init__(self, *args, submit: str = "Remove question", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit=submit, warning=True)
