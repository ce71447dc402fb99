from .direction import CommercialOpportunity, CommissioningIntention, MarketPositionStatement
from .fees import FeeExplanation
from .publishing import Published
from .subscriptions import Subscription

__all__ = [
    "CommercialOpportunity",
    "CommissioningIntention",
    "FeeExplanation",
    "MarketPositionStatement",
    "Published",
    "Subscription",
]
