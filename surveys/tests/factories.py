"""Factories for the relationship survey."""

import datetime as dt

import factory
from django.utils import timezone

from portal.relationship_themes import RelationshipTheme
from surveys.models import Answer, Audience, Invitation, Question, Questionnaire, Response, SurveyCycle


def today() -> dt.date:
    return timezone.localdate()


class SurveyCycleFactory(factory.django.DjangoModelFactory):
    """An open cycle by default: opened a week ago, closing in three weeks."""

    class Meta:
        model = SurveyCycle
        django_get_or_create = ["year"]

    year = factory.Sequence(lambda n: 2000 + n)
    opens_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: today() + dt.timedelta(days=21))
    response_rate_target = 50
    reminder_days_after_opening = factory.LazyFunction(lambda: [7, 14])
    reminder_days_before_closing = factory.LazyFunction(lambda: [2])


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    cycle = factory.SubFactory(SurveyCycleFactory)
    audience = Audience.PROVIDERS
    introduction = "Tell us how the relationship with the council is going."


class AgreementQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Question.Kind.AGREEMENT
    theme = RelationshipTheme.TRUST
    text = "We trust each other."


class FreeTextQuestionFactory(AgreementQuestionFactory):
    kind = Question.Kind.FREE_TEXT
    theme = ""
    text = "What one thing would most improve the relationship?"


class SegmentQuestionFactory(AgreementQuestionFactory):
    kind = Question.Kind.SEGMENT
    theme = ""
    segment = "area"
    text = "Which area do you mostly work in?"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    cycle = factory.SubFactory(SurveyCycleFactory)
    audience = Audience.PROVIDERS
    email = factory.Sequence(lambda n: f"respondent{n}@provider.example.org")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    cycle = factory.SelfAttribute("questionnaire.cycle")
    audience = factory.SelfAttribute("questionnaire.audience")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        AgreementQuestionFactory, questionnaire=factory.SelfAttribute("..response.questionnaire")
    )
    score = 4
