"""What every CSV import shares: a row of the file, a problem found in it, and readers for its cells.

Each reader notes a problem and returns INVALID rather than stopping, so one pass reports every problem.
"""

import datetime
import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models

from .csv_export import LIST_SEPARATOR, NO, YES

INVALID = object()  # a cell that could not be read; its problem has been noted
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
)  # as exported, and as a UK spreadsheet saves a date it has reformatted
MOST_NAMES_LISTED = 12


@dataclass(frozen=True)
class CsvRow:
    number: int  # as a spreadsheet numbers it: the headings are row 1
    cells: dict[str, str]
    stray: bool = False  # a value in a column with no heading


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}"


@dataclass
class Plan:
    """What the import does with one row: create this record, or update it if anything changed."""

    instance: models.Model
    is_new: bool
    changed_fields: set[str] = field(default_factory=set)
    m2m: dict[str, set[int]] = field(default_factory=dict)
    m2m_changed: set[str] = field(default_factory=set)
    # Foreign keys to records this import creates, set once those have a primary key.
    links: dict[str, models.Model] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.changed_fields or self.m2m_changed)


class Names:
    """Reference records (areas, service types, topics...) found by name or slug, whatever the case."""

    def __init__(self, records: Iterable[models.Model], *, noun: str, article: str = "a"):
        records = list(records)
        self.noun = noun
        self.article = article
        self.by_key = {record.name.casefold(): record for record in records}
        self.by_key.update({record.slug: record for record in records if getattr(record, "slug", "")})
        self.listing = listing(record.name for record in records)

    def not_found(self, value: str) -> str:
        message = f"{self.noun} '{value}' is not {self.article} {self.noun} ({self.listing})"
        if "," in value:
            message += f"; separate names with '{LIST_SEPARATOR.strip()}'"
        return message


class Teams:
    """Teams by name, within their directorate when the row gives one."""

    def __init__(self, teams: Iterable[models.Model]):
        self.by_name: dict[str, list] = defaultdict(list)
        self.directorates: dict[str, str] = {}
        for team in teams:
            self.by_name[team.name.casefold()].append(team)
            self.directorates[team.directorate.name.casefold()] = team.directorate.name
        self.names = sorted({teams[0].name for teams in self.by_name.values()})

    def find(self, name: str, directorate: str) -> tuple[models.Model | None, str, str]:
        """The team, or None with the column at fault and what is wrong."""
        candidates = self.by_name.get(name.casefold(), [])
        if directorate:
            if directorate.casefold() not in self.directorates:
                return (
                    None,
                    "Directorate",
                    f"directorate '{directorate}' is not a directorate ({listing(sorted(self.directorates.values()))})",
                )
            candidates = [
                team for team in candidates if team.directorate.name.casefold() == directorate.casefold()
            ]
            if not candidates:
                return (
                    None,
                    "Team",
                    f"team '{name}' is not a team of {self.directorates[directorate.casefold()]}{self._guess(name)}",
                )
        if not candidates:
            return None, "Team", f"team '{name}' is not a team in the who's-who{self._guess(name)}"
        if len(candidates) > 1:
            where = listing(sorted(team.directorate.name for team in candidates))
            return (
                None,
                "Directorate",
                f"team '{name}' is in more than one directorate ({where}); give the directorate",
            )
        return candidates[0], "", ""

    def _guess(self, name: str) -> str:
        close = difflib.get_close_matches(name, self.names, n=1)
        return f"; did you mean '{close[0]}'?" if close else ""


def listing(names: Iterable[str]) -> str:
    names = list(names)
    shown = ", ".join(names[:MOST_NAMES_LISTED])
    return shown if len(names) <= MOST_NAMES_LISTED else f"{shown} and {len(names) - MOST_NAMES_LISTED} more"


def by_lower_email(records: Iterable[models.Model]) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    for record in records:
        found[record.email.lower()].append(record)
    return found


class CellReader:
    """Reads cells into values, noting each problem with its row and column."""

    def __init__(self):
        self.problems: list[RowProblem] = []
        self.columns_at_fault: dict[int, set[str]] = defaultdict(set)

    def problem(self, row: CsvRow, column: str, message: str) -> object:
        self.problems.append(RowProblem(row.number, column, row.cells.get(column, ""), message))
        self.columns_at_fault[row.number].add(column)
        return INVALID

    def required(self, row: CsvRow, column: str) -> str | object:
        return row.cells[column] or self.problem(row, column, f"{column.lower()} is empty; enter it")

    def choice(self, row: CsvRow, column: str, choices, *, required=True, aliases=None) -> object:
        """A choice given by its label or its code."""
        value = row.cells[column]
        labels = ", ".join(str(label) for label in choices.labels)
        if not value:
            return (
                self.problem(row, column, f"{column.lower()} is empty; enter one of: {labels}")
                if required
                else ""
            )
        known = {str(code).casefold(): code for code in choices.values}
        known |= {str(label).casefold(): code for code, label in choices.choices}
        known |= aliases or {}
        if value.casefold() in known:
            return known[value.casefold()]
        return self.problem(row, column, f"{column.lower()} '{value}' is not one of: {labels}")

    def date(self, row: CsvRow, column: str) -> datetime.date | None | object:
        value = row.cells[column]
        if not value:
            return None
        for date_format in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(value, date_format).date()
            except ValueError:
                continue
        return self.problem(
            row, column, f"{column.lower()} '{value}' is not a date like 2026-03-31 or 31/03/2026"
        )

    def whole_number(self, row: CsvRow, column: str) -> int | None | object:
        value = row.cells[column].replace(",", "").replace(" ", "")
        if not value:
            return None
        if value.isascii() and value.isdigit():
            return int(value)
        return self.problem(row, column, f"{column.lower()} '{row.cells[column]}' is not a whole number")

    def yes_no(self, row: CsvRow, column: str, *, blank: bool) -> bool | object:
        value = row.cells[column].casefold()
        if not value:
            return blank
        if value in {YES.casefold(), "y", "true", "1"}:
            return True
        if value in {NO.casefold(), "n", "false", "0"}:
            return False
        return self.problem(row, column, f"{column.lower()} '{row.cells[column]}' is not {YES} or {NO}")

    def one(self, row: CsvRow, column: str, names: Names, *, required: bool) -> models.Model | None | object:
        value = row.cells[column]
        if not value:
            return (
                self.problem(row, column, f"{column.lower()} is empty; enter {names.article} {names.noun}")
                if required
                else None
            )
        return names.by_key.get(value.casefold()) or self.problem(row, column, names.not_found(value))

    def many(self, row: CsvRow, column: str, names: Names) -> set[int] | object:
        """The records named in a '; '-separated cell, as primary keys."""
        found, unknown = set(), False
        for value in filter(None, (part.strip() for part in row.cells[column].split(";"))):
            record = names.by_key.get(value.casefold())
            if record is None:
                unknown = True
                self.problem(row, column, names.not_found(value))
            else:
                found.add(record.pk)
        return INVALID if unknown else found

    def by_email(self, row: CsvRow, column: str, records: dict[str, list], *, not_found: str) -> object:
        email = row.cells[column]
        if not email:
            return None
        matches = records.get(email.lower(), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            return self.problem(
                row, column, f"more than one entry has the email '{email}'; fix that in the who's-who first"
            )
        return self.problem(row, column, not_found.format(email=email))

    def team(self, row: CsvRow, teams: Teams, *, required: bool) -> models.Model | None | object:
        name, directorate = row.cells["Team"], row.cells["Directorate"]
        if not name:
            if required or directorate:
                return self.problem(row, "Team", "team is empty; enter the team and its directorate")
            return None
        team, column, message = teams.find(name, directorate)
        return team if team else self.problem(row, column, message)
