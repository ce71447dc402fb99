"""The who's-who as CSV files: the columns of each kind of file, and the export that writes them.

The import reads exactly these headings, so a downloaded file can be changed in a spreadsheet and uploaded again.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.db import models
from django.utils import timezone

from directory.selectors import transfer as selectors


class Kind(models.TextChoices):
    OFFICERS = "officers", "Officers"
    RESPONSIBILITIES = "responsibilities", "Responsibilities"
    PROVIDERS = "providers", "Providers"


HEADINGS: dict[str, tuple[str, ...]] = {
    Kind.OFFICERS: (
        "Email",
        "Full name",
        "Job title",
        "Seniority",
        "Team",
        "Directorate",
        "Phone",
        "Areas",
        "Deputy email",
        "Market lead",
        "Active from",
        "Active to",
        "Owner email",
        "Last verified",
    ),
    Kind.RESPONSIBILITIES: (
        "Topic",
        "Officer email",
        "Team",
        "Directorate",
        "Areas",
        "Service types",
        "Notes",
    ),
    Kind.PROVIDERS: (
        "Name",
        "Location ID",
        "Tier",
        "Contract type",
        "People supported",
        "Areas",
        "Service types",
        "Client groups",
        "Associations",
        "Contract manager email",
        "Active",
    ),
}

# A cell starting with one of these is run as a formula by spreadsheets; a leading quote keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
DATE_FORMAT = "%Y-%m-%d"
YES, NO = "Yes", "No"
BYTE_ORDER_MARK = "\ufeff"  # so that Excel reads the file as UTF-8
ROWS_PER_CHUNK = 200


def neutralise(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def restore(cell: str) -> str:
    """Undo `neutralise`, so that a file exported and imported again keeps its values."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def csv_lines(headings: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """UTF-8 CSV text with a byte order mark, a few hundred rows at a time, every cell neutralised."""

    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line())
    chunk = [BYTE_ORDER_MARK, writer.writerow([neutralise(heading) for heading in headings])]
    for row in rows:
        chunk.append(writer.writerow([neutralise(str(cell)) for cell in row]))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def export_lines(kind: str) -> Iterator[str]:
    """The file of one kind; a generator, so the rows are read when the response starts streaming."""
    cells, records = {
        Kind.OFFICERS: (_officer_cells, selectors.officers_for_export),
        Kind.RESPONSIBILITIES: (_responsibility_cells, selectors.responsibilities_for_export),
        Kind.PROVIDERS: (_provider_cells, selectors.providers_for_export),
    }[kind]
    yield from csv_lines(HEADINGS[kind], map(cells, records()))


def export_file_name(kind: str) -> str:
    return f"whos-who-{kind}-{timezone.localdate():%Y-%m-%d}.csv"


def _names(related) -> str:
    return LIST_SEPARATOR.join(item.name for item in related.all())


def _date(value: datetime.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def _email(person) -> str:
    return person.email if person else ""


def _officer_cells(officer) -> list[str]:
    return [
        officer.email,
        officer.full_name,
        officer.job_title,
        officer.get_seniority_display(),
        officer.team.name,
        officer.team.directorate.name,
        officer.phone,
        _names(officer.areas),
        _email(officer.deputy),
        officer.get_market_lead_display() if officer.market_lead else "",
        _date(officer.active_from),
        _date(officer.active_to),
        _email(officer.owner),
        _date(officer.last_verified_on),
    ]


def _responsibility_cells(responsibility) -> list[str]:
    team = responsibility.team
    return [
        responsibility.topic.name,
        _email(responsibility.officer),
        team.name if team else "",
        team.directorate.name if team else "",
        _names(responsibility.areas),
        _names(responsibility.service_types),
        responsibility.notes,
    ]


def _provider_cells(provider) -> list[str]:
    return [
        provider.name,
        provider.location_id,
        provider.get_tier_display(),
        provider.get_contract_type_display(),
        "" if provider.people_supported is None else str(provider.people_supported),
        _names(provider.areas),
        _names(provider.service_types),
        _names(provider.client_groups),
        _names(provider.associations),
        _email(provider.contract_manager),
        YES if provider.is_active else NO,
    ]
