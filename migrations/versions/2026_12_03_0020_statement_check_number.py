"""statement checks record the number as typed, also when no statement has it

Reviewed by hand. A wrong number is counted like a wrong code, per number and per client
address, so the verification page answers an unknown number exactly as it answers a known
one with a wrong code (throttled after the same number of attempts): it tells a prober
nothing about which numbers exist. ``statement_id`` may therefore be empty.

Revision ID: 0020_statement_check_number
Revises: 0019_payments_statements_seals
Create Date: 2026-12-03 21:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_statement_check_number"
down_revision = "0019_payments_statements_seals"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("statement_check", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.String(length=100), nullable=True))
        batch_op.alter_column("statement_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index("ix_statement_check_number_at", ["number", "at"], unique=False)
        batch_op.create_index("ix_statement_check_client_at", ["client", "at"], unique=False)


def downgrade():
    with op.batch_alter_table("statement_check", schema=None) as batch_op:
        batch_op.drop_index("ix_statement_check_client_at")
        batch_op.drop_index("ix_statement_check_number_at")
        op.execute("DELETE FROM statement_check WHERE statement_id IS NULL")
        batch_op.alter_column("statement_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("number")
