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


class RelatedTitles:
    """The titles one page reads: each target form opened once and each related record read
    once, however many sub-form rows point at it (a quote's twenty lines of one product are
    one read, not twenty form openings and twenty reads)."""

    def __init__(self, ctx: records.FormContext, facts: FactsCache | None,
                 app_def: Mapping[str, Any]) -> None:
        self._ctx, self._facts = ctx, facts
        self._forms = {form["key"]: form for form in app_def.get("forms") or []}
        self._opened: dict[str, records.FormContext | None] = {}
        self._titles: dict[tuple[str, uuid.UUID], str | None] = {}

    async def _target(self, key: str) -> records.FormContext | None:
        if key not in self._opened:
            ctx = self._ctx
            try:
                self._opened[key] = await records.open_form(ctx.conn, ctx.principal, ctx.app,
                                                            ctx.tables, key, self._facts)
            except ApiError:
                self._opened[key] = None
        return self._opened[key]

    async def _title(self, target: Mapping[str, Any], related_id: uuid.UUID) -> str | None:
        key = (target["key"], related_id)
        if key not in self._titles:
            other = await self._target(target["key"])
            try:
                related = None if other is None else await records.get_record(other, related_id)
            except ApiError:
                related = None
            self._titles[key] = None if related is None else record_title(
                target, target.get("fields") or [], related)
        return self._titles[key]

    async def of(self, fields: Sequence[Mapping[str, Any]],
                 values: Mapping[str, Any]) -> dict[str, str]:
        """{relation field key: the related record's title} for the relations holding a
        value the caller may read."""
        out: dict[str, str] = {}
        for fdef in fields:
            value, target = values.get(fdef["key"]), self._forms.get(fdef.get("target") or "")
            if fdef["type"] != "relation" or not isinstance(value, str) or target is None:
                continue
            try:
                related_id = uuid.UUID(value)
            except ValueError:
                continue
            title = await self._title(target, related_id)
            if title is not None:
                out[fdef["key"]] = title
        return out


async def prefilled_titles(ctx: records.FormContext, facts: FactsCache | None,
                           app_def: Mapping[str, Any],
                           fields: Sequence[Mapping[str, Any]],
                           values: Mapping[str, Any]) -> dict[str, str]:
    """{relation field key: the related record's title} for the relations holding a value."""
    return await RelatedTitles(ctx, facts, app_def).of(fields, values)
