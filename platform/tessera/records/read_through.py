"""Lookup and rollup fields: read through relations in SQL, never stored.

The form engine says *what* to read (`engines.form.read_plans`); this module turns each plan into
a correlated scalar sub-query selected next to the record's own columns, so a list of 50
records with three rollups is still one statement (no N+1), always current, and served by the
indexes on relation columns and link tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, and_, distinct, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

from engines.form import ReadPlan, read_plans
from tessera.storage.tables import AppTables

_AGGREGATES = {
    "count": lambda col: func.count(),
    "count_distinct": lambda col: func.count(distinct(col)),
    "sum": func.sum,
    "avg": func.avg,
    "min": func.min,
    "max": func.max,
}


def _live(table: Table, this: Table) -> ColumnElement[bool]:
    return and_(table.c.tenant_id == this.c.tenant_id, table.c._deleted_at.is_(None))


def _source_filter(plan: ReadPlan, source: Table) -> list[Any]:
    if plan.filter is None:
        return []
    from engines.rules import to_sql

    columns = {c.name: c for c in source.c if not c.name.startswith("_")}
    return [to_sql(plan.filter, columns)]


def _value(plan: ReadPlan, source: Table) -> Any:
    column = source.c[plan.target_field] if plan.target_field else None
    if plan.kind == "rollup":
        agg = plan.agg or "count"
        return _AGGREGATES[agg](column)
    return column


def read_through_column(tables: AppTables, form_key: str, plan: ReadPlan,
                        source_condition: Any = None) -> Any:
    """`source_condition`: the rows of the source form the caller may see (permissions), so a
    rollup never sums, and a lookup never shows, what the caller could not read directly."""
    this = tables.forms[form_key].table
    source_ft = tables.forms[plan.source_form]
    source = source_ft.table
    value = _value(plan, source)
    conditions = [_live(source, this), *_source_filter(plan, source)]
    if source_condition is not None:
        conditions.append(source_condition)
    if not plan.reverse and not plan.multiple:  # this.relation -> one source record
        query = select(value).where(source.c._id == this.c[plan.relation], *conditions)
    elif not plan.reverse:  # this -> link table -> source records
        link = tables.forms[form_key].children[plan.relation]
        if plan.kind == "lookup":  # one value per linked record, in link order
            value = func.array_agg(aggregate_order_by(value, link.c._row_order))
        query = select(value).select_from(link.join(source, source.c._id == link.c.target))
        query = query.where(link.c._parent_id == this.c._id, *conditions)
    elif not plan.multiple:  # source.relation -> this
        query = select(value).where(source.c[plan.relation] == this.c._id, *conditions)
    else:  # source -> its link table -> this
        link = source_ft.children[plan.relation]
        query = select(value).select_from(link.join(source, source.c._id == link.c._parent_id))
        query = query.where(link.c.target == this.c._id, *conditions)
    if plan.kind == "lookup" and not plan.multiple:
        query = query.limit(1)
    column = query.scalar_subquery()
    if plan.kind == "rollup" and plan.agg in ("count", "count_distinct", "sum"):
        column = func.coalesce(column, 0)  # "no related records" sums and counts to 0
    return column.label(plan.field)


def read_through_columns(tables: AppTables, definition: dict[str, Any],
                         form: dict[str, Any]) -> list[Any]:
    forms = {f["key"]: f for f in definition.get("forms", [])}
    return [read_through_column(tables, form["key"], plan) for plan in read_plans(form, forms)]
