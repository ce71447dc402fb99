from .cycles import (
    OFFICER_SEGMENTS,
    PROVIDER_SEGMENTS,
    Audience,
    ProviderSize,
    Question,
    Questionnaire,
    Segment,
    SurveyCycle,
)
from .responses import Answer, Invitation, KeptSurveyResults, Response, SentAnswers

__all__ = [
    "OFFICER_SEGMENTS",
    "PROVIDER_SEGMENTS",
    "Answer",
    "Audience",
    "Invitation",
    "KeptSurveyResults",
    "ProviderSize",
    "Question",
    "Questionnaire",
    "Response",
    "Segment",
    "SentAnswers",
    "SurveyCycle",
]
