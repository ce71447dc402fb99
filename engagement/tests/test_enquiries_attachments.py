"""Enquiry attachments: a few kinds of file, checked by name and content, stored privately, downloaded only when seen."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagement.models import EnquiryAttachment, EnquiryEvent
from engagement.services.enquiries import EnquiryError, enquiry_raise, enquiry_reply
from engagement.tests.factories_enquiries import (
    EnquiryAttachmentFactory,
    EnquiryEventFactory,
    late_payments_desk,
)
from portal.models import OutboxMessage
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


def _office(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<xml/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def desk(provider_a):
    return late_payments_desk(provider_a)


def _raise(desk, attachments):
    return enquiry_raise(
        provider=desk["provider"],
        raised_by=desk["raiser"],
        topic=desk["topic"],
        area=desk["area"],
        service_type=desk["service_type"],
        subject="Invoice 4471 not paid",
        message="Attached.",
        attachments=attachments,
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Invoice 4471.pdf", PDF, "application/pdf"),
        ("remittance.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("photo.jpg", JPEG, "image/jpeg"),
        (
            "letter.docx",
            _office("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "invoices.xlsx",
            _office("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("invoices.csv", "Invoice,Amount\n4471,£1,200\n".encode(), "text/csv"),
        ("old-excel-export.csv", "Invoice,Amount\n4471,£1,200\n".encode("cp1252"), "text/csv"),
    ],
)
def test_each_allowed_kind_is_stored_under_a_random_name_with_its_original_name(
    desk, name, content, content_type
):
    enquiry = _raise(desk, [upload(name, content, content_type="text/plain")])

    attachment = EnquiryAttachment.objects.get()
    assert attachment.enquiry == enquiry
    assert attachment.event == enquiry.events.get(kind=EnquiryEvent.Kind.RAISED)
    assert attachment.original_name == name
    # The type comes from the check, never from what the browser said.
    assert attachment.content_type == content_type
    assert attachment.size_bytes == len(content)
    folder, stored = attachment.file.name.rsplit("/", 1)
    assert folder == f"enquiries/{enquiry.pk}"
    assert stored != name and len(Path(stored).stem) == 32
    assert Path(attachment.file.path).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "setup.exe",
            b"MZ\x90\x00",
            "setup.exe must be a PDF, Word document (.docx), Excel spreadsheet (.xlsx), CSV file, PNG or JPEG image",
        ),
        ("no-extension", PDF, "no-extension must be a PDF"),
        ("invoice.pdf", b"MZ\x90\x00 a program renamed", "invoice.pdf is not a real PDF"),
        ("photo.png", JPEG, "photo.png is not a real PNG image"),
        ("letter.docx", b"PK\x03\x04 but not a zip", "letter.docx is not a real Word document"),
        ("letter.docx", _office("xl/workbook.xml"), "letter.docx is not a real Word document"),
        ("invoices.xlsx", _office("word/document.xml"), "invoices.xlsx is not a real Excel spreadsheet"),
        ("invoices.csv", b"Invoice\x00\x01\x02", "invoices.csv is not a real CSV file"),
        ("empty.pdf", b"", "empty.pdf is empty"),
    ],
)
def test_a_forbidden_or_disguised_file_is_refused_and_nothing_is_kept(desk, name, content, message):
    with pytest.raises(EnquiryError, match=re.escape(message)) as refused:
        _raise(desk, [upload("fine.pdf", PDF), upload(name, content)])

    assert refused.value.field == "attachments"
    assert not EnquiryAttachment.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_file_too_big_is_refused(desk, settings):
    settings.ENQUIRY_ATTACHMENT_MAX_BYTES = 1024 * 1024

    with pytest.raises(EnquiryError, match="big.pdf must be smaller than 1 MB"):
        _raise(desk, [upload("big.pdf", PDF + b"0" * (1024 * 1024))])


def test_more_than_five_files_at_once_are_refused(desk):
    with pytest.raises(EnquiryError, match="Attach up to 5 files"):
        _raise(desk, [upload(f"{number}.pdf", PDF) for number in range(6)])


def test_a_reply_can_carry_attachments(desk):
    enquiry = _raise(desk, [])

    event = enquiry_reply(
        enquiry=enquiry,
        author=desk["officer_user"],
        message="Remittance attached",
        attachments=[upload("r.pdf", PDF)],
    )

    assert [attachment.original_name for attachment in event.attachments.all()] == ["r.pdf"]


# Downloads


@pytest.fixture
def stored(desk):
    enquiry = _raise(desk, [upload("Invoice 4471.pdf", PDF)])
    return EnquiryAttachment.objects.get(enquiry=enquiry)


def test_the_provider_downloads_its_own_attachment_as_a_download_of_the_stored_type(client, desk, stored):
    client.force_login(desk["raiser"])

    response = client.get(reverse("engagement:enquiry-attachment", args=[stored.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Invoice 4471.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_the_officer_downloads_it_too(client, desk, stored):
    client.force_login(desk["officer_user"])

    assert client.get(reverse("engagement:enquiry-attachment", args=[stored.pk])).status_code == 200


def test_another_provider_gets_a_404_for_an_attachment(client, stored, provider_b):
    client.force_login(ProviderUserFactory(provider_organisation=provider_b))

    assert client.get(reverse("engagement:enquiry-attachment", args=[stored.pk])).status_code == 404


def test_an_attachment_on_an_internal_note_is_not_the_providers_to_download(client, desk, stored):
    note = EnquiryEventFactory(enquiry=stored.enquiry, kind=EnquiryEvent.Kind.INTERNAL_NOTE)
    on_note = EnquiryAttachmentFactory(enquiry=stored.enquiry, event=note)
    client.force_login(desk["raiser"])

    assert client.get(reverse("engagement:enquiry-attachment", args=[on_note.pk])).status_code == 404


def test_the_files_are_not_served_from_a_public_address(client, desk, stored):
    client.force_login(desk["raiser"])

    for address in (f"/media/{stored.file.name}", f"/{stored.file.name}"):
        assert client.get(address).status_code == 404


def test_a_file_lost_from_storage_is_a_404_not_a_500(client, desk, stored):
    Path(stored.file.path).unlink()
    client.force_login(desk["raiser"])

    assert client.get(reverse("engagement:enquiry-attachment", args=[stored.pk])).status_code == 404
