"""The platform's job queue: anything that happens later or elsewhere runs as a job.

procrastinate (Postgres, psycopg 3) queues and runs the jobs; the `jobs` table holds what users
see (status, progress, result, error), per tenant. Why procrastinate and how a job is created in
the caller's transaction: docs/adr/0003-job-queue.md.

    @job_handler("import_records")
    async def run(ctx: JobContext, payload: dict) -> dict | None: ...

    async with engine.begin() as conn:          # the caller's business transaction
        job_id = await enqueue(conn, tenant_id=t, kind="import_records", payload={...})
"""

from tessera.jobs.context import JobContext
from tessera.jobs.registry import (
    HandlerSpec,
    JobKindAlreadyRegistered,
    UnknownJobKind,
    get_handler,
    job_handler,
    kinds,
)
from tessera.jobs.schema import install_queue_schema
from tessera.jobs.store import cancel_job, enqueue, get_job
from tessera.jobs.worker import (
    JobFailed,
    WorkerHandle,
    WorkerOptions,
    recover,
    run_worker,
    start_worker,
)

__all__ = [
    "HandlerSpec",
    "JobContext",
    "JobFailed",
    "JobKindAlreadyRegistered",
    "UnknownJobKind",
    "WorkerHandle",
    "WorkerOptions",
    "cancel_job",
    "enqueue",
    "get_handler",
    "get_job",
    "install_queue_schema",
    "job_handler",
    "kinds",
    "recover",
    "run_worker",
    "start_worker",
]
