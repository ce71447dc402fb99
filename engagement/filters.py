"""django-filter FilterSets: what the forward plan can be narrowed by."""

import datetime as dt
import functools

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from engagement.forms.plan import PlanFilterForm
from engagement.models import Activity
from engagement.selectors import plan as selectors

# How far back and ahead the month list reaches.
MONTHS_BACK = 12
MONTHS_AHEAD = 18
TIER_FIELDS = {"1": "for_tier_one", "2": "for_tier_two", "3": "for_tier_three"}


def _choose(what: str) -> dict:
    return {"invalid_choice": f"Choose {what} from the list"}


def month_choices() -> list[tuple[str, str]]:
    return _month_choices(timezone.localdate())


@functools.lru_cache(maxsize=2)
def _month_choices(today: dt.date) -> list[tuple[str, str]]:
    """Worked out once a day: thirty-odd months' names cost the plan page more than its query."""
    months = (selectors.month_start(today, offset) for offset in range(-MONTHS_BACK, MONTHS_AHEAD + 1))
    return [(month.strftime("%Y-%m"), date_format(month, "F Y")) for month in months]


def _for_every_or(relation: str, slug: str) -> Q:
    """Activities for the one chosen (area or service type), or for every one: none named.

    As two IN lists, which PostgreSQL reads once each, rather than EXISTS, which it asks row by row.
    """
    field = Activity._meta.get_field(relation)
    links = field.remote_field.through.objects.values("activity_id")
    chosen = links.filter(**{f"{field.m2m_reverse_field_name()}__slug": slug})
    return Q(pk__in=chosen) | ~Q(pk__in=links)


class PlanFilter(django_filters.FilterSet):
    """The plan's filters. With no month chosen, the plan runs from today onward."""

    kind = django_filters.ChoiceFilter(
        label="Kind of activity",
        choices=Activity.Kind.choices,
        empty_label="All kinds",
        error_messages=_choose("a kind of activity"),
    )
    area = django_filters.ChoiceFilter(
        label="Area", method="filter_area", empty_label="All areas", error_messages=_choose("an area")
    )
    tier = django_filters.ChoiceFilter(
        label="Open to",
        choices=(("1", "Tier One providers"), ("2", "Tier Two providers"), ("3", "Tier Three providers")),
        method="filter_tier",
        empty_label="All providers",
        error_messages=_choose("a tier of provider"),
    )
    service_type = django_filters.ChoiceFilter(
        label="Type of service",
        method="filter_service_type",
        empty_label="All types of service",
        error_messages=_choose("a type of service"),
    )
    month = django_filters.ChoiceFilter(
        label="Month",
        method="filter_month",
        empty_label="From today",
        error_messages=_choose("a month"),
    )

    class Meta:
        model = Activity
        fields = ["kind", "area", "tier", "service_type", "month"]
        form = PlanFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once here, as lists, so that showing and checking a choice costs no further query.
        for name, choices in selectors.plan_filter_choices().items():
            self.filters[name].extra["choices"] = choices
        self.filters["month"].extra["choices"] = month_choices()

    @property
    def chosen_month(self) -> str:
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("month") or ""
        return ""

    @property
    def qs(self) -> QuerySet:
        # Unbound (no filters asked for), django-filter filters nothing: the plan still starts today.
        if not hasattr(self, "_plan_qs"):
            queryset = super().qs
            if not self.chosen_month:
                queryset = queryset.filter(starts_at__gte=selectors.start_of_today())
            self._plan_qs = queryset
        return self._plan_qs

    def filter_area(self, queryset, name, value):
        return queryset.filter(_for_every_or("areas", value))

    def filter_service_type(self, queryset, name, value):
        return queryset.filter(_for_every_or("service_types", value))

    def filter_tier(self, queryset, name, value):
        return queryset.filter(**{TIER_FIELDS[value]: True})

    def filter_month(self, queryset, name, value):
        first = dt.date.fromisoformat(f"{value}-01")
        after = selectors.month_start(first, 1)
        return queryset.filter(
            starts_at__gte=selectors.start_of(first), starts_at__lt=selectors.start_of(after)
        )
