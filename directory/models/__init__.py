from .circulation import CirculationDelivery, CirculationRun, ContactListVersion
from .council import Directorate, Officer, Team
from .handover import Handover
from .providers import ContactProposal, ProviderAssociation, ProviderOrganisation, ProviderPerson
from .reference import Area, ClientGroup, ServiceType, Topic
from .responsibilities import Responsibility
from .verification import VerificationReminder

__all__ = [
    "CirculationDelivery",
    "CirculationRun",
    "ContactListVersion",
    "Area",
    "ClientGroup",
    "ContactProposal",
    "Directorate",
    "Handover",
    "Officer",
    "ProviderAssociation",
    "ProviderOrganisation",
    "ProviderPerson",
    "Responsibility",
    "ServiceType",
    "Team",
    "Topic",
    "VerificationReminder",
]
