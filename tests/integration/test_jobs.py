"""The job queue on a real Postgres: transactional enqueue, retries, dead workers, tenants, stop.

No sleeps and no timing assertions: every wait polls the `jobs` row with a bounded deadline.
Workers here use short intervals (heartbeat 0.2 s, stalled after 1 s) to keep the module fast.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tessera.config import Settings
from tessera.db import migrate
from tessera.db.engine import create_engine
from tessera.jobs import (
    JobContext,
    JobFailed,
    UnknownJobKind,
    WorkerHandle,
    WorkerOptions,
    cancel_job,
    enqueue,
    get_job,
    job_handler,
    run_worker,
    start_worker,
)

REPO = Path(__file__).resolve().parents[2]
CALLS: Counter[str] = Counter()


def fast(**overrides: Any) -> WorkerOptions:
    """Worker options for tests: quick polling, heartbeats and stalled-job detection."""
    base: dict[str, Any] = {
        "concurrency": 4, "queues": ["default"], "poll_interval": 0.2,
        "heartbeat_interval": 0.2, "stalled_after": 1.0, "recovery_interval": 0.2,
        "shutdown_timeout": 10.0, "name": "test",
    }
    return WorkerOptions(**{**base, **overrides})


# ---- handlers ---------------------------------------------------------------------------------


@job_handler("test_echo", backoff=0.01)
async def _echo(ctx: JobContext, payload: dict) -> dict:
    await ctx.progress(1, 3)
    await ctx.progress(2)
    return {"echo": payload, "attempt": ctx.attempt, "tenant": str(ctx.tenant_id)}


@job_handler("test_flaky", max_attempts=3, backoff=0.01)
async def _flaky(ctx: JobContext, payload: dict) -> dict:
    if ctx.attempt < 2:
        raise RuntimeError("transient")
    return {"attempt": ctx.attempt}


@job_handler("test_broken", max_attempts=3, backoff=0.01)
async def _broken(ctx: JobContext, payload: dict) -> None:
    raise ValueError(f"boom {ctx.attempt}")


@job_handler("test_rejected", max_attempts=5, backoff=0.01)
async def _rejected(ctx: JobContext, payload: dict) -> None:
    raise JobFailed("the file has no header row", details={"row": 1})


@job_handler("test_counted")
async def _counted(ctx: JobContext, payload: dict) -> None:
    CALLS[payload["name"]] += 1


@job_handler("test_slow", queue="slow_q")
async def _slow(ctx: JobContext, payload: dict) -> dict:
    await asyncio.sleep(payload["seconds"])
    return {"slept": payload["seconds"]}


async def _hang_on_first_attempt(ctx: JobContext, payload: dict) -> dict:
    if ctx.attempt == 1:
        await asyncio.sleep(120)  # the worker dies (or stops) during this
    return {"attempt": ctx.attempt}


job_handler("test_crash", queue="crash_q", max_attempts=3, backoff=0.01)(_hang_on_first_attempt)
job_handler("test_release", queue="release_q", max_attempts=3, backoff=0.01)(
    _hang_on_first_attempt)


@job_handler("test_cancel_me", queue="cancel_q")
async def _cancel_me(ctx: JobContext, payload: dict) -> None:
    await asyncio.sleep(120)  # cancelled by `cancel_job` while it waits here


def crash_worker_main() -> None:
    """Entry of the child process that the crash test kills with SIGKILL."""
    run_worker(Settings.from_env(), options=fast(queues=["crash_q"], name="doomed"))


# ---- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def settings(fresh_db) -> Iterator[Settings]:
    settings = Settings(database_url=fresh_db.sync_url)
    migrate.upgrade(settings)  # 0001 platform tables, 0002 the queue
    yield settings


@pytest.fixture(scope="module")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings, pool_size=4)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
async def tenants(engine: AsyncEngine) -> tuple[uuid.UUID, uuid.UUID]:
    a, b = uuid.uuid4(), uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO tenants (id, key, name) VALUES (:a, 'acme', 'Acme'),"
                 " (:b, 'globex', 'Globex')"), {"a": a, "b": b})
    return a, b


@pytest.fixture
async def worker(settings: Settings, engine: AsyncEngine) -> AsyncIterator[WorkerHandle]:
    handle = await start_worker(settings, engine, options=fast())
    yield handle
    await handle.stop()


async def submit(engine: AsyncEngine, tenant: uuid.UUID, kind: str, payload: dict | None = None,
                 **kwargs: Any) -> uuid.UUID:
    async with engine.begin() as conn:
        return await enqueue(conn, tenant_id=tenant, kind=kind, payload=payload or {}, **kwargs)


async def wait_for(engine: AsyncEngine, tenant: uuid.UUID, job_id: uuid.UUID, *statuses: str,
                   within: float = 20.0) -> dict:
    """Poll until the job reaches one of `statuses`; a bounded wait, not a timing assertion."""
    deadline = asyncio.get_running_loop().time() + within
    job = None
    while asyncio.get_running_loop().time() < deadline:
        async with engine.connect() as conn:
            job = await get_job(conn, tenant_id=tenant, job_id=job_id)
        if job is not None and job["status"] in statuses:
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job never reached {statuses}: {job}")


async def queue_rows(engine: AsyncEngine, job_id: uuid.UUID) -> list[str]:
    """procrastinate's statuses for our job (its row is written just after ours)."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT status::text FROM procrastinate_jobs WHERE args->>'job_id' = :id"),
            {"id": str(job_id)})
        return [r[0] for r in rows]


async def wait_for_queue(engine: AsyncEngine, job_id: uuid.UUID, status: str,
                         within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    rows: list[str] = []
    while asyncio.get_running_loop().time() < deadline:
        rows = await queue_rows(engine, job_id)
        if rows == [status]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"procrastinate's job never reached {status!r}: {rows}")


# ---- tests ------------------------------------------------------------------------------------


async def test_committed_job_runs_and_records_result_and_progress(engine, tenants, worker) -> None:
    a, _ = tenants
    job_id = await submit(engine, a, "test_echo", {"n": 1})
    job = await wait_for(engine, a, job_id, "succeeded", "failed")
    assert job["status"] == "succeeded"
    assert job["kind"] == "test_echo"
    assert job["result"] == {"echo": {"n": 1}, "attempt": 1, "tenant": str(a)}
    assert job["progress"] == {"done": 3, "total": 3}
    assert job["attempts"] == 1 and job["error"] is None
    assert job["created_at"] <= job["started_at"] <= job["finished_at"]
    await wait_for_queue(engine, job_id, "succeeded")


async def test_rolled_back_enqueue_never_runs(engine, tenants, worker) -> None:
    a, _ = tenants
    async with engine.connect() as conn:
        tx = await conn.begin()
        doomed = await enqueue(conn, tenant_id=a, kind="test_counted",
                               payload={"name": "rolled_back"})
        await tx.rollback()
    async with engine.connect() as conn:
        assert await get_job(conn, tenant_id=a, job_id=doomed) is None
    assert await queue_rows(engine, doomed) == []
    # A job committed afterwards on the same queue runs; the rolled-back one had nothing to run.
    kept = await submit(engine, a, "test_counted", {"name": "committed"})
    await wait_for(engine, a, kept, "succeeded")
    assert CALLS["committed"] == 1 and CALLS["rolled_back"] == 0


async def test_enqueue_is_part_of_the_callers_transaction(engine, tenants, worker) -> None:
    """Business write and job commit together: neither is visible before the commit."""
    a, _ = tenants
    async with engine.connect() as conn:
        tx = await conn.begin()
        job_id = await enqueue(conn, tenant_id=a, kind="test_echo", payload={"n": 2})
        async with engine.connect() as other:
            assert await get_job(other, tenant_id=a, job_id=job_id) is None
        await tx.commit()
    assert (await wait_for(engine, a, job_id, "succeeded"))["result"]["echo"] == {"n": 2}


async def test_failing_job_is_retried_then_succeeds(engine, tenants, worker) -> None:
    a, _ = tenants
    job_id = await submit(engine, a, "test_flaky")
    job = await wait_for(engine, a, job_id, "succeeded", "failed")
    assert job["status"] == "succeeded"
    assert job["result"] == {"attempt": 2} and job["attempts"] == 2
    assert job["error"] is None


async def test_failing_job_ends_failed_after_last_attempt(engine, tenants, worker) -> None:
    a, _ = tenants
    job_id = await submit(engine, a, "test_broken")
    job = await wait_for(engine, a, job_id, "failed", "succeeded")
    assert job["status"] == "failed" and job["attempts"] == 3
    assert job["error"] == {"type": "ValueError", "message": "boom 3", "attempt": 3}
    assert job["finished_at"] is not None
    await wait_for_queue(engine, job_id, "failed")


async def test_job_failed_is_not_retried(engine, tenants, worker) -> None:
    a, _ = tenants
    job_id = await submit(engine, a, "test_rejected")
    job = await wait_for(engine, a, job_id, "failed", "succeeded")
    assert job["attempts"] == 1
    assert job["error"] == {"type": "JobFailed", "message": "the file has no header row",
                            "details": {"row": 1}, "attempt": 1}


async def test_get_job_is_tenant_scoped(engine, tenants) -> None:
    a, b = tenants
    job_id = await submit(engine, a, "test_echo", run_at=datetime.now(UTC) + timedelta(hours=1))
    async with engine.connect() as conn:
        assert (await get_job(conn, tenant_id=a, job_id=job_id))["status"] == "queued"
        assert await get_job(conn, tenant_id=b, job_id=job_id) is None
        assert await get_job(conn, tenant_id=a, job_id="not-a-uuid") is None
        assert await get_job(conn, tenant_id=a, job_id=uuid.uuid4()) is None
    async with engine.begin() as conn:
        assert await cancel_job(conn, tenant_id=b, job_id=job_id) is None


async def test_cancel_a_queued_job(engine, tenants) -> None:
    a, _ = tenants
    job_id = await submit(engine, a, "test_echo", run_at=datetime.now(UTC) + timedelta(hours=1))
    async with engine.begin() as conn:
        assert await cancel_job(conn, tenant_id=a, job_id=job_id) == "cancelled"
    async with engine.connect() as conn:
        job = await get_job(conn, tenant_id=a, job_id=job_id)
    assert job["status"] == "cancelled" and job["finished_at"] is not None
    assert await queue_rows(engine, job_id) == ["cancelled"]
    async with engine.begin() as conn:  # finished jobs cannot be cancelled again
        assert await cancel_job(conn, tenant_id=a, job_id=job_id) is None


async def test_cancel_a_running_job(settings, engine, tenants) -> None:
    a, _ = tenants
    handle = await start_worker(settings, engine, options=fast(queues=["cancel_q"]))
    try:
        job_id = await submit(engine, a, "test_cancel_me")
        await wait_for(engine, a, job_id, "running")
        async with engine.begin() as conn:
            assert await cancel_job(conn, tenant_id=a, job_id=job_id) == "running"
        job = await wait_for(engine, a, job_id, "cancelled", "failed", "succeeded")
    finally:
        await handle.stop()
    assert job["status"] == "cancelled" and job["finished_at"] is not None
    assert await queue_rows(engine, job_id) == ["aborted"]


async def test_dedupe_key_returns_the_first_job(engine, tenants) -> None:
    a, b = tenants
    later = datetime.now(UTC) + timedelta(hours=1)
    first = await submit(engine, a, "test_echo", dedupe_key="rule:7:10:00", run_at=later)
    again = await submit(engine, a, "test_echo", dedupe_key="rule:7:10:00", run_at=later)
    other_tenant = await submit(engine, b, "test_echo", dedupe_key="rule:7:10:00", run_at=later)
    assert again == first and other_tenant != first
    assert await queue_rows(engine, first) == ["todo"]


async def test_job_of_a_kind_the_worker_does_not_know_ends_failed(engine, tenants,
                                                                  worker) -> None:
    """E.g. enqueued by a newer API process: procrastinate fails it, the sweep closes our row."""
    a, _ = tenants
    job_id = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO jobs (id, tenant_id, kind) VALUES (:id, :t, 'test_from_the_future')"),
            {"id": job_id, "t": a})
        await conn.execute(text(
            "UPDATE jobs SET queue_job_id = (procrastinate_defer_jobs_v1(ARRAY[ROW('default',"
            " 'test_from_the_future', 0, NULL, NULL, CAST(:args AS jsonb), NULL)"
            "::procrastinate_job_to_defer_v1]))[1] WHERE id = :id"),
            {"id": job_id, "args": f'{{"job_id": "{job_id}"}}'})
    job = await wait_for(engine, a, job_id, "failed", "succeeded")
    assert job["error"]["type"] == "QueueMismatch"
    assert "test_from_the_future" in job["error"]["message"]


async def test_unknown_kind_is_refused_at_enqueue(engine, tenants) -> None:
    a, _ = tenants
    async with engine.begin() as conn:
        with pytest.raises(UnknownJobKind):
            await enqueue(conn, tenant_id=a, kind="no_such_kind", payload={})


async def test_graceful_stop_finishes_the_running_job(settings, engine, tenants) -> None:
    a, _ = tenants
    handle = await start_worker(settings, engine, options=fast(queues=["slow_q"]))
    job_id = await submit(engine, a, "test_slow", {"seconds": 0.3})
    await wait_for(engine, a, job_id, "running")
    await handle.stop()
    async with engine.connect() as conn:
        job = await get_job(conn, tenant_id=a, job_id=job_id)
    assert job["status"] == "succeeded" and job["result"] == {"slept": 0.3}
    assert not handle.running


async def test_stop_past_its_grace_period_releases_the_job(settings, engine, tenants) -> None:
    a, _ = tenants
    first = await start_worker(settings, engine,
                               options=fast(queues=["release_q"], shutdown_timeout=0.1))
    job_id = await submit(engine, a, "test_release")
    await wait_for(engine, a, job_id, "running")
    await first.stop()
    async with engine.connect() as conn:
        assert (await get_job(conn, tenant_id=a, job_id=job_id))["status"] == "queued"
    second = await start_worker(settings, engine, options=fast(queues=["release_q"]))
    try:
        job = await wait_for(engine, a, job_id, "succeeded", "failed")
    finally:
        await second.stop()
    assert job["status"] == "succeeded" and job["result"] == {"attempt": 2}


async def test_job_of_a_killed_worker_is_picked_up_again(settings, engine, tenants) -> None:
    a, _ = tenants
    with tempfile.TemporaryFile() as log_file:
        child = subprocess.Popen(
            [sys.executable, "-c",
             "from tests.integration.test_jobs import crash_worker_main; crash_worker_main()"],
            cwd=REPO, env={**os.environ, "DATABASE_URL": settings.database_url},
            stdout=log_file, stderr=subprocess.STDOUT,
        )
        try:
            job_id = await submit(engine, a, "test_crash")
            try:
                await wait_for(engine, a, job_id, "running", within=30)
            except AssertionError:
                log_file.seek(0)
                raise AssertionError(log_file.read()[-3000:].decode(errors="replace")) from None
            child.kill()  # SIGKILL mid-job: no shutdown code runs, the heartbeat just stops
            child.wait(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
    rescuer = await start_worker(settings, engine, options=fast(queues=["crash_q"]))
    try:
        job = await wait_for(engine, a, job_id, "succeeded", "failed")
    finally:
        await rescuer.stop()
    assert job["status"] == "succeeded"
    assert job["result"] == {"attempt": 2} and job["attempts"] == 2
