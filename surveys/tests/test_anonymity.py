"""Anonymity: nothing stored, shown or logged can join a response to its invitation or its person."""

import datetime as dt
import logging
import uuid

import pytest
from django.db import models
from django.forms.models import model_to_dict
from django.urls import reverse

from directory.models import Officer, ProviderPerson
from directory.tests import factories as directory_factories
from surveys.models import Answer, Invitation, Response
from surveys.services.invitations import invitations_send, reminders_send
from surveys.services.responses import cycle_close, response_submit
from surveys.tests import factories
from surveys.tests.test_responses import answer_url, field, full_answers, provider_survey

pytestmark = pytest.mark.django_db

PERSONAL_MODELS = {Invitation, ProviderPerson, Officer}
TIME_FIELDS = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)
PERSONAL_WORDS = (
    "invitation",
    "token",
    "email",
    "person",
    "officer",
    "user",
    "name",
    "created",
    "updated",
    "sent",
)


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


@pytest.mark.parametrize("model", [Response, Answer])
def test_a_response_and_its_answers_have_no_field_for_an_invitation_a_person_a_user_or_a_time(model):
    for model_field in model._meta.get_fields():
        related = model_field.related_model
        assert related not in PERSONAL_MODELS | {_user_model()}, f"{model.__name__}.{model_field.name}"
        assert not isinstance(model_field, TIME_FIELDS), f"{model.__name__}.{model_field.name}"
        assert not any(word in model_field.name for word in PERSONAL_WORDS), (
            f"{model.__name__}.{model_field.name}"
        )


def test_an_invitation_has_no_field_that_could_point_at_a_response():
    for model_field in Invitation._meta.get_fields():
        assert model_field.related_model not in {Response, Answer}, model_field.name


@pytest.fixture
def survey():
    return provider_survey()


@pytest.fixture
def person():
    provider = directory_factories.ProviderOrganisationFactory(name="Willow Lodge", people_supported=12)
    return directory_factories.ProviderPersonFactory(
        provider=provider,
        full_name="Priya Patel",
        role=ProviderPerson.Role.NOMINATED_INDIVIDUAL,
        email="priya.patel@willow.example.org",
    )


@pytest.fixture
def invitation(survey, person):
    return factories.InvitationFactory(
        cycle=survey.questionnaire.cycle, provider_person=person, email=person.email
    )


def test_after_answering_nothing_in_the_invitation_points_at_the_response(client, survey, invitation):
    sent = client.post(answer_url(invitation), {**full_answers(survey), "send": ""})

    response = Response.objects.get()
    invitation.refresh_from_db()
    stored = repr(model_to_dict(invitation)) + repr(invitation.reminders_sent) + repr(invitation.draft)
    assert str(response.pk) not in stored and response.pk.hex not in stored
    assert invitation.used and invitation.draft is None
    # The page after sending names neither the response nor the invitation.
    assert sent["Location"] == reverse("surveys:respond-thanks")


def test_a_responses_key_is_random_not_in_the_order_responses_came_in(survey):
    keys = []
    for _ in range(20):
        invitation = factories.InvitationFactory(cycle=survey.questionnaire.cycle)
        before = set(Response.objects.values_list("pk", flat=True))
        response_submit(invitation=invitation, answers={str(survey.trust.pk): "3"})
        (key,) = set(Response.objects.values_list("pk", flat=True)) - before
        keys.append(key)

    assert all(isinstance(key, uuid.UUID) and key.version == 4 for key in keys)
    assert sorted(keys) != keys and sorted(keys, key=str) != keys
    assert len(set(keys)) == 20


def test_half_finished_answers_are_kept_in_an_order_unrelated_to_the_invitations():
    cycle = factories.SurveyCycleFactory(
        year=2026, opens_on=dt.date(2026, 5, 1), closes_on=dt.date(2026, 5, 31)
    )
    survey = provider_survey(cycle)
    for number in range(10):
        factories.InvitationFactory(cycle=cycle, draft={str(survey.comment.pk): f"draft {number:02}"})

    cycle_close(cycle=cycle, today=dt.date(2026, 6, 1))

    kept = list(Answer.objects.order_by("pk").values_list("text", flat=True))
    assert sorted(kept) == [f"draft {number:02}" for number in range(10)]
    assert kept != sorted(kept)


def test_the_answering_page_shows_nothing_of_the_person(client, survey, invitation, person):
    html = client.get(answer_url(invitation)).content.decode()

    assert person.email not in html and person.full_name not in html and person.provider.name not in html


class _KeepRecords(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Django's templates note each missing variable at DEBUG with the whole context, request and all: the
        # portal never logs django.template at DEBUG (see the report on LOGGING), so those notes are left out.
        if record.name == "django.template" and record.levelno < logging.INFO:
            return
        self.records.append(record)


@pytest.fixture
def log_records():
    """Every log record at any level, from any logger (the run disables pytest's own log capture)."""
    handler = _KeepRecords()
    root = logging.getLogger()
    loggers = [root] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        if logger is root or not logger.propagate:
            logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)
        logger.setLevel(levels[logger])


def _logged_text(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s %(message)s %(pathname)s")
    return "\n".join(
        formatter.format(record) + repr(record.args) + repr(record.__dict__) for record in records
    )


def test_answering_logs_nothing_of_the_token_or_the_person(client, survey, invitation, person, log_records):
    url = answer_url(invitation)
    client.get(url)
    client.post(url, {field(survey.trust): "6", "send": ""})  # an answer outside the scale
    client.post(url, {field(survey.trust): "2", "save": ""})
    client.get(url)
    client.post(url, {**full_answers(survey), "send": ""})
    client.get(url)  # already answered

    assert Response.objects.count() == 1
    logged = _logged_text(log_records)
    for secret in (invitation.token, person.email, person.full_name, str(Response.objects.get().pk)):
        assert secret not in logged


def test_inviting_reminding_and_closing_log_nothing_of_tokens_or_people(survey, person, users, log_records):
    cycle = survey.questionnaire.cycle

    invitations_send(cycle=cycle, sent_by=users["manager"])
    invitation = Invitation.objects.get(provider_person=person)
    invitation.draft = {str(survey.trust.pk): "4"}
    invitation.save()
    assert reminders_send(today=cycle.opens_on + dt.timedelta(days=7)) == 1
    assert cycle_close(cycle=cycle, today=cycle.closes_on + dt.timedelta(days=1)) == 1

    logged = _logged_text(log_records)
    assert "invitations sent" in logged and "half-finished responses kept" in logged
    for secret in (invitation.token, person.email, person.full_name):
        assert secret not in logged


def test_answers_left_aside_by_a_failed_filing_are_filed_by_the_sweep(survey, monkeypatch):
    from surveys.models import SentAnswers
    from surveys.services import responses as services
    from surveys.tasks import file_sent_answers

    invitation = factories.InvitationFactory(cycle=survey.questionnaire.cycle)
    monkeypatch.setattr(
        services, "sent_answers_file", lambda **kwargs: []
    )  # the second transaction never ran
    response_submit(invitation=invitation, answers={str(survey.trust.pk): "5"})
    assert (Response.objects.count(), SentAnswers.objects.count()) == (0, 1)
    monkeypatch.undo()

    file_sent_answers.delay()
    file_sent_answers.delay()

    assert SentAnswers.objects.count() == 0
    assert list(Response.objects.values_list("answers__score", flat=True)) == [5]


def _stamps(table: str, where: str = "", params=()) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table} {where}", params)  # noqa: S608 - names from the test
        return [stamp for (stamp,) in cursor.fetchall()]


@pytest.mark.filing_in_groups
@pytest.mark.django_db(transaction=True)
def test_answers_wait_until_enough_are_sent_and_are_then_filed_together(settings):
    """One response filed on its own, just after its invitation was used, could be matched to it by the order of
    the database's transactions: they are filed ten at a time, and the used invitations written again with them."""
    from django.db import connection

    from surveys.models import SentAnswers

    if connection.vendor != "postgresql":
        pytest.skip("transaction stamps are PostgreSQL's")
    assert settings.SURVEY_FILING_GROUP == settings.SURVEY_MINIMUM_GROUP_SIZE == 10
    cycle = factories.SurveyCycleFactory(year=2026)
    survey = provider_survey(cycle)
    invitations = factories.InvitationFactory.create_batch(10, cycle=cycle)

    for invitation in invitations[:9]:
        response_submit(invitation=invitation, answers={str(survey.trust.pk): "4"})
    assert (Response.objects.count(), SentAnswers.objects.count()) == (0, 9)
    assert len(set(_stamps("surveys_invitation", "WHERE used"))) == 9

    response_submit(invitation=invitations[9], answers={str(survey.trust.pk): "2"})

    assert (Response.objects.count(), SentAnswers.objects.count()) == (10, 0)
    filed = set(_stamps("surveys_response")) | set(_stamps("surveys_answer"))
    assert len(filed) == 1, "the ten were filed in one transaction"
    assert set(_stamps("surveys_invitation", "WHERE used")) == filed, (
        "and the invitations written again with them"
    )


@pytest.mark.filing_in_groups
def test_what_waits_when_a_cycle_closes_is_filed_however_few():
    import datetime as dt

    from surveys.models import SentAnswers
    from surveys.services.responses import cycle_close

    cycle = factories.SurveyCycleFactory(
        year=2026, opens_on=dt.date(2026, 5, 1), closes_on=dt.date(2026, 5, 31)
    )
    survey = provider_survey(cycle)
    for invitation in factories.InvitationFactory.create_batch(3, cycle=cycle):
        invitation.draft = {str(survey.trust.pk): "5"}
        invitation.save()
        SentAnswers.objects.create(questionnaire=survey.questionnaire, answers=[[survey.trust.pk, 3, ""]])

    cycle_close(cycle=cycle, today=dt.date(2026, 6, 1))

    assert SentAnswers.objects.count() == 0
    assert Response.objects.filter(cycle=cycle).count() == 6
