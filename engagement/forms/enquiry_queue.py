"""The enquiry queue's filters and the enquiry figures' months, both asked by GET.

Their templates write the selects out (portal/select_options.py) rather than rendering them through widgets: both
pages are timed by the benchmark.
"""

import datetime as dt

from django import forms
from django.utils.formats import date_format

from engagement.selectors.enquiry_figures import FIGURES_MONTHS, MONTHS_OFFERED
from engagement.selectors.enquiry_queue import STATUS_CHOICES
from engagement.selectors.plan import month_start
from portal.select_options import SelectOptionsForm


def _choose(what: str) -> dict:
    return {"invalid_choice": f"Choose {what} from the list"}


class EnquiryQueueFilterForm(SelectOptionsForm):
    """Narrow a queue by topic, area and status; `choices` holds the topics and areas (question_choices)."""

    topic = forms.ChoiceField(label="Topic", required=False, error_messages=_choose("a topic"))
    area = forms.ChoiceField(label="Area", required=False, error_messages=_choose("an area"))
    status = forms.ChoiceField(
        label="Status", required=False, choices=STATUS_CHOICES, error_messages=_choose("a status")
    )

    def __init__(self, *args, choices: dict[str, list], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "All topics"), *_named(choices["topic"])]
        self.fields["area"].choices = [("", "All areas"), *_named(choices["area"])]

    @property
    def filters(self) -> dict[str, str]:
        """The valid filters chosen; one that is not valid is shown as an error and left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def _named(records: list) -> list[tuple[str, str]]:
    return [(record.slug, record.name) for record in records]


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    months = (month_start(today, -offset) for offset in range(MONTHS_OFFERED))
    return [(month.strftime("%Y-%m"), date_format(month, "F Y")) for month in months]


class FiguresMonthsForm(SelectOptionsForm):
    """The months the figures cover, from and to; by default the last twelve, this month included."""

    start = forms.ChoiceField(
        label="From", error_messages={**_choose("a month"), "required": "Choose a month"}
    )
    end = forms.ChoiceField(label="To", error_messages={**_choose("a month"), "required": "Choose a month"})

    def __init__(self, data=None, *, today: dt.date, **kwargs):
        self.today = today
        if data is not None and not ({"start", "end"} & set(data)):
            data = None  # nothing asked: the default months, not two errors
        super().__init__(data, initial=self.default_months(), **kwargs)
        choices = month_choices(today)
        self.fields["start"].choices = choices
        self.fields["end"].choices = choices

    def default_months(self) -> dict[str, str]:
        return {
            "start": month_start(self.today, 1 - FIGURES_MONTHS).strftime("%Y-%m"),
            "end": month_start(self.today).strftime("%Y-%m"),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", "The last month must be the same as or after the first month")
        return cleaned

    @property
    def months(self) -> tuple[dt.date, dt.date]:
        """The first and last months chosen, or the default ones when the choice is not valid."""
        chosen = self.cleaned_data if self.is_bound and self.is_valid() else self.default_months()
        return tuple(dt.date.fromisoformat(f"{chosen[name]}-01") for name in ("start", "end"))
