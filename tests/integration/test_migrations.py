"""The platform migrations apply on an empty database and roll all the way back."""

from __future__ import annotations

import psycopg

from tessera.config import Settings
from tessera.db import migrate


def _tables(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "select table_name from information_schema.tables where table_schema = 'public'"
        ).fetchall()
    return {r[0] for r in rows}


def test_upgrade_then_downgrade_to_base(fresh_db) -> None:
    settings = Settings(database_url=fresh_db.sync_url)
    migrate.upgrade(settings)
    tables = _tables(fresh_db.dsn)
    assert {"tenants", "users", "apps", "app_versions", "record_history", "jobs"} <= tables
    with psycopg.connect(fresh_db.dsn) as conn:
        no_tenant = conn.execute(
            """select table_name from information_schema.tables t
               where table_schema = 'public' and table_name not in ('tenants', 'alembic_version')
                 and table_name not like 'procrastinate%%'
                 and not exists (select 1 from information_schema.columns c
                                 where c.table_name = t.table_name
                                   and c.column_name = 'tenant_id')"""
        ).fetchall()
    assert no_tenant == []  # every platform table carries tenant_id (Citus-ready)
    migrate.downgrade(settings, "base")
    assert _tables(fresh_db.dsn) <= {"alembic_version"}
    migrate.upgrade(settings)  # and up again: downgrade left nothing behind
    assert "jobs" in _tables(fresh_db.dsn)
