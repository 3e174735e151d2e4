"""The queue's schema: installed by migration 0002 or `install_queue_schema`, removed cleanly."""

from __future__ import annotations

import psycopg

from tessera.config import Settings
from tessera.db import migrate
from tessera.jobs import install_queue_schema


def _queue_objects(dsn: str) -> set[str]:
    """Every procrastinate table, function and type, plus our de-duplication table."""
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            """
            SELECT relname FROM pg_class WHERE relname LIKE 'procrastinate%%'
                                           OR relname = 'job_dedupe_keys'
            UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'procrastinate%%'
            UNION ALL SELECT typname FROM pg_type WHERE typname LIKE 'procrastinate%%'
            """
        ).fetchall()
    return {r[0] for r in rows}


def test_install_outside_alembic_then_migrate_then_downgrade(fresh_db) -> None:
    settings = Settings(database_url=fresh_db.sync_url)
    migrate.upgrade(settings, "0001")
    assert _queue_objects(fresh_db.dsn) == set()
    assert install_queue_schema(settings.libpq_dsn) is True
    assert install_queue_schema(settings.libpq_dsn) is False  # idempotent
    installed = _queue_objects(fresh_db.dsn)
    assert {"procrastinate_jobs", "procrastinate_defer_jobs_v1", "job_dedupe_keys"} <= installed
    migrate.upgrade(settings)  # 0002 finds the schema there and leaves it be
    assert _queue_objects(fresh_db.dsn) == installed
    migrate.downgrade(settings, "0001")
    assert _queue_objects(fresh_db.dsn) == set()  # no function or type left behind
    migrate.upgrade(settings)
    assert _queue_objects(fresh_db.dsn) == installed
