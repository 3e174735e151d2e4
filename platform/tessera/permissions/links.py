"""Multiple relations in filters and scopes: "links to record X" as an indexed semi-join.

A multiple relation (`partners`) lives in a link table (`_parent_id`, `target`), and filters
read it as an array of the linked ids, so `{"in": ["<id>", {"var": "partners"}]}` ("which
records link to X", the record page's related tab) means the same everywhere. Read as an
array it builds every row's array first (200k rows: 3.3 s to count); as `EXISTS (SELECT FROM
link WHERE _parent_id = _id AND target = X)` Postgres starts from the link table's `target`
index (~10 ms). The expression compiler asks this hook for every such test at any depth
(`engines.rules.to_sql(..., membership=...)`), in list filters and permission scopes alike.

The link tables of a form table are in its `info["links"]` (storage.tables builds them).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ARRAY, Table, Uuid, func, select

from engines.rules import Membership


def link_arrays(table: Table) -> dict[str, Any]:
    """Each multiple relation of `table` as the array of its linked ids, the form in which
    expressions read it (correlated on the link table's `_parent_id` index)."""
    links: dict[str, Table] = table.info.get("links") or {}
    return {key: func.array(select(link.c.target).where(link.c._parent_id == table.c._id)
                            .scalar_subquery(), type_=ARRAY(Uuid()))
            for key, link in links.items()}


def link_membership(table: Table) -> Membership | None:
    """The compiler's membership hook for `table`'s multiple relations (None without any)."""
    links: dict[str, Table] = table.info.get("links") or {}
    if not links:
        return None

    def linked(key: str, target: uuid.UUID) -> Any:
        link = links.get(key)
        if link is None:  # a member/department/file array: the compiler's own `= ANY`
            return None
        return select(link.c._parent_id).where(link.c._parent_id == table.c._id,
                                               link.c.target == target).exists()

    return linked
