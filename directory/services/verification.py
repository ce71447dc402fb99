"""Keeping the who's-who checked: owners confirm entries, and are reminded once a month of those gone stale."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from directory.models import Officer, Responsibility, Team, VerificationReminder
from directory.selectors.verification import stale_entries_by_owner
from portal.models import User

from .entries import entry_save

ENTRY_PAGES = {
    Officer: "directory:manage-officer-detail",
    Team: "directory:manage-team-detail",
    Responsibility: "directory:manage-responsibility-detail",
}


def entry_mark_checked(*, entry: Officer | Team | Responsibility, by) -> Officer | Team | Responsibility:
    """Record that `by` has confirmed the entry is right today."""
    with transaction.atomic():
        entry.last_verified_on = timezone.localdate()
        entry_save(entry, by=by, reason="Marked as checked", update_fields=["last_verified_on", "updated_at"])
    return entry


def entry_url(entry: Officer | Team | Responsibility) -> str:
    """The entry's page as a full address, for emails."""
    return f"{settings.SITE_URL}{reverse(ENTRY_PAGES[type(entry)], args=[entry.pk])}"


def stale_entry_reminders_send(*, month: date) -> int:
    """Email each owner the entries they need to check, at most once per owner for the month; return how many
    emails were written.

    The reminder row and the email are written in one transaction, so that an owner is either reminded and
    recorded or neither; the unique (owner, month) reminder makes a second run, or two at once, send nothing more.
    """
    month = month.replace(day=1)
    stale = stale_entries_by_owner()
    already = set(
        VerificationReminder.objects.filter(month=month, owner_id__in=stale).values_list(
            "owner_id", flat=True
        )
    )
    owners = User.objects.filter(is_active=True).in_bulk(
        [owner_id for owner_id in stale if owner_id not in already]
    )
    sent = 0
    for owner_id, entries in stale.items():
        owner = owners.get(owner_id)
        if owner is None:
            continue
        with transaction.atomic():
            _, created = VerificationReminder.objects.get_or_create(
                owner=owner, month=month, defaults={"entries": len(entries)}
            )
            if not created:
                continue
            _reminder_email(owner=owner, entries=entries, month=month).send()
            sent += 1
    return sent


def _reminder_email(*, owner: User, entries: list, month: date) -> EmailMessage:
    context = {
        "owner": owner,
        "month": month,
        "entries": [(stale, entry_url(stale.entry)) for stale in entries],
        "needs_checking_url": f"{settings.SITE_URL}{reverse('directory:needs-checking')}?owner=mine",
        "stale_after_days": settings.DIRECTORY_STALE_AFTER_DAYS,
        "service_name": settings.SERVICE_NAME,
    }
    count = len(entries)
    return EmailMessage(
        subject=f"{count} who's-who entr{'ies' if count != 1 else 'y'} to check for {month:%B %Y}",
        body=render_to_string("directory/editing/email/stale_entries.txt", context),
        to=[owner.email],
    )
