"""Starting survey cycles, their default questions, keeping the questions, and the lock once a cycle opens."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.relationship_themes import RelationshipTheme
from surveys.models import Audience, Question, Questionnaire, Segment, SurveyCycle
from surveys.services import cycles as services
from surveys.services.cycles import CycleError
from surveys.tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _days(number: int) -> dt.date:
    return TODAY + dt.timedelta(days=number)


def _start(year: int = 2090, **overrides) -> SurveyCycle:
    """A cycle that opens in a month: its questions can still change."""
    values = {
        "year": year,
        "opens_on": _days(30),
        "closes_on": _days(60),
        "response_rate_target": 40,
        "created_by": None,
        **overrides,
    }
    return services.cycle_create(**values)


def _questionnaire(cycle: SurveyCycle, audience: str = Audience.PROVIDERS) -> Questionnaire:
    return cycle.questionnaires.get(audience=audience)


def _texts(questionnaire: Questionnaire) -> list[str]:
    return list(questionnaire.questions.order_by("position").values_list("text", flat=True))


# Starting a cycle


def test_a_new_cycle_has_a_questionnaire_for_providers_and_one_for_officers():
    cycle = _start()

    assert sorted(cycle.questionnaires.values_list("audience", flat=True)) == ["officers", "providers"]
    assert cycle.response_rate_target == 40
    assert cycle.reminder_days_after_opening == [7, 14]
    assert cycle.reminder_days_before_closing == [2]


def test_the_providers_questionnaire_starts_with_a_question_a_theme_free_text_and_the_provider_segments():
    questions = list(_questionnaire(_start()).questions.order_by("position"))

    assert [question.position for question in questions] == list(range(1, 13))
    agreement = [question for question in questions if question.kind == Question.Kind.AGREEMENT]
    assert [question.theme for question in agreement] == list(RelationshipTheme.values)
    assert agreement[0].text == "The council and providers share information well"
    assert [question.text for question in questions if question.kind == Question.Kind.FREE_TEXT] == [
        "What one thing would most improve the relationship?"
    ]
    assert [question.segment for question in questions if question.kind == Question.Kind.SEGMENT] == [
        Segment.PROVIDER_TYPE,
        Segment.AREA,
        Segment.SIZE,
    ]


def test_the_officers_questionnaire_asks_the_same_themes_from_the_councils_side_and_the_officer_segments():
    cycle = _start()
    providers, officers = _questionnaire(cycle), _questionnaire(cycle, Audience.OFFICERS)
    questions = list(officers.questions.order_by("position"))

    assert [question.position for question in questions] == list(range(1, 12))
    themes = [question.theme for question in questions if question.kind == Question.Kind.AGREEMENT]
    assert themes == list(RelationshipTheme.values)
    assert [question.segment for question in questions if question.kind == Question.Kind.SEGMENT] == [
        Segment.SENIORITY,
        Segment.TEAM,
    ]
    officer_wording = officers.questions.get(theme=RelationshipTheme.RESPONSIVENESS).text
    assert officer_wording != providers.questions.get(theme=RelationshipTheme.RESPONSIVENESS).text
    assert officer_wording.startswith("We ")


def test_a_cycle_keeps_the_reminder_days_it_is_given_in_order_and_once_each():
    cycle = _start(reminder_days_after_opening=(14, 7, 7), reminder_days_before_closing=())

    assert cycle.reminder_days_after_opening == [7, 14]
    assert cycle.reminder_days_before_closing == []


def test_each_year_has_one_cycle():
    _start(2090)

    with pytest.raises(CycleError, match="There is already a survey cycle for 2090") as refusal:
        _start(2090)

    assert refusal.value.field == "year"
    assert SurveyCycle.objects.filter(year=2090).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_on": _days(30)}, "closes_on", services.CLOSES_BEFORE_OPENING),
        ({"closes_on": _days(10)}, "closes_on", services.CLOSES_BEFORE_OPENING),
        ({"response_rate_target": 0}, "response_rate_target", services.TARGET_RANGE),
        ({"response_rate_target": 101}, "response_rate_target", services.TARGET_RANGE),
        ({"reminder_days_after_opening": (0, 7)}, "reminder_days_after_opening", "from 1 to 60"),
        ({"reminder_days_before_closing": (61,)}, "reminder_days_before_closing", "from 1 to 60"),
    ],
)
def test_a_cycle_with_impossible_dates_target_or_reminders_is_refused(overrides, field, message):
    with pytest.raises(CycleError, match=message) as refusal:
        _start(**overrides)

    assert refusal.value.field == field
    assert not SurveyCycle.objects.exists()


# Changing a cycle


def _update(cycle: SurveyCycle, **overrides) -> SurveyCycle:
    values = {
        "opens_on": cycle.opens_on,
        "closes_on": cycle.closes_on,
        "response_rate_target": cycle.response_rate_target,
        "reminder_days_after_opening": cycle.reminder_days_after_opening,
        "reminder_days_before_closing": cycle.reminder_days_before_closing,
        **overrides,
    }
    return services.cycle_update(cycle=cycle, **values)


def test_a_cycle_not_yet_open_may_move_its_dates_and_change_its_target_and_reminders():
    cycle = _update(
        _start(),
        opens_on=_days(20),
        closes_on=_days(50),
        response_rate_target=65,
        reminder_days_after_opening=[5],
        reminder_days_before_closing=[1, 3],
    )

    cycle.refresh_from_db()
    assert (cycle.opens_on, cycle.closes_on, cycle.response_rate_target) == (_days(20), _days(50), 65)
    assert (cycle.reminder_days_after_opening, cycle.reminder_days_before_closing) == ([5], [1, 3])


def test_a_cycle_not_yet_open_cannot_be_moved_to_open_in_the_past():
    with pytest.raises(CycleError, match=services.OPENS_IN_THE_PAST):
        _update(_start(), opens_on=_days(-1))


def test_an_open_cycle_keeps_its_opening_date_so_its_questions_stay_locked():
    cycle = factories.SurveyCycleFactory(year=2091)

    with pytest.raises(CycleError, match=services.LOCKED) as refusal:
        _update(cycle, opens_on=_days(5))

    assert refusal.value.field == "opens_on"
    cycle.refresh_from_db()
    assert cycle.opens_on == _days(-7)


def test_an_open_cycle_may_still_close_later_and_change_its_target():
    cycle = _update(factories.SurveyCycleFactory(year=2091), closes_on=_days(40), response_rate_target=70)

    cycle.refresh_from_db()
    assert (cycle.closes_on, cycle.response_rate_target) == (_days(40), 70)


def test_an_open_cycle_cannot_be_closed_in_the_past():
    with pytest.raises(CycleError, match=services.CLOSES_IN_THE_PAST):
        _update(factories.SurveyCycleFactory(year=2091), closes_on=_days(-1))


def test_a_closed_cycle_cannot_be_reopened_by_moving_its_closing_date():
    cycle = factories.SurveyCycleFactory(year=2080, opens_on=_days(-60), closes_on=_days(-30))

    with pytest.raises(CycleError, match=services.CLOSED):
        _update(cycle, closes_on=_days(10))


def test_a_cycle_cannot_be_changed_to_close_before_it_opens():
    with pytest.raises(CycleError, match=services.CLOSES_BEFORE_OPENING):
        _update(_start(), closes_on=_days(29))


# The lock once a cycle opens


def test_a_questionnaire_is_locked_from_the_day_its_cycle_opens():
    assert not services.is_locked(factories.SurveyCycleFactory(year=2092, opens_on=_days(1)))
    assert services.is_locked(factories.SurveyCycleFactory(year=2093, opens_on=TODAY))


@pytest.fixture
def opened():
    """An open cycle with a last year to copy from, and two questions for providers."""
    last_year = _start(2079)
    SurveyCycle.objects.filter(pk=last_year.pk).update(opens_on=_days(-400), closes_on=_days(-370))
    questionnaire = factories.QuestionnaireFactory(cycle=factories.SurveyCycleFactory(year=2080))
    first = factories.AgreementQuestionFactory(questionnaire=questionnaire, position=1)
    factories.FreeTextQuestionFactory(questionnaire=questionnaire, position=2)
    return questionnaire, first


_LOCKED_WRITES = {
    "add": lambda questionnaire, question: services.question_add(
        questionnaire=questionnaire, kind=Question.Kind.FREE_TEXT, text="Anything else?"
    ),
    "edit": lambda questionnaire, question: services.question_update(
        question=question, kind=Question.Kind.AGREEMENT, theme=RelationshipTheme.TRUST, text="Changed?"
    ),
    "remove": lambda questionnaire, question: services.question_remove(question=question),
    "move": lambda questionnaire, question: services.question_move(question=question, direction="down"),
    "copy": lambda questionnaire, question: services.questionnaire_copy(questionnaire=questionnaire),
}


@pytest.mark.parametrize("write", _LOCKED_WRITES, ids=str)
def test_no_question_of_an_opened_cycle_can_change(opened, write):
    questionnaire, first = opened
    before = list(questionnaire.questions.order_by("position").values_list("pk", "position", "text"))

    with pytest.raises(CycleError, match="The survey has opened, so its questions can no longer change"):
        _LOCKED_WRITES[write](questionnaire, first)

    assert list(questionnaire.questions.order_by("position").values_list("pk", "position", "text")) == before
    questionnaire.refresh_from_db()
    assert questionnaire.copied_from is None


# Keeping the questions of a cycle not yet open


@pytest.fixture
def providers() -> Questionnaire:
    return _questionnaire(_start())


def test_a_question_is_added_at_the_end(providers):
    question = services.question_add(
        questionnaire=providers,
        kind=Question.Kind.AGREEMENT,
        theme=RelationshipTheme.TRUST,
        text="  The council keeps its promises  ",
        hint="Think of the last year.",
        required=True,
    )

    assert question.position == 13
    assert question.text == "The council keeps its promises"
    assert question.required


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"kind": "agreement", "text": "   "}, "text", services.NO_TEXT),
        ({"kind": "agreement", "text": "Trust?"}, "theme", services.NO_THEME),
        (
            {"kind": "agreement", "text": "Trust?", "theme": "trust", "segment": "area"},
            "segment",
            "no segment",
        ),
        ({"kind": "segment", "text": "Where?"}, "segment", services.NO_SEGMENT),
        ({"kind": "segment", "text": "Team?", "segment": "team"}, "segment", "type of provider, area, size"),
        ({"kind": "segment", "text": "Area?", "segment": "area"}, "segment", "already asks about area"),
        ({"kind": "segment", "text": "Where?", "segment": "area", "theme": "trust"}, "theme", "no theme"),
        ({"kind": "free_text", "text": "Why?", "theme": "trust"}, "theme", "leave both empty"),
        ({"kind": "free_text", "text": "Why?", "segment": "area"}, "segment", "leave both empty"),
        ({"kind": "ranking", "text": "Rank?"}, "kind", "Choose what kind of question"),
    ],
)
def test_a_question_that_does_not_fit_its_kind_or_audience_is_refused(providers, answers, field, message):
    with pytest.raises(CycleError, match=message) as refusal:
        services.question_add(questionnaire=providers, **answers)

    assert refusal.value.field == field
    assert providers.questions.count() == 12


def test_officers_may_be_asked_their_team_but_not_their_area():
    officers = _questionnaire(_start(), Audience.OFFICERS)
    officers.questions.filter(segment=Segment.TEAM).delete()

    question = services.question_add(
        questionnaire=officers, kind=Question.Kind.SEGMENT, segment=Segment.TEAM, text="Your team?"
    )
    assert question.segment == Segment.TEAM
    with pytest.raises(CycleError, match="seniority, team"):
        services.question_add(
            questionnaire=officers, kind=Question.Kind.SEGMENT, segment=Segment.AREA, text="?"
        )


def test_a_question_is_changed_in_its_place(providers):
    question = providers.questions.get(segment=Segment.AREA)

    services.question_update(
        question=question, kind=Question.Kind.SEGMENT, segment=Segment.AREA, text="Where do you mostly work?"
    )

    question.refresh_from_db()
    assert (question.position, question.text) == (11, "Where do you mostly work?")


def test_a_question_may_become_another_kind(providers):
    question = providers.questions.get(kind=Question.Kind.FREE_TEXT)

    services.question_update(
        question=question,
        kind=Question.Kind.AGREEMENT,
        theme=RelationshipTheme.TRUST,
        text="Trust is growing",
    )

    question.refresh_from_db()
    assert (question.kind, question.theme) == (Question.Kind.AGREEMENT, RelationshipTheme.TRUST)


def test_removing_a_question_moves_the_later_ones_up_a_place(providers):
    texts = _texts(providers)

    services.question_remove(question=providers.questions.get(position=2))

    assert _texts(providers) == texts[:1] + texts[2:]
    assert list(providers.questions.order_by("position").values_list("position", flat=True)) == list(
        range(1, 12)
    )


def test_moving_a_question_up_or_down_swaps_it_with_its_neighbour(providers):
    texts = _texts(providers)

    services.question_move(question=providers.questions.get(position=3), direction="up")
    assert _texts(providers) == [texts[0], texts[2], texts[1], *texts[3:]]

    services.question_move(question=providers.questions.get(text=texts[2]), direction="down")
    assert _texts(providers) == texts


def test_the_first_question_cannot_move_up_nor_the_last_down(providers):
    with pytest.raises(CycleError, match=services.FIRST_ALREADY):
        services.question_move(question=providers.questions.get(position=1), direction="up")
    with pytest.raises(CycleError, match=services.LAST_ALREADY):
        services.question_move(question=providers.questions.get(position=12), direction="down")
    with pytest.raises(CycleError, match="up or down"):
        services.question_move(question=providers.questions.get(position=2), direction="sideways")


# Copying last year's questionnaire


def test_copying_replaces_the_questions_with_the_latest_earlier_years_of_the_same_audience():
    older = _start(2088)
    _questionnaire(older).questions.update(text="Asked in 2088")
    last_year = _start(2089)
    last_providers = _questionnaire(last_year)
    services.question_remove(question=last_providers.questions.get(position=1))
    services.question_add(questionnaire=last_providers, kind=Question.Kind.FREE_TEXT, text="What went well?")
    SurveyCycle.objects.filter(pk__in=[older.pk, last_year.pk]).update(
        opens_on=_days(-400), closes_on=_days(-370)
    )
    this_year = _questionnaire(_start(2090))

    services.questionnaire_copy(questionnaire=this_year)

    this_year.refresh_from_db()
    assert this_year.copied_from == last_providers
    assert _texts(this_year) == _texts(last_providers)
    assert _texts(this_year)[-1] == "What went well?"
    copied = this_year.questions.get(position=10)
    assert (copied.kind, copied.segment, copied.hint) == (
        Question.Kind.SEGMENT,
        Segment.AREA,
        services.SEGMENT_HINT,
    )


def test_copying_with_no_earlier_questionnaire_is_refused_and_keeps_the_questions(providers):
    texts = _texts(providers)

    with pytest.raises(
        CycleError, match="There is no questionnaire for providers from an earlier year to copy"
    ):
        services.questionnaire_copy(questionnaire=providers)

    assert _texts(providers) == texts
