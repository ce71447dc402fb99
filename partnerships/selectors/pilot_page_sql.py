"""A pilot's page in one query on PostgreSQL: each of its lists read as JSON beside the others.

The page shows nine lists (reasons, areas, service types, partners, objectives, milestones, risks, progress and
evaluations). As nine ORM queries they cost more than twice the rest of the page, nearly all of it in building
the queries; here one query brings them all and each row becomes its model's instance. What a visitor may see is
the same as partnerships.scoping's querysets say: the tests compare the two ways of reading.
"""

import json
from dataclasses import dataclass, field

from django.db import connection, models

from directory.models import Area, Officer, ProviderOrganisation, ServiceType
from partnerships.models import (
    Evaluation,
    Milestone,
    Objective,
    PartnershipPilot,
    PilotPartner,
    ProgressEntry,
    Risk,
    StrategicReason,
)


@dataclass(frozen=True)
class _List:
    """One list of the page: its model, the fields read, how it is ordered, and which rows a provider sees."""

    model: type[models.Model]
    fields: tuple[str, ...]
    order_by: str
    # (column, related model, its field) read from a related row, set as the relation's instance.
    related: tuple[tuple[str, type[models.Model], str], ...] = ()
    # Extra conditions, for everyone and for providers only.
    where: str = ""
    open_only: str = ""
    limit: int | None = None
    through: tuple[str, str] | None = field(default=None)  # (link table, link column) of a many-to-many


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _list_sql(name: str, spec: _List, *, sees_everything: bool) -> str:
    table = _quote(spec.model._meta.db_table)
    pairs = [f"'{column}', t.{_quote(column)}" for column in spec.fields]
    joins = []
    for index, (column, related_model, related_field) in enumerate(spec.related):
        alias = f"r{index}"
        pairs.append(f"'{column}__{related_field}', {alias}.{_quote(related_field)}")
        joins.append(
            f"LEFT JOIN {_quote(related_model._meta.db_table)} {alias} ON {alias}.id = t.{_quote(column)}"
        )
    if spec.through:
        link_table, link_column = spec.through
        joins.append(f"JOIN {_quote(link_table)} link ON link.{_quote(link_column)} = t.id")
        condition = "link.partnershippilot_id = %(pilot)s"
    else:
        condition = "t.pilot_id = %(pilot)s"
    if spec.where:
        condition += f" AND {spec.where}"
    if spec.open_only and not sees_everything:
        condition += f" AND {spec.open_only}"
    limit = f" LIMIT {int(spec.limit)}" if spec.limit else ""
    select = f"SELECT json_build_object({', '.join(pairs)}) AS row FROM {table} t {' '.join(joins)}"  # noqa: S608
    rows = f"{select} WHERE {condition} ORDER BY {spec.order_by}{limit}"
    return f"(SELECT coalesce(json_agg(x.row), '[]') FROM ({rows}) x) AS {name}"  # noqa: S608 - from the code


def _lists() -> dict[str, _List]:
    pilot_areas = PartnershipPilot.areas.through._meta.db_table
    pilot_service_types = PartnershipPilot.service_types.through._meta.db_table
    return {
        "reasons": _List(StrategicReason, ("id", "reason", "explanation"), "t.reason"),
        "areas": _List(Area, ("id", "name", "slug"), "t.name", through=(pilot_areas, "area_id")),
        "service_types": _List(
            ServiceType, ("id", "name", "slug"), "t.name", through=(pilot_service_types, "servicetype_id")
        ),
        "partners": _List(
            PilotPartner,
            (
                "id",
                "kind",
                "provider_id",
                "organisation_name",
                "role",
                "contact_name",
                "contact_email",
                "contact_phone",
            ),
            "t.id",
            related=(("provider_id", ProviderOrganisation, "name"),),
        ),
        "objectives": _List(
            Objective,
            ("id", "title", "measure", "target", "owner_id", "due_on"),
            "t.due_on, t.id",
            related=(("owner_id", Officer, "full_name"),),
        ),
        "milestones": _List(Milestone, ("id", "title", "due_on", "completed_on"), "t.due_on, t.id"),
        "risks": _List(
            Risk,
            ("id", "description", "likelihood", "impact", "mitigation", "owner_id", "status", "is_internal"),
            # Open ones first ("open" after "closed"), then the gravest.
            "t.status DESC, t.impact DESC, t.likelihood DESC, t.id",
            related=(("owner_id", Officer, "full_name"),),
            open_only="NOT t.is_internal",
        ),
        "progress": _List(
            ProgressEntry,
            ("id", "entry_on", "text", "is_internal", "recorded_by_id"),
            "t.entry_on DESC, t.id DESC",
            open_only="NOT t.is_internal",
        ),
        "evaluations": _List(
            Evaluation,
            ("id", "point", "evaluated_on", "is_published"),
            "t.evaluated_on DESC, t.id DESC",
            open_only="t.is_published",
        ),
    }


def _instance(model: type[models.Model], row: dict, spec: _List) -> models.Model:
    values = {}
    for column in spec.fields:
        model_field = model._meta.get_field(column.removesuffix("_id")) if column != "id" else model._meta.pk
        value = row[column]
        values[column if column.endswith("_id") or column == "id" else model_field.attname] = (
            value if value is None or column.endswith("_id") else model_field.to_python(value)
        )
    instance = model(**values)
    for column, related_model, related_field in spec.related:
        if row[column] is not None:
            relation = model._meta.get_field(column.removesuffix("_id"))
            relation.set_cached_value(
                instance, related_model(pk=row[column], **{related_field: row[f"{column}__{related_field}"]})
            )
    return instance


def pilot_page_lists(*, pilot_id: int, sees_everything: bool, progress_limit: int) -> dict[str, list]:
    """Every list of the pilot's page, as model instances, in one query."""
    lists = _lists()
    lists["progress"] = _List(**{**lists["progress"].__dict__, "limit": progress_limit})
    selects = ",\n".join(
        _list_sql(name, spec, sees_everything=sees_everything) for name, spec in lists.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selects}", {"pilot": pilot_id})  # noqa: S608 - built from the code above
        row = cursor.fetchone()
    result = {}
    for (name, spec), rows in zip(lists.items(), row, strict=True):
        rows = json.loads(rows) if isinstance(rows, str) else rows
        result[name] = [_instance(spec.model, item, spec) for item in rows]
    return result
