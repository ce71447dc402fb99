"""Forms of GET filters on timed list pages, whose selects are written out rather than rendered through widgets.

Their templates include templates/directory/search/fields/{select,text}.html with the form's `options`: rendering
the same fields through crispy-forms' templates costs a list page several times more than its rows.
"""

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe


class SelectOptionsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()

    @cached_property
    def options(self) -> dict[str, str]:
        """Each select's <option> elements, the chosen one selected."""
        return {name: self._options(name) for name, field in self.fields.items() if hasattr(field, "choices")}

    def _options(self, name: str) -> str:
        chosen = str(self[name].value() or "")
        return mark_safe(  # noqa: S308 - every value and label is escaped
            "".join(
                f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>{escape(label)}</option>'
                for value, label in self.fields[name].choices
            )
        )
