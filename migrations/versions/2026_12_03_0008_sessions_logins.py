"""sessions that can be ended, login attempts counted under a row lock

Reviewed by hand. user_account.session_version is part of every session's user id: raising it
(logout, password change or reset, role change, disabling) ends every copy of that session
on its next request, on every app server; existing rows start at 1, so sessions made before
this upgrade (whose id carries no version) are logged out once. login_throttle holds one
counter per key (email:<e>, ip:<a>, pair:<e>|<a>) that a login locks and counts up before it
checks the password, so parallel guesses cannot check more than the limit; last_at is indexed
so stale counters can be purged. login_attempt stays as the audit trail of attempts.
docs/decisions/0011.

Revision ID: 0008_sessions_logins
Revises: 0007_one_decision
Create Date: 2026-12-03 09:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_sessions_logins"
down_revision = "0007_one_decision"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_index(op.f("ix_login_throttle_last_at"), "login_throttle", ["last_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_login_throttle_last_at"), table_name="login_throttle")
    op.drop_table("login_throttle")
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("session_version")
