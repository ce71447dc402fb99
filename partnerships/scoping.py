"""What of the partnership pilots each visitor may see: the one place these rules are written.

Every signed-in visitor sees the register. Council staff see everything, drafts included. Provider users see
published pilots and, in them, only what is open: never the commercial details or internal notes (those fields are
simply not shown), risks or progress entries marked internal, or evaluations still in draft (nor their lessons).
A pilot a provider may not see is a 404, because it is left out of the queryset.
"""

from django.db.models import QuerySet

from partnerships.models import Evaluation, Lesson, PartnershipPilot, ProgressEntry, Risk
from portal.permissions import is_council_staff


def sees_everything(user) -> bool:
    """Council staff: drafts, internal entries, commercial details and internal notes."""
    return is_council_staff(user)


def pilots_visible_to(user) -> QuerySet[PartnershipPilot]:
    pilots = PartnershipPilot.objects.all()
    return pilots if sees_everything(user) else pilots.filter(is_published=True)


def risks_visible_to(user) -> QuerySet[Risk]:
    risks = Risk.objects.all()
    return risks if sees_everything(user) else risks.filter(is_internal=False, pilot__is_published=True)


def progress_visible_to(user) -> QuerySet[ProgressEntry]:
    entries = ProgressEntry.objects.all()
    return entries if sees_everything(user) else entries.filter(is_internal=False, pilot__is_published=True)


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    evaluations = Evaluation.objects.all()
    if sees_everything(user):
        return evaluations
    return evaluations.filter(is_published=True, pilot__is_published=True)


def lessons_visible_to(user) -> QuerySet[Lesson]:
    """The lessons library: providers see lessons of published evaluations of published pilots."""
    lessons = Lesson.objects.all()
    if sees_everything(user):
        return lessons
    return lessons.filter(evaluation__is_published=True, pilot__is_published=True)
