from .checks import RelationshipCheck, RelationshipCheckRating, RelationshipCheckResponse
from .evaluation import Evaluation, Lesson, ObjectiveOutcome
from .pilots import PartnershipPilot, PilotPartner, ProcurementRecord, Stage, StageChange, StrategicReason
from .plan import Milestone, Objective, ProgressEntry, Risk

__all__ = [
    "Evaluation",
    "Lesson",
    "Milestone",
    "Objective",
    "ObjectiveOutcome",
    "PartnershipPilot",
    "PilotPartner",
    "ProcurementRecord",
    "ProgressEntry",
    "RelationshipCheck",
    "RelationshipCheckRating",
    "RelationshipCheckResponse",
    "Risk",
    "Stage",
    "StageChange",
    "StrategicReason",
]
