"""Signing up to the current version of the New Deal.

A provider organisation signs through one of its own portal users who declares they are entitled to act for it
(the owner, a director, the nominated individual or someone they have authorised), giving their name and role.
An officer signs in person, through the who's-who entry linked to their sign-in. Each signs a version once; only
the current version can be signed.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import Officer, ProviderOrganisation
from principles.models import OfficerSignUp, PrinciplesVersion, ProviderSignUp

from .versions import PrinciplesError

NOT_ENTITLED = "Confirm that you are entitled to act for your organisation"
NO_NAME = "Enter your full name"
NO_ROLE = "Enter your role in the organisation"
NOT_YOUR_ORGANISATION = "You can only sign up for the organisation you belong to"
NO_OFFICER_RECORD = (
    "Your sign-in is not linked to an entry in the who's-who, so you cannot sign up yet: ask a directory editor "
    "to link your entry to your sign-in"
)


def not_current(version: PrinciplesVersion, current: PrinciplesVersion | None) -> str:
    if current is None or not version.is_published:
        return f"Version {version.number} is not published, so it cannot be signed"
    return f"Version {version.number} has been replaced: read and sign the current version, version {current.number}"


def already_signed(sign_up: ProviderSignUp | OfficerSignUp) -> str:
    when = timezone.localtime(sign_up.signed_at)
    if isinstance(sign_up, ProviderSignUp):
        return (
            f"Your organisation already signed version {sign_up.version.number} on {when:%-d %B %Y}, "
            f"by {sign_up.signer_name} ({sign_up.signer_role})"
        )
    return f"You already signed version {sign_up.version.number} on {when:%-d %B %Y}"


def _current_locked(version: PrinciplesVersion) -> PrinciplesVersion:
    """The version, locked so that it cannot be replaced while it is signed; refused unless it is the current one.

    Publishing locks the current version too, so a sign-up waits for a publication under way and then sees it.
    """
    locked = PrinciplesVersion.objects.select_for_update().get(pk=version.pk)
    current = PrinciplesVersion.objects.current()
    if current is None or locked.pk != current.pk:
        raise PrinciplesError(not_current(locked, current))
    return locked


def provider_sign_up(
    *,
    version: PrinciplesVersion,
    organisation: ProviderOrganisation,
    by,
    signer_name: str,
    signer_role: str,
    entitled: bool,
) -> ProviderSignUp:
    """Sign the current version for `organisation`, which must be the signer's own."""
    if by.provider_organisation_id != organisation.pk:
        raise PrinciplesError(NOT_YOUR_ORGANISATION)
    if not entitled:
        raise PrinciplesError(NOT_ENTITLED, field="entitled")
    if not signer_name.strip():
        raise PrinciplesError(NO_NAME, field="signer_name")
    if not signer_role.strip():
        raise PrinciplesError(NO_ROLE, field="signer_role")
    with transaction.atomic():
        version = _current_locked(version)
        existing = ProviderSignUp.objects.filter(version=version, organisation=organisation).first()
        if existing is not None:
            raise PrinciplesError(already_signed(existing))
        sign_up = ProviderSignUp(
            version=version,
            organisation=organisation,
            signed_by=by,
            signer_name=signer_name.strip(),
            signer_role=signer_role.strip(),
            signed_at=timezone.now(),
        )
        _save(sign_up)
    return sign_up


def officer_sign_up(*, version: PrinciplesVersion, officer: Officer | None, by) -> OfficerSignUp:
    """Sign the current version in person."""
    if officer is None or officer.user_id != by.pk:
        raise PrinciplesError(NO_OFFICER_RECORD)
    with transaction.atomic():
        version = _current_locked(version)
        existing = OfficerSignUp.objects.filter(version=version, officer=officer).first()
        if existing is not None:
            raise PrinciplesError(already_signed(existing))
        sign_up = OfficerSignUp(version=version, officer=officer, signed_by=by, signed_at=timezone.now())
        _save(sign_up)
    return sign_up


def _save(sign_up: ProviderSignUp | OfficerSignUp) -> None:
    try:
        with transaction.atomic():
            sign_up.save()
            # The coverage figures kept for this version are counted again (selectors.coverage).
            PrinciplesVersion.objects.filter(pk=sign_up.version_id).update(last_signed_at=sign_up.signed_at)
    except IntegrityError as error:
        # Someone else signed the same version for the same organisation a moment ago.
        raise PrinciplesError(
            f"Version {sign_up.version.number} has just been signed: there is nothing more to do"
        ) from error
