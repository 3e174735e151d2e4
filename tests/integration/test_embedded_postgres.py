"""The embedded Postgres launcher: start, restart, crash recovery and clear errors."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest

from tessera.db.embedded import EmbeddedPostgres, EmbeddedPostgresError, throwaway_cluster


@pytest.fixture
def cluster_dir():
    cluster = throwaway_cluster()
    yield cluster.data_dir
    shutil.rmtree(cluster.data_dir, ignore_errors=True)


def _select_one(pg: EmbeddedPostgres) -> int:
    with psycopg.connect(pg.dsn()) as conn:
        return conn.execute("select 1").fetchone()[0]


def test_start_query_stop_restart_keeps_data(cluster_dir: Path) -> None:
    pg = EmbeddedPostgres(cluster_dir, fast=True, tcp=False).start()
    try:
        with psycopg.connect(pg.dsn(), autocommit=True) as conn:
            conn.execute("create table kept (x int)")
            conn.execute("insert into kept values (42)")
    finally:
        pg.stop()
    pg = EmbeddedPostgres(cluster_dir, fast=True, tcp=False).start()
    try:
        with psycopg.connect(pg.dsn()) as conn:
            assert conn.execute("select x from kept").fetchone()[0] == 42
    finally:
        pg.stop()


def test_second_process_on_same_data_dir_is_refused(cluster_dir: Path) -> None:
    pg = EmbeddedPostgres(cluster_dir, fast=True, tcp=False).start()
    try:
        with pytest.raises(EmbeddedPostgresError, match="already in use"):
            EmbeddedPostgres(cluster_dir, fast=True, tcp=False).start()
        assert _select_one(pg) == 1  # the first one is untouched
    finally:
        pg.stop()


def test_recovers_after_the_owning_process_is_killed(cluster_dir: Path) -> None:
    script = textwrap.dedent(f"""
        import time
        from tessera.db.embedded import EmbeddedPostgres
        EmbeddedPostgres({str(cluster_dir)!r}, fast=True, tcp=False).start()
        print("up", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "up"
    os.kill(proc.pid, signal.SIGKILL)  # Postgres is orphaned, postmaster.pid stays behind
    proc.wait()
    pg = EmbeddedPostgres(cluster_dir, fast=True, tcp=False).start()
    try:
        assert _select_one(pg) == 1
    finally:
        pg.stop()


def test_dead_pid_file_is_ignored(cluster_dir: Path) -> None:
    pg = EmbeddedPostgres(cluster_dir, fast=True, tcp=False).start()
    pg.stop()
    pid_file = pg.cluster_dir / "postmaster.pid"
    pid_file.write_text("999999\n")
    pg = EmbeddedPostgres(cluster_dir, fast=True, tcp=False).start()
    try:
        assert _select_one(pg) == 1
    finally:
        pg.stop()


def test_busy_port_gives_a_clear_error(cluster_dir: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(EmbeddedPostgresError, match=f"Port {port}.*busy"):
            EmbeddedPostgres(cluster_dir, fast=True, tcp=True, port=port).start()


def test_data_from_another_major_version_is_refused(cluster_dir: Path) -> None:
    pg = EmbeddedPostgres(cluster_dir, fast=True, tcp=False).start()
    pg.stop()
    (pg.cluster_dir / "PG_VERSION").write_text("16\n")
    with pytest.raises(EmbeddedPostgresError, match="PostgreSQL 16"):
        EmbeddedPostgres(cluster_dir, fast=True, tcp=False).start()
