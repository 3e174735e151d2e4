"""Enqueue, read and cancel jobs, always inside the caller's transaction.

A job is two rows: ours in `jobs` (tenant, kind, payload, status, progress, result, error: what
`GET /jobs/{id}` shows) and procrastinate's in `procrastinate_jobs` (queue, schedule, lock, the
worker holding it). `enqueue` writes both through the caller's own connection, calling
procrastinate's defer function in SQL, so they commit or roll back together with the caller's
business writes: no outbox, no relay, no window in which one exists without the other
(docs/adr/0003-job-queue.md). procrastinate's NOTIFY is transactional too: workers hear of the
job when, and only if, the transaction commits.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.db.ids import uuid7
from tessera.jobs.registry import get_handler

#: Job statuses as `GET /jobs/{id}` reports them.
QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = (
    "queued", "running", "succeeded", "failed", "cancelled",
)
FINISHED = (SUCCEEDED, FAILED, CANCELLED)


def dumps(value: Any) -> str:
    """JSON for jsonb parameters; UUIDs and datetimes become strings, as in the rest of Tessera."""
    return json.dumps(value, ensure_ascii=False, default=str)


# procrastinate's own defer function (the one `Task.defer_async` calls, versioned `_v1` and kept
# across procrastinate releases), fed one row. Only `job_id` travels in procrastinate's args: the
# payload lives in `jobs`, readable and tenant-scoped, and is never copied.
_DEFER = text(
    """
    UPDATE jobs SET queue_job_id = (procrastinate_defer_jobs_v1(ARRAY[ROW(
        CAST(:queue AS varchar), CAST(:task AS varchar), CAST(:priority AS integer),
        NULL::text, NULL::text, CAST(:args AS jsonb), CAST(:run_at AS timestamptz)
    )::procrastinate_job_to_defer_v1]))[1]
    WHERE id = :id
    """
)

_INSERT = text(
    """
    INSERT INTO jobs (id, tenant_id, kind, payload, created_by)
    VALUES (:id, :tenant_id, :kind, CAST(:payload AS jsonb), :created_by)
    """
)

_CLAIM_KEY = text(
    """
    INSERT INTO job_dedupe_keys (tenant_id, kind, dedupe_key, job_id)
    VALUES (:tenant_id, :kind, :key, :id)
    ON CONFLICT DO NOTHING
    RETURNING job_id
    """
)

_KEY_OWNER = text(
    "SELECT job_id FROM job_dedupe_keys"
    " WHERE tenant_id = :tenant_id AND kind = :kind AND dedupe_key = :key"
)


async def enqueue(
    conn: AsyncConnection,
    *,
    tenant_id: uuid.UUID,
    kind: str,
    payload: dict[str, Any],
    created_by: uuid.UUID | None = None,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
) -> uuid.UUID:
    """Create a job in the caller's transaction and return its id.

    The job exists, and will run, if and only if that transaction commits. `run_at` (timezone
    aware) delays the first run. With `dedupe_key`, a second enqueue of the same (tenant, kind,
    key) returns the first job's id and creates nothing, whatever that job's status: use keys
    that name one piece of work ("rule:42:2026-11-24T10:00"), not a debounce window.
    """
    spec = get_handler(kind)  # unknown kinds fail here, in the request, not later in a worker
    if not isinstance(payload, dict):
        raise TypeError("a job payload is a JSON object (dict)")
    if run_at is not None and run_at.tzinfo is None:
        raise ValueError("run_at must be timezone-aware")
    job_id = uuid7()
    if dedupe_key is not None:
        claimed = (await conn.execute(
            _CLAIM_KEY, {"tenant_id": tenant_id, "kind": kind, "key": dedupe_key, "id": job_id},
        )).scalar_one_or_none()
        if claimed is None:
            existing = (await conn.execute(
                _KEY_OWNER, {"tenant_id": tenant_id, "kind": kind, "key": dedupe_key},
            )).scalar_one()
            return existing
    await conn.execute(_INSERT, {
        "id": job_id, "tenant_id": tenant_id, "kind": kind, "payload": dumps(payload),
        "created_by": created_by,
    })
    await conn.execute(_DEFER, {
        "id": job_id, "queue": spec.queue, "task": kind, "priority": spec.priority,
        "args": dumps({"job_id": str(job_id)}), "run_at": run_at,
    })
    return job_id


_SELECT = text(
    """
    SELECT id, kind, status, progress_done, progress_total, result, error, attempts,
           created_by, created_at, started_at, finished_at
    FROM jobs WHERE id = :id AND tenant_id = :tenant_id
    """
)


def _as_uuid(value: uuid.UUID | str) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


async def get_job(
    conn: AsyncConnection, *, tenant_id: uuid.UUID, job_id: uuid.UUID | str,
) -> dict[str, Any] | None:
    """The job as `GET /jobs/{id}` shows it, or None when it is not this tenant's (or no job).

    Another tenant's job and a missing one look the same, so ids cannot be probed across tenants.
    """
    key = _as_uuid(job_id)
    if key is None:
        return None
    row = (await conn.execute(_SELECT, {"id": key, "tenant_id": tenant_id})).mappings().first()
    if row is None:
        return None
    return {
        "id": row["id"],
        "kind": row["kind"],
        "status": row["status"],
        "progress": {"done": row["progress_done"], "total": row["progress_total"]},
        "result": row["result"],
        "error": row["error"],
        "attempts": row["attempts"],
        "created_by": row["created_by"],
        "created_at": row["created_at"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
    }


_CANCEL = text(
    """
    UPDATE jobs SET
        status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
        finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END
    WHERE id = :id AND tenant_id = :tenant_id AND status IN ('queued', 'running')
    RETURNING status, queue_job_id
    """
)

# abort=true: a waiting job becomes `cancelled`, a running one gets `abort_requested`, which its
# worker hears (NOTIFY, or its abort poll) and turns into cancelling the handler.
_CANCEL_QUEUED = text("SELECT procrastinate_cancel_job_v1(:qid, true, false)")


async def cancel_job(
    conn: AsyncConnection, *, tenant_id: uuid.UUID, job_id: uuid.UUID | str,
) -> str | None:
    """Cancel a job in the caller's transaction; returns its status afterwards.

    A queued job is `cancelled` at once. A running one stays `running` until its worker has
    stopped the handler (which sees `ctx.should_abort()`, or is cancelled at its next await),
    then becomes `cancelled`. None: no such job of this tenant, or already finished.
    """
    key = _as_uuid(job_id)
    if key is None:
        return None
    row = (await conn.execute(_CANCEL, {"id": key, "tenant_id": tenant_id})).first()
    if row is None:
        return None
    status, queue_job_id = row
    if queue_job_id is not None:
        await conn.execute(_CANCEL_QUEUED, {"qid": queue_job_id})
    return str(status)
