"""The who's-who search form and the "Who do I contact about…?" finder.

Their templates write the GOV.UK fields out (templates/directory/search/fields/) rather than rendering them
through crispy-forms-gds: both pages are timed by the benchmark, and widget rendering cost more than the rest of
the page together. The crispy helper remains for the shared error summary.
"""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from directory.selectors import finder


class OfficerSearchForm(forms.Form):
    """The form of the who's-who search; django-filter adds its fields (see directory/filters.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()

    @cached_property
    def options(self) -> dict[str, str]:
        """Each list's <option> elements, the chosen one selected.

        Joined here as one string per list: the forty-odd options cost a fraction of what they cost written out
        one by one by the template.
        """
        return {name: self._options(name) for name, field in self.fields.items() if hasattr(field, "choices")}

    def _options(self, name: str) -> str:
        chosen = str(self[name].value() or "")
        return mark_safe(  # noqa: S308 - every value and label is escaped
            "".join(
                f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>{escape(label)}</option>'
                for value, label in self.fields[name].choices
            )
        )


class ReferenceChoiceField(forms.ChoiceField):
    """One of a short list of reference records (a topic, an area, a service type), chosen by its slug."""

    widget = forms.RadioSelect

    def load(self, records: list) -> None:
        self.records = {record.slug: record for record in records}
        self.choices = [
            Choice(record.slug, record.name, hint=getattr(record, "description", "")) for record in records
        ]

    def clean(self, value):
        return self.records.get(super().clean(value))


class ContactFinderForm(forms.Form):
    """Who do I contact about… a topic, in an area, for a type of service."""

    topic = ReferenceChoiceField(
        label="What is your question about?",
        error_messages={
            "required": "Choose what your question is about",
            "invalid_choice": "Choose what your question is about from the list",
        },
    )
    area = ReferenceChoiceField(
        label="Which area is the service in?",
        error_messages={
            "required": "Choose the area the service is in",
            "invalid_choice": "Choose the area the service is in from the list",
        },
    )
    service_type = ReferenceChoiceField(
        label="What type of service is it?",
        error_messages={
            "required": "Choose the type of service",
            "invalid_choice": "Choose the type of service from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, records in finder.question_choices().items():
            self.fields[name].load(records)
        self.helper = FormHelper()
