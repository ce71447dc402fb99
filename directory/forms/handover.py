"""The handover form: who takes over an officer's duties, and from when."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from directory.models import Officer


class GovukDateField(DateInputField):
    """A GOV.UK date input whose messages say what to fix."""

    def __init__(self, *, required_message: str, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.update({"required": required_message, "incomplete": required_message})
        for field, name in zip(self.fields, ("day", "month", "year"), strict=True):
            field.validators[0].message = f"The {name} must be a number"

    def compress(self, data_list) -> date | None:
        try:
            return super().compress(data_list)
        except ValidationError as error:
            raise ValidationError("Enter a real date, like 27 3 2026", code="invalid") from error


class SuccessorField(forms.ModelChoiceField):
    def label_from_instance(self, officer: Officer) -> str:
        return f"{officer.full_name}, {officer.job_title}"


class HandoverForm(forms.Form):
    successor = SuccessorField(
        label="Who takes over their duties?",
        queryset=Officer.objects.none(),
        error_messages={
            "required": "Choose the officer who takes over",
            "invalid_choice": "Choose an officer from the list",
        },
    )
    effective_on = GovukDateField(
        label="From when?",
        help_text=(
            "The leaving officer’s last day in post and the day providers are told of the change. "
            "Their duties move as soon as you confirm. For example, 27 3 2026"
        ),
        required_message="Enter the date the successor takes over",
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, why the officer is leaving or anything the successor should know.",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, successors, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("effective_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        # Any officer is accepted here, so that the handover's own rules (not themself, still in post) give the
        # error; the list offers only those who may take over.
        field = self.fields["successor"]
        field.queryset = Officer.objects.all()
        field.widget.choices = [("", "Choose an officer")] + [
            (officer.pk, field.label_from_instance(officer)) for officer in successors
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's own <form> holds the CSRF token
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("successor"),
            Field("effective_on"),
            Field.textarea("note", rows=4),
            Button.warning("submit", "Hand over duties"),
        )
