"""Creating records through the HTTP API vs raw asyncpg single-row inserts, same table, same run.

    .venv/bin/python bench/records_insert.py [--records 3000] [--concurrency 8] [--floor fastapi]

Both sides insert the same generated rows into the same typed table with the same number of
concurrent clients. The API side pays for everything a real client gets: HTTP, auth (a bearer
token), the form engine's validation, the history row, the transaction. The baseline is one
autocommitted INSERT per row over an asyncpg pool. The Postgres is the embedded one with the
settings `tessera serve` uses (durable: fsync on). Prints rows/s of each and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
import orjson
import psycopg
from harness import deal_app

ROOT = Path(__file__).resolve().parents[1]
APP = deal_app()
PASSWORD = "bench-password-1"


def _rows(n: int) -> list[dict]:
    rnd = random.Random(7)
    start = date(2026, 1, 1)
    return [{"title": f"Deal {i}", "amount": round(rnd.uniform(100, 100000), 2),
             "stage": rnd.choice(["new", "won", "lost"]),
             "close_date": (start + timedelta(days=rnd.randint(0, 365))).isoformat(),
             "won": rnd.random() < 0.3, "note": "x" * rnd.randint(0, 80),
             "qty": rnd.randint(1, 50)} for i in range(n)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _run_pool(concurrency: int, items: list, work) -> float:  # type: ignore[no-untyped-def]
    queue: asyncio.Queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)

    async def worker() -> None:
        while not queue.empty():
            await work(queue.get_nowait())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


class _Connection:
    """One keep-alive HTTP/1.1 connection that posts JSON and reads the reply.

    The load generator shares the machine's two cores with the server and Postgres, so it
    must cost next to nothing per request, as asyncpg does on the baseline's side: httpx
    spends about as much CPU per request as a bare Starlette endpoint, which would cap every
    HTTP figure at a fraction of the baseline whatever the server did.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 host: str, token: str | None) -> None:
        self.reader, self.writer = reader, writer
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.head = f"Host: {host}\r\nContent-Type: application/json\r\n{auth}"

    async def post(self, path: str, body: dict) -> tuple[int, bytes]:
        payload = orjson.dumps(body)
        self.writer.write(f"POST {path} HTTP/1.1\r\n{self.head}Content-Length: {len(payload)}"
                          f"\r\n\r\n".encode() + payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        return status, await self.reader.readexactly(length)


async def bench_api(base: str, rows: list[dict], concurrency: int, *, auth: bool = True) -> float:
    host, port = base.removeprefix("http://").split(":")
    token = None
    if auth:
        token = httpx.post(base + "/api/v1/auth/login",
                           json={"email": "admin@example.com",
                                 "password": PASSWORD}).json()["access_token"]
    connections = [_Connection(*await asyncio.open_connection(host, int(port)), host, token)
                   for _ in range(concurrency)]
    idle: asyncio.Queue[_Connection] = asyncio.Queue()
    for connection in connections:
        idle.put_nowait(connection)
    url = "/api/v1/apps/bench/forms/deal/records"

    async def create(row: dict) -> None:
        connection = await idle.get()
        try:
            status, body = await connection.post(url, {"data": row})
        finally:
            idle.put_nowait(connection)
        if status != 201:
            raise RuntimeError(body.decode())

    await create(rows[0])  # warm up
    try:
        return await _run_pool(concurrency, rows, create)
    finally:
        for connection in connections:
            connection.writer.close()


async def bench_raw(dsn_kwargs: dict, rows: list[dict], concurrency: int, tenant: uuid.UUID,
                    owner: uuid.UUID) -> float:
    pool = await asyncpg.create_pool(min_size=concurrency, max_size=concurrency, **dsn_kwargs)
    sql = ("insert into t_main.bench__deal (_id, tenant_id, _owner, _created_by, _updated_by, "
           "title, amount, stage, close_date, won, note, qty) "
           "values ($1, $2, $3, $3, $3, $4, $5, $6, $7, $8, $9, $10)")

    async def insert(row: dict) -> None:
        async with pool.acquire() as conn:
            await conn.execute(sql, uuid.uuid4(), tenant, owner, row["title"],
                               row["amount"], row["stage"], date.fromisoformat(row["close_date"]),
                               row["won"], row["note"], row["qty"])

    try:
        return await _run_pool(concurrency, rows, insert)
    finally:
        await pool.close()


def _wait_healthy(base: str, process: subprocess.Popen, log: Path, path: str) -> None:
    for _ in range(300):
        try:
            httpx.get(base + path)
            return
        except httpx.HTTPError:
            if process.poll() is not None:
                sys.exit("the server exited:\n" + log.read_text()[-3000:])
            time.sleep(0.1)


def bench_floor(pg, rows: list[dict], concurrency: int, tenant: uuid.UUID,  # type: ignore[no-untyped-def]
                owner: uuid.UUID, data: Path, app: str) -> float:
    """The same client against bench/http_floor.py: one bare INSERT per HTTP request."""
    port = _free_port()
    env = {**os.environ, "FLOOR_HOST": str(pg.socket_dir), "FLOOR_PORT": str(pg.port),
           "FLOOR_TENANT": str(tenant), "FLOOR_OWNER": str(owner),
           "PYTHONPATH": str(ROOT / "bench")}
    log = data / "floor.log"
    floor = subprocess.Popen([str(ROOT / ".venv/bin/uvicorn"), f"http_floor:{app}", "--port",
                              str(port), "--log-level", "warning", "--no-access-log"],
                             env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, floor, log, "/")
        return asyncio.run(bench_api(base, rows, concurrency, auth=False))
    finally:
        floor.terminate()
        floor.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1,
                        help="API processes (tessera serve --workers)")
    parser.add_argument("--floor", choices=["starlette", "fastapi"],
                        help="also time bench/http_floor.py: a bare INSERT behind HTTP, "
                             "on bare Starlette or on FastAPI")
    # BENCH_PROFILE=/tmp/p.json samples the server with py-spy (speedscope format) meanwhile
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "platform"))
    from tessera.db.embedded import EmbeddedPostgres

    data = Path(os.environ.get("BENCH_DIR", "/tmp")) / f"tessera-bench-{uuid.uuid4().hex[:6]}"
    data.mkdir(parents=True)
    data.chmod(0o755)
    pg = EmbeddedPostgres(data, fast=False, tcp=False).start()
    port = _free_port()
    server = None
    try:
        with psycopg.connect(pg.dsn(), autocommit=True) as conn:
            conn.execute('create database "tessera"')
        env = {**os.environ, "DATABASE_URL": pg.sqlalchemy_url("tessera"),
               "TESSERA_ADMIN_EMAIL": "admin@example.com", "TESSERA_ADMIN_PASSWORD": PASSWORD,
               "TESSERA_INSTALL_DEFAULT_APP": "0"}
        log = (data / "server.log").open("w")
        server = subprocess.Popen([str(ROOT / ".venv/bin/tessera"), "serve", "--port",
                                   str(port), "--log-level", "WARNING", "--workers",
                                   str(args.workers)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, server, data / "server.log", "/api/v1/health")
        login = httpx.post(base + "/api/v1/auth/login",
                           json={"email": "admin@example.com", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        assert httpx.post(base + "/api/v1/apps", json=APP, headers=headers).status_code == 201

        rows = _rows(args.records)
        if os.environ.get("BENCH_PROFILE"):
            subprocess.Popen([str(ROOT / ".venv/bin/py-spy"), "record", "-d", "8", "-o",
                              os.environ["BENCH_PROFILE"], "-f", "speedscope", "-p",
                              str(server.pid)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        api_seconds = asyncio.run(bench_api(base, rows, args.concurrency))
        with psycopg.connect(pg.dsn("tessera")) as conn:
            tenant, owner = conn.execute(
                "select tenant_id, id from users where email = 'admin@example.com'").fetchone()
        raw_seconds = asyncio.run(bench_raw(
            {"host": str(pg.socket_dir), "port": pg.port, "user": "postgres",
             "database": "tessera"}, rows, args.concurrency, tenant, owner))
        floor_seconds = (bench_floor(pg, rows, args.concurrency, tenant, owner, data,
                                     "app" if args.floor == "starlette" else "fastapi_app")
                         if args.floor else None)
        api_rate, raw_rate = len(rows) / api_seconds, len(rows) / raw_seconds
        log.close()
        print(f"records={len(rows)} concurrency={args.concurrency} workers={args.workers} "
              f"(durable Postgres, "
              f"{os.cpu_count()} cores)")
        print(f"API create (HTTP+auth+validation+history): {api_rate:8.0f} records/s")
        print(f"raw asyncpg single-row INSERT (baseline):  {raw_rate:8.0f} rows/s")
        print(f"ratio API / raw = {api_rate / raw_rate:.2f}  (goal >= 0.5)")
        if floor_seconds is not None:
            floor_rate = len(rows) / floor_seconds
            print(f"bare INSERT behind HTTP ({args.floor:9}):    {floor_rate:8.0f} records/s")
            print(f"ratio floor / raw = {floor_rate / raw_rate:.2f}; "
                  f"API / floor = {api_rate / floor_rate:.2f}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        pg.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
