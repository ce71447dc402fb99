"""The survey cycles' pages: the list, starting and changing a cycle, and keeping a questionnaire's questions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from surveys.models import Audience, Question, SurveyCycle
from surveys.services import cycles as services
from surveys.tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

# Session, user, the permission check (the user's and their roles' permissions), the roles (for which actions
# to offer), and the cycles.
LIST_MAX_QUERIES = 6
# As the list, then the cycle, its two questionnaires and their questions.
CYCLE_PAGE_MAX_QUERIES = 8
# As the list, then the questionnaire with its cycle, its questions, and the earlier questionnaire to copy from.
QUESTIONNAIRE_MAX_QUERIES = 8

CYCLES = reverse("surveys:cycles")
CREATE = reverse("surveys:cycle-create")


def _days(number: int) -> dt.date:
    return TODAY + dt.timedelta(days=number)


def _date_fields(name: str, date: dt.date) -> dict[str, str]:
    return {f"{name}_0": str(date.day), f"{name}_1": str(date.month), f"{name}_2": str(date.year)}


def _cycle_form(**overrides) -> dict[str, str]:
    return {
        "year": "2090",
        **_date_fields("opens_on", _days(30)),
        **_date_fields("closes_on", _days(60)),
        "response_rate_target": "45",
        "reminder_days_after_opening": "7, 14",
        "reminder_days_before_closing": "2",
        **overrides,
    }


def _start(year: int = 2090, opens_in: int = 30) -> SurveyCycle:
    return services.cycle_create(
        year=year,
        opens_on=_days(opens_in),
        closes_on=_days(opens_in + 30),
        response_rate_target=50,
        created_by=None,
    )


def _questionnaire_url(cycle: SurveyCycle, audience: str = Audience.PROVIDERS) -> str:
    return reverse("surveys:questionnaire", kwargs={"year": cycle.year, "audience": audience})


def _question_url(name: str, question: Question) -> str:
    questionnaire = question.questionnaire
    kwargs = {"year": questionnaire.cycle.year, "audience": questionnaire.audience, "pk": question.pk}
    return reverse(f"surveys:{name}", kwargs=kwargs)


@pytest.fixture
def manager(client, users):
    client.force_login(users["manager"])
    return client


@pytest.fixture
def director(client, users):
    client.force_login(users["director"])
    return client


# The list of cycles


def test_the_list_shows_each_cycle_with_its_dates_status_and_target(manager):
    factories.SurveyCycleFactory(
        year=2080, opens_on=_days(-60), closes_on=_days(-30), response_rate_target=35
    )
    factories.SurveyCycleFactory(year=2081, response_rate_target=55)
    factories.SurveyCycleFactory(year=2082, opens_on=_days(10), closes_on=_days(40))

    html = manager.get(CYCLES).content.decode()

    assert "Relationship survey 2080" in html and "Relationship survey 2082" in html
    assert html.index("2082") < html.index("2081") < html.index("2080")
    assert "Closed" in html and "Open" in html and "Not yet open" in html
    assert "35%" in html and "55%" in html
    assert _days(40).strftime("%B %Y") in html
    assert "Start a cycle" in html


def test_directors_read_the_list_but_are_not_offered_to_start_a_cycle(director):
    factories.SurveyCycleFactory(year=2081)

    html = director.get(CYCLES).content.decode()

    assert "Relationship survey 2081" in html
    assert "Start a cycle" not in html


def test_the_list_says_when_there_are_no_cycles_yet(manager):
    assert "No survey cycles yet" in manager.get(CYCLES).content.decode()


def test_the_list_takes_the_same_number_of_queries_however_many_cycles(
    manager, django_assert_max_num_queries
):
    for year in range(2070, 2082):
        factories.SurveyCycleFactory(year=year, opens_on=_days(year - 2082), closes_on=_days(year - 2081))

    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = manager.get(CYCLES)

    assert response.content.decode().count("Relationship survey 20") == 12


# Starting a cycle


def test_starting_a_cycle_makes_it_with_its_default_questions_and_shows_it(manager, users):
    response = manager.post(CREATE, _cycle_form(reminder_days_after_opening="14,7"))

    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:cycle", kwargs={"year": 2090})
    cycle = SurveyCycle.objects.get(year=2090)
    assert (cycle.opens_on, cycle.closes_on, cycle.response_rate_target) == (_days(30), _days(60), 45)
    assert (cycle.reminder_days_after_opening, cycle.reminder_days_before_closing) == ([7, 14], [2])
    assert cycle.created_by == users["manager"]
    html = manager.get(response["Location"]).content.decode()
    assert "Relationship survey 2090 was started" in html
    assert "The council and providers share information well" in html


def test_the_form_suggests_the_year_after_the_latest_cycle(manager):
    factories.SurveyCycleFactory(year=2085)

    html = manager.get(CREATE).content.decode()

    assert 'value="2086"' in html
    assert 'value="7, 14"' in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"year": ""}, "Enter the year of the survey"),
        ({"response_rate_target": "0"}, services.TARGET_RANGE),
        ({"response_rate_target": "120"}, services.TARGET_RANGE),
        ({"response_rate_target": "half"}, "Enter the response rate target as a whole number"),
        ({"reminder_days_after_opening": "seven"}, "Enter the days after opening as whole numbers"),
        ({"reminder_days_after_opening": "7, -1"}, "Enter the days after opening as whole numbers"),
        ({"reminder_days_before_closing": "2, 90"}, "Each reminder day must be a whole number from 1 to 60"),
        ({"opens_on_1": "13"}, "The opening date must be a real date"),
        (_date_fields("closes_on", _days(20)), services.CLOSES_BEFORE_OPENING),
    ],
)
def test_a_cycle_with_bad_input_is_not_started_and_the_form_says_why(manager, overrides, message):
    response = manager.post(CREATE, _cycle_form(**overrides))

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert escape(message) in html
    assert not SurveyCycle.objects.exists()


def test_a_second_cycle_for_a_year_is_refused_on_the_form(manager):
    _start(2090)

    response = manager.post(CREATE, _cycle_form())

    assert escape("There is already a survey cycle for 2090") in response.content.decode()
    assert SurveyCycle.objects.count() == 1


# A cycle's page and changing it


def test_a_cycles_page_shows_its_dates_target_reminders_and_both_questionnaires(director):
    cycle = _start(2090)

    html = director.get(reverse("surveys:cycle", kwargs={"year": 2090})).content.decode()

    assert "Not yet open" in html
    assert "50% of those invited" in html
    assert "After 7 and 14 days" in html and "2 days before" in html
    assert "Questions for providers" in html and "Questions for council officers" in html
    assert (
        "What is the level of your role?" in html
        and "How many people does your organisation support?" in html
    )
    assert _questionnaire_url(cycle) in html and _questionnaire_url(cycle, Audience.OFFICERS) in html
    assert reverse("surveys:cycle-edit", kwargs={"year": 2090}) not in html


def test_a_cycles_page_takes_the_same_number_of_queries_however_many_questions(
    director, django_assert_max_num_queries
):
    cycle = _start(2090)
    for questionnaire in cycle.questionnaires.all():
        for number in range(15):
            services.question_add(
                questionnaire=questionnaire, kind=Question.Kind.FREE_TEXT, text=f"Extra {number}?"
            )

    with django_assert_max_num_queries(CYCLE_PAGE_MAX_QUERIES):
        response = director.get(reverse("surveys:cycle", kwargs={"year": 2090}))

    assert response.content.decode().count("Extra 14?") == 2


def test_an_unknown_year_is_not_found(manager):
    assert manager.get(reverse("surveys:cycle", kwargs={"year": 1999})).status_code == 404


def test_changing_a_cycle_saves_its_dates_target_and_reminders(manager):
    _start(2090)
    url = reverse("surveys:cycle-edit", kwargs={"year": 2090})
    assert 'value="7, 14"' in manager.get(url).content.decode()

    response = manager.post(
        url,
        _cycle_form(
            **_date_fields("opens_on", _days(35)),
            response_rate_target="60",
            reminder_days_after_opening="10",
            reminder_days_before_closing="",
        ),
    )

    assert response.status_code == 302
    cycle = SurveyCycle.objects.get(year=2090)
    assert (cycle.opens_on, cycle.response_rate_target) == (_days(35), 60)
    assert (cycle.reminder_days_after_opening, cycle.reminder_days_before_closing) == ([10], [])


def test_an_open_cycles_opening_date_cannot_be_moved(manager):
    cycle = factories.SurveyCycleFactory(year=2091)
    form = _cycle_form(**_date_fields("opens_on", _days(3)), **_date_fields("closes_on", cycle.closes_on))

    response = manager.post(reverse("surveys:cycle-edit", kwargs={"year": 2091}), form)

    assert response.status_code == 200
    assert escape(services.LOCKED) in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.opens_on == _days(-7)


# A questionnaire's page


def test_the_questionnaire_lists_its_questions_in_order_with_the_changes_on_offer(manager):
    cycle = _start(2090)
    questionnaire = cycle.questionnaires.get(audience=Audience.PROVIDERS)
    first = questionnaire.questions.get(position=1)

    html = manager.get(_questionnaire_url(cycle)).content.decode()

    assert "12 questions" in html
    assert (
        html.index("share information well") < html.index("trust each other") < html.index("What one thing")
    )
    assert "Agreement: Information sharing" in html and "About the respondent: Area" in html
    for name in ("question-edit", "question-remove", "question-move"):
        assert _question_url(name, first) in html
    assert reverse("surveys:question-add", kwargs={"year": 2090, "audience": "providers"}) in html
    assert "Move up<span" not in html.split('id="question-')[1]
    assert "Copy the questions from" not in html


def test_directors_read_the_questionnaire_but_are_offered_no_changes(director):
    cycle = _start(2090)

    html = director.get(_questionnaire_url(cycle, Audience.OFFICERS)).content.decode()

    assert "Questions for council officers" in html
    assert "Which team do you work in?" in html
    assert "Add a question" not in html and "Change<span" not in html and "Move down" not in html


def test_an_opened_questionnaire_says_it_is_locked_and_offers_no_changes(manager):
    questionnaire = factories.QuestionnaireFactory(cycle=factories.SurveyCycleFactory(year=2091))
    factories.AgreementQuestionFactory(questionnaire=questionnaire, position=1)

    html = manager.get(_questionnaire_url(questionnaire.cycle)).content.decode()

    assert escape(services.LOCKED) in html
    assert "We trust each other." in html
    assert "Add a question" not in html and "Change<span" not in html and "Move down" not in html


def test_an_unknown_audience_is_not_found(manager):
    _start(2090)

    assert manager.get("/surveys/cycles/2090/councillors/").status_code == 404


def test_the_questionnaire_takes_the_same_number_of_queries_however_many_questions(
    manager, django_assert_max_num_queries
):
    _start(2089, opens_in=-400)
    cycle = _start(2090)
    questionnaire = cycle.questionnaires.get(audience=Audience.PROVIDERS)
    for number in range(20):
        services.question_add(
            questionnaire=questionnaire, kind=Question.Kind.FREE_TEXT, text=f"Question {number}?"
        )

    with django_assert_max_num_queries(QUESTIONNAIRE_MAX_QUERIES):
        response = manager.get(_questionnaire_url(cycle))

    html = response.content.decode()
    assert "32 questions" in html
    assert "Copy the questions from 2089" in html


# Changing the questions


def test_a_question_is_added_at_the_end_of_the_questionnaire(manager):
    cycle = _start(2090)
    url = reverse("surveys:question-add", kwargs={"year": 2090, "audience": "officers"})

    response = manager.post(url, {"kind": "agreement", "theme": "trust", "text": "Providers keep their word"})

    assert response.status_code == 302
    assert response["Location"].startswith(_questionnaire_url(cycle, Audience.OFFICERS))
    question = cycle.questionnaires.get(audience=Audience.OFFICERS).questions.get(position=12)
    assert (question.text, question.theme) == ("Providers keep their word", "trust")


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"kind": "agreement", "text": "Trust?"}, services.NO_THEME),
        ({"kind": "segment", "text": "Where?", "segment": "area"}, "Choose a segment from the list"),
        ({"kind": "segment", "text": "Which team?", "segment": "team"}, "already asks about team"),
        ({"kind": "free_text", "text": "Why?", "theme": "trust"}, services.FREE_TEXT_PLAIN),
        ({"kind": "free_text"}, "Enter the question"),
        ({"text": "Why?"}, "Choose what kind of question it is"),
    ],
)
def test_a_question_that_does_not_fit_is_not_added_and_the_form_says_why(manager, answers, message):
    cycle = _start(2090)
    url = reverse("surveys:question-add", kwargs={"year": 2090, "audience": "officers"})

    response = manager.post(url, answers)

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert cycle.questionnaires.get(audience=Audience.OFFICERS).questions.count() == 11


def test_a_question_is_changed_from_its_form(manager):
    cycle = _start(2090)
    question = cycle.questionnaires.get(audience=Audience.PROVIDERS).questions.get(kind="free_text")
    url = _question_url("question-edit", question)
    assert "What one thing would most improve the relationship?" in manager.get(url).content.decode()

    response = manager.post(
        url, {"kind": "free_text", "text": "What should we do next year?", "required": "on"}
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.required) == ("What should we do next year?", True)


def test_a_question_of_another_questionnaire_is_not_found_here(manager):
    cycle = _start(2090)
    officers_question = cycle.questionnaires.get(audience=Audience.OFFICERS).questions.first()
    url = reverse(
        "surveys:question-edit", kwargs={"year": 2090, "audience": "providers", "pk": officers_question.pk}
    )

    assert manager.get(url).status_code == 404


def test_removing_a_question_asks_first_then_removes_it(manager):
    cycle = _start(2090)
    questionnaire = cycle.questionnaires.get(audience=Audience.PROVIDERS)
    question = questionnaire.questions.get(position=1)
    url = _question_url("question-remove", question)

    assert "Remove question 1?" in manager.get(url).content.decode()
    assert questionnaire.questions.count() == 12

    response = manager.post(url)

    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    assert questionnaire.questions.get(position=1).theme == "trust"


def test_a_question_moves_down_from_its_button(manager):
    cycle = _start(2090)
    questionnaire = cycle.questionnaires.get(audience=Audience.PROVIDERS)
    question = questionnaire.questions.get(position=1)

    response = manager.post(_question_url("question-move", question), {"direction": "down"})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.position == 2
    assert "The question was moved down" in manager.get(response["Location"]).content.decode()


def test_the_first_question_moving_up_is_refused_with_the_reason(manager):
    cycle = _start(2090)
    question = cycle.questionnaires.get(audience=Audience.PROVIDERS).questions.get(position=1)

    response = manager.post(_question_url("question-move", question), {"direction": "up"}, follow=True)

    assert services.FIRST_ALREADY in response.content.decode()
    question.refresh_from_db()
    assert question.position == 1


def test_last_years_questions_are_copied_from_the_button(manager):
    last_year = _start(2089, opens_in=-400)
    last_year.questionnaires.get(audience=Audience.OFFICERS).questions.filter(position=1).update(
        text="Old wording"
    )
    cycle = _start(2090)
    url = reverse("surveys:questionnaire-copy", kwargs={"year": 2090, "audience": "officers"})

    response = manager.post(url, follow=True)

    assert "The questions were copied from Relationship survey 2089" in response.content.decode()
    officers = cycle.questionnaires.get(audience=Audience.OFFICERS)
    assert officers.questions.get(position=1).text == "Old wording"
    assert officers.copied_from.cycle == last_year


def test_copying_with_no_earlier_year_is_refused_with_the_reason(manager):
    _start(2090)
    url = reverse("surveys:questionnaire-copy", kwargs={"year": 2090, "audience": "providers"})

    response = manager.post(url, follow=True)

    assert "There is no questionnaire for providers from an earlier year to copy" in response.content.decode()


def test_every_change_to_an_opened_questionnaire_is_refused_with_the_reason(manager):
    questionnaire = factories.QuestionnaireFactory(cycle=factories.SurveyCycleFactory(year=2091))
    question = factories.AgreementQuestionFactory(questionnaire=questionnaire, position=1)
    second = factories.FreeTextQuestionFactory(questionnaire=questionnaire, position=2)
    add = reverse("surveys:question-add", kwargs={"year": 2091, "audience": "providers"})
    copy = reverse("surveys:questionnaire-copy", kwargs={"year": 2091, "audience": "providers"})
    locked = escape(services.LOCKED)

    assert locked in manager.post(add, {"kind": "free_text", "text": "Anything else?"}).content.decode()
    edit = manager.post(_question_url("question-edit", question), {"kind": "free_text", "text": "Changed"})
    assert locked in edit.content.decode()
    assert locked in manager.post(_question_url("question-remove", question)).content.decode()
    move = manager.post(_question_url("question-move", question), {"direction": "down"}, follow=True)
    assert locked in move.content.decode()
    assert locked in manager.post(copy, follow=True).content.decode()
    assert list(questionnaire.questions.order_by("position").values_list("pk", "text")) == [
        (question.pk, "We trust each other."),
        (second.pk, "What one thing would most improve the relationship?"),
    ]
