"""Hand-written reads for hot paths: the ORM's rows without its query compilation.

On the booking and RF-tap paths, compiling a queryset (filters, joins, ordering) cost
more than PostgreSQL spent answering it (docs/performance.md). These helpers keep the
reads honest: the SQL names only columns from the models' meta, values are always
parameters, and rows become model instances exactly as the ORM builds them (its
database converters applied, ``Model.from_db``), with related objects cached the way
``select_related`` caches them. Nothing is cached between requests.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def fields(model) -> list:
    return list(model._meta.concrete_fields)


def column_list(model, alias: str) -> str:
    """``alias."col1", alias."col2", …`` for every concrete column of ``model``."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in fields(model))


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def instance(model: type[M], values: Sequence) -> M:
    """A ``model`` instance from its columns in ``fields`` order."""
    values = list(values)
    for index, col, converters in _converters(connection.vendor, model):
        for converter in converters:
            values[index] = converter(values[index], col, connection)
    return model.from_db(connection.alias, [f.attname for f in fields(model)], values)


def instances(row: Sequence, models: Sequence[type[Model]]) -> list[Model | None]:
    """Split a row of several models' columns (``column_list`` each, in order); a part
    whose primary key is NULL (an unmatched LEFT JOIN) is None."""
    found: list[Model | None] = []
    start = 0
    for model in models:
        width = len(fields(model))
        part = row[start : start + width]
        pk_index = fields(model).index(model._meta.pk)
        found.append(instance(model, part) if part[pk_index] is not None else None)
        start += width
    return found


def relate(obj: Model, field_name: str, related: Model | None) -> None:
    """Cache ``related`` on ``obj`` as select_related would (no query when read)."""
    obj._meta.get_field(field_name).set_cached_value(obj, related)


def fetch_one(sql: str, params: Sequence, models: Sequence[type[Model]]):
    """The first row of ``sql`` split into ``models`` instances, or None."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else instances(row, models)


@functools.cache
def _converters(vendor: str, model) -> list[tuple[int, object, list]]:
    """The database-to-Python converters of ``model``'s columns (what the ORM applies)."""
    db_table = model._meta.db_table
    found = []
    for index, field in enumerate(fields(model)):
        col = field.get_col(db_table)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if converters:
            found.append((index, col, converters))
    return found
