"""Import of officers, responsibilities or providers from a CSV file: every row is checked, then all are written
in one transaction, or none.

The file must be UTF-8 (with or without the byte order mark Excel adds); a file that is not is read as Windows-1252,
the encoding of Excel's plain "CSV" on Windows, and the outcome says so. Writes are in bulk, with one history
record for each created or changed entry, made by the person importing.
"""

import csv
import io
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .csv_cells import CsvRow, Plan, RowProblem
from .csv_export import BYTE_ORDER_MARK, HEADINGS, Kind, restore
from .csv_rows import IMPORTERS, RowImporter

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
CHANGE_REASON = "Imported from a CSV file"
SAVE_AS = "In your spreadsheet choose Save as, then 'CSV UTF-8 (Comma delimited)', and upload that file."


class CsvImportError(Exception):
    """The file was not imported; nothing was written."""


class CsvFileError(CsvImportError):
    """The file as a whole cannot be read: its encoding, its CSV or its headings."""


class CsvRowsInvalid(CsvImportError):
    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        self.rows = len({problem.row for problem in problems})
        plural = "s" if len(problems) != 1 else ""
        super().__init__(
            f"The file has {len(problems)} problem{plural} in {self.rows} row{'s' if self.rows != 1 else ''}, "
            "so nothing was imported. Fix them and upload the file again."
        )


@dataclass(frozen=True)
class ImportOutcome:
    kind: str
    created: int
    updated: int
    unchanged: int
    encoding: str

    def __str__(self) -> str:
        summary = (
            f"{Kind(self.kind).label} imported: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )
        if self.encoding != "utf-8":
            summary += " The file was not UTF-8, so it was read as Windows-1252: check that accented letters are right."
        return summary


@dataclass(frozen=True)
class CsvTable:
    rows: list[CsvRow]
    encoding: str


def csv_import(*, kind: str, content: bytes, imported_by) -> ImportOutcome:
    """Import a whole file of one kind, or raise CsvImportError having written nothing."""
    table = csv_read(content=content, kind=kind)
    importer = IMPORTERS[kind](table.rows, imported_by=imported_by)
    try:
        with transaction.atomic():
            plans = importer.plans()
            if importer.problems:
                raise CsvRowsInvalid(importer.problems)
            created, updated = _write(importer, plans)
    except IntegrityError as error:
        logger.warning("CSV import of %s stopped by the database: %s", kind, error)
        raise CsvFileError(
            "The who's-who changed while the file was being imported, so nothing was imported. "
            "Upload the file again."
        ) from error
    return ImportOutcome(
        kind=kind,
        created=created,
        updated=updated,
        unchanged=len(plans) - created - updated,
        encoding=table.encoding,
    )


def csv_read(*, content: bytes, kind: str) -> CsvTable:
    text, encoding = _decode(content)
    records = _records(text)
    if not records:
        raise CsvFileError("The selected file is empty")
    columns = _columns(records[0], kind)
    rows = [
        _row(number, record, columns)
        for number, record in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in record)
    ]
    if not rows:
        raise CsvFileError("The selected file has headings but no rows to import")
    return CsvTable(rows=rows, encoding=encoding)


def _decode(content: bytes) -> tuple[str, str]:
    if not content.strip(BYTE_ORDER_MARK.encode() + b" \t\r\n"):
        raise CsvFileError("The selected file is empty")
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise CsvFileError(f"The selected file is a spreadsheet workbook, not a CSV file. {SAVE_AS}")
    if b"\x00" in content:
        raise CsvFileError(f"The selected file must be a CSV file saved as UTF-8 text. {SAVE_AS}")
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as not_utf8:
        try:
            return content.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            line = content[: not_utf8.start].count(b"\n") + 1
            raise CsvFileError(
                f"The selected file must be saved as UTF-8 text: line {line} has characters that are not "
                f"UTF-8 or Windows-1252. {SAVE_AS}"
            ) from None


def _records(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return list(reader)
    except csv.Error as error:
        raise CsvFileError(
            f"The selected file is not a CSV file that can be read: line {reader.line_num}: {error}"
        ) from None


def _normal(heading: str) -> str:
    return " ".join(heading.replace(BYTE_ORDER_MARK, "").split()).casefold()


def _columns(first_row: list[str], kind: str) -> list[str | None]:
    """Each column's heading as the format spells it; None under an empty heading."""
    expected = HEADINGS[kind]
    by_normal = {_normal(heading): heading for heading in expected}
    columns = [by_normal.get(_normal(cell)) for cell in first_row]
    given = [_normal(cell) for cell in first_row if cell.strip()]
    missing = [heading for heading in expected if heading not in columns]
    unexpected = [
        cell.strip() for cell, column in zip(first_row, columns, strict=True) if cell.strip() and not column
    ]
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    if not (missing or unexpected or repeated):
        return columns
    if len(first_row) == 1 and ";" in first_row[0]:
        raise CsvFileError(f"The selected file separates its columns with semicolons, not commas. {SAVE_AS}")
    for other in Kind:
        if other != kind and sorted(given) == sorted(_normal(heading) for heading in HEADINGS[other]):
            raise CsvFileError(
                f"The selected file has the headings of a file of {other.label.lower()}, not of "
                f"{Kind(kind).label.lower()}. Choose {other.label.lower()}, or upload a file of {Kind(kind).label.lower()}."
            )
    faults = [
        f"{label}: {', '.join(headings)}"
        for label, headings in (("missing", missing), ("not expected", unexpected), ("repeated", repeated))
        if headings
    ]
    raise CsvFileError(
        f"The headings in the first row are not those of a file of {Kind(kind).label.lower()} "
        f"({'; '.join(faults)}). The first row must have these headings: {', '.join(expected)}."
    )


def _row(number: int, record: list[str], columns: list[str | None]) -> CsvRow:
    cells = {column: "" for column in columns if column}
    stray = False
    for position, cell in enumerate(record):
        column = columns[position] if position < len(columns) else None
        if column:
            cells[column] = restore(cell).strip()
        elif cell.strip():
            stray = True
    return CsvRow(number=number, cells=cells, stray=stray)


def _write(importer: RowImporter, plans: list[Plan]) -> tuple[int, int]:
    model = importer.model
    new = [plan for plan in plans if plan.is_new]
    changed = [plan for plan in plans if not plan.is_new and plan.changed]
    model.objects.bulk_create([plan.instance for plan in new], batch_size=BATCH_SIZE)
    _link(model, new + changed)
    now = timezone.now()
    for plan in changed:
        plan.instance.updated_at = now
    # Only the columns that changed somewhere: an update of every column of thousands of rows is slow.
    fields = sorted(set().union(*(plan.changed_fields for plan in changed)))
    model.objects.bulk_update(
        [plan.instance for plan in changed], [*fields, "updated_at"], batch_size=BATCH_SIZE
    )
    for name in importer.m2m_fields:
        _replace_many(model, name, new, changed)
    _record_history(model, [plan.instance for plan in new], update=False, user=importer.imported_by)
    _record_history(model, [plan.instance for plan in changed], update=True, user=importer.imported_by)
    return len(new), len(changed)


def _link(model: type[models.Model], plans: list[Plan]) -> None:
    """Point rows at records this import has just created, such as an officer's deputy."""
    linked_new = []
    for plan in plans:
        for name, record in plan.links.items():
            setattr(plan.instance, name, record)
        if plan.links and plan.is_new:
            linked_new.append(plan)
    if linked_new:
        fields = sorted({name for plan in linked_new for name in plan.links})
        model.objects.bulk_update([plan.instance for plan in linked_new], fields, batch_size=BATCH_SIZE)


def _replace_many(model: type[models.Model], name: str, new: list[Plan], changed: list[Plan]) -> None:
    field = model._meta.get_field(name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    stale = [plan.instance.pk for plan in changed if name in plan.m2m_changed]
    if stale:
        through.objects.filter(**{f"{source}__in": stale}).delete()
    through.objects.bulk_create(
        [
            through(**{source: plan.instance.pk, target: pk})
            for plan in new + changed
            if name in plan.m2m_changed
            for pk in sorted(plan.m2m[name])
        ],
        batch_size=BATCH_SIZE,
    )


def _record_history(model: type[models.Model], instances: list[models.Model], *, update: bool, user) -> None:
    """One history record each, as a save would make, with the many-to-many values it tracks."""
    if not instances:
        return
    history = getattr(model, model._meta.simple_history_manager_attribute)
    records = history.bulk_history_create(
        instances,
        update=update,
        default_user=user,
        default_change_reason=CHANGE_REASON,
        batch_size=BATCH_SIZE,
    )
    if not records:  # history is switched off
        return
    for field in getattr(history.model, "_history_m2m_fields", []):
        m2m_history = getattr(history.model, field.name).model
        through = field.remote_field.through
        source = f"{field.m2m_field_name()}_id"
        links = defaultdict(list)
        for link in through.objects.filter(**{f"{source}__in": [record.id for record in records]}):
            links[getattr(link, source)].append(link)
        attnames = [through_field.attname for through_field in through._meta.fields]
        m2m_history.objects.bulk_create(
            [
                m2m_history(history=record, **{attname: getattr(link, attname) for attname in attnames})
                for record in records
                for link in links[record.id]
            ],
            batch_size=BATCH_SIZE,
        )
