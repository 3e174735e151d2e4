"""Process configuration, read once from the environment (12-factor).

Every setting has a safe default for a single-machine deployment; `tessera serve` fills
`database_url` from the embedded Postgres when DATABASE_URL is not set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.engine import URL, make_url


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class Settings:
    database_url: str = ""  # SQLAlchemy URL; the driver is normalised per use below
    data_dir: Path = Path(".tessera")
    secret_key: str = ""  # keys the sealed SSO flow cookie (with a per-tenant key); tokens are
    # random and stored hashed, so nothing else depends on it
    admin_email: str | None = None
    admin_password: str | None = None
    max_body_bytes: int = 10 * 1024 * 1024
    upload_max_bytes: int = 200 * 1024 * 1024
    token_ttl_seconds: int = 12 * 3600
    login_max_failures: int = 5
    login_window_seconds: int = 300
    in_process_worker: bool = True
    default_tenant: str = "main"
    install_default_app: bool = True
    frontend_dist: Path | None = None
    # uploads through a public fill link (anonymous): smaller than a member's
    public_upload_max_bytes: int = 20 * 1024 * 1024
    # housekeeping (`tessera.jobs.pruning`): finished jobs and their files are kept this long;
    # public-link uploads no submission used are deleted after `orphan_upload_hours`
    job_retention_days: int = 30
    orphan_upload_hours: int = 24
    prune_cron: str = "17 3 * * *"  # every day at 03:17 (the worker's clock)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL", ""),
            data_dir=Path(os.environ.get("TESSERA_DATA_DIR", ".tessera")),
            secret_key=os.environ.get("TESSERA_SECRET_KEY", ""),
            admin_email=os.environ.get("TESSERA_ADMIN_EMAIL"),
            admin_password=os.environ.get("TESSERA_ADMIN_PASSWORD"),
            max_body_bytes=_env_int("TESSERA_MAX_BODY_BYTES", 10 * 1024 * 1024),
            token_ttl_seconds=_env_int("TESSERA_TOKEN_TTL", 12 * 3600),
            in_process_worker=os.environ.get("TESSERA_IN_PROCESS_WORKER", "1") != "0",
            install_default_app=os.environ.get("TESSERA_INSTALL_DEFAULT_APP", "1") != "0",
            public_upload_max_bytes=_env_int("TESSERA_PUBLIC_UPLOAD_MAX_BYTES",
                                             20 * 1024 * 1024),
            job_retention_days=_env_int("TESSERA_JOB_RETENTION_DAYS", 30),
            orphan_upload_hours=_env_int("TESSERA_ORPHAN_UPLOAD_HOURS", 24),
            prune_cron=os.environ.get("TESSERA_PRUNE_CRON", "17 3 * * *"),
        )

    def with_database(self, url: str) -> Settings:
        return replace(self, database_url=url)

    def _url(self, driver: str) -> URL:
        if not self.database_url:
            raise RuntimeError("No database configured: set DATABASE_URL or use `tessera serve`.")
        return make_url(self.database_url).set(drivername=f"postgresql+{driver}")

    @property
    def async_url(self) -> str:
        """For SQLAlchemy's async engine (asyncpg)."""
        return self._url("asyncpg").render_as_string(hide_password=False)

    @property
    def sync_url(self) -> str:
        """For alembic and other synchronous tools (psycopg 3)."""
        return self._url("psycopg").render_as_string(hide_password=False)

    @property
    def libpq_dsn(self) -> str:
        """A libpq keyword string, for psycopg connections (the job queue)."""
        return libpq_dsn(self._url("psycopg"))


def libpq_dsn(url: URL) -> str:
    """A SQLAlchemy URL (unix-socket `?host=` form included) as a libpq keyword string."""
    parts = {
        "host": url.query.get("host") or url.host,
        "port": url.query.get("port") or url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)
