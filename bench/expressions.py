"""The expression language: evaluation speed, and SQL filtering against hand-written SQL.

    .venv/bin/python bench/expressions.py [--rows 1000000] [--seconds 2] [--rounds 7]

1. Evaluations per second of one 20-node expression (a typical list filter / rule condition)
   over varied records: the tree-walking `evaluate` (validates the tree on every call, as a
   one-off caller uses it), the closure-compiled form `compile_expr(expr)` (validate and
   dispatch once), and a hand-written Python function doing the same test as the ceiling.
2. Filtering N rows (1M by default) in Postgres: `SELECT count(*) ... WHERE <to_sql(expr)>`
   against the same filter written by hand in SQL, alternating, median of the rounds.
   Rows are made by the server with generate_series (no client round trips). Prints the ratio
   compiled / hand-written (≈ 1 is the goal) and checks both count the same rows.

Postgres is a throwaway embedded cluster unless `--dsn` (a libpq string) is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]

from engines.rules import compile_expr, evaluate, to_sql  # noqa: E402
from engines.rules.expr.walk import structural_errors  # noqa: E402

CLOCK = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
V = lambda name: {"var": name}  # noqa: E731
# 20 nodes: operators, vars and literals all count.
EXPR = {
    "and": [
        {">": [V("amount"), 1000]},
        {"in": [V("stage"), ["won", "negotiation"]]},
        {"or": [{"<": [V("close_date"), "2026-07-01"]}, {"==": [V("vip"), True]}]},
    ]
}
HAND_SQL = (
    "amount > 1000 AND stage IN ('won', 'negotiation') "
    "AND (close_date < DATE '2026-07-01' OR vip = true)"
)


def node_count(expr: Any) -> int:
    stack, count = [expr], 0
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            ((_, args),) = node.items()
            stack.extend(args if isinstance(args, list) else [args])
        elif isinstance(node, list):
            stack.extend(node)
    return count


def hand_written(record: dict[str, Any]) -> bool:
    amount, close = record.get("amount"), record.get("close_date")
    return (
        amount is not None
        and amount > 1000
        and record.get("stage") in ("won", "negotiation")
        and ((close is not None and close < "2026-07-01") or record.get("vip") is True)
    )


def records(n: int) -> list[dict[str, Any]]:
    rnd = random.Random(3)
    start = dt.date(2026, 1, 1)
    return [
        {
            "amount": round(rnd.uniform(0, 5000), 2),
            "stage": rnd.choice(["new", "won", "lost", "negotiation"]),
            "close_date": (start + dt.timedelta(days=rnd.randint(0, 364))).isoformat(),
            "vip": rnd.random() < 0.2,
        }
        for _ in range(n)
    ]


def rate(fn: Any, data: list[dict[str, Any]], seconds: float) -> float:
    done, begin = 0, time.perf_counter()
    while True:
        for record in data:
            fn(record)
        done += len(data)
        elapsed = time.perf_counter() - begin
        if elapsed >= seconds:
            return done / elapsed


def bench_python(seconds: float) -> None:
    assert not list(structural_errors(EXPR))
    print(f"expression: {node_count(EXPR)} nodes")
    data = records(1000)
    compiled = compile_expr(EXPR)
    for record in data:
        assert evaluate(EXPR, record, clock=CLOCK) == compiled(record) == hand_written(record)
    tree = rate(lambda r: evaluate(EXPR, r, clock=CLOCK), data, seconds)
    fast = rate(lambda r: compiled(r, clock=CLOCK), data, seconds)
    ceiling = rate(hand_written, data, seconds)
    print(f"tree-walking evaluate : {tree:12,.0f} evals/s")
    print(f"compiled closures     : {fast:12,.0f} evals/s  ({fast / tree:.2f}x tree-walking)")
    print(f"hand-written Python   : {ceiling:12,.0f} evals/s  ({ceiling / fast:.2f}x compiled)")


def bench_sql(dsn: str | None, rows: int, rounds: int) -> None:
    cluster = None
    if dsn is None:
        from tessera.db.embedded import throwaway_cluster

        cluster = throwaway_cluster().start()
        url = cluster.sqlalchemy_url("postgres", driver="psycopg")
    else:
        url = "postgresql+psycopg:///?" + "&".join(
            f"{k}={v}" for k, v in (p.split("=", 1) for p in dsn.split())
        )
    engine = sa.create_engine(url)
    deals = sa.Table(
        "bench_deals",
        sa.MetaData(),
        sa.Column("_id", sa.BigInteger, primary_key=True),
        sa.Column("amount", sa.Numeric(14, 2)),
        sa.Column("stage", sa.Text),
        sa.Column("close_date", sa.Date),
        sa.Column("vip", sa.Boolean),
    )
    try:
        with engine.begin() as conn:
            deals.drop(conn, checkfirst=True)
            deals.create(conn)
            begin = time.perf_counter()
            conn.execute(
                sa.text(
                    "INSERT INTO bench_deals (_id, amount, stage, close_date, vip) "
                    "SELECT g, round((random() * 5000)::numeric, 2), "
                    "(ARRAY['new','won','lost','negotiation'])[1 + (g % 4)], "
                    "DATE '2026-01-01' + (g % 365), (g % 5 = 0) "
                    "FROM generate_series(1, :rows) AS g"
                ),
                {"rows": rows},
            )
            conn.execute(sa.text("ANALYZE bench_deals"))
            print(f"generated {rows:,} rows in {time.perf_counter() - begin:.1f} s")
        columns = {c.name: c for c in deals.columns}
        compiled = sa.select(sa.func.count()).select_from(deals).where(to_sql(EXPR, columns))
        by_hand = sa.text(f"SELECT count(*) FROM bench_deals WHERE {HAND_SQL}")
        print("compiled SQL:", compiled.compile(engine, compile_kwargs={"literal_binds": True}))
        times: dict[str, list[float]] = {"compiled": [], "hand": []}
        counts: dict[str, int] = {}
        with engine.connect() as conn:
            for round_ in range(rounds + 1):
                for name, query in (("compiled", compiled), ("hand", by_hand)):
                    begin = time.perf_counter()
                    counts[name] = conn.execute(query).scalar_one()
                    if round_:  # the first round only warms the cache
                        times[name].append(time.perf_counter() - begin)
        assert counts["compiled"] == counts["hand"], counts
        compiled_ms = statistics.median(times["compiled"]) * 1000
        hand_ms = statistics.median(times["hand"]) * 1000
        print(f"rows matching          : {counts['compiled']:,}")
        print(f"to_sql filter          : {compiled_ms:8.1f} ms (median of {rounds})")
        print(f"hand-written SQL filter: {hand_ms:8.1f} ms")
        print(f"ratio compiled / hand  : {compiled_ms / hand_ms:.2f}")
    finally:
        engine.dispose()
        if cluster is not None:
            cluster.stop()
            shutil.rmtree(cluster.data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=2.0, help="per Python measurement")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dsn", help="libpq string of a Postgres to use (default: embedded)")
    args = parser.parse_args()
    bench_python(args.seconds)
    bench_sql(args.dsn, args.rows, args.rounds)


if __name__ == "__main__":
    main()
