"""indexes for the inspector's red flags

Reviewed by hand. The red flags read every overriding allocation decision (about 3 % of the
runs; the table holds each run's stored ranking, so a full scan reads hundreds of MB at
100,000 UMKM) and the orders those runs issued (``purchase_order.run_id`` had no index).

Revision ID: 0016_red_flag_indexes
Revises: 0015_todo_indexes
Create Date: 2026-12-03 18:05:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016_red_flag_indexes"
down_revision = "0015_todo_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("allocation_run", schema=None) as batch_op:
        batch_op.create_index(
            "ix_allocation_run_override",
            ["id"],
            unique=False,
            postgresql_where=sa.text("is_override IS TRUE"),
            sqlite_where=sa.text("is_override IS TRUE"),
        )

    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.create_index("ix_purchase_order_run_id", ["run_id"], unique=False)


def downgrade():
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.drop_index("ix_purchase_order_run_id")

    with op.batch_alter_table("allocation_run", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_allocation_run_override",
            postgresql_where=sa.text("is_override IS TRUE"),
            sqlite_where=sa.text("is_override IS TRUE"),
        )
