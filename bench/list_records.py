"""Listing 1M records through the API with an indexed filter and sort: p50 and p95.

    .venv/bin/python bench/list_records.py [--rows 1000000] [--requests 200]

A form whose `level` and `revenue` fields are indexed (`"index": true`); 1M rows seeded in SQL.
Each request goes through the whole API stack (auth, permissions, filter compiled by the
expression language, keyset cursor, JSON) in-process over ASGI. The baseline is the same
query written by hand and run directly with asyncpg, in the same run; the ratio shows what the
platform adds. Goal: API p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

import asyncpg
import harness
import psycopg

APP = {
    "format": "tessera.app/1", "key": "bench", "name": {"en": "Bench"},
    "forms": [{"key": "customer", "name": {"en": "Customer"}, "fields": [
        {"key": "name", "type": "text", "label": {"en": "Name"}},
        {"key": "level", "type": "select", "label": {"en": "Level"}, "index": True,
         "options": [{"value": "A"}, {"value": "B"}, {"value": "C"}]},
        {"key": "revenue", "type": "money", "label": {"en": "Revenue"}, "index": True},
        {"key": "city", "type": "text", "label": {"en": "City"}},
    ]}],
}
QUERIES = {
    "level = A, sort -revenue": ({"==": [{"var": "level"}, "A"]}, "-revenue",
                                 "select * from t_main.bench__customer where tenant_id = $1 "
                                 "and _deleted_at is null and level = 'A' "
                                 "order by revenue desc nulls first, _id desc limit 51"),
    "revenue > 99000, sort -_id": ({">": [{"var": "revenue"}, 99000]}, "-_id",
                                   "select * from t_main.bench__customer where tenant_id = $1 "
                                   "and _deleted_at is null and revenue > 99000 "
                                   "order by _id desc limit 51"),
}


async def run(settings, dsn_kwargs: dict, requests: int) -> None:  # type: ignore[no-untyped-def]
    async with harness.client(settings) as client:
        conn = await asyncpg.connect(**dsn_kwargs)
        tenant = await conn.fetchval("select id from tenants where key = 'main'")
        url = "/api/v1/apps/bench/forms/customer/records"
        for label, (expression, sort, sql) in QUERIES.items():
            api, raw = [], []
            params = {"filter": json.dumps(expression), "sort": sort, "limit": 50}
            for _ in range(requests):
                started = time.perf_counter()
                response = await client.get(url, params=params)
                api.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200 and response.json()["items"], response.text
                started = time.perf_counter()
                await conn.fetch(sql, tenant)
                raw.append((time.perf_counter() - started) * 1000)
            print(f"{label:<28} API p50 {statistics.median(api):6.2f} ms  p95 "
                  f"{harness.percentile(api, .95):6.2f} ms (goal <= 50) | hand-written SQL p50 "
                  f"{statistics.median(raw):6.2f} ms p95 {harness.percentile(raw, .95):6.2f} ms")
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    with harness.platform(APP) as (settings, pg):
        started = time.perf_counter()
        with psycopg.connect(pg.dsn("tessera"), autocommit=True) as conn:
            tenant, owner = conn.execute(
                "select tenant_id, id from users where email = 'admin@example.com'").fetchone()
            conn.execute("""
                insert into t_main.bench__customer (_id, tenant_id, _owner, _created_by,
                    _updated_by, name, level, revenue, city)
                select gen_random_uuid(), %(t)s, %(o)s, %(o)s, %(o)s, 'Customer ' || g,
                       (array['A','B','C'])[1 + g %% 3], (g::bigint * 7919) %% 100000,
                       (array['上海','北京','深圳','杭州'])[1 + g %% 4]
                from generate_series(1, %(n)s) g""", {"t": tenant, "o": owner, "n": args.rows})
            conn.execute("analyze t_main.bench__customer")
        print(f"seeded {args.rows} rows in {time.perf_counter() - started:.1f} s")
        asyncio.run(run(settings, {"host": str(pg.socket_dir), "port": pg.port,
                                   "user": "postgres", "database": "tessera"}, args.requests))


if __name__ == "__main__":
    main()
