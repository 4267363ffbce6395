"""spread_report: the store of built pemerataan reports; time indexes for month reports

Reviewed by hand. One row per (period, OPD or the whole Pemda) holding the report as JSON, the
data's fingerprint, the Jakarta day it was built for, when its figures were read and, while a
process rebuilds it, since when (docs/pemerataan.md, "Freshness"). Indexes on the order's issue
time and the allocation run's decision time let a month or quarter report read its slice.

Revision ID: 0013_spread_reports
Revises: 0012_opd_budget
Create Date: 2026-12-03 15:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_spread_reports"
down_revision = "0012_opd_budget"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spread_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=50), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=500), nullable=False),
        sa.Column("built_for", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshing_since", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_spread_report_opd_id_opd")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spread_report")),
        sa.UniqueConstraint("key", name=op.f("uq_spread_report_key")),
    )
    op.create_index("ix_purchase_order_issued_at", "purchase_order", ["issued_at"])
    op.create_index("ix_allocation_run_decided_at", "allocation_run", ["decided_at"])


def downgrade():
    op.drop_index("ix_allocation_run_decided_at", table_name="allocation_run")
    op.drop_index("ix_purchase_order_issued_at", table_name="purchase_order")
    op.drop_table("spread_report")
