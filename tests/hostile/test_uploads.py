"""Uploads are judged by what they hold, not by their names: a disguised file is refused clearly and nothing is kept."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import Officer
from engagement.models import Enquiry, EnquiryAttachment
from engagement.tests.factories_enquiries import late_payments_desk

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
HTML = b"<!DOCTYPE html><html><body><script>fetch('/directory/')</script></body></html>"


def _office(main_part: str, main_bytes: int = 6) -> bytes:
    """A Word or Excel file: a zip with its content types and main part (`main_bytes` long once unzipped)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(main_part, "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(main_bytes // len(chunk)):
                part.write(chunk)
            part.write(b"<xml/>"[: main_bytes % len(chunk)])
    return buffer.getvalue()


REFUSED = [
    ("invoice.pdf", HTML, "invoice.pdf is not a real PDF"),
    ("invoice.pdf", b"MZ\x90\x00\x03\x00 a program renamed", "invoice.pdf is not a real PDF"),
    ("setup.exe", b"MZ\x90\x00\x03\x00", "setup.exe must be"),
    ("page.html", HTML, "page.html must be"),
    ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image.svg must be"),
    # Polyglots: HTML that also carries another kind's signature further in.
    ("photo.png", HTML + PNG, "photo.png is not a real PNG image"),
    ("invoice.pdf", HTML + PDF, "invoice.pdf is not a real PDF"),
    ("photo.jpg", b"GIF89a/*<script>alert(1)</script>*/", "photo.jpg is not a real JPEG image"),
    # An allowed kind under another allowed kind's name.
    ("photo.jpg", PNG, "photo.jpg is not a real JPEG image"),
    ("invoice.png", PDF, "invoice.png is not a real PNG image"),
    ("letter.docx", _office("xl/workbook.xml"), "letter.docx is not a real Word document"),
    ("letter.docx", b"PK\x03\x04 but not a zip", "letter.docx is not a real Word document"),
    # A zip bomb: a few hundred kilobytes that would unzip to over 100 MB.
    (
        "letter.docx",
        _office("word/document.xml", main_bytes=101 * 1024 * 1024),
        "letter.docx is not a real Word",
    ),
    ("empty.pdf", b"", "The submitted file is empty"),
    ("invoices.csv", b"Invoice\x00\x01\x02\xff", "invoices.csv is not a real CSV file"),
]


@pytest.fixture
def desk(provider_a, client):
    desk = late_payments_desk(provider_a)
    client.force_login(desk["raiser"])
    return desk


def _raise(client, desk, *files):
    return client.post(
        reverse("engagement:enquiry-raise"),
        {
            "topic": desk["topic"].slug,
            "area": desk["area"].slug,
            "service_type": desk["service_type"].slug,
            "subject": "Invoice 4471 not paid",
            "message": "Attached.",
            "attachments": [SimpleUploadedFile(name, content) for name, content in files],
        },
    )


def _stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_a_disguised_or_dangerous_attachment_is_refused_and_nothing_is_kept(
    client, desk, settings, name, content, message
):
    response = _raise(client, desk, ("fine.pdf", PDF), (name, content))

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page.replace("&#x27;", "'")
    assert not Enquiry.objects.exists()
    assert not EnquiryAttachment.objects.exists()
    assert _stored_files(settings) == []


def test_a_genuine_file_is_accepted_and_stored_under_the_type_its_content_shows(client, desk, settings):
    response = _raise(client, desk, ("../../Invoice 4471.pdf", PDF), ("photo.JPEG", JPEG))

    assert response.status_code == 302
    stored = {a.original_name: a for a in EnquiryAttachment.objects.all()}
    assert {name: a.content_type for name, a in stored.items()} == {
        "Invoice 4471.pdf": "application/pdf",
        "photo.JPEG": "image/jpeg",
    }
    assert len(_stored_files(settings)) == 2
    assert all(".." not in a.file.name for a in stored.values())


def test_a_pdf_that_also_holds_html_is_only_ever_downloaded_as_a_pdf(client, desk):
    """It passes as a PDF, so it must never be shown by the browser as a page of the portal."""
    _raise(client, desk, ("invoice.pdf", PDF + HTML))
    attachment = EnquiryAttachment.objects.get()

    response = client.get(reverse("engagement:enquiry-attachment", args=[attachment.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("officers.csv", b"MZ\x90\x00\x03\x00\x00\x00\xff\xfe"),
        ("officers.csv", PNG),
        ("officers.csv", b""),
        ("officers.csv", _office("xl/workbook.xml")),
    ],
)
def test_a_who_s_who_import_that_is_not_a_csv_file_is_refused_and_imports_nothing(
    users, client, name, content
):
    client.force_login(users["editor"])
    officers = Officer.objects.count()

    response = client.post(
        reverse("directory:transfer-import"),
        {"kind": "officers", "file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert Officer.objects.count() == officers
