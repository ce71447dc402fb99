"""django-filter FilterSets: what the register of partnership pilots can be narrowed by."""

import django_filters

from partnerships.forms.pilots import RegisterFilterForm
from partnerships.models import PartnershipPilot, Stage, StrategicReason
from partnerships.selectors import register as selectors


def _choose(what: str) -> dict:
    return {"invalid_choice": f"Choose {what} from the list"}


class RegisterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Title, aim or partner", method="filter_words", max_length=200)
    stage = django_filters.ChoiceFilter(
        label="Stage", choices=Stage.choices, empty_label="All stages", error_messages=_choose("a stage")
    )
    area = django_filters.ChoiceFilter(
        label="Area", method="filter_area", empty_label="All areas", error_messages=_choose("an area")
    )
    service_type = django_filters.ChoiceFilter(
        label="Type of service",
        method="filter_service_type",
        empty_label="All types of service",
        error_messages=_choose("a type of service"),
    )
    reason = django_filters.ChoiceFilter(
        label="Why it is strategic",
        choices=StrategicReason.Reason.choices,
        method="filter_reason",
        empty_label="Any reason",
        error_messages=_choose("a reason"),
    )

    class Meta:
        model = PartnershipPilot
        fields = ["q", "stage", "area", "service_type", "reason"]
        form = RegisterFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once here, as lists, so that showing and checking a choice costs no further query.
        for name, choices in selectors.register_filter_choices().items():
            self.filters[name].extra["choices"] = choices

    def filter_words(self, queryset, name, value):
        return selectors.pilots_matching(queryset, value)

    def filter_area(self, queryset, name, value):
        return selectors.pilots_in(queryset, "areas", value)

    def filter_service_type(self, queryset, name, value):
        return selectors.pilots_in(queryset, "service_types", value)

    def filter_reason(self, queryset, name, value):
        return selectors.pilots_for_reason(queryset, value)
