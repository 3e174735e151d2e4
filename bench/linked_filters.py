""""Links to record X" on a multiple relation, nested in a filter: the semi-join vs the array.

    .venv/bin/python bench/linked_filters.py [--rows 200000] [--repeat 5]

A published app's `deal` form with a multiple relation `partners` (a link table), `rows` deals
with two partners each out of 2,000 companies. Each filter is compiled by `to_sql` twice over
the same columns the records API uses: with the platform's membership hook (an EXISTS
semi-join on the link table, what the API runs) and without it (the generic array form, the
baseline), and counted in the same run. Prints the best-of-`repeat` times and the ratio
(goal: the semi-join at least 10x faster wherever the test sits).
"""

from __future__ import annotations

import argparse
import time
import uuid
from typing import Any

import harness
import psycopg
import sqlalchemy as sa

APP = {
    "format": "tessera.app/1", "key": "bench", "name": {"en": "Bench"},
    "forms": [
        {"key": "company", "name": {"en": "Company"}, "fields": [
            {"key": "name", "type": "text", "label": {"en": "Name"}}]},
        {"key": "deal", "name": {"en": "Deal"}, "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}},
            {"key": "partners", "type": "relation", "target": "company", "multiple": True,
             "label": {"en": "Partners"}}]},
    ],
}
COMPANIES = 2000


def seed(dsn: str, rows: int) -> str:
    """`rows` deals linked to two of COMPANIES companies each; a company's id to look for."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        tenant, owner = conn.execute(
            "select tenant_id, id from users where email = %s", (harness.ADMIN,)).fetchone()
        system = {"tenant": tenant, "owner": owner}
        conn.execute("""
            insert into t_main.bench__company (_id, tenant_id, _owner, _created_by,
                                               _updated_by, name)
            select gen_random_uuid(), %(tenant)s, %(owner)s, %(owner)s, %(owner)s, 'c' || g
            from generate_series(1, %(n)s) g""", {**system, "n": COMPANIES})
        conn.execute("""
            insert into t_main.bench__deal (_id, tenant_id, _owner, _created_by, _updated_by,
                                            title)
            select gen_random_uuid(), %(tenant)s, %(owner)s, %(owner)s, %(owner)s, 'd' || g
            from generate_series(1, %(n)s) g""", {**system, "n": rows})
        conn.execute("""
            with c as (select _id, row_number() over () - 1 as i from t_main.bench__company),
                 d as (select _id, row_number() over () as n from t_main.bench__deal)
            insert into t_main.bench__deal__partners (_id, tenant_id, _parent_id, _row_order,
                                                      target)
            select gen_random_uuid(), %(tenant)s, d._id, k, c._id
            from d, generate_series(0, 1) k, c
            where c.i = (d.n * 7 + k * 13) %% %(companies)s""",
                     {**system, "companies": COMPANIES})
        conn.execute("analyze")
        return str(conn.execute("select _id from t_main.bench__company limit 1").fetchone()[0])


def best_ms(engine: sa.Engine, predicate: Any, table: sa.Table, repeat: int) -> tuple[float, int]:
    query = sa.select(sa.func.count()).select_from(table).where(predicate)
    times, count = [], 0
    with engine.connect() as conn:
        for _ in range(repeat):
            started = time.perf_counter()
            count = conn.execute(query).scalar_one()
            times.append((time.perf_counter() - started) * 1000)
    return min(times), count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from engines.rules import to_sql
    from tessera.permissions.links import link_arrays, link_membership
    from tessera.storage.tables import build_app_tables

    with harness.platform(APP) as (_settings, pg):
        company = seed(pg.dsn("tessera"), args.rows)
        deal = build_app_tables("t_main", APP).forms["deal"].table
        columns = {"title": deal.c.title, **link_arrays(deal)}
        linked = {"in": [company, {"var": "partners"}]}
        other = {"in": [str(uuid.uuid4()), {"var": "partners"}]}
        cases = {
            "top level": linked,
            "in an or": {"or": [{"==": [{"var": "title"}, "none"]}, linked]},
            "negated": {"!": [linked]},
            "and of ors": {"and": [{"or": [linked, other]}, {"!": [other]}]},
        }
        engine = sa.create_engine(pg.sqlalchemy_url("tessera", driver="psycopg"))
        print(f"{args.rows:,} deals, 2 links each; best of {args.repeat}")
        print(f"{'filter':<12} {'array ms':>10} {'semi-join ms':>13} {'ratio':>7}")
        for name, expression in cases.items():
            base, base_count = best_ms(engine, to_sql(expression, columns), deal, args.repeat)
            fast, fast_count = best_ms(engine, to_sql(expression, columns,
                                                      membership=link_membership(deal)),
                                       deal, args.repeat)
            assert base_count == fast_count, (name, base_count, fast_count)
            print(f"{name:<12} {base:>10.1f} {fast:>13.1f} {base / fast:>6.0f}x")
        engine.dispose()


if __name__ == "__main__":
    main()
