"""Titles of the records a new record's relations point at (`?prefill={"customer": "<id>"}`:
"New follow-up" on a customer's page). A saved record carries them (`_titles`); a new one
does not, and the browser then reads the related record (`GET …/records/{id}`) and shows its
title (fields/display/relation.tsx `useRelationTitle`). The same read here, through the
records service with the caller's permissions on the target form: a record they may not see
gives no title, and the field shows the id, as the browser does when its read fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from tessera.api.errors import ApiError
from tessera.firstpaint.page import record_title
from tessera.permissions import FactsCache
from tessera.records import service as records


async def prefilled_titles(ctx: records.FormContext, facts: FactsCache | None,
                           app_def: Mapping[str, Any],
                           fields: Sequence[Mapping[str, Any]],
                           values: Mapping[str, Any]) -> dict[str, str]:
    """{relation field key: the related record's title} for the relations holding a value."""
    forms = {form["key"]: form for form in app_def.get("forms") or []}
    out: dict[str, str] = {}
    for fdef in fields:
        value, target = values.get(fdef["key"]), forms.get(fdef.get("target") or "")
        if fdef["type"] != "relation" or not isinstance(value, str) or target is None:
            continue
        try:
            related_id = uuid.UUID(value)
            other = await records.open_form(ctx.conn, ctx.principal, ctx.app, ctx.tables,
                                            target["key"], facts)
            related = await records.get_record(other, related_id)
        except (ValueError, ApiError):
            continue
        out[fdef["key"]] = record_title(target, target.get("fields") or [], related)
    return out
