"""Housekeeping: old finished jobs and the files nobody will use go away.

Runs as a procrastinate **periodic task** (`@app.periodic(cron=Settings.prune_cron)`, every day
at 03:17 by default), registered by `worker.build_app`; procrastinate defers it once per tick
across all workers (its `procrastinate_periodic_defers` table), so N workers prune once.

What it deletes, in one transaction (the file bytes after it commits):
- `jobs` rows finished (`succeeded`, `failed`, `cancelled`) more than
  `Settings.job_retention_days` ago (30 by default), with their `job_artifacts` (the uploaded
  import file, error reports, exports: bytes kept in the table) and de-duplication keys, which
  the foreign keys cascade; artifacts that never got a job (an upload whose enqueue failed)
  after the same time;
- procrastinate's own rows of finished jobs past the same retention, with their events
  (cascade) — except the row procrastinate's periodic bookkeeping still points at;
- files uploaded through a public fill link that no submission used (no `metadata.attached`)
  within `Settings.orphan_upload_hours` (24): their `files` rows, then their bytes and
  thumbnails from the storage when no other `files` row has the same content (storage is
  content-addressed, so two uploads of the same bytes share them).

Member uploads that no record holds are not deleted yet: telling "not yet saved" from
"dropped" needs a reference count over every file column, which is a later piece of work.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tessera.config import Settings
from tessera.files import FileStorage, LocalFileStorage, thumbnail_key

log = structlog.get_logger("tessera.jobs")

TASK = "tessera.prune"
THUMBNAIL_SIZES = (64, 128, 256, 512, 1024)

_JOBS = text(
    """
    WITH gone AS (
        DELETE FROM jobs
        WHERE status IN ('succeeded', 'failed', 'cancelled') AND finished_at < :cutoff
        RETURNING id, queue_job_id
    )
    SELECT (SELECT count(*) FROM gone) AS jobs,
           (SELECT count(*) FROM job_artifacts a WHERE a.job_id IN (SELECT id FROM gone))
               AS artifacts,
           (SELECT array_agg(queue_job_id) FROM gone WHERE queue_job_id IS NOT NULL)
               AS queue_ids
    """
)
_LOOSE_ARTIFACTS = text(
    "DELETE FROM job_artifacts WHERE job_id IS NULL AND created_at < :cutoff RETURNING id"
)
# procrastinate's rows: ours just deleted, and any other finished one (the periodic task's own
# runs) whose last event is older than the retention. A row `procrastinate_periodic_defers`
# refers to is kept: that foreign key has no ON DELETE.
_QUEUE = text(
    """
    DELETE FROM procrastinate_jobs p
    WHERE p.status IN ('succeeded', 'failed', 'cancelled', 'aborted')
      AND NOT EXISTS (SELECT 1 FROM procrastinate_periodic_defers d WHERE d.job_id = p.id)
      AND (p.id = ANY(CAST(:ids AS bigint[]))
           OR NOT EXISTS (SELECT 1 FROM procrastinate_events e
                          WHERE e.job_id = p.id AND e.at >= :cutoff))
    RETURNING p.id
    """
)
_ORPHAN_UPLOADS = text(
    """
    DELETE FROM files
    WHERE metadata ? 'public_link' AND NOT metadata ? 'attached' AND created_at < :cutoff
    RETURNING sha256, storage_key
    """
)
_STILL_USED = text("SELECT DISTINCT sha256 FROM files WHERE sha256 = ANY(:hashes)")


@dataclass
class Pruned:
    """What one run deleted (the run's log line and the test read it)."""

    jobs: int = 0
    artifacts: int = 0
    queue_rows: int = 0
    uploads: int = 0
    blobs: int = 0


async def prune(engine: AsyncEngine, settings: Settings, storage: FileStorage | None = None, *,
                now: datetime | None = None) -> Pruned:
    """Delete what the retention settings let go; safe to run concurrently and repeatedly
    (each statement deletes what is there; a second run finds nothing)."""
    now = now or datetime.now(UTC)
    storage = storage or LocalFileStorage(settings.data_dir / "files")
    job_cutoff = now - timedelta(days=settings.job_retention_days)
    upload_cutoff = now - timedelta(hours=settings.orphan_upload_hours)
    out = Pruned()
    async with engine.begin() as conn:
        counts = (await conn.execute(_JOBS, {"cutoff": job_cutoff})).one()
        out.jobs, out.artifacts = counts.jobs, counts.artifacts
        out.artifacts += len((await conn.execute(_LOOSE_ARTIFACTS,
                                                 {"cutoff": job_cutoff})).all())
        out.queue_rows = len((await conn.execute(_QUEUE, {
            "ids": list(counts.queue_ids or []), "cutoff": job_cutoff})).all())
        uploads = (await conn.execute(_ORPHAN_UPLOADS, {"cutoff": upload_cutoff})).all()
        out.uploads = len(uploads)
        hashes = sorted({u.sha256 for u in uploads})
        kept = set((await conn.execute(_STILL_USED, {"hashes": hashes})).scalars()) \
            if hashes else set()
    for sha, key in sorted({(u.sha256, u.storage_key) for u in uploads}):
        if sha in kept:
            continue
        _delete_blob(storage, key, sha)
        out.blobs += 1
    log.info("jobs.pruned", **asdict(out))
    return out


def _delete_blob(storage: FileStorage, key: str, sha: str) -> None:
    for stored in (key, *(thumbnail_key(sha, size) for size in THUMBNAIL_SIZES)):
        try:
            storage.delete(stored)
        except OSError:  # the next run tries again only for rows: log and go on
            log.warning("jobs.prune_blob_failed", key=stored, exc_info=True)


def register(app: Any, engine: AsyncEngine, settings: Settings) -> None:
    """The periodic task on a procrastinate App (`worker.build_app`)."""

    @app.periodic(cron=settings.prune_cron, periodic_id="housekeeping")
    @app.task(name=TASK, queue="default", pass_context=False)
    async def housekeeping(timestamp: int) -> None:
        await prune(engine, settings)
