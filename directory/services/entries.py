"""What every change to a who's-who entry (officer, team, responsibility) shares: its errors and its history."""

from collections.abc import Iterable, Mapping

from django.db import models

from portal.service_errors import ServiceError


class EntryError(ServiceError):
    """A change to the who's-who that breaks one of its rules."""


class EntryProblems(EntryError):
    """Several broken rules at once, so that a form can show them all in its error summary."""

    def __init__(self, problems: Mapping[str | None, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = dict(problems)


def constraint_message(model: type[models.Model], name: str) -> str:
    """The message a model gives for one of its constraints, so that forms and services say the same."""
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return str(constraint.violation_error_message)
    raise LookupError(f"{model.__name__} has no constraint {name}")


def raise_problems(problems: Mapping[str | None, str]) -> None:
    if problems:
        raise EntryProblems(problems)


def entry_save(
    entry: models.Model,
    *,
    by,
    reason: str,
    many: Mapping[str, Iterable[models.Model]] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """Save an entry and its many-to-many choices as ONE history record that says who changed it and why.

    django-simple-history writes a record on every save and on every many-to-many change, so an edit that also
    changes areas would show up as three changes. The saves that happen on the way are kept out of the history,
    and the one record written at the end holds the whole entry as it now is.
    """
    entry._history_user = by
    entry._change_reason = reason
    if not many:
        entry.save(update_fields=update_fields)
        return
    adding = entry._state.adding
    entry.skip_history_when_saving = True
    try:
        if adding:
            entry.save()
        for name, values in many.items():
            getattr(entry, name).set(values)
    finally:
        del entry.skip_history_when_saving
    entry.save(update_fields=update_fields)
    if adding:
        # That record was written by an update; it is the entry's first one, so it records the addition.
        entry.history.filter(history_type="~").update(history_type="+")
