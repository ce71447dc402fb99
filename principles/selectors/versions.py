"""Reads of the New Deal's versions and of one person's or organisation's sign-up."""

from django.db.models import Subquery
from django.http import Http404

from directory.models import Officer
from portal.permissions import is_council_staff
from principles.models import OfficerSignUp, PrinciplesVersion, ProviderSignUp


def sees_drafts(user) -> bool:
    """Council staff read drafts; for anyone else a draft does not exist."""
    return is_council_staff(user) and user.has_perm("principles.view_principlesversion")


def versions_visible_to(user):
    versions = PrinciplesVersion.objects.select_related("published_by")
    return versions if sees_drafts(user) else versions.published()


def version_for(user, number: int) -> PrinciplesVersion:
    """One version by its number: a 404 for a draft the user may not see."""
    version = versions_visible_to(user).filter(number=number).first()
    if version is None:
        raise Http404("No such version of the New Deal")
    return version


def any_version(number: int) -> PrinciplesVersion:
    """For engagement managers, whose permission is checked first: drafts and published versions alike."""
    version = PrinciplesVersion.objects.filter(number=number).first()
    if version is None:
        raise Http404("No such version of the New Deal")
    return version


def current_draft() -> PrinciplesVersion | None:
    return PrinciplesVersion.objects.filter(status=PrinciplesVersion.Status.DRAFT).first()


def version_history(user) -> list[PrinciplesVersion]:
    return list(versions_visible_to(user).order_by("-number"))


def current_version() -> PrinciplesVersion | None:
    return PrinciplesVersion.objects.current()


def provider_sign_up_for(*, version: PrinciplesVersion, organisation_id: int) -> ProviderSignUp | None:
    return (
        ProviderSignUp.objects.filter(version=version, organisation_id=organisation_id)
        .select_related("version")
        .first()
    )


def officer_sign_up_for(*, version: PrinciplesVersion, officer_id: int | None) -> OfficerSignUp | None:
    if officer_id is None:
        return None
    return (
        OfficerSignUp.objects.filter(version=version, officer_id=officer_id).select_related("version").first()
    )


def _latest(sign_ups, field: str):
    return Subquery(sign_ups.order_by("-version__number").values(field)[:1])


def current_with_provider_status(organisation_id: int) -> PrinciplesVersion | None:
    """The current version, with the organisation's latest sign-up (of any version) on it: one query.

    `signed_number` is the number of the latest version the organisation signed, `signed_at` and `signer_name` when
    and by whom; all None when it never signed.
    """
    sign_ups = ProviderSignUp.objects.filter(organisation_id=organisation_id)
    return (
        PrinciplesVersion.objects.published()
        .order_by("-number")
        .annotate(
            signed_number=_latest(sign_ups, "version__number"),
            signed_at=_latest(sign_ups, "signed_at"),
            signer_name=_latest(sign_ups, "signer_name"),
            signer_role=_latest(sign_ups, "signer_role"),
        )
        .first()
    )


def current_with_officer_status(officer_id: int) -> PrinciplesVersion | None:
    """The current version, with the officer's latest sign-up on it, as above: one query."""
    sign_ups = OfficerSignUp.objects.filter(officer_id=officer_id)
    return (
        PrinciplesVersion.objects.published()
        .order_by("-number")
        .annotate(
            signed_number=_latest(sign_ups, "version__number"),
            signed_at=_latest(sign_ups, "signed_at"),
        )
        .first()
    )


def linked_officer(user) -> Officer | None:
    """The who's-who entry linked to the user's sign-in, with its team, if any."""
    return Officer.objects.filter(user=user).select_related("team").first()


def linked_officer_id(user) -> int | None:
    """The who's-who entry linked to the user's sign-in, if any."""
    if user.provider_organisation_id:
        return None
    return Officer.objects.filter(user=user).values_list("pk", flat=True).first()


def search_current(words: list[str]) -> PrinciplesVersion | None:
    """The current version, if its title, text or what changed holds every word."""
    current = current_version()
    if current is None:
        return None
    haystack = f"{current.title}\n{current.body}\n{current.what_changed}".casefold()
    return current if all(word.casefold() in haystack for word in words) else None
