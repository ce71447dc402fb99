"""The lessons library: lessons across all pilots, searched and filtered, and what providers may see of it."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from directory.tests import factories as directory_factories
from partnerships.models import Evaluation, Lesson
from partnerships.tests.factories import EvaluationFactory, LessonFactory, PartnershipPilotFactory
from partnerships.views.evaluation import LESSONS_PAGE_SIZE

pytestmark = pytest.mark.django_db

# Session, user, roles, the choices of area and service type, the count, the page of lessons with their
# evaluations, and the page's pilots with their areas' and service types' names.
LIBRARY_MAX_QUERIES = 7

URL = reverse("partnerships:lessons")


def _titles(response) -> list[str]:
    return re.findall(r'<h3 class="govuk-summary-card__title">(.*?)</h3>', response.content.decode())


def _lesson(
    title: str, *, pilot=None, published: bool = True, point=Evaluation.Point.MID_POINT, **kwargs
) -> Lesson:
    evaluation = EvaluationFactory(
        pilot=pilot or PartnershipPilotFactory(), is_published=published, point=point
    )
    return LessonFactory(evaluation=evaluation, title=title, **kwargs)


# Who sees what


def test_a_provider_sees_only_lessons_of_published_evaluations_of_published_pilots(client, users):
    _lesson("Published lesson")
    _lesson("Lesson of a draft evaluation", published=False)
    _lesson("Lesson of a draft pilot", pilot=PartnershipPilotFactory(is_published=False))
    client.force_login(users["provider_a"])

    assert _titles(client.get(URL)) == ["Published lesson"]


def test_council_staff_see_every_lesson_drafts_included(client, users):
    _lesson("Published lesson")
    _lesson("Lesson of a draft evaluation", published=False)
    _lesson("Lesson of a draft pilot", pilot=PartnershipPilotFactory(is_published=False))
    client.force_login(users["director"])

    assert sorted(_titles(client.get(URL))) == [
        "Lesson of a draft evaluation",
        "Lesson of a draft pilot",
        "Published lesson",
    ]


def test_a_provider_finds_nothing_of_a_draft_evaluation_by_searching(client, users):
    _lesson("Hidden lesson", published=False, what_happened="Confidential staffing trouble.")
    client.force_login(users["provider_a"])

    response = client.get(URL, {"q": "confidential"})

    assert _titles(response) == []
    assert "Confidential staffing trouble" not in response.content.decode()


# What each lesson shows


def test_each_lesson_shows_its_pilot_theme_and_the_evaluations_point_and_date(client, users):
    pilot = PartnershipPilotFactory(
        title="Discharge to assess",
        areas=[directory_factories.area("mid")],
        service_types=[directory_factories.service_type("home-care")],
    )
    evaluation = EvaluationFactory(pilot=pilot, point=Evaluation.Point.END, evaluated_on=dt.date(2025, 3, 14))
    LessonFactory(evaluation=evaluation, title="Agree measures first", theme=Lesson.Theme.WORKFORCE)
    client.force_login(users["provider_a"])

    page = client.get(URL).content.decode()

    assert f'href="{reverse("partnerships:pilot", kwargs={"slug": pilot.slug})}"' in page
    assert "Discharge to assess" in page
    assert "Workforce" in page
    assert "End of pilot, 14 March 2025" in page
    assert "Home care" in page and "Mid" in page


def test_an_empty_library_says_so(client, users):
    client.force_login(users["officer"])

    page = client.get(URL).content.decode()

    assert "No lessons found" in page
    assert "No lessons are published yet" in page


# Searching and filtering


def test_search_matches_the_title_what_happened_and_what_to_do_next_time(client, users):
    _lesson("Staffing the first month", what_happened="Carers left.", do_next_time="Plan cover.")
    _lesson("Shared measures", what_happened="The trust counted delays differently.", do_next_time="Agree.")
    _lesson("Money", what_happened="Invoices were late.", do_next_time="Pay weekly to keep staffing steady.")
    client.force_login(users["officer"])

    assert sorted(_titles(client.get(URL, {"q": "staffing"}))) == ["Money", "Staffing the first month"]
    assert _titles(client.get(URL, {"q": "trust delays"})) == ["Shared measures"]
    assert _titles(client.get(URL, {"q": "trust carers"})) == []


def test_the_library_filters_by_theme(client, users):
    _lesson("About workforce", theme=Lesson.Theme.WORKFORCE)
    _lesson("About the NHS", theme=Lesson.Theme.NHS_INTEGRATION)
    client.force_login(users["officer"])

    assert _titles(client.get(URL, {"theme": "workforce"})) == ["About workforce"]


def test_the_library_filters_by_the_pilots_service_type_and_area(client, users):
    mid, south = directory_factories.area("mid"), directory_factories.area("south")
    home_care = directory_factories.service_type("home-care")
    _lesson("Mid home care", pilot=PartnershipPilotFactory(areas=[mid], service_types=[home_care]))
    _lesson("South home care", pilot=PartnershipPilotFactory(areas=[south, mid], service_types=[home_care]))
    _lesson("South, no service type", pilot=PartnershipPilotFactory(areas=[south]))
    client.force_login(users["officer"])

    assert sorted(_titles(client.get(URL, {"area": "south"}))) == [
        "South home care",
        "South, no service type",
    ]
    assert sorted(_titles(client.get(URL, {"service_type": "home-care"}))) == [
        "Mid home care",
        "South home care",
    ]
    assert _titles(client.get(URL, {"area": "mid", "service_type": "home-care", "q": "south"})) == [
        "South home care"
    ]


def test_a_filter_that_is_not_on_the_list_gets_an_error_summary(client, users):
    _lesson("Any lesson")
    client.force_login(users["officer"])

    response = client.get(URL, {"theme": "gossip", "area": "atlantis"})

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Choose a theme from the list" in page
    assert "Choose an area from the list" in page
    assert _titles(response) == []


def test_the_library_is_paginated_newest_first(client, users):
    pilot = PartnershipPilotFactory()
    evaluation = EvaluationFactory(pilot=pilot)
    lessons = [
        LessonFactory(evaluation=evaluation, title=f"Lesson {n:02}") for n in range(LESSONS_PAGE_SIZE + 2)
    ]
    client.force_login(users["officer"])

    first, second = client.get(URL), client.get(URL, {"page": 2})

    assert len(_titles(first)) == LESSONS_PAGE_SIZE
    assert _titles(first)[0] == lessons[-1].title
    assert _titles(second) == [lessons[1].title, lessons[0].title]
    assert "Page 1 of 2" in first.content.decode()


# Query counts


@pytest.mark.parametrize("who", ["provider_a", "officer"])
def test_the_library_does_not_read_more_with_more_lessons_and_pilots(
    client, users, who, django_assert_max_num_queries
):
    areas = [directory_factories.area("north-east"), directory_factories.area("mid")]
    service_types = [directory_factories.service_type("home-care")]
    client.force_login(users[who])
    for rows in (3, 40):
        for _ in range(rows - Lesson.objects.count()):
            pilot = PartnershipPilotFactory(areas=areas, service_types=service_types)
            evaluation = EvaluationFactory(pilot=pilot)
            LessonFactory(evaluation=evaluation)
            LessonFactory(evaluation=evaluation)
        with django_assert_max_num_queries(LIBRARY_MAX_QUERIES):
            response = client.get(URL, {"area": "mid", "q": "measures"})
        assert len(_titles(response)) == min(Lesson.objects.count(), LESSONS_PAGE_SIZE)
