"""Platform tables: tenants, org, auth, apps and versions, history, audit, jobs.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]{0,40}$'),
    name text NOT NULL,
    settings jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    email text NOT NULL,
    name text NOT NULL,
    password_hash text,
    is_admin boolean NOT NULL DEFAULT false,
    is_active boolean NOT NULL DEFAULT true,
    locale text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, lower(email));
CREATE TABLE departments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    key text NOT NULL,
    name text NOT NULL,
    parent_id uuid REFERENCES departments(id),
    sort integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, key)
);
CREATE INDEX departments_parent ON departments (tenant_id, parent_id);
CREATE TABLE memberships (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    user_id uuid NOT NULL REFERENCES users(id),
    department_id uuid NOT NULL REFERENCES departments(id),
    is_main boolean NOT NULL DEFAULT false,
    is_manager boolean NOT NULL DEFAULT false,
    PRIMARY KEY (user_id, department_id)
);
CREATE INDEX memberships_department ON memberships (tenant_id, department_id);
CREATE TABLE auth_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    user_id uuid NOT NULL REFERENCES users(id),
    token_hash text NOT NULL UNIQUE,
    kind text NOT NULL CHECK (kind IN ('session', 'api')),
    name text,
    scopes jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX auth_tokens_user ON auth_tokens (tenant_id, user_id);
CREATE TABLE login_attempts (
    id bigserial PRIMARY KEY,
    tenant_id uuid REFERENCES tenants(id),
    email text NOT NULL,
    ip text,
    succeeded boolean NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email ON login_attempts (lower(email), at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
CREATE TABLE apps (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    key text NOT NULL,
    name jsonb NOT NULL,
    draft jsonb,
    draft_updated_at timestamptz,
    published_version integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, key)
);
CREATE TABLE app_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    app_id uuid NOT NULL REFERENCES apps(id),
    version integer NOT NULL,
    semver text NOT NULL,
    definition jsonb NOT NULL,
    published_by uuid REFERENCES users(id),
    published_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (app_id, version)
);
CREATE TABLE form_tables (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    app_key text NOT NULL,
    form_key text NOT NULL,
    path text NOT NULL,
    schema_name text NOT NULL,
    table_name text NOT NULL,
    columns jsonb NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, app_key, form_key, path),
    UNIQUE (schema_name, table_name)
);
CREATE TABLE role_assignments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    app_key text NOT NULL,
    role_key text NOT NULL,
    user_id uuid REFERENCES users(id),
    department_id uuid REFERENCES departments(id),
    CHECK ((user_id IS NULL) <> (department_id IS NULL))
);
CREATE INDEX role_assignments_app ON role_assignments (tenant_id, app_key, role_key);
CREATE TABLE record_history (
    id bigserial PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    app_key text NOT NULL,
    form_key text NOT NULL,
    record_id uuid NOT NULL,
    version integer NOT NULL,
    action text NOT NULL,
    changes jsonb NOT NULL DEFAULT '{}',
    snapshot jsonb,
    actor_id uuid,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX record_history_record ON record_history (tenant_id, record_id, version);
CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    tenant_id uuid REFERENCES tenants(id),
    actor_id uuid,
    action text NOT NULL,
    target_type text,
    target_id text,
    details jsonb NOT NULL DEFAULT '{}',
    ip text,
    request_id text,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at);
CREATE TABLE serial_counters (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    counter_key text NOT NULL,
    value bigint NOT NULL,
    PRIMARY KEY (tenant_id, counter_key)
);
CREATE TABLE jobs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    kind text NOT NULL,
    status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    payload jsonb NOT NULL DEFAULT '{}',
    progress_done bigint NOT NULL DEFAULT 0,
    progress_total bigint,
    result jsonb,
    error jsonb,
    attempts integer NOT NULL DEFAULT 0,
    queue_job_id bigint,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
);
CREATE INDEX jobs_tenant_created ON jobs (tenant_id, created_at);
CREATE INDEX jobs_status ON jobs (status) WHERE status IN ('queued', 'running');
"""

DOWNGRADE = """
DROP TABLE jobs;
DROP TABLE serial_counters;
DROP TABLE audit_log;
DROP TABLE record_history;
DROP TABLE role_assignments;
DROP TABLE form_tables;
DROP TABLE app_versions;
DROP TABLE apps;
DROP TABLE login_attempts;
DROP TABLE auth_tokens;
DROP TABLE memberships;
DROP TABLE departments;
DROP TABLE users;
DROP TABLE tenants;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
