"""The job queue's database objects: procrastinate's schema plus our de-duplication keys.

Alembic migration 0002 installs exactly these; `install_queue_schema` exists for tools that do not
run alembic. The procrastinate schema is a frozen copy of the one shipped with the version we pin:
installing "whatever the installed library ships" would make a fresh database and an upgraded one
differ after a procrastinate upgrade. A procrastinate upgrade that changes its schema gets a new
alembic migration applying procrastinate's own delta files (docs/adr/0003-job-queue.md).

Frozen: these strings are executed by a migration. Never edit them; add a migration instead.
"""

from __future__ import annotations

from importlib import resources

import psycopg
import structlog

log = structlog.get_logger("tessera.jobs")

#: The procrastinate release whose schema `procrastinate_schema.sql` is.
PROCRASTINATE_SCHEMA_VERSION = "3.10.0"


def procrastinate_schema_sql() -> str:
    """procrastinate's full schema (tables, types, functions, triggers) as one SQL script.

    Several statements and `%` signs: run it through psycopg without parameters (never asyncpg,
    which refuses several statements per execute, nor a parameterised execute).
    """
    return (resources.files("tessera.jobs") / "sql" / "procrastinate_schema.sql").read_text(
        encoding="utf-8"
    )


# One row per (tenant, kind, key): `enqueue(..., dedupe_key=...)` returns the job already made for
# that key instead of making another. A table of its own rather than a column on `jobs` so that the
# claim is an INSERT ... ON CONFLICT DO NOTHING *before* the job row exists: a duplicate never
# leaves a half-made job behind, and never aborts the caller's transaction with a unique violation.
# The foreign key is deferred because the key is claimed before the job row is inserted; deleting
# old jobs frees their keys.
DEDUPE_SCHEMA_SQL = """
CREATE TABLE job_dedupe_keys (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    kind text NOT NULL,
    dedupe_key text NOT NULL,
    job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind, dedupe_key)
);
CREATE INDEX job_dedupe_keys_job ON job_dedupe_keys (job_id);
CREATE INDEX jobs_queue_job_id ON jobs (queue_job_id);
"""

# Everything procrastinate created, found by name so that the downgrade does not depend on a list
# kept by hand (triggers go with their tables).
DROP_SQL = """
DROP INDEX IF EXISTS jobs_queue_job_id;
DROP TABLE IF EXISTS job_dedupe_keys;
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers,
    procrastinate_jobs, procrastinate_workers CASCADE;
DO $$
DECLARE fn record;
BEGIN
    FOR fn IN
        SELECT p.oid::regprocedure AS signature
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE 'DROP FUNCTION ' || fn.signature || ' CASCADE';
    END LOOP;
END;
$$;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
    procrastinate_job_status CASCADE;
"""


def queue_schema_installed(conn: psycopg.Connection) -> bool:
    """True when procrastinate's tables exist in the connection's search path."""
    row = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
    return bool(row and row[0])


def install_queue_schema(dsn: str) -> bool:
    """Install the queue schema on a database that already has the platform tables.

    For databases not managed by alembic (ad-hoc tools, experiments); `tessera migrate` does the
    same through migration 0002. Idempotent: returns False when the schema was already there.
    """
    with psycopg.connect(dsn) as conn:
        if queue_schema_installed(conn):
            return False
        conn.execute(procrastinate_schema_sql())  # no parameters: `%` stays literal
        conn.execute(DEDUPE_SCHEMA_SQL)
    log.info("job_queue.schema_installed", procrastinate=PROCRASTINATE_SCHEMA_VERSION)
    return True
