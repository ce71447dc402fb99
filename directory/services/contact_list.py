"""Making a version of the contact list: the PDF rendered once, stored with its checksum, recorded."""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from directory.contact_list import contact_list_pdf
from directory.models import ContactListVersion
from directory.selectors.contact_list import previous_version_made_at


class ContactListError(Exception):
    """A version of the contact list could not be made."""


def contact_list_version_create(*, made_by=None, as_of: date | None = None) -> ContactListVersion:
    """Render the contact list of `as_of` (today by default), with the changes since the previous version, and keep it.

    The file is written before its row; if the row cannot be saved, the file is deleted again. (Should a caller's
    own transaction roll back afterwards, the file stays behind, named by no version.)
    """
    as_of = as_of or timezone.localdate()
    # Rendered before the transaction opens: it takes seconds, and writes nothing.
    pdf, page_count = contact_list_pdf(as_of=as_of, changes_since=previous_version_made_at())
    version = ContactListVersion(
        version_date=as_of,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size_bytes=len(pdf),
        page_count=page_count,
        made_by=made_by,
    )
    with transaction.atomic():
        try:
            version.file.save(f"contact-list-{as_of:%Y-%m-%d}.pdf", ContentFile(pdf), save=False)
        except OSError as error:
            raise ContactListError(f"The contact list could not be stored: {error}") from error
        try:
            version.save()
        except BaseException:
            version.file.storage.delete(version.file.name)
            raise
    return version
