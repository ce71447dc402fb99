"""The change history of the who's-who, read from django-simple-history in bulk.

A page of changes costs the same number of queries however many rows it shows: the historical records of each
kind in one query, the records just before them in one more, their many-to-many choices in one per field, and
the names behind their foreign keys in one per related model.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import models
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.urls import reverse
from django.utils import formats, timezone

from directory.models import Officer, ProviderOrganisation, Responsibility, Team

KINDS: dict[str, type[models.Model]] = {
    "officer": Officer,
    "team": Team,
    "responsibility": Responsibility,
    "provider": ProviderOrganisation,
}
KIND_LABELS = {
    "officer": "Officer",
    "team": "Team",
    "responsibility": "Responsibility",
    "provider": "Provider",
}
PAGES = {
    "officer": "directory:manage-officer-detail",
    "team": "directory:manage-team-detail",
    "responsibility": "directory:manage-responsibility-detail",
    "provider": "directory:provider-detail",
}
ACTIONS = {"+": "Added", "~": "Changed", "-": "Deleted"}
# Labels that read better than the model's own field names.
LABELS = {
    "owner": "Owner",
    "last_verified_on": "Last checked",
    "active_from": "In post from",
    "active_to": "Last day in post",
    "user": "Portal account",
    "mailbox": "Team mailbox",
    "is_active": "Active",
    "retired_on": "Retired on",
}
ENTRY_HISTORY_LIMIT = 50


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """One historical record of an entry, told as who changed what and when."""

    kind: str
    object_id: int
    name: str
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    earlier_version_unknown: bool = False

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def url(self) -> str | None:
        return None if self.action == "Deleted" else reverse(PAGES[self.kind], args=[self.object_id])


def _history_model(kind: str):
    return KINDS[kind].history.model


def _m2m_fields(kind: str) -> list[models.ManyToManyField]:
    return list(_history_model(kind)._history_m2m_fields)


def _plain_fields(kind: str) -> list[models.Field]:
    """The tracked fields a person edits, without the many-to-many ones."""
    return [
        tracked
        for tracked in _history_model(kind).tracked_fields
        if tracked.editable and not tracked.primary_key and not tracked.many_to_many
    ]


def _foreign_keys(kind: str) -> list[models.ForeignKey]:
    return [tracked for tracked in _plain_fields(kind) if isinstance(tracked, models.ForeignKey)]


@dataclass
class _Names:
    """Names of the records that foreign keys and many-to-many choices point at, loaded in bulk."""

    by_model: dict[type[models.Model], dict[int, models.Model]] = field(default_factory=dict)

    def load(self, wanted: dict[type[models.Model], set[int]]) -> None:
        for model, ids in wanted.items():
            ids = {pk for pk in ids if pk is not None} - set(self.by_model.get(model, {}))
            if ids:
                self.by_model.setdefault(model, {}).update(model._default_manager.in_bulk(ids))

    def name(self, model: type[models.Model], pk) -> str:
        if pk is None:
            return ""
        found = self.by_model.get(model, {}).get(pk)
        return str(found) if found is not None else f"(removed {model._meta.verbose_name})"


def _m2m_choices(kind: str, history_ids: set[int]) -> dict[str, dict[int, set[int]]]:
    """For each many-to-many field, the ids chosen in each historical record: one query per field."""
    choices: dict[str, dict[int, set[int]]] = {}
    history_model = _history_model(kind)
    for m2m in _m2m_fields(kind):
        through = getattr(history_model, m2m.name).model
        target = m2m.m2m_reverse_field_name()
        by_record: dict[int, set[int]] = {history_id: set() for history_id in history_ids}
        rows = through.objects.filter(history_id__in=history_ids).values_list("history_id", f"{target}_id")
        for history_id, target_id in rows:
            by_record[history_id].add(target_id)
        choices[m2m.name] = by_record
    return choices


def _wanted_names(kind: str, records: Iterable, m2m: dict[str, dict[int, set[int]]]) -> dict:
    wanted: dict[type[models.Model], set[int]] = {}
    for record in records:
        for foreign_key in _foreign_keys(kind):
            wanted.setdefault(foreign_key.related_model, set()).add(getattr(record, foreign_key.attname))
    for m2m_field in _m2m_fields(kind):
        for ids in m2m[m2m_field.name].values():
            wanted.setdefault(m2m_field.related_model, set()).update(ids)
    return wanted


def _label(model_field: models.Field) -> str:
    return LABELS.get(model_field.name) or str(model_field.verbose_name).capitalize()


def _shown(model_field: models.Field, value, names: _Names) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(model_field, models.ForeignKey):
        return names.name(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(value, date | datetime):
        return formats.date_format(value, "j F Y")
    return str(value)


def _entry_name(kind: str, record, names: _Names) -> str:
    if kind == "officer":
        return record.full_name
    if kind == "responsibility":
        who = (
            names.name(Officer, record.officer_id) if record.officer_id else names.name(Team, record.team_id)
        )
        return f"{names.name(_topic_model(), record.topic_id)}: {who}"
    return record.name


def _topic_model():
    return Responsibility._meta.get_field("topic").related_model


def _field_changes(kind, record, previous, m2m, names: _Names) -> list[FieldChange]:
    model = KINDS[kind]
    m2m_names = [m2m_field.name for m2m_field in _m2m_fields(kind)]
    shown = {model_field.name for model_field in _plain_fields(kind)}
    delta = record.diff_against(previous, excluded_fields=m2m_names)
    changes = []
    for change in delta.changes:
        if change.field not in shown:
            continue
        model_field = model._meta.get_field(change.field)
        changes.append(
            FieldChange(
                _label(model_field),
                _shown(model_field, change.old, names),
                _shown(model_field, change.new, names),
            )
        )
    for name in m2m_names:
        old, new = m2m[name][previous.history_id], m2m[name][record.history_id]
        if old != new:
            model_field = model._meta.get_field(name)
            changes.append(
                FieldChange(
                    _label(model_field),
                    _names_list(model_field.related_model, old, names),
                    _names_list(model_field.related_model, new, names),
                )
            )
    return changes


def _names_list(model, ids: set[int], names: _Names) -> str:
    if not ids:
        return "(none)"
    return ", ".join(sorted(names.name(model, pk) for pk in ids))


@dataclass
class _Batch:
    """The records of one kind to tell, the record before each, and their many-to-many choices."""

    kind: str
    records: list
    previous: dict[int, object | None]
    m2m: dict[str, dict[int, set[int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.m2m = _m2m_choices(self.kind, {record.history_id for record in self.everything})

    @property
    def everything(self) -> list:
        return [*self.records, *(record for record in self.previous.values() if record is not None)]

    def wanted_names(self) -> dict[type[models.Model], set[int]]:
        return _wanted_names(self.kind, self.everything, self.m2m)


def _tell(batches: list[_Batch]) -> dict[tuple[str, int], Change]:
    """Tell every record of every batch, loading the names they mention once per related model."""
    wanted: dict[type[models.Model], set[int]] = {}
    for batch in batches:
        for model, ids in batch.wanted_names().items():
            wanted.setdefault(model, set()).update(ids)
    names = _Names()
    names.load(wanted)
    return {
        (batch.kind, record.history_id): _change(batch, record, names)
        for batch in batches
        for record in batch.records
    }


def _change(batch: _Batch, record, names: _Names) -> Change:
    before = batch.previous.get(record.history_id)
    action = ACTIONS.get(record.history_type, "Changed")
    telling = before is not None and action == "Changed"
    return Change(
        kind=batch.kind,
        object_id=record.id,
        name=_entry_name(batch.kind, record, names),
        when=record.history_date,
        who=str(record.history_user) if record.history_user else "The portal",
        action=action,
        reason=record.history_change_reason or "",
        changes=_field_changes(batch.kind, record, before, batch.m2m, names) if telling else [],
        earlier_version_unknown=action == "Changed" and before is None,
    )


def entry_history(entry: Officer | Team | Responsibility | ProviderOrganisation) -> list[Change]:
    """The entry's most recent changes, newest first, each told against the version before it."""
    kind = next(name for name, model in KINDS.items() if isinstance(entry, model))
    records = list(
        entry.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : ENTRY_HISTORY_LIMIT + 1
        ]
    )
    previous = {record.history_id: older for record, older in zip(records, records[1:], strict=False)}
    shown = records[:ENTRY_HISTORY_LIMIT]
    told = _tell([_Batch(kind, shown, previous)])
    return [told[(kind, record.history_id)] for record in shown]


def since_start(since: date) -> datetime:
    return timezone.make_aware(datetime.combine(since, time.min))


def changes_since(*, since: date, kind: str = "") -> QuerySet:
    """Every change since the start of `since`, newest first, as light (kind, history_id, when) rows.

    One query across the four histories, so that the rows can be paginated; `changes_load` tells a page of them.
    """
    parts = [
        _history_model(name)
        .objects.filter(history_date__gte=since_start(since))
        .order_by()
        .annotate(kind=Value(name, output_field=CharField()))
        .values_list("kind", "history_id", "history_date")
        for name in KINDS
        if not kind or kind == name
    ]
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "kind", "-history_id")


def _records_with_previous(kind: str, history_ids: list[int]) -> tuple[list, dict[int, object | None]]:
    """The records, and the record just before each: two queries whatever their number."""
    history_model = _history_model(kind)
    earlier = history_model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    records = list(
        history_model.objects.filter(history_id__in=history_ids)
        .select_related("history_user")
        .annotate(
            previous_id=Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1])
        )
    )
    older = history_model.objects.in_bulk([record.previous_id for record in records if record.previous_id])
    return records, {record.history_id: older.get(record.previous_id) for record in records}


def changes_load(rows) -> list[Change]:
    """Tell a page of `changes_since` rows, in their order."""
    rows = list(rows)
    ids_by_kind: dict[str, list[int]] = {}
    for kind, history_id, _ in rows:
        ids_by_kind.setdefault(kind, []).append(history_id)
    told = _tell(
        [
            _Batch(kind, *_records_with_previous(kind, history_ids))
            for kind, history_ids in ids_by_kind.items()
        ]
    )
    return [told[(kind, history_id)] for kind, history_id, _ in rows if (kind, history_id) in told]
