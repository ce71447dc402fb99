"""Writing and publishing versions of the New Deal.

A version starts as a draft that engagement managers change freely; publishing approves it, records who approved
it and when, and makes it the current version: from then on everyone is asked to sign it, and it never changes
(a change is a new version). There is one draft at a time, so versions are published in the order of their numbers.
Publishing emails each active provider's nominated individuals, through the outbox, to ask them to sign again.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from directory.models import ProviderPerson
from portal.service_errors import ServiceError
from principles.models import PrinciplesVersion

NO_TITLE = "Enter a title"
NO_BODY = "Enter the text of the principles"
NO_WHAT_CHANGED = "Say what changed since the version before"
ALREADY_PUBLISHED = "This version is published, so it can no longer be changed: write a new version instead"
ONLY_MANAGERS = "Only an engagement manager may approve and publish the New Deal"


class PrinciplesError(ServiceError):
    """A change to the New Deal, or a sign-up, that cannot be made."""


def draft_taken(draft: PrinciplesVersion) -> str:
    return f"Version {draft.number} is already a draft: change or publish that one before starting another"


def _check(*, title: str, body: str, what_changed: str, number: int) -> None:
    if not title.strip():
        raise PrinciplesError(NO_TITLE, field="title")
    if not body.strip():
        raise PrinciplesError(NO_BODY, field="body")
    # The first version changes nothing; every later one says what it changes.
    if number > 1 and not what_changed.strip():
        raise PrinciplesError(NO_WHAT_CHANGED, field="what_changed")


def version_create(*, by, title: str, body: str, what_changed: str = "") -> PrinciplesVersion:
    """Start the next version as a draft."""
    with transaction.atomic():
        # Numbers are handed out one at a time: the lock on the draft slot is the unique constraint below.
        draft = PrinciplesVersion.objects.filter(status=PrinciplesVersion.Status.DRAFT).first()
        if draft is not None:
            raise PrinciplesError(draft_taken(draft))
        number = (PrinciplesVersion.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        _check(title=title, body=body, what_changed=what_changed, number=number)
        version = PrinciplesVersion(
            number=number,
            title=title.strip(),
            body=body.strip(),
            what_changed=what_changed.strip(),
            drafted_by=by,
        )
        version._history_user = by
        version._change_reason = "Drafted"
        try:
            with transaction.atomic():
                version.save()
        except IntegrityError as error:
            raise PrinciplesError(
                "Someone else started a new version at the same moment: open the list of versions to find it"
            ) from error
    return version


def version_update(
    *, version: PrinciplesVersion, by, title: str, body: str, what_changed: str = ""
) -> PrinciplesVersion:
    """Change a draft."""
    with transaction.atomic():
        version = PrinciplesVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            raise PrinciplesError(ALREADY_PUBLISHED)
        _check(title=title, body=body, what_changed=what_changed, number=version.number)
        version.title, version.body, version.what_changed = title.strip(), body.strip(), what_changed.strip()
        version._history_user = by
        version._change_reason = "Draft changed"
        version.save()
    return version


def version_publish(*, version: PrinciplesVersion, by) -> PrinciplesVersion:
    """Approve the draft: it becomes the current version, and every sign-up so far is to an earlier one."""
    if not (by.is_active and by.has_perm("principles.publish_principlesversion")):
        raise PrinciplesError(ONLY_MANAGERS)
    with transaction.atomic():
        # The version it replaces is locked too, so that nobody signs that one while it is being replaced.
        current = PrinciplesVersion.objects.current()
        locking = [version.pk] + ([current.pk] if current is not None else [])
        list(PrinciplesVersion.objects.select_for_update().filter(pk__in=locking).order_by("pk"))
        version = PrinciplesVersion.objects.get(pk=version.pk)
        if version.is_published:
            raise PrinciplesError(
                f"Version {version.number} was already published on {version.published_at:%-d %B %Y}"
            )
        _check(
            title=version.title, body=version.body, what_changed=version.what_changed, number=version.number
        )
        version.status = PrinciplesVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = by
        version._history_user = by
        version._change_reason = "Approved and published"
        version.save()
        _email_nominated_individuals(version)
    return version


def _email_nominated_individuals(version: PrinciplesVersion) -> None:
    """Ask each active provider, through its nominated individuals, to sign the new version: through the outbox,
    in the publishing's transaction, one message per provider."""
    people = (
        ProviderPerson.objects.filter(role=ProviderPerson.Role.NOMINATED_INDIVIDUAL, provider__is_active=True)
        .exclude(email="")
        .values_list("provider_id", "provider__name", "email")
        .order_by("provider__name", "pk")
    )
    addresses: dict[int, tuple[str, list[str]]] = {}
    for provider_id, provider_name, email in people:
        addresses.setdefault(provider_id, (provider_name, []))[1].append(email)
    messages = []
    for provider_id, (provider_name, to) in addresses.items():
        context = {
            "version": version,
            "provider_name": provider_name,
            "sign_url": settings.SITE_URL
            + reverse("principles:sign-provider", args=[version.number, provider_id]),
            "council_name": settings.COUNCIL_NAME,
        }
        subject = render_to_string("principles/emails/version_published_subject.txt", context)
        body = render_to_string("principles/emails/version_published.txt", context)
        messages.append(EmailMessage(" ".join(subject.split()), body, to=to))
    if messages:
        get_connection().send_messages(messages)
