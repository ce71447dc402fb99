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
from .responses import Answer, Invitation, KeptSurveyResults, Response

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
    "SurveyCycle",
]
