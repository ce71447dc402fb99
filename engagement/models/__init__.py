from .activities import Activity, Booking
from .followup import Action, ActivityNote, Feedback, YouSaidWeDid
from .groups import EngagementGroup, MaturityAssessment, TermsOfReference

__all__ = [
    "Action",
    "Activity",
    "ActivityNote",
    "Booking",
    "EngagementGroup",
    "Feedback",
    "MaturityAssessment",
    "TermsOfReference",
    "YouSaidWeDid",
]
