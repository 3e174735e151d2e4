"""Titles of related records (`_titles`), read in the same statement as the records.

A relation value is an id; people read the related record's title (its form's `title_field`).
Lists and records carry `_titles: {relation field: title}` (a list of titles for a multiple
relation), so a page of 50 orders shows customer names without 50 more requests. Only titles
of records the caller may see, from a title field not hidden from them, are given.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, and_, cast, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from tessera.storage.tables import AppTables

PREFIX = "_title__"


def title_column(tables: AppTables, form_key: str, field: dict[str, Any],
                 title_field: str, condition: Any) -> Any:
    this = tables.forms[form_key].table
    target = tables.forms[field["target"]].table
    title = cast(target.c[title_field], Text)
    live = [target.c.tenant_id == this.c.tenant_id, target.c._deleted_at.is_(None)]
    if condition is not None:
        live.append(condition)
    if field.get("multiple"):
        link = tables.forms[form_key].children[field["key"]]
        query = (select(func.array_agg(aggregate_order_by(title, link.c._row_order)))
                 .select_from(link.join(target, target.c._id == link.c.target))
                 .where(link.c._parent_id == this.c._id, *live))
    else:
        query = select(title).where(and_(target.c._id == this.c[field["key"]], *live)).limit(1)
    return query.scalar_subquery().label(PREFIX + field["key"])


def split_titles(record: dict[str, Any]) -> dict[str, Any]:
    """Move the `_title__<field>` values of a row into `_titles`."""
    titles = {k[len(PREFIX):]: record.pop(k) for k in [k for k in record if k.startswith(PREFIX)]}
    if titles:
        record["_titles"] = titles
    return record
