"""django-filter FilterSets: what the commissioning intentions can be narrowed by."""

import django_filters

from market.forms.pages import IntentionFilterForm
from market.models import CommissioningIntention
from market.selectors import pages as selectors


def _choose(what: str) -> dict:
    return {"invalid_choice": f"Choose {what} from the list"}


class IntentionFilter(django_filters.FilterSet):
    service_type = django_filters.ChoiceFilter(
        label="Type of service",
        field_name="service_type__slug",
        empty_label="All types of service",
        error_messages=_choose("a type of service"),
    )
    area = django_filters.ChoiceFilter(
        label="Area", method="filter_area", empty_label="All areas", error_messages=_choose("an area")
    )
    direction = django_filters.ChoiceFilter(
        label="What the council intends",
        choices=CommissioningIntention.Direction.choices,
        empty_label="Anything",
        error_messages=_choose("what the council intends"),
    )

    class Meta:
        model = CommissioningIntention
        fields = ["service_type", "area", "direction"]
        form = IntentionFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once here, as lists, so that showing and checking a choice costs no further query.
        for name, choices in selectors.filter_choices().items():
            self.filters[name].extra["choices"] = choices

    def filter_area(self, queryset, name, value):
        return selectors.intentions_in_area(queryset, value)
