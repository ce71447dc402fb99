from .activities import Activity, Booking
from .enquiries import Enquiry, EnquiryAttachment, EnquiryEvent, EnquiryTarget, KeptEnquiryFigures
from .followup import Action, ActivityNote, Feedback, YouSaidWeDid
from .groups import EngagementGroup, MaturityAssessment, TermsOfReference

__all__ = [
    "Action",
    "Activity",
    "ActivityNote",
    "Booking",
    "EngagementGroup",
    "Enquiry",
    "EnquiryAttachment",
    "EnquiryEvent",
    "EnquiryTarget",
    "KeptEnquiryFigures",
    "Feedback",
    "MaturityAssessment",
    "TermsOfReference",
    "YouSaidWeDid",
]
