"""django-filter FilterSet of the lessons library: search text, theme, and the pilot's service type and area."""

import django_filters
from django.db.models import Q, QuerySet

from partnerships.forms.evaluation import LessonFilterForm
from partnerships.models import Lesson, PartnershipPilot
from partnerships.selectors.evaluation import library_filter_choices

SEARCHED_FIELDS = ("title", "what_happened", "do_next_time")


def _choose(what: str) -> dict:
    return {"invalid_choice": f"Choose {what} from the list"}


def _pilots_with(relation: str, slug: str) -> QuerySet:
    """The pilots linked to the chosen area or service type, as a subquery on the link table."""
    field = PartnershipPilot._meta.get_field(relation)
    links = field.remote_field.through.objects.filter(**{f"{field.m2m_reverse_field_name()}__slug": slug})
    return links.values(f"{field.m2m_field_name()}_id")


class LessonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search lessons",
        method="filter_text",
        help_text="Words from the title, what happened or what to do next time.",
    )
    theme = django_filters.ChoiceFilter(
        label="Theme",
        choices=Lesson.Theme.choices,
        empty_label="All themes",
        error_messages=_choose("a theme"),
    )
    service_type = django_filters.ChoiceFilter(
        label="Type of service",
        method="filter_service_type",
        empty_label="All types of service",
        error_messages=_choose("a type of service"),
    )
    area = django_filters.ChoiceFilter(
        label="Area", method="filter_area", empty_label="All areas", error_messages=_choose("an area")
    )

    class Meta:
        model = Lesson
        fields = ["q", "theme", "service_type", "area"]
        form = LessonFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once, as lists, so that showing and checking a choice costs no further query.
        for name, choices in library_filter_choices().items():
            self.filters[name].extra["choices"] = choices

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.Meta.fields)

    def filter_text(self, queryset, name, value):
        """Every word must appear, in any of the searched fields."""
        for word in value.split():
            matches = Q()
            for field in SEARCHED_FIELDS:
                matches |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(matches)
        return queryset

    def filter_service_type(self, queryset, name, value):
        return queryset.filter(pilot_id__in=_pilots_with("service_types", value))

    def filter_area(self, queryset, name, value):
        return queryset.filter(pilot_id__in=_pilots_with("areas", value))
