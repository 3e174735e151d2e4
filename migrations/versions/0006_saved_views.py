"""Saved views: a member's named list settings (filter, sort, columns, view type) for one form,
personal or shared with everyone in the tenant.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE saved_views (
    id uuid PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    app_key text NOT NULL,
    form_key text NOT NULL,
    owner_id uuid NOT NULL REFERENCES users(id),
    name text NOT NULL,
    shared boolean NOT NULL DEFAULT false,
    config jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX saved_views_owner_name
    ON saved_views (tenant_id, app_key, form_key, owner_id, lower(name));
CREATE INDEX saved_views_shared
    ON saved_views (tenant_id, app_key, form_key) WHERE shared;
"""

DOWNGRADE = """
DROP TABLE saved_views;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
