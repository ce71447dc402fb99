"""Keeping the engagement groups: the groups themselves, their terms of reference and their maturity.

Terms of reference are never changed in place: each change is a new version, numbered one after the last,
so every version stays on record with its approval and review dates.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from directory.models import Area, Officer
from engagement.models import EngagementGroup, MaturityAssessment, TermsOfReference
from portal.service_errors import ServiceError
from portal.slugs import unique_slug

REVIEW_BEFORE_APPROVAL = "The review date must be after the approval date"
APPROVAL_IN_FUTURE = "The approval date must be today or in the past"
ASSESSMENT_IN_FUTURE = "The date of the assessment must be today or in the past"
NAME_TAKEN = "There is already a group with this name"


class GroupError(ServiceError):
    """A change to a group that cannot be made."""


# Addresses under /engagement/groups/ that are pages, not groups.
RESERVED_SLUGS = frozenset({"new", "terms-due"})


def _check_name(name: str, *, exclude_pk: int | None = None) -> None:
    if EngagementGroup.objects.exclude(pk=exclude_pk).filter(name__iexact=name).exists():
        raise GroupError(NAME_TAKEN, field="name")


def group_create(
    *,
    by,
    name: str,
    kind: str,
    purpose: str,
    chair: Officer | None = None,
    area: Area | None = None,
    meeting_frequency: str = EngagementGroup.Frequency.QUARTERLY,
    member_officers=(),
    member_providers=(),
    member_associations=(),
    is_active: bool = True,
) -> EngagementGroup:
    name = name.strip()
    with transaction.atomic():
        _check_name(name)
        group = EngagementGroup(
            name=name,
            slug=unique_slug(EngagementGroup, name, fallback="group", reserved=RESERVED_SLUGS),
            kind=kind,
            purpose=purpose,
            chair=chair,
            area=area,
            meeting_frequency=meeting_frequency,
            is_active=is_active,
        )
        group._history_user = by
        try:
            with transaction.atomic():
                group.save()
        except IntegrityError as error:
            raise GroupError(NAME_TAKEN, field="name") from error
        group.member_officers.set(member_officers)
        group.member_providers.set(member_providers)
        group.member_associations.set(member_associations)
    return group


def group_update(
    *,
    group: EngagementGroup,
    by,
    name: str,
    kind: str,
    purpose: str,
    chair: Officer | None = None,
    area: Area | None = None,
    meeting_frequency: str = EngagementGroup.Frequency.QUARTERLY,
    member_officers=(),
    member_providers=(),
    member_associations=(),
    is_active: bool = True,
) -> EngagementGroup:
    """Change a group; its slug, and so its address, stays the same."""
    name = name.strip()
    with transaction.atomic():
        group = EngagementGroup.objects.select_for_update().get(pk=group.pk)
        _check_name(name, exclude_pk=group.pk)
        group.name, group.kind, group.purpose = name, kind, purpose
        group.chair, group.area, group.meeting_frequency, group.is_active = (
            chair,
            area,
            meeting_frequency,
            is_active,
        )
        group._history_user = by
        group.save()
        group.member_officers.set(member_officers)
        group.member_providers.set(member_providers)
        group.member_associations.set(member_associations)
    return group


def terms_check_dates(*, approved_on: dt.date, review_on: dt.date, today: dt.date | None = None) -> None:
    if approved_on > (today or timezone.localdate()):
        raise GroupError(APPROVAL_IN_FUTURE, field="approved_on")
    if review_on <= approved_on:
        raise GroupError(REVIEW_BEFORE_APPROVAL, field="review_on")


def terms_create(
    *,
    group: EngagementGroup,
    by,
    purpose: str,
    membership: str,
    decision_making: str,
    approved_on: dt.date,
    review_on: dt.date,
    frequency_and_quorum: str = "",
) -> TermsOfReference:
    """Add the next version of a group's terms of reference; earlier versions are kept as they were."""
    terms_check_dates(approved_on=approved_on, review_on=review_on)
    with transaction.atomic():
        # Locked, so that two managers adding a version at once get versions n+1 and n+2.
        EngagementGroup.objects.select_for_update().only("pk").get(pk=group.pk)
        previous = group.terms_of_reference.aggregate(version=Max("version"), approved_on=Max("approved_on"))
        if previous["approved_on"] and approved_on < previous["approved_on"]:
            raise GroupError(
                f"The approval date must be on or after {previous['approved_on']:%-d %B %Y}, "
                f"when version {previous['version']} was approved",
                field="approved_on",
            )
        return TermsOfReference.objects.create(
            group=group,
            version=(previous["version"] or 0) + 1,
            purpose=purpose,
            membership=membership,
            decision_making=decision_making,
            frequency_and_quorum=frequency_and_quorum,
            approved_on=approved_on,
            review_on=review_on,
            approved_by=by,
        )


def maturity_assess(
    *,
    group: EngagementGroup,
    by,
    assessed_on: dt.date,
    ratings: dict[str, int],
    notes: str = "",
) -> MaturityAssessment:
    """Record how established a group is today; earlier assessments stay as its history."""
    if assessed_on > timezone.localdate():
        raise GroupError(ASSESSMENT_IN_FUTURE, field="assessed_on")
    missing = [name for name in MaturityAssessment.CRITERIA if ratings.get(name) not in range(1, 5)]
    if missing:
        raise GroupError("Rate the group from 1 to 4 on every criterion", field=missing[0])
    with transaction.atomic():
        return MaturityAssessment.objects.create(
            group=group,
            assessed_on=assessed_on,
            assessed_by=by,
            notes=notes,
            **{name: ratings[name] for name in MaturityAssessment.CRITERIA},
        )
