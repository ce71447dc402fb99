"""Every CSV export neutralises a cell a spreadsheet would run as a formula, whatever stored field it comes from.

The exports are found by construction (the permission matrix's GET pages that answer text/csv), and every text
field of every record of the portal's own apps is made to start with a formula character first, so an export
added without `neutralise` fails here.
"""

import csv
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.services.csv_export import FORMULA_STARTS, HEADINGS
from tests.hostile.conftest import FORMULAS, every_stored_text

pytestmark = pytest.mark.django_db

# Exports the matrix reaches today: the three who's-who files, attendees and the survey's responses.
EXPORTS_FOUND = 5


def _formula_everywhere() -> int:
    """Prefix each stored free-text value with a formula character, in turn =, +, -, @, tab and return."""
    prefixes = itertools.cycle(FORMULAS)
    return every_stored_text(lambda value: f"{next(prefixes)}{value}")


def _cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _formulas(cells: list[str]) -> list[str]:
    return [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


def _neutralised(cells: list[str]) -> list[str]:
    return [cell for cell in cells if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS)]


@pytest.fixture
def survey_free_text(matrix_objects):
    """A response with a comment, so the survey export has a stored answer to write."""
    from surveys.tests.factories import AnswerFactory, FreeTextQuestionFactory, ResponseFactory

    questionnaire = matrix_objects["provider_questionnaire"]
    response = ResponseFactory(questionnaire=questionnaire)
    question = FreeTextQuestionFactory(questionnaire=questionnaire)
    AnswerFactory(response=response, question=question, score=None, text="Invoices are paid late.")


def test_every_csv_export_neutralises_formulas_in_every_stored_field(site, survey_free_text):
    csv_rows = []
    for row, role in site.rows():
        if role == "superuser":
            site.url(row)  # the row's records, made before they are changed below
            csv_rows.append(row)
    assert _formula_everywhere() > 20

    exports = {}
    for row in csv_rows:
        response = site.fetch("superuser", "get", site.url(row))
        if response.get("Content-Type", "").startswith("text/csv"):
            content = b"".join(response.streaming_content) if response.streaming else response.content
            exports[row.id] = _cells(content)

    assert len(exports) >= EXPORTS_FOUND, sorted(exports)
    assert {name: _formulas(cells) for name, cells in exports.items() if _formulas(cells)} == {}
    # Each export did carry stored values that start like formulas, so the check above had something to find.
    assert [name for name, cells in exports.items() if not _neutralised(cells)] == []


def test_the_import_problems_file_neutralises_the_cells_it_gives_back(users, client):
    client.force_login(users["editor"])
    headings = HEADINGS["officers"]
    upload = io.StringIO()
    csv.writer(upload).writerows([headings, [*FORMULAS, *FORMULAS][: len(headings)]])
    file = SimpleUploadedFile("officers.csv", upload.getvalue().encode(), content_type="text/csv")

    client.post(reverse("directory:transfer-import"), {"kind": "officers", "file": file})
    response = client.get(reverse("directory:transfer-import-report"))

    assert response["Content-Type"].startswith("text/csv")
    found = _cells(response.content)
    assert _formulas(found) == []
    assert _neutralised(found), found
