"""What may be attached to an enquiry: a few kinds of document, each checked by its name and by its content.

A file's name says what it claims to be; its first bytes (or, for Word and Excel files, the parts inside the zip)
say what it is. Both must agree, so a program renamed to .pdf is refused. The stored content type comes from this
check, never from what the browser said.
"""

import codecs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

MAX_ATTACHMENTS = 5
# Enough of a file to see what it is.
_HEAD_BYTES = 64 * 1024
# A Word or Excel file claiming more than this once unzipped is a zip bomb, not a document.
_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024


class AttachmentError(ValueError):
    """A file that may not be attached; the message says which and why."""


def _starts_with(*signatures: bytes) -> Callable[[bytes, UploadedFile], bool]:
    return lambda head, upload: head.startswith(signatures)


def _office_document(part: str) -> Callable[[bytes, UploadedFile], bool]:
    """A Word or Excel file is a zip holding its content types and its main part."""

    def looks_right(head: bytes, upload: UploadedFile) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                unzipped = sum(member.file_size for member in archive.infolist())
        except (zipfile.BadZipFile, OSError, EOFError):
            return False
        return "[Content_Types].xml" in names and part in names and unzipped <= _MAX_UNZIPPED_BYTES

    return looks_right


def _plain_text(head: bytes, upload: UploadedFile) -> bool:
    """A CSV file is text: no NUL bytes, and readable as UTF-8 or as Windows' Western European encoding."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            # Not final: the head may end part-way through a character.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


@dataclass(frozen=True)
class AttachmentKind:
    label: str
    content_type: str
    looks_right: Callable[[bytes, UploadedFile], bool]


_JPEG = AttachmentKind("JPEG image", "image/jpeg", _starts_with(b"\xff\xd8\xff"))
KINDS: dict[str, AttachmentKind] = {
    ".pdf": AttachmentKind("PDF", "application/pdf", _starts_with(b"%PDF-")),
    ".docx": AttachmentKind(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _office_document("word/document.xml"),
    ),
    ".xlsx": AttachmentKind(
        "Excel spreadsheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _office_document("xl/workbook.xml"),
    ),
    ".csv": AttachmentKind("CSV file", "text/csv", _plain_text),
    ".png": AttachmentKind("PNG image", "image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
}
ALLOWED_TEXT = "a PDF, Word document (.docx), Excel spreadsheet (.xlsx), CSV file, PNG or JPEG image"
ACCEPT = ",".join(KINDS)


def max_size_text() -> str:
    return f"{settings.ENQUIRY_ATTACHMENT_MAX_BYTES / (1024 * 1024):g} MB"


@dataclass(frozen=True)
class CheckedAttachment:
    upload: UploadedFile
    original_name: str
    extension: str
    content_type: str


def _original_name(upload: UploadedFile) -> str:
    name = PurePath((upload.name or "").replace("\\", "/")).name or "attachment"
    if len(name) > 200:
        suffix = PurePath(name).suffix[:20]
        name = name[: 200 - len(suffix)] + suffix
    return name


def attachment_check(upload: UploadedFile) -> CheckedAttachment:
    name = _original_name(upload)
    extension = PurePath(name).suffix.lower()
    kind = KINDS.get(extension)
    if kind is None:
        raise AttachmentError(f"{name} must be {ALLOWED_TEXT}")
    if not upload.size:
        raise AttachmentError(f"{name} is empty")
    if upload.size > settings.ENQUIRY_ATTACHMENT_MAX_BYTES:
        raise AttachmentError(f"{name} must be smaller than {max_size_text()}")
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    if not kind.looks_right(head, upload):
        raise AttachmentError(
            f"{name} is not a real {kind.label}. Save it as a {kind.label} and attach it again"
        )
    upload.seek(0)
    return CheckedAttachment(
        upload=upload, original_name=name, extension=extension, content_type=kind.content_type
    )


def attachments_check(uploads: list[UploadedFile]) -> list[CheckedAttachment]:
    """Each file checked, or AttachmentError for the first that may not be attached."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise AttachmentError(f"Attach up to {MAX_ATTACHMENTS} files at a time")
    return [attachment_check(upload) for upload in uploads]
