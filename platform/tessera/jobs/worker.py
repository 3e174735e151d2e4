"""The worker: procrastinate runs the jobs, this module keeps `jobs` (our table) truthful.

Each registered kind becomes one procrastinate task whose function `_execute` wraps the
handler: it claims the job in `jobs`, runs the handler with a `JobContext`, and records the
outcome (result, error, retry) before procrastinate records its own. Our table decides whether
a failure is retried (it counts attempts, including runs lost with a dead worker) and tells
procrastinate through the exception it raises; procrastinate does the waiting, the fetching
with SKIP LOCKED, the LISTEN/NOTIFY wake-ups, the heartbeats and the graceful shutdown.

procrastinate notices dead workers (no heartbeat) but leaves their jobs in `doing`; `recover`
puts them back in the queue. Every worker runs it periodically; an advisory lock makes one
worker at a time do it.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import procrastinate
import structlog
from procrastinate import exceptions as pq_exceptions
from procrastinate.job_context import AbortReason
from procrastinate.jobs import Job
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tessera.config import Settings
from tessera.jobs.context import JobContext
from tessera.jobs.registry import HandlerSpec, handlers
from tessera.jobs.store import dumps

log = structlog.get_logger("tessera.jobs")

_RECOVERY_LOCK = 0x7E55E7A_0B  # pg advisory lock key: one stalled-job sweep at a time


class JobFailed(Exception):
    """Raise from a handler for a failure that retrying cannot fix (bad input, a rejected file).

    The job ends `failed` at once with this message; `details` (JSON) is kept in `jobs.error`.
    """

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class _RetryLater(Exception):
    """The wrapper's verdict, read by `_RetryPolicy`: run again in `delay` seconds."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"retry in {delay:.2f}s")
        self.delay = delay


class _GiveUp(Exception):
    """The wrapper's verdict: the job is over (`failed` is already recorded in `jobs`)."""


class _RetryPolicy(procrastinate.BaseRetryStrategy):
    """Carries out the wrapper's decision, so that `jobs` and procrastinate never disagree.

    A run cut short by a shutdown (CancelledError) is put back at once: it is the worker's
    leaving, not the job's fault. Anything else that escaped the wrapper (our own bookkeeping
    failed, say the database went away) is retried with the kind's backoff.
    """

    def __init__(self, spec: HandlerSpec) -> None:
        self.spec = spec

    def get_retry_decision(
        self, *, exception: BaseException, job: Job,
    ) -> procrastinate.RetryDecision | None:
        if isinstance(exception, _GiveUp | pq_exceptions.JobAborted):
            return None
        if isinstance(exception, _RetryLater):
            return procrastinate.RetryDecision(retry_in={"seconds": exception.delay})
        if isinstance(exception, asyncio.CancelledError):
            return procrastinate.RetryDecision(retry_in={"seconds": 0})
        return procrastinate.RetryDecision(
            retry_in={"seconds": self.spec.retry_delay(job.attempts + 1)})


# ---- bookkeeping in `jobs` --------------------------------------------------------------------

_CLAIM = text(
    """
    UPDATE jobs SET status = 'running', attempts = attempts + 1,
                    started_at = COALESCE(started_at, now())
    WHERE id = :id AND status IN ('queued', 'running')
    RETURNING tenant_id, kind, payload, attempts, created_by
    """
)
_SUCCEEDED = text(
    """
    UPDATE jobs SET status = 'succeeded', result = CAST(:result AS jsonb), error = NULL,
                    finished_at = now(), progress_done = COALESCE(progress_total, progress_done)
    WHERE id = :id AND status = 'running'
    """
)
_FAILED = text(
    """
    UPDATE jobs SET status = 'failed', error = CAST(:error AS jsonb), finished_at = now()
    WHERE id = :id AND status = 'running'
    """
)
_REQUEUED = text(
    """
    UPDATE jobs SET status = 'queued', error = CAST(:error AS jsonb)
    WHERE id = :id AND status = 'running'
    """
)
_CANCELLED = text(
    """
    UPDATE jobs SET status = 'cancelled', finished_at = now()
    WHERE id = :id AND status IN ('queued', 'running')
    """
)


async def _write(engine: AsyncEngine, statement: Any, **params: Any) -> None:
    async with engine.begin() as conn:
        await conn.execute(statement, params)


def _error(exc: BaseException, attempt: int, **extra: Any) -> str:
    """What `jobs.error` keeps: enough to act on, no traceback (that goes to the logs)."""
    if isinstance(exc, JobFailed):
        body: dict[str, Any] = {"type": "JobFailed", "message": exc.message}
        if exc.details is not None:
            body["details"] = exc.details
    else:
        body = {"type": type(exc).__name__, "message": str(exc)[:2000]}
    return dumps({**body, "attempt": attempt, **extra})


def _make_task(spec: HandlerSpec, engine: AsyncEngine, settings: Settings) -> Any:
    """The procrastinate task function of one kind (a closure: it needs the engine)."""

    async def _execute(pctx: procrastinate.JobContext, job_id: str) -> None:
        key = uuid.UUID(job_id)
        bound = log.bind(job_id=job_id, kind=spec.kind, queue_job_id=pctx.job.id)
        async with engine.begin() as conn:
            row = (await conn.execute(_CLAIM, {"id": key})).mappings().first()
        if row is None:
            # Finished (or cancelled) already: a redelivery after the outcome was recorded,
            # e.g. the worker died between our commit and procrastinate's. Nothing to redo.
            bound.info("job.skipped_finished")
            return
        attempt = int(row["attempts"])
        bound = bound.bind(tenant_id=str(row["tenant_id"]), attempt=attempt)
        if attempt > spec.max_attempts:
            # Earlier runs died with their workers (recovered by `recover`): stop here.
            error = {"type": "WorkerLost", "message": "the job's workers stopped while running it"}
            await _write(engine, _FAILED, id=key, error=dumps({**error, "attempt": attempt - 1}))
            bound.error("job.failed", reason="worker_lost")
            raise _GiveUp(error["message"])

        ctx = JobContext(
            job_id=key, tenant_id=row["tenant_id"], kind=spec.kind, attempt=attempt,
            engine=engine, settings=settings, created_by=row["created_by"],
            _should_abort=pctx.should_abort,
        )
        bound.info("job.started")
        try:
            result = await spec.handler(ctx, dict(row["payload"] or {}))
            try:
                result_json = dumps(result)
            except (TypeError, ValueError) as exc:
                raise JobFailed(f"the handler's result is not JSON: {exc}") from exc
        except asyncio.CancelledError:
            if pctx.abort_reason() == AbortReason.USER_REQUEST:
                await _write(engine, _CANCELLED, id=key)
                bound.info("job.cancelled")
                raise pq_exceptions.JobAborted() from None
            # Shutdown past its grace period: give the job back, untouched and retriable.
            await _write(engine, _REQUEUED, id=key, error=None)
            bound.warning("job.released_on_shutdown")
            raise
        except JobFailed as exc:
            await _write(engine, _FAILED, id=key, error=_error(exc, attempt))
            bound.error("job.failed", error=exc.message)
            raise _GiveUp(exc.message) from exc
        except Exception as exc:
            if attempt >= spec.max_attempts:
                await _write(engine, _FAILED, id=key, error=_error(exc, attempt))
                bound.exception("job.failed")
                raise _GiveUp(str(exc)) from exc
            delay = spec.retry_delay(attempt) * (1 + random.random() / 10)
            retry_at = datetime.now(UTC) + timedelta(seconds=delay)
            await _write(engine, _REQUEUED, id=key,
                         error=_error(exc, attempt, retry_at=retry_at.isoformat()))
            bound.warning("job.retry", delay=round(delay, 3), exc_info=True)
            raise _RetryLater(delay) from exc
        await _write(engine, _SUCCEEDED, id=key, result=result_json)
        bound.info("job.succeeded")

    _execute.__name__ = f"run_{spec.kind}"
    return _execute


def build_app(settings: Settings, engine: AsyncEngine, *, pool_size: int = 4) -> procrastinate.App:
    """A procrastinate App with one task per registered kind (registered after: not known),
    plus the periodic housekeeping task (`tessera.jobs.pruning`)."""
    connector = procrastinate.PsycopgConnector(
        conninfo=settings.libpq_dsn, min_size=1, max_size=pool_size, name="tessera-jobs",
    )
    app = procrastinate.App(connector=connector)
    for spec in handlers():
        app.task(
            name=spec.kind, queue=spec.queue, priority=spec.priority, pass_context=True,
            retry=_RetryPolicy(spec),
        )(_make_task(spec, engine, settings))
    from tessera.jobs import pruning  # housekeeping, a periodic task (not a tenant's job)

    pruning.register(app, engine, settings)
    return app


# ---- stalled jobs -----------------------------------------------------------------------------

_STALLED = """
    SELECT job.id FROM procrastinate_jobs job
    LEFT JOIN procrastinate_workers w ON w.id = job.worker_id
    WHERE job.status = 'doing'
      AND (w.id IS NULL OR w.last_heartbeat < now() - make_interval(secs => %(after)s))
    FOR UPDATE OF job SKIP LOCKED
"""
_RETRY_NOW = "SELECT procrastinate_retry_job_v2(%(id)s, now(), NULL, NULL, NULL)"
_LOST = """
    UPDATE jobs SET status = 'queued', error = jsonb_build_object(
        'type', 'WorkerLost', 'message', 'the worker running this job stopped', 'attempt', attempts)
    WHERE queue_job_id = ANY(%(ids)s) AND status = 'running'
"""


# A queue row that procrastinate ended while ours is still open: the handler never ran or never
# reported (the kind was unknown to the worker that took it, or someone used procrastinate's
# own tools). Our wrapper always records the outcome in `jobs` before procrastinate does, so this
# never matches a job that is merely finishing.
_ORPHANED = """
    UPDATE jobs SET status = 'failed', finished_at = now(), error = jsonb_build_object(
        'type', 'QueueMismatch', 'attempt', jobs.attempts, 'message',
        'the queue ended this job as ' || p.status::text || ' without running its handler'
        || ' (is the kind ' || jobs.kind || ' registered in the workers?)')
    FROM procrastinate_jobs p
    WHERE p.id = jobs.queue_job_id AND jobs.status IN ('queued', 'running')
      AND p.status IN ('succeeded', 'failed', 'cancelled', 'aborted')
    RETURNING jobs.id
"""


async def recover(app: procrastinate.App, *, stalled_after: float) -> int:
    """Put the jobs of workers silent for `stalled_after` seconds back in the queue.

    procrastinate's documented recipe (`get_stalled_jobs` then `retry_job`), done in one
    transaction under an advisory lock so that two workers sweeping at once cannot both retry
    a job, nor retry one that another worker has meanwhile picked up again. The same sweep
    closes `jobs` rows whose queue row procrastinate ended without our handler (`_ORPHANED`).
    Returns how many jobs were put back.
    """
    pool = app.connector.pool  # type: ignore[attr-defined]
    async with pool.connection() as conn, conn.transaction():
        locked = await (await conn.execute(
            "SELECT pg_try_advisory_xact_lock(%(key)s)", {"key": _RECOVERY_LOCK})).fetchone()
        if not locked or not locked[0]:
            return 0
        rows = await (await conn.execute(_STALLED, {"after": stalled_after})).fetchall()
        ids = [r[0] for r in rows]
        for job_id in ids:
            await conn.execute(_RETRY_NOW, {"id": job_id})
        if ids:
            await conn.execute(_LOST, {"ids": ids})
        orphaned = await (await conn.execute(_ORPHANED)).fetchall()
    if ids:
        log.warning("jobs.recovered_stalled", queue_job_ids=ids)
    if orphaned:
        log.error("jobs.orphaned", job_ids=[str(r[0]) for r in orphaned])
    return len(ids)


# ---- running a worker -------------------------------------------------------------------------


@dataclass
class WorkerOptions:
    """Tuning of one worker; the defaults suit production, tests shorten the intervals.

    `stalled_after` must be several `heartbeat_interval`s: a live worker whose heartbeat is late
    by more than that has its jobs run a second time elsewhere (handlers are idempotent, but it
    is waste). `shutdown_timeout` bounds a graceful stop; past it, running jobs are cancelled
    and put back in the queue (`None`: wait for them however long they take).
    """

    concurrency: int = 4
    queues: Iterable[str] | None = None
    name: str = "tessera"
    poll_interval: float = 5.0
    heartbeat_interval: float = 10.0
    stalled_after: float = 30.0
    recovery_interval: float | None = None  # default: stalled_after / 2
    shutdown_timeout: float | None = 30.0


@dataclass
class WorkerHandle:
    """A worker running as tasks of the current event loop. `await stop()` to end it."""

    app: procrastinate.App
    options: WorkerOptions
    _supervisor: asyncio.Task[None] | None = None
    _recovery: asyncio.Task[None] | None = None
    _stopping: bool = field(default=False)

    @property
    def running(self) -> bool:
        return self._supervisor is not None and not self._supervisor.done()

    async def stop(self) -> None:
        """Graceful: running jobs finish (up to `shutdown_timeout`, then are released)."""
        if self._stopping:
            return
        self._stopping = True
        for task in (self._recovery, self._supervisor):
            if task is not None and not task.done():
                task.cancel()  # procrastinate turns this cancellation into a graceful stop
        for task in (self._recovery, self._supervisor):
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.app.close_async()
        log.info("worker.stopped", name=self.options.name)

    async def _supervise(self) -> None:
        """Keep the procrastinate worker running: it stops itself if a side task (its LISTEN
        connection, its heartbeat) fails, e.g. while the database restarts."""
        o = self.options
        delay = 1.0
        while True:
            try:
                await self.app.run_worker_async(
                    name=o.name, concurrency=o.concurrency, queues=o.queues,
                    fetch_job_polling_interval=o.poll_interval,
                    abort_job_polling_interval=o.poll_interval,
                    update_heartbeat_interval=o.heartbeat_interval,
                    stalled_worker_timeout=o.stalled_after,
                    shutdown_graceful_timeout=o.shutdown_timeout,
                    install_signal_handlers=False,
                )
                log.error("worker.exited", name=o.name, restart_in=delay)
            except Exception:
                log.exception("worker.crashed", name=o.name, restart_in=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)

    async def _sweep(self) -> None:
        o = self.options
        interval = o.recovery_interval or o.stalled_after / 2
        while True:
            try:
                await recover(self.app, stalled_after=o.stalled_after)
            except Exception:
                log.exception("jobs.recovery_failed")
            await asyncio.sleep(interval)


async def start_worker(
    settings: Settings,
    engine: AsyncEngine,
    *,
    concurrency: int = 4,
    options: WorkerOptions | None = None,
) -> WorkerHandle:
    """Start a worker inside the running event loop (`tessera serve`'s in-process worker).

    Uses `engine` for the handlers and `jobs`, and a small psycopg pool of its own for
    procrastinate (which has no asyncpg connector). Signals are left to the host (uvicorn):
    call `await handle.stop()` from its shutdown.
    """
    opts = options or WorkerOptions(concurrency=concurrency)
    app = build_app(settings, engine, pool_size=opts.concurrency + 3)
    await app.open_async()
    handle = WorkerHandle(app=app, options=opts)
    handle._supervisor = asyncio.create_task(handle._supervise(), name="tessera-worker")
    handle._recovery = asyncio.create_task(handle._sweep(), name="tessera-worker-recovery")
    log.info("worker.started", name=opts.name, concurrency=opts.concurrency,
             queues=list(opts.queues) if opts.queues else "all",
             kinds=[spec.kind for spec in handlers()])
    return handle


def run_worker(
    settings: Settings,
    *,
    concurrency: int = 4,
    options: WorkerOptions | None = None,
) -> None:
    """Blocking entry of `tessera worker`: runs until SIGTERM or SIGINT, then stops gracefully.

    Import the modules that register handlers before calling this: the worker only knows the
    kinds registered when it starts.
    """
    asyncio.run(_run_until_signal(settings, options or WorkerOptions(concurrency=concurrency)))


async def _run_until_signal(settings: Settings, options: WorkerOptions) -> None:
    from tessera.db.engine import create_engine

    engine = create_engine(settings, pool_size=options.concurrency + 1)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    handle = await start_worker(settings, engine, options=options)
    try:
        await stop.wait()
        log.info("worker.stop_requested", name=options.name)
    finally:
        await handle.stop()
        await engine.dispose()
