"""The platform's own tables as SQLAlchemy Core objects (queries only; DDL lives in migrations/).

Every table carries `tenant_id` from day one so that, past one Postgres, Citus can distribute
them by tenant (ARCHITECTURE.md §6).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

metadata = MetaData()


def _tenant() -> Column:
    return Column("tenant_id", UUID(as_uuid=True), ForeignKey("tenants.id"), nullable=False)


def _created_at() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


tenants = Table(
    "tenants", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("key", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("settings", JSONB, nullable=False, server_default="{}"),
    _created_at(),
)

users = Table(
    "users", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("email", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("password_hash", Text),
    Column("is_admin", Boolean, nullable=False, server_default="false"),
    Column("is_active", Boolean, nullable=False, server_default="true"),
    Column("locale", Text),
    Column("position", Text),
    Column("disabled_at", DateTime(timezone=True)),
    _created_at(),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

departments = Table(
    "departments", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("key", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("parent_id", UUID(as_uuid=True), ForeignKey("departments.id")),
    Column("sort", Integer, nullable=False, server_default="0"),
    _created_at(),
)

memberships = Table(
    "memberships", metadata,
    _tenant(),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id"), primary_key=True),
    Column("department_id", UUID(as_uuid=True), ForeignKey("departments.id"), primary_key=True),
    Column("is_main", Boolean, nullable=False, server_default="false"),
    Column("is_manager", Boolean, nullable=False, server_default="false"),
)

auth_tokens = Table(
    "auth_tokens", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id"), nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),  # session | api
    Column("name", Text),
    Column("scopes", JSONB, nullable=False, server_default="[]"),
    _created_at(),
    Column("expires_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

login_attempts = Table(
    "login_attempts", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("tenant_id", UUID(as_uuid=True), ForeignKey("tenants.id")),
    Column("email", Text, nullable=False),
    Column("ip", Text),
    Column("succeeded", Boolean, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

apps = Table(
    "apps", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("key", Text, nullable=False),
    Column("name", JSONB, nullable=False),
    Column("draft", JSONB),
    Column("draft_updated_at", DateTime(timezone=True)),
    Column("published_version", Integer),
    _created_at(),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

app_versions = Table(
    "app_versions", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("app_id", UUID(as_uuid=True), ForeignKey("apps.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("semver", Text, nullable=False),
    Column("definition", JSONB, nullable=False),
    Column("published_by", UUID(as_uuid=True), ForeignKey("users.id")),
    Column("published_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

form_tables = Table(
    "form_tables", metadata,
    _tenant(),
    Column("app_key", Text, primary_key=True),
    Column("form_key", Text, primary_key=True),
    Column("path", Text, primary_key=True),  # "" for the form, "items" for a sub-form table
    Column("schema_name", Text, nullable=False),
    Column("table_name", Text, nullable=False),
    Column("columns", JSONB, nullable=False, server_default="{}"),  # field key -> column state
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

role_assignments = Table(
    "role_assignments", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("app_key", Text, nullable=False),
    Column("role_key", Text, nullable=False),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id")),
    Column("department_id", UUID(as_uuid=True), ForeignKey("departments.id")),
)

record_history = Table(
    "record_history", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    _tenant(),
    Column("app_key", Text, nullable=False),
    Column("form_key", Text, nullable=False),
    Column("record_id", UUID(as_uuid=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", Text, nullable=False),  # create | update | delete | restore | purge
    Column("changes", JSONB, nullable=False, server_default="{}"),
    Column("snapshot", JSONB),
    Column("actor_id", UUID(as_uuid=True)),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("tenant_id", UUID(as_uuid=True), ForeignKey("tenants.id")),
    Column("actor_id", UUID(as_uuid=True)),
    Column("action", Text, nullable=False),
    Column("target_type", Text),
    Column("target_id", Text),
    Column("details", JSONB, nullable=False, server_default="{}"),
    Column("ip", Text),
    Column("request_id", Text),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

serial_counters = Table(
    "serial_counters", metadata,
    _tenant(),
    Column("counter_key", Text, primary_key=True),  # app.form.field[:period]
    Column("value", BigInteger, nullable=False),
)

jobs = Table(
    "jobs", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="queued"),
    Column("payload", JSONB, nullable=False, server_default="{}"),
    Column("progress_done", BigInteger, nullable=False, server_default="0"),
    Column("progress_total", BigInteger),
    Column("result", JSONB),
    Column("error", JSONB),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("queue_job_id", BigInteger),
    Column("created_by", UUID(as_uuid=True)),
    _created_at(),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
)

files = Table(
    "files", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("name", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("storage_key", Text, nullable=False),
    Column("metadata", JSONB, nullable=False, server_default="{}"),
    Column("created_by", UUID(as_uuid=True)),
    _created_at(),
)

public_links = Table(
    "public_links", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("app_key", Text, nullable=False),
    Column("form_key", Text, nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("password_hash", Text),
    Column("expires_at", DateTime(timezone=True)),
    Column("owner_id", UUID(as_uuid=True), ForeignKey("users.id"), nullable=False),
    Column("enabled", Boolean, nullable=False, server_default="true"),
    Column("settings", JSONB, nullable=False, server_default="{}"),
    Column("created_by", UUID(as_uuid=True)),
    _created_at(),
)

job_artifacts = Table(
    "job_artifacts", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("job_id", UUID(as_uuid=True), ForeignKey("jobs.id", ondelete="CASCADE")),
    Column("name", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_by", UUID(as_uuid=True)),
    _created_at(),
)

invitations = Table(
    "invitations", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    _tenant(),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id"), nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("accepted_at", DateTime(timezone=True)),
    Column("created_by", UUID(as_uuid=True)),
    _created_at(),
)

# A member's saved list views (own, or shared by an app admin): tessera.views
saved_views = Table(
    "saved_views", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("tenant_id", UUID(as_uuid=True), ForeignKey("tenants.id"), nullable=False),
    Column("app_key", Text, nullable=False),
    Column("form_key", Text, nullable=False),
    Column("owner_id", UUID(as_uuid=True), ForeignKey("users.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("shared", Boolean, nullable=False),
    Column("config", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
