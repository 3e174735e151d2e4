"""Importing a CSV through the import job vs raw COPY of the same file, same run.

    .venv/bin/python bench/import_csv.py [--rows 1000000] [--atomic | --good-rows]

One generated CSV (7 typed columns: text (unique), money, select, date, checkbox, textarea,
number). The import side is the real path: `POST /api/v1/apps/bench/forms/deal/import`
(multipart upload stored as a job artifact) and the `records.import` job on the in-process
worker, which reads the csv, maps the columns, converts every cell, runs every row through the
form engine, checks unique values against the file and the table, and COPYs rows and history
rows in batches; measured from the POST until the job reports success. The baseline is
asyncpg's `copy_to_table` of the same file (server-side CSV parsing) into a table made with
`CREATE TABLE … (LIKE <the form's table> INCLUDING ALL)`: the same columns, types, defaults
and indexes (primary key, the unique index), no validation and no history. The Postgres is the
embedded one with durable settings (fsync on), as `tessera serve` runs it. Prints rows/s of
each and the ratio (goal >= 0.25).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import shutil
import sys
import time
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from harness import deal_app

ROOT = Path(__file__).resolve().parents[1]
APP = deal_app(unique_title=True)
FIELDS = APP["forms"][0]["fields"]
PASSWORD = "bench-password-1"


def write_csv(path: Path, rows: int) -> None:
    rnd = random.Random(7)
    start = date(2026, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow([x["key"] for x in FIELDS])
        for i in range(rows):
            out.writerow([f"Deal {i}", f"{rnd.uniform(100, 100000):.2f}",
                          rnd.choice(("new", "won", "lost")),
                          (start + timedelta(days=rnd.randint(0, 365))).isoformat(),
                          "true" if rnd.random() < 0.3 else "false", "x" * rnd.randint(0, 80),
                          rnd.randint(1, 50)])


def _gc_clock() -> dict[int, list[float]]:
    """Count and time this process's garbage collections from now on, per generation."""
    import gc

    spent: dict[int, list[float]] = {0: [0, 0.0], 1: [0, 0.0], 2: [0, 0.0]}
    begun = [0.0]

    def clock(phase: str, info: dict) -> None:
        if phase == "start":
            begun[0] = time.perf_counter()
        else:
            spent[info["generation"]][0] += 1
            spent[info["generation"]][1] += time.perf_counter() - begun[0]

    gc.callbacks.append(clock)
    return spent


def _timers() -> dict[str, list[float]]:
    """Wall time (count, seconds) of the import's steps on its connection, by wrapping the
    importer's methods in this process: where an import's time goes (`--breakdown`)."""
    import functools

    from tessera.imports import importer, pipeline

    spent: dict[str, list[float]] = {}

    def timed(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        async def wrapper(*a: Any, **k: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*a, **k)
            finally:
                entry = spent.setdefault(label, [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - started

        setattr(owner, name, wrapper)

    for name in ("finish", "_check_unique", "_check_references", "_allocate_serials",
                 "_insert", "_update", "_resolve"):
        timed(importer.Importer, name, name)
    iterate = pipeline.CheckedBatches.__aiter__

    def waited(self: Any) -> Any:
        inner = iterate(self)

        async def gen() -> Any:
            while True:
                started = time.perf_counter()
                try:
                    rows = await inner.__anext__()
                except StopAsyncIteration:
                    return
                finally:
                    entry = spent.setdefault("next batch (read, check or wait, unpack)",
                                             [0, 0.0])
                    entry[0] += 1
                    entry[1] += time.perf_counter() - started
                yield rows

        return gen()

    pipeline.CheckedBatches.__aiter__ = waited  # type: ignore[method-assign]
    return spent


async def run(args: argparse.Namespace, pg, data: Path) -> None:  # type: ignore[no-untyped-def]
    import asyncpg
    import httpx

    from tessera.app import create_app
    from tessera.bootstrap import bootstrap
    from tessera.config import Settings
    from tessera.db import migrate
    from tessera.db.engine import create_engine

    settings = Settings(database_url=pg.sqlalchemy_url("tessera"),
                        admin_email="admin@example.com", admin_password=PASSWORD,
                        in_process_worker=True, install_default_app=False,
                        upload_max_bytes=1 << 30)
    await asyncio.to_thread(migrate.upgrade, settings)
    engine = create_engine(settings, pool_size=2)
    await bootstrap(engine, settings)
    await engine.dispose()
    path = data / "deals.csv"
    write_csv(path, args.rows)
    size = path.stat().st_size
    application = create_app(replace(settings, in_process_worker=True))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench",
                                     timeout=3600) as client:
            login = await client.post("/api/v1/auth/login", json={
                "email": "admin@example.com", "password": PASSWORD})
            client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            assert (await client.post("/api/v1/apps", json=APP)).status_code == 201

            conn = await asyncpg.connect(host=str(pg.socket_dir), port=pg.port,
                                         user="postgres", database="tessera")
            tenant = await conn.fetchval("select id from tenants where key = 'main'")
            await conn.execute("create table t_main.copy_baseline "
                               "(like t_main.bench__deal including all)")
            await conn.execute(f"alter table t_main.copy_baseline alter tenant_id "
                               f"set default '{tenant}'")
            started = time.perf_counter()
            await conn.copy_to_table("copy_baseline", schema_name="t_main", source=str(path),
                                     columns=[x["key"] for x in FIELDS], format="csv",
                                     header=True)
            copy_seconds = time.perf_counter() - started

            content = path.read_bytes()
            spent = _timers() if args.breakdown else {}
            if args.workers is not None:
                from tessera.imports import pipeline

                pipeline.WORKERS = args.workers
            collections = _gc_clock()
            started, cpu_started = time.perf_counter(), time.process_time()
            response = await client.post("/api/v1/apps/bench/forms/deal/import",
                                         files={"file": ("deals.csv", content)},
                                         data={"atomic": str(args.atomic).lower()})
            assert response.status_code == 202, response.text
            job_id = response.json()["job_id"]
            latencies = []  # of the API on the same event loop while the job runs
            lags: list[float] = []  # how late a 10 ms sleep on that loop wakes up

            async def probe() -> None:
                while True:
                    asked = time.perf_counter()
                    await asyncio.sleep(0.01)
                    lags.append(time.perf_counter() - asked - 0.01)

            prober = asyncio.create_task(probe())
            while True:
                asked = time.perf_counter()
                job = (await client.get(f"/api/v1/jobs/{job_id}")).json()
                latencies.append(time.perf_counter() - asked)
                if job["status"] in ("succeeded", "failed", "cancelled"):
                    break
                await asyncio.sleep(0.2)
            import_seconds = time.perf_counter() - started
            prober.cancel()
            # this process's CPU (the API, the job, its reading and writing; not the worker
            # process that checks big files, nor Postgres): robust to a loaded machine
            import_cpu = time.process_time() - cpu_started
            assert job["status"] == "succeeded", job
            assert job["result"]["inserted"] == args.rows, job["result"]
            stored = await conn.fetchval("select count(*) from t_main.bench__deal")
            assert stored == args.rows
            # imported records' history entries are synthesised until they first change
            one = await conn.fetchval("select _id from t_main.bench__deal limit 1")
            timeline = (await client.get(
                f"/api/v1/apps/bench/forms/deal/records/{one}/history")).json()["items"]
            assert [(h["version"], h["action"]) for h in timeline] == [(1, "import")]
            await conn.close()
    copy_rate, import_rate = args.rows / copy_seconds, args.rows / import_seconds
    mode = "atomic" if args.atomic else "good-rows"
    print(f"rows={args.rows} file={size / 1e6:.1f} MB mode={mode}"
          f" (durable Postgres, {os.cpu_count()} cores)")
    print(f"raw COPY of the csv (baseline):            {copy_rate:9.0f} rows/s "
          f"({copy_seconds:.1f} s)")
    print(f"import job (upload+validate+COPY+history): {import_rate:9.0f} rows/s "
          f"({import_seconds:.1f} s)")
    print("garbage collections in this process during the import: " + ", ".join(
        f"gen{g} {n}× {t:.1f} s" for g, (n, t) in collections.items()))
    print(f"the job's process CPU: {import_cpu / args.rows * 1e6:.1f} us/row "
          f"(without the checking worker process and Postgres)")
    latencies.sort()
    print(f"GET /jobs/{{id}} during the import ({len(latencies)}×): median "
          f"{latencies[len(latencies) // 2] * 1e3:.0f} ms, 95th "
          f"{latencies[int(len(latencies) * 0.95)] * 1e3:.0f} ms, max "
          f"{latencies[-1] * 1e3:.0f} ms")
    lags.sort()
    print(f"event loop lag (10 ms sleeps, {len(lags)}×): median {lags[len(lags) // 2] * 1e3:.0f}"
          f" ms, 99th {lags[int(len(lags) * 0.99)] * 1e3:.0f} ms, max {lags[-1] * 1e3:.0f} ms")
    for label, (count, seconds) in spent.items():
        print(f"  {label}: {seconds:.1f} s ({count:.0f}×)")
    print(f"ratio import / COPY = {import_rate / copy_rate:.2f}  (goal >= 0.25)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--atomic", dest="atomic", action="store_true", default=True)
    group.add_argument("--good-rows", dest="atomic", action="store_false")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes that check batches (pipeline.WORKERS)")
    parser.add_argument("--breakdown", action="store_true",
                        help="time the import's steps (wraps the importer's methods)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "platform"))
    import logging

    import psycopg

    from tessera.db.embedded import EmbeddedPostgres

    logging.disable(logging.INFO)
    data = Path(os.environ.get("BENCH_DIR", "/tmp")) / f"tessera-bench-{uuid.uuid4().hex[:6]}"
    data.mkdir(parents=True)
    data.chmod(0o755)
    pg = EmbeddedPostgres(data / "pg", fast=False, tcp=False).start()
    try:
        with psycopg.connect(pg.dsn(), autocommit=True) as conn:
            conn.execute('create database "tessera"')
        asyncio.run(run(args, pg, data))
    finally:
        pg.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
