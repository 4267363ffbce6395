"""opd_budget: each OPD's goods/services budget per year, for the 40 % measure

Reviewed by hand. The admin enters one amount per OPD and year (Perpres 12/2021 art. 65: at
least 40 % of it for micro and small businesses); the pemerataan dashboard and the public page
divide the year's spend on micro and small businesses by it. Positive amounts only, one row per
OPD and year.

Revision ID: 0012_opd_budget
Revises: 0011_figures_v2
Create Date: 2026-12-03 13:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_opd_budget"
down_revision = "0011_figures_v2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opd_budget",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_opd_budget_amount_positive")),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_opd_budget_opd_id_opd")),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["user_account.id"], name=op.f("fk_opd_budget_set_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opd_budget")),
        sa.UniqueConstraint("opd_id", "year", name="uq_opd_budget_opd_year"),
    )


def downgrade():
    op.drop_table("opd_budget")
