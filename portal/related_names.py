"""The names of a row's many-to-many records (a provider's areas, an activity's service types) for list pages.

On PostgreSQL they come with the rows, as an array per row written out in SQL: as an ORM subquery the array took
longer to build than the database took to answer. Elsewhere (SQLite, in local development) `with_names()` reads
them for a page's rows in one query per relation.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import CharField, Model, QuerySet
from django.db.models.expressions import RawSQL


def _names_array(model: type[Model], relation: str) -> RawSQL:
    field = model._meta.get_field(relation)
    through = field.remote_field.through._meta
    own, other = field.m2m_column_name(), field.m2m_reverse_name()
    table = field.related_model._meta.db_table
    sql = f"""
        ARRAY(
            SELECT named.name FROM {through.db_table} link JOIN {table} named ON named.id = link.{other}
            WHERE link.{own} = {model._meta.db_table}.id ORDER BY named.name
        )
    """  # noqa: S608 - the table and column names come from the models
    return RawSQL(sql, [], output_field=ArrayField(CharField()))  # noqa: S611


def annotate_names(queryset: QuerySet, relations: dict[str, str]) -> QuerySet:
    """`relations` maps a many-to-many field to the attribute that gets its names, e.g. {"areas": "area_names"}."""
    if connection.vendor != "postgresql":
        return queryset
    return queryset.annotate(
        **{name: _names_array(queryset.model, relation) for relation, name in relations.items()}
    )


def with_names(rows: list, model: type[Model], relations: dict[str, str]) -> list:
    """Fill in the names annotate_names() could not (not on PostgreSQL), for these rows only."""
    missing = {row.pk: row for row in rows if not hasattr(row, next(iter(relations.values())))}
    for row in missing.values():
        for attribute in relations.values():
            setattr(row, attribute, [])
    for relation, attribute in relations.items() if missing else ():
        field = model._meta.get_field(relation)
        own, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        names = (
            field.remote_field.through.objects.filter(**{f"{own}_id__in": missing})
            .order_by(f"{target}__name")
            .values_list(f"{own}_id", f"{target}__name")
        )
        for row_id, name in names:
            getattr(missing[row_id], attribute).append(name)
    return rows
