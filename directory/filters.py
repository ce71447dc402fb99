"""django-filter FilterSets: what each list of the who's-who can be narrowed by."""

import django_filters

from directory.forms.search import OfficerSearchForm
from directory.models import Officer
from directory.selectors import search as selectors


def _choose(what: str) -> dict:
    return {"invalid_choice": f"Choose {what} from the list"}


class OfficerFilter(django_filters.FilterSet):
    """The who's-who search: words to look for, and the team, topic, area and level to narrow by."""

    q = django_filters.CharFilter(
        label="Name, job title, team or topic", method="filter_words", max_length=200
    )
    team = django_filters.ChoiceFilter(empty_label="All teams", error_messages=_choose("a team"))
    topic = django_filters.ChoiceFilter(
        label="Topic they answer",
        method="filter_topic",
        empty_label="All topics",
        error_messages=_choose("a topic"),
    )
    area = django_filters.ChoiceFilter(
        field_name="areas__slug",
        label="Area covered",
        empty_label="All areas",
        error_messages=_choose("an area"),
    )
    seniority = django_filters.ChoiceFilter(
        choices=Officer.Seniority.choices,
        label="Level",
        empty_label="All levels",
        error_messages=_choose("a level"),
    )

    class Meta:
        model = Officer
        fields = ["q", "team", "topic", "area", "seniority"]
        form = OfficerSearchForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once here, as lists, so that showing and checking a choice costs no further query.
        for name, choices in selectors.search_filter_choices().items():
            self.filters[name].extra["choices"] = choices

    def filter_words(self, queryset, name, value):
        return selectors.officers_matching(queryset, value)

    def filter_topic(self, queryset, name, value):
        return selectors.officers_answering(queryset, topic_slug=value)
