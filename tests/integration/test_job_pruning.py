"""Housekeeping on real Postgres: finished jobs past the retention go with their artifacts and
their procrastinate rows, recent and unfinished ones stay; public-link uploads no submission
used go after a day, with their bytes unless another file shares them. The job and upload rows
come from the real API and worker (an import, public uploads); only their clocks are moved
back."""

from __future__ import annotations

import asyncio
import hashlib
import io
import uuid
from dataclasses import replace

import openpyxl
import pytest

from tessera.config import Settings
from tessera.db.engine import create_engine
from tessera.files import storage_key
from tessera.jobs import WorkerOptions, start_worker
from tessera.jobs.pruning import TASK, Pruned, prune
from tessera.jobs.worker import build_app
from tests.integration.conftest import ADMIN_EMAIL
from tests.integration.members import sql

APP = {
    "format": "tessera.app/1", "key": "prune", "name": {"en": "Prune"},
    "forms": [{"key": "note", "name": {"en": "Note"}, "title_field": "title", "fields": [
        {"key": "title", "type": "text", "label": {"en": "Title"}, "required": True},
        {"key": "papers", "type": "attachment", "label": {"en": "Papers"}}]}],
}
FORM = "/api/v1/apps/prune/forms/note"


@pytest.fixture(scope="module")
def settings(settings: Settings) -> Settings:
    return replace(settings, in_process_worker=True, job_retention_days=30,
                   orphan_upload_hours=24)


def sheet(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def finished(client, job_id: str) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(400):
        job = (await client.get(f"/api/v1/jobs/{job_id}")).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError("the job did not finish")


async def an_import(admin, rows: list[list]) -> str:  # type: ignore[no-untyped-def]
    started = await admin.post(FORM + "/import", files={"file": ("n.xlsx", sheet(rows))},
                               data={"atomic": "false"})
    assert started.status_code == 202, started.text
    await finished(admin, started.json()["job_id"])
    return started.json()["job_id"]


async def test_old_jobs_and_unused_public_uploads_are_pruned(app, admin, settings) -> None:
    assert (await admin.post("/api/v1/apps", json=APP)).status_code == 201
    old_job = await an_import(admin, [["Title", "Papers"], ["A", None], [None, "x"]])
    new_job = await an_import(admin, [["Title"], ["B"]])
    link = (await admin.post(FORM + "/public-links", json={"owner": ADMIN_EMAIL})).json()

    async def put(data: bytes) -> str:
        response = await admin.post(link["url"] + "/files", params={"field": "papers"},
                                    files={"file": ("f.txt", data)})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    used, dropped, shared, fresh = (await put(b"used"), await put(b"dropped"),
                                    await put(b"shared bytes"), await put(b"fresh"))
    submitted = await admin.post(link["url"] + "/submit",
                                 json={"data": {"title": "C", "papers": [used]}})
    assert submitted.status_code == 201, submitted.text
    member_copy = await admin.post("/api/v1/files", files={"file": ("m.txt", b"shared bytes")})
    assert member_copy.status_code == 201

    # the clocks moved back: the first import finished 40 days ago, three uploads are 2 days old
    sql(settings, "update jobs set finished_at = now() - interval '40 days' where id = %s",
        (old_job,))
    sql(settings, "update procrastinate_events set at = now() - interval '40 days' "
        "where job_id = (select queue_job_id from jobs where id = %s)", (old_job,))
    sql(settings, "update files set created_at = now() - interval '2 days' "
        "where id::text = any(%s)", ([used, dropped, shared],))
    old_queue_id = sql(settings, "select queue_job_id from jobs where id = %s", (old_job,))[0][0]
    artifacts = sql(settings, "select count(*) from job_artifacts where job_id = %s",
                    (old_job,))[0][0]
    assert artifacts >= 3  # the uploaded sheet, a good-rows part, the error report

    storage = app.state.file_storage
    engine = create_engine(settings, pool_size=1)
    try:
        pruned = await prune(engine, settings, storage)
        again = await prune(engine, settings, storage)
    finally:
        await engine.dispose()

    assert pruned.jobs == 1 and pruned.artifacts == artifacts and pruned.queue_rows >= 1
    assert pruned.uploads == 2 and pruned.blobs == 1
    assert again == Pruned()
    assert sql(settings, "select id::text from jobs where id = any(%s)",
               ([old_job, new_job],)) == [(new_job,)]
    assert sql(settings, "select count(*) from job_artifacts where job_id = %s",
               (old_job,)) == [(0,)]
    assert sql(settings, "select count(*) from procrastinate_jobs where id = %s",
               (old_queue_id,)) == [(0,)]
    left = {r[0] for r in sql(settings, "select id::text from files where id::text = any(%s)",
                              ([used, dropped, shared, fresh],))}
    assert left == {used, fresh}
    assert not storage.exists(storage_key(_sha(b"dropped")))
    assert storage.exists(storage_key(_sha(b"shared bytes")))  # a member's file has them
    assert storage.exists(storage_key(_sha(b"used")))
    assert (await admin.get(f"/api/v1/jobs/{old_job}")).status_code == 404
    assert (await admin.get(f"/api/v1/jobs/{new_job}")).status_code == 200


def test_the_worker_defers_housekeeping_on_its_cron(settings) -> None:
    custom = replace(settings, prune_cron="*/5 * * * *")
    app = build_app(custom, engine=None)  # type: ignore[arg-type]
    periodic = app.periodic_registry.periodic_tasks[(TASK, "housekeeping")]
    assert periodic.cron == "*/5 * * * *" and periodic.task.name == TASK


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def test_a_running_worker_prunes_on_its_own_schedule(app, settings) -> None:
    """The real worker's periodic deferrer runs the task (a cron ticking every second)."""
    tenant = sql(settings, "select id from tenants limit 1")[0][0]
    stale = uuid.uuid4()
    sql(settings, "insert into jobs (id, tenant_id, kind, status, finished_at) values "
        "(%s, %s, 'records.export', 'succeeded', now() - interval '90 days')", (stale, tenant))
    ticking = replace(settings, prune_cron="* * * * * *")
    engine = create_engine(ticking, pool_size=2)
    worker = await start_worker(ticking, engine, options=WorkerOptions(
        concurrency=1, poll_interval=0.2, heartbeat_interval=0.5, stalled_after=5.0,
        shutdown_timeout=5.0, name="prune-test"))
    try:
        for _ in range(300):
            if not sql(settings, "select 1 from jobs where id = %s", (stale,)):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the periodic task did not prune")
    finally:
        await worker.stop()
        await engine.dispose()
    runs = sql(settings, "select count(*) from procrastinate_jobs where task_name = %s",
               (TASK,))[0][0]
    assert runs >= 1
