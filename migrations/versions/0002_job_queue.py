"""Job queue: procrastinate's schema (frozen copy, 3.10.0) and enqueue de-duplication keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Runs over psycopg (migrations/env.py), which accepts the schema's many statements in one
execute. The scripts go straight to the psycopg cursor with no parameters at all: through
SQLAlchemy, psycopg would be handed an empty parameter set and read the `%` signs in
procrastinate's error messages as placeholders.
"""

from alembic import op

from tessera.jobs.schema import DEDUPE_SCHEMA_SQL, DROP_SQL, procrastinate_schema_sql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _run_script(sql: str) -> None:
    cursor = op.get_bind().connection.cursor()  # the DBAPI (psycopg) cursor
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def _exists(relation: str) -> bool:
    return bool(op.get_bind().exec_driver_sql(
        f"SELECT to_regclass('{relation}') IS NOT NULL").scalar())


def upgrade() -> None:
    # Skipped when `tessera.jobs.install_queue_schema` got there first (a database set up
    # outside alembic, then put under it): the objects are the same.
    if not _exists("procrastinate_jobs"):
        _run_script(procrastinate_schema_sql())
    if not _exists("job_dedupe_keys"):
        _run_script(DEDUPE_SCHEMA_SQL)


def downgrade() -> None:
    _run_script(DROP_SQL)
