"""Listing 1M records as a member scoped to a department subtree vs as an admin (no scope).

    .venv/bin/python bench/permission_scope.py [--rows 1000000] [--requests 200]

Same API, same table, same page size, same run. The scoped member's permission is a
`department_tree` scope: their department and everything below it (2 of 10 departments, ~20 %
of the rows) plus their own records, compiled into the list query's WHERE. Prints p50/p95 per
caller for the first page and for a page deep in the cursor, and the p95 ratio (goal <= 1.5:
the scope must ride an index, not filter a scan).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import harness
import httpx
import psycopg

APP = {
    "format": "tessera.app/1", "key": "bench", "name": {"en": "Bench"},
    "forms": [{"key": "customer", "name": {"en": "Customer"}, "fields": [
        {"key": "name", "type": "text", "label": {"en": "Name"}},
        {"key": "level", "type": "select", "label": {"en": "Level"},
         "options": [{"value": "A"}, {"value": "B"}, {"value": "C"}]},
        {"key": "revenue", "type": "money", "label": {"en": "Revenue"}},
    ]}],
    "roles": [{"key": "regional", "name": {"en": "Regional"}, "permissions": [
        {"form": "customer", "actions": ["view"], "scope": "department_tree"}]}],
}


def seed(dsn: str, rows: int, departments: int) -> None:
    """Departments d0..d9 (d1 and d2 under d0 — the scoped member sits in d0), 50 owners,
    `rows` customers spread evenly over departments, then ANALYZE."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        tenant = conn.execute("select id from tenants where key = 'main'").fetchone()[0]
        owner = conn.execute("select id from users where email = 'admin@example.com'"
                             ).fetchone()[0]
        conn.execute("""
            insert into t_main.bench__customer
              (_id, tenant_id, _owner, _department, _created_by, _updated_by, name, level,
               revenue)
            select gen_random_uuid(), %(tenant)s, %(owner)s,
                   (select id from departments where key = 'd' || (g %% %(depts)s)), %(owner)s,
                   %(owner)s, 'Customer ' || g, (array['A','B','C'])[1 + g %% 3], g %% 100000
            from generate_series(1, %(rows)s) g""", {"tenant": tenant, "owner": owner,
                                                     "rows": rows, "depts": departments})
        conn.execute("analyze t_main.bench__customer")


async def measure(client: httpx.AsyncClient, requests: int) -> dict[str, list[float]]:
    url = "/api/v1/apps/bench/forms/customer/records"
    first, deep = [], []
    cursor = None
    for _ in range(20):  # walk 20 pages in: a "deep" cursor
        page = (await client.get(url, params={"limit": 50, **({"cursor": cursor} if cursor
                                                               else {})})).json()
        cursor = page["next_cursor"]
    for _ in range(requests):
        started = time.perf_counter()
        r = await client.get(url, params={"limit": 50})
        first.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200, r.text
        started = time.perf_counter()
        r = await client.get(url, params={"limit": 50, "cursor": cursor})
        deep.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200, r.text
    return {"first page": first, "page 21": deep}


async def run(settings, requests: int) -> None:  # type: ignore[no-untyped-def]
    async with harness.client(settings) as admin, \
            harness.client(settings, "regional@example.com") as regional:
        clients = {"admin@example.com": admin, "regional@example.com": regional}
        results = {who: await measure(c, requests) for who, c in clients.items()}
        scoped_rows = (await regional.get(
            "/api/v1/apps/bench/forms/customer/records/count")).json()
        shown = ("exactly" if scoped_rows["exact"]
                 else "at least" if scoped_rows.get("at_least") else "about")
        print(f"the scoped member sees {shown} {scoped_rows['count']} records")
        for page in ("first page", "page 21"):
            a, s = results["admin@example.com"][page], results["regional@example.com"][page]
            print(f"{page:>10}: admin p50 {statistics.median(a):6.2f} ms "
                  f"p95 {harness.percentile(a, .95):6.2f} ms | scoped p50 "
                  f"{statistics.median(s):6.2f} ms p95 {harness.percentile(s, .95):6.2f} ms"
                  f" | p95 ratio {harness.percentile(s, .95) / harness.percentile(a, .95):.2f}"
                  " (goal <= 1.5)")


async def org(settings, departments: int) -> None:  # type: ignore[no-untyped-def]
    """Departments d0..dN-1 (d1, d2 under d0) and a regional member in d0 holding the role."""
    async with harness.client(settings) as c:
        for i in range(departments):
            await c.post("/api/v1/departments", json={
                "key": f"d{i}", "name": f"D{i}", "parent": "d0" if i in (1, 2) else None})
        r = await c.post("/api/v1/users", json={
            "email": "regional@example.com", "name": "Regional",
            "password": harness.PASSWORD, "departments": ["d0"]})
        assert r.status_code == 201, r.text
        await c.put("/api/v1/apps/bench/roles/regional/members",
                    json={"users": ["regional@example.com"]})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--departments", type=int, default=10,
                        help="rows spread evenly; the member's subtree holds 3 of them")
    args = parser.parse_args()
    with harness.platform(APP) as (settings, pg):
        asyncio.run(org(settings, args.departments))
        started = time.perf_counter()
        seed(pg.dsn("tessera"), args.rows, args.departments)
        print(f"seeded {args.rows} rows in {time.perf_counter() - started:.1f} s")
        asyncio.run(run(settings, args.requests))


if __name__ == "__main__":
    main()
