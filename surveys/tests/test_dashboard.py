"""The directors' dashboard: scores by theme side by side, the trend, breakdowns, suppression and kept results."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from directory.models import Area, ServiceType
from directory.tests.factories import TeamFactory
from portal import roles
from portal.relationship_themes import RelationshipTheme
from portal.tests.factories import DirectorFactory, OfficerFactory
from surveys.models import Answer, Audience, KeptSurveyResults, Response
from surveys.selectors.results import dashboard
from surveys.services import results as services
from surveys.tests.factories import (
    AgreementQuestionFactory,
    FreeTextQuestionFactory,
    QuestionnaireFactory,
    SurveyCycleFactory,
)

pytestmark = pytest.mark.django_db

TRUST, SHARING = RelationshipTheme.TRUST, RelationshipTheme.INFORMATION_SHARING
# Session, user, roles and permissions, every cycle with its kept results, the segments' names, and the free text
# (its count and its page).
DASHBOARD_MAX_QUERIES = 9


def make_cycle(year: int, *, closed: bool = True, themes=(TRUST, SHARING)) -> dict:
    """A cycle with both questionnaires: an agreement question per theme and a free-text question each."""
    opens = dt.date(year, 3, 1)
    cycle = SurveyCycleFactory(
        year=year,
        opens_on=opens,
        closes_on=opens + dt.timedelta(days=42),
        closed_at=timezone.now() - dt.timedelta(days=365 * (2030 - year)) if closed else None,
    )
    made = {"cycle": cycle}
    for audience in Audience:
        questionnaire = QuestionnaireFactory(cycle=cycle, audience=audience)
        questions = [
            AgreementQuestionFactory(questionnaire=questionnaire, position=index + 1, theme=theme)
            for index, theme in enumerate(themes)
        ]
        free = FreeTextQuestionFactory(questionnaire=questionnaire, position=len(themes) + 1)
        made[audience] = (questionnaire, questions, free)
    return made


def respond(
    made: dict, audience: str, count: int, *, scores=(4,), text: str = "", **segments
) -> list[Response]:
    """`count` responses, each scoring every theme from `scores` in turn (None for "don't know")."""
    questionnaire, questions, free = made[audience]
    responses = Response.objects.bulk_create(
        Response(cycle=made["cycle"], questionnaire=questionnaire, audience=audience, **segments)
        for _ in range(count)
    )
    cycle_scores = itertools.cycle(scores)
    answers = [
        Answer(response=response, question=question, score=next(cycle_scores))
        for response in responses
        for question in questions
    ]
    if text:
        answers += [
            Answer(response=response, question=free, text=f"{text} {index}")
            for index, response in enumerate(responses)
        ]
    Answer.objects.bulk_create(answers)
    return responses


def area(name: str) -> Area:
    return Area.objects.get(name=name)


def _page(client, **query):
    return client.get(reverse("surveys:dashboard"), query)


def manager():
    return OfficerFactory(roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER])


def test_scores_are_means_of_the_agreement_answers_with_dont_know_left_out():
    made = make_cycle(2025)
    respond(made, Audience.PROVIDERS, 15, scores=(5, 3, None))
    respond(made, Audience.OFFICERS, 12, scores=(5, 5, 4, 4))

    results = dashboard(year=None).results
    trust = next(line for line in results.themes if line.theme == TRUST)

    assert results.responses[Audience.PROVIDERS] == (15, False)
    # 5, "don't know" and 3 in turn on the trust question: five of each.
    assert trust.providers.scored == 10
    assert trust.providers.mean == pytest.approx(4.0)
    assert trust.providers.agreeing_percent == 50
    assert trust.officers.mean == pytest.approx(4.5)
    assert trust.officers.agreeing_percent == 100
    assert trust.gap == pytest.approx(-0.5)
    assert trust.gap_text == "-0.50"


def test_the_trend_has_every_cycle_oldest_first_on_both_sides():
    for year, score in ((2023, 2), (2024, 3), (2025, 4)):
        made = make_cycle(year)
        respond(made, Audience.PROVIDERS, 10, scores=(score,))
        respond(made, Audience.OFFICERS, 10, scores=(5,))

    trend = next(trend for trend in dashboard(year=2024).trends if trend.theme == TRUST)

    assert [(year, providers.mean, officers.mean) for year, providers, officers in trend.points] == [
        (2023, 2, 5),
        (2024, 3, 5),
        (2025, 4, 5),
    ]


def test_a_cycle_with_too_few_responses_is_hidden_in_the_table_and_the_trend():
    old = make_cycle(2024)
    respond(old, Audience.PROVIDERS, 9, scores=(1,))
    respond(old, Audience.OFFICERS, 20)
    new = make_cycle(2025)
    respond(new, Audience.PROVIDERS, 15)

    board = dashboard(year=2024)
    trend = next(trend for trend in board.trends if trend.theme == TRUST)

    assert board.results.responses[Audience.PROVIDERS] == (9, True)
    assert all(line.providers.hidden and line.providers.mean is None for line in board.results.themes)
    assert trend.points[0][1].hidden and not trend.points[1][1].hidden


def test_breakdowns_hide_small_groups_and_the_next_smallest_beside_a_single_one():
    made = make_cycle(2025)
    respond(made, Audience.PROVIDERS, 4, scores=(1,), area=area("Mid"))
    respond(made, Audience.PROVIDERS, 11, scores=(3,), area=area("South"))
    respond(made, Audience.PROVIDERS, 30, scores=(5,), area=area("West"))
    respond(made, Audience.PROVIDERS, 20, scores=(4,))

    results = dashboard(year=2025).results
    by_area = next(each for each in results.breakdowns if each.segment == "area")
    lines = {line.label: line for line in by_area.lines}

    assert lines["Mid"].hidden and lines["South"].hidden
    assert all(score.hidden for score in lines["Mid"].scores + lines["South"].scores)
    assert not lines["West"].hidden and lines["West"].scores[0].mean == 5
    assert not lines["Not given"].hidden and lines["Not given"].responses == 20
    assert [line.label for line in by_area.lines][-1] == "Not given"


def test_a_theme_cell_with_too_few_scores_is_hidden_even_when_its_group_is_shown():
    made = make_cycle(2025, themes=(TRUST,))
    respond(made, Audience.OFFICERS, 15, scores=(None,), seniority="manager")
    respond(made, Audience.OFFICERS, 3, scores=(2,), seniority="manager")
    respond(made, Audience.OFFICERS, 25, scores=(4,), seniority="officer")
    respond(made, Audience.OFFICERS, 30, scores=(5,), seniority="director")

    by_seniority = next(
        each for each in dashboard(year=2025).results.breakdowns if each.segment == "seniority"
    )
    lines = {line.label: line for line in by_seniority.lines}

    # Managers are 18 but only 3 gave a score: their score is hidden, and so is the next-smallest group's.
    assert not lines["Manager"].hidden and lines["Manager"].scores[0].hidden
    assert lines["Officer"].scores[0].hidden
    assert lines["Director"].scores[0].mean == 5


def test_the_page_shows_suppressed_cells_with_the_minimum_from_the_setting(client, settings):
    settings.SURVEY_MINIMUM_GROUP_SIZE = 5
    made = make_cycle(2025)
    respond(made, Audience.PROVIDERS, 3, area=area("Mid"))
    respond(made, Audience.PROVIDERS, 4, area=area("South"))
    respond(made, Audience.PROVIDERS, 12, area=area("West"))
    respond(made, Audience.OFFICERS, 2)
    client.force_login(DirectorFactory())

    page = _page(client).content.decode()

    assert "Fewer than 5 responses" in page
    assert "Fewer than 10 responses" not in page
    assert "<svg" in page and 'role="img"' in page


def test_results_are_kept_and_not_counted_again_while_the_responses_stay_the_same(django_assert_num_queries):
    made = make_cycle(2025, closed=False)
    respond(made, Audience.PROVIDERS, 12)
    dashboard(year=None)
    kept = KeptSurveyResults.objects.get()
    assert kept.version == "12 responses"

    with django_assert_num_queries(2):  # the cycles with their kept results, and the segments' names
        dashboard(year=None)

    respond(made, Audience.PROVIDERS, 3)
    board = dashboard(year=None)

    # Tasks run in-process in tests: the worker's count has happened by now.
    assert board.results.responses[Audience.PROVIDERS] == (15, False)
    assert KeptSurveyResults.objects.get().version == "15 responses"


def test_a_closed_cycles_results_are_never_counted_again(django_assert_num_queries):
    made = make_cycle(2024, closed=True)
    respond(made, Audience.PROVIDERS, 12)
    dashboard(year=None)

    assert KeptSurveyResults.objects.get().version.startswith("closed ")
    with django_assert_num_queries(2):
        assert dashboard(year=None).results.responses[Audience.PROVIDERS] == (12, False)


def test_a_refresh_is_asked_for_once_while_the_worker_counts(settings, monkeypatch):
    from portal.celery import app

    made = make_cycle(2025, closed=False)
    respond(made, Audience.PROVIDERS, 12)
    dashboard(year=None)
    respond(made, Audience.PROVIDERS, 1)
    sent = []
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "send_task", lambda name, **kwargs: sent.append((name, kwargs["args"])))

    first, second = dashboard(year=None), dashboard(year=None)

    assert sent == [(services.REFRESH_TASK, [made["cycle"].pk])]
    assert not first.up_to_date and not second.up_to_date
    assert first.results.responses[Audience.PROVIDERS] == (12, False)


def test_the_portable_count_for_sqlite_gives_the_same_rows_as_the_query():
    made = make_cycle(2025)
    team = TeamFactory()
    respond(made, Audience.PROVIDERS, 5, scores=(1, None, 4), area=area("Mid"), size="small")
    respond(made, Audience.PROVIDERS, 7, scores=(5,), provider_type=ServiceType.objects.get(name="Home care"))
    respond(made, Audience.OFFICERS, 6, scores=(2, 4), seniority="manager", team=team)
    respond(made, Audience.OFFICERS, 2, scores=(None,))
    assert connection.vendor == "postgresql"

    def comparable(rows):
        return sorted(tuple(str(value) for value in row) for row in rows)

    assert comparable(services._count_portable(made["cycle"])) == comparable(services._count(made["cycle"]))


def test_the_year_defaults_to_the_latest_cycle_with_responses_and_a_bad_year_is_an_error(client):
    respond(make_cycle(2024), Audience.PROVIDERS, 10)
    make_cycle(2025, closed=False)
    client.force_login(DirectorFactory())

    assert _page(client).context["board"].results.year == 2024
    response = _page(client, year="1999")
    assert response.context["board"].results.year == 2024
    assert "Choose a year from the list" in response.content.decode()


def test_the_page_says_so_when_no_cycle_has_responses(client):
    make_cycle(2025, closed=False)
    client.force_login(DirectorFactory())

    response = _page(client)

    assert response.status_code == 200
    assert 'data-results="empty"' in response.content.decode()


def test_free_text_is_shown_to_those_who_may_read_it_from_groups_large_enough(client):
    made = make_cycle(2025)
    respond(made, Audience.PROVIDERS, 12, text="Shown comment", area=area("West"))
    respond(made, Audience.PROVIDERS, 12, text="Also shown", area=area("South"))
    respond(made, Audience.PROVIDERS, 3, text="Small group comment", area=area("Mid"))
    respond(made, Audience.OFFICERS, 4, text="Too few officers")
    client.force_login(manager())

    page = _page(client).content.decode()

    assert "Shown comment" in page
    assert "Small group comment" not in page and "Too few officers" not in page
    # The area beside the small group is hidden too, and so are its comments.
    assert "Also shown" not in page
    assert "West" not in page.split('id="comments"')[1]


def test_free_text_is_not_shown_without_the_permission(client):
    from django.contrib.auth.models import Permission

    made = make_cycle(2025)
    respond(made, Audience.PROVIDERS, 12, text="Private comment")
    reader = OfficerFactory(roles=[roles.OFFICER])
    reader.user_permissions.add(Permission.objects.get(codename="view_response"))
    client.force_login(reader)

    response = _page(client)

    assert response.status_code == 200
    assert "Private comment" not in response.content.decode()
    assert "comments" not in response.context


def test_free_text_is_paginated(client):
    made = make_cycle(2025)
    respond(made, Audience.PROVIDERS, 45, text="Comment")
    client.force_login(DirectorFactory())

    first, third = _page(client), _page(client, page=3)

    assert len(first.context["comments"]) == 20
    assert len(third.context["comments"]) == 5


def test_officers_and_providers_cannot_see_the_dashboard(client, provider_a):
    from portal.tests.factories import ProviderUserFactory

    for user in (OfficerFactory(), ProviderUserFactory(provider_organisation=provider_a)):
        client.force_login(user)
        assert _page(client).status_code == 403


def test_the_dashboard_reads_the_same_with_two_or_seven_cycles(client, django_assert_max_num_queries):
    """Counted once for each cycle on the first visit; after that, the same queries however many cycles."""
    client.force_login(DirectorFactory())
    areas = list(Area.objects.all())
    counts = []
    for year in range(2019, 2026):
        made = make_cycle(year, themes=tuple(RelationshipTheme.values))
        for index, each in enumerate(areas):
            respond(made, Audience.PROVIDERS, 10 + index, scores=(1, 3, 5, None), text="Comment", area=each)
        respond(made, Audience.OFFICERS, 25, scores=(2, 4), seniority="manager", text="Officer comment")
        if year in (2020, 2025):
            _page(client)  # the first visit counts the new cycles
            with django_assert_max_num_queries(DASHBOARD_MAX_QUERIES) as captured:
                response = _page(client)
            counts.append(len(captured))
            assert response.status_code == 200
    assert counts[0] == counts[1]
    assert len(response.context["charts"]) == len(RelationshipTheme.values)
    assert len(response.context["charts"][0].rows) == 7
