"""The choice of cycle on the directors' dashboard."""

from django import forms

from portal.select_options import SelectOptionsForm


class DashboardYearForm(SelectOptionsForm):
    """`?year=` one of the cycles with responses; the latest of them when none, or one not offered, is asked."""

    year = forms.TypedChoiceField(
        label="Year",
        coerce=int,
        error_messages={"invalid_choice": "Choose a year from the list", "required": "Choose a year"},
    )

    def __init__(self, data=None, *, years: list[int], **kwargs):
        if data is not None and "year" not in data:
            data = None  # nothing asked: the latest year, not an error
        super().__init__(data, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in reversed(years)]
        if years:
            self.initial["year"] = years[-1]
