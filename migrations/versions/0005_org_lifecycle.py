"""Organisation lifecycle: positions, invitations, an append-only audit log.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-24
"""

from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

UPGRADE = """
ALTER TABLE users ADD COLUMN position text;
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
CREATE TABLE invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    user_id uuid NOT NULL REFERENCES users(id),
    token_hash text NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION tessera_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION tessera_audit_append_only();
"""

DOWNGRADE = """
DROP TRIGGER audit_log_append_only ON audit_log;
DROP FUNCTION tessera_audit_append_only();
DROP TABLE invitations;
ALTER TABLE users DROP COLUMN disabled_at;
ALTER TABLE users DROP COLUMN position;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
