"""The backfill job of a type change (expand/contract).

Publishing renamed the old column aside and added an empty column of the new type; this job
fills it in batches of primary keys, each batch its own short transaction, with progress. It is
idempotent: a batch only touches rows whose new value is still NULL, so a retried or resumed
run converts what is left. Values that do not convert stay NULL and remain readable in the
kept column.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tessera.jobs import JobContext, job_handler
from tessera.storage.naming import quote
from tessera.storage.planner import conversion_sql

BATCH = 5_000


@job_handler("schema.convert_column", max_attempts=5)
async def convert_column(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    target = f"{quote(payload['schema'])}.{quote(payload['table'])}"
    source, column = quote(payload["source"]), quote(payload["target"])
    converted = conversion_sql(payload["source"], payload["from"], payload["to"])
    async with ctx.engine.begin() as conn:
        total = (await conn.execute(text(
            f"select count(*) from {target} where {source} is not null"))).scalar_one()  # noqa: S608
    await ctx.progress(0, total)
    done, last_id, unconvertible = 0, None, 0
    while True:
        async with ctx.engine.begin() as conn:
            ids = (await conn.execute(text(
                f"select _id from {target} where {source} is not null "  # noqa: S608
                + ("and _id > :last " if last_id else "")
                + "order by _id limit :n"), {"last": last_id, "n": BATCH})).scalars().all()
            if not ids:
                break
            result = await conn.execute(text(
                f"update {target} set {column} = {converted} "  # noqa: S608
                f"where _id = any(:ids) and {column} is null returning {column} is null as bad"),
                {"ids": list(ids)})
            unconvertible += sum(1 for row in result if row.bad)
        done += len(ids)
        last_id = ids[-1]
        await ctx.progress(done, total)
    return {"converted": done - unconvertible, "unconvertible": unconvertible,
            "kept_in": payload["source"]}
