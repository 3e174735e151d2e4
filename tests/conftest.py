"""Shared fixtures: one real Postgres per test session, a fresh database per test module.

The server is our embedded launcher (fast settings: tests only) unless
TESSERA_TEST_DATABASE_URL points at a server to use instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tessera.config import libpq_dsn
from tessera.db.embedded import throwaway_cluster


@dataclass(frozen=True)
class TestDatabase:
    """A database created for one test module."""

    __test__ = False
    async_url: str  # postgresql+asyncpg://…
    sync_url: str  # postgresql+psycopg://…
    dsn: str  # libpq keyword string for psycopg / asyncpg-free tools
    name: str


@dataclass(frozen=True)
class TestServer:
    __test__ = False
    admin_url: str  # postgresql+psycopg:// URL of a maintenance database

    def database(self, name: str) -> TestDatabase:
        url = make_url(self.admin_url).set(database=name)
        sync_url = url.set(drivername="postgresql+psycopg")
        async_url = url.set(drivername="postgresql+asyncpg")
        return TestDatabase(
            async_url=async_url.render_as_string(hide_password=False),
            sync_url=sync_url.render_as_string(hide_password=False),
            dsn=libpq_dsn(sync_url),
            name=name,
        )

    def admin_dsn(self) -> str:
        return libpq_dsn(make_url(self.admin_url))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[TestServer]:
    external = os.environ.get("TESSERA_TEST_DATABASE_URL")
    if external:
        url = make_url(external).set(drivername="postgresql+psycopg")
        yield TestServer(admin_url=url.render_as_string(hide_password=False))
        return
    cluster = throwaway_cluster().start()
    try:
        yield TestServer(admin_url=cluster.sqlalchemy_url("postgres", driver="psycopg"))
    finally:
        cluster.stop()
        shutil.rmtree(cluster.data_dir, ignore_errors=True)


def create_database(server: TestServer, prefix: str = "test") -> TestDatabase:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.database(name)


def drop_database(server: TestServer, db: TestDatabase) -> None:
    with psycopg.connect(server.admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def fresh_db(pg_server: TestServer) -> Iterator[TestDatabase]:
    """An empty database of its own for each test module (isolation between modules)."""
    db = create_database(pg_server)
    try:
        yield db
    finally:
        drop_database(pg_server, db)
