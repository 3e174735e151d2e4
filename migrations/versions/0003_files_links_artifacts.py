"""Uploaded files, public fill links, job artifacts (import error reports, exports).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE files (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    content_type text NOT NULL,
    size bigint NOT NULL,
    sha256 text NOT NULL,
    storage_key text NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_tenant_created ON files (tenant_id, created_at);
CREATE TABLE public_links (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    app_key text NOT NULL,
    form_key text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    password_hash text,
    expires_at timestamptz,
    owner_id uuid NOT NULL REFERENCES users(id),
    enabled boolean NOT NULL DEFAULT true,
    settings jsonb NOT NULL DEFAULT '{}',
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_links_form ON public_links (tenant_id, app_key, form_key);
CREATE TABLE job_artifacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    job_id uuid REFERENCES jobs(id) ON DELETE CASCADE,
    name text NOT NULL,
    content_type text NOT NULL,
    content bytea NOT NULL,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_artifacts_job ON job_artifacts (tenant_id, job_id);
"""

DOWNGRADE = """
DROP TABLE job_artifacts;
DROP TABLE public_links;
DROP TABLE files;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
