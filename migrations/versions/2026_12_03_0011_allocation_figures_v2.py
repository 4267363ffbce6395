"""allocation figures per (UMKM, product kind), with pemerataan-v2's round and need

Reviewed by hand. pemerataan-v2 ranks the offers of one product kind by (tier, round, need,
tie): umkm_allocation_figure now holds one row per (UMKM, kind) it offers (with the kind's
category, so pemerataan-v1 still walks a category), and the v2 figures as of the day named by
allocation_figure_state.rounds_day: round_365 (live orders issued in the 365 days up to that
day), awards_unreported and need6_v2 = 6 x (reported mean + awards_unreported).
(kind_id, tier, round_365, need6_v2, umkm_id) walks a kind's UMKM in v2 order,
(kind_id, verified_at) finds those in their grace period.

The rows are derived data: the table is dropped and created again empty, and the state row is
removed, so the first ranking rebuilds every row (procure/ranking/figures.py). docs/decisions/0013.

Revision ID: 0011_figures_v2
Revises: 0010_product_kinds
Create Date: 2026-12-03 14:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011_figures_v2"
down_revision = "0010_product_kinds"
branch_labels = None
depends_on = None


def _drop_figures():
    op.drop_index("ix_umkm_allocation_figure_rank", table_name="umkm_allocation_figure")
    op.drop_index("ix_umkm_allocation_figure_grace", table_name="umkm_allocation_figure")
    op.drop_table("umkm_allocation_figure")
    op.execute("DELETE FROM allocation_figure_state")


def _v1_columns():
    return [
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("omzet_1", sa.BigInteger(), nullable=True),
        sa.Column("omzet_2", sa.BigInteger(), nullable=True),
        sa.Column("omzet_3", sa.BigInteger(), nullable=True),
        sa.Column("months_reported", sa.Integer(), nullable=False),
        sa.Column("reported_sum", sa.BigInteger(), nullable=False),
        sa.Column("floored_months", sa.Integer(), nullable=False),
        sa.Column("latest_month", sa.String(length=20), nullable=True),
        sa.Column("awards_since", sa.BigInteger(), nullable=False),
        sa.Column("need6", sa.BigInteger(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("latest_award_at", sa.DateTime(timezone=True), nullable=True),
    ]


def _v1_indexes():
    op.create_index(
        "ix_umkm_allocation_figure_grace",
        "umkm_allocation_figure",
        ["category_id", "verified_at"],
        unique=False,
        postgresql_include=["umkm_id", "awards_since", "latest_award_at"],
    )
    op.create_index(
        "ix_umkm_allocation_figure_rank",
        "umkm_allocation_figure",
        ["category_id", "tier", "need6", "umkm_id"],
        unique=False,
    )


def upgrade():
    _drop_figures()
    op.create_table(
        "umkm_allocation_figure",
        sa.Column("umkm_id", sa.Integer(), nullable=False),
        sa.Column("kind_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        *_v1_columns(),
        sa.Column("round_365", sa.Integer(), nullable=False),
        sa.Column("awards_unreported", sa.BigInteger(), nullable=False),
        sa.Column("need6_v2", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["category.id"],
            name=op.f("fk_umkm_allocation_figure_category_id_category"),
        ),
        sa.ForeignKeyConstraint(
            ["kind_id"],
            ["product_kind.id"],
            name=op.f("fk_umkm_allocation_figure_kind_id_product_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["umkm_id"], ["umkm.id"], name=op.f("fk_umkm_allocation_figure_umkm_id_umkm")
        ),
        sa.PrimaryKeyConstraint("umkm_id", "kind_id", name=op.f("pk_umkm_allocation_figure")),
    )
    _v1_indexes()
    op.create_index(
        "ix_umkm_allocation_figure_grace_v2",
        "umkm_allocation_figure",
        ["kind_id", "verified_at"],
        unique=False,
        postgresql_include=["umkm_id", "tier", "round_365", "need6_v2"],
    )
    op.create_index(
        "ix_umkm_allocation_figure_rank_v2",
        "umkm_allocation_figure",
        ["kind_id", "tier", "round_365", "need6_v2", "umkm_id"],
        unique=False,
    )
    with op.batch_alter_table("allocation_figure_state") as batch_op:
        batch_op.add_column(sa.Column("rounds_day", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("allocation_figure_state") as batch_op:
        batch_op.drop_column("rounds_day")
    op.drop_index("ix_umkm_allocation_figure_rank_v2", table_name="umkm_allocation_figure")
    op.drop_index("ix_umkm_allocation_figure_grace_v2", table_name="umkm_allocation_figure")
    _drop_figures()
    op.create_table(
        "umkm_allocation_figure",
        sa.Column("umkm_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        *_v1_columns(),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["category.id"],
            name=op.f("fk_umkm_allocation_figure_category_id_category"),
        ),
        sa.ForeignKeyConstraint(
            ["umkm_id"], ["umkm.id"], name=op.f("fk_umkm_allocation_figure_umkm_id_umkm")
        ),
        sa.PrimaryKeyConstraint("umkm_id", "category_id", name=op.f("pk_umkm_allocation_figure")),
    )
    _v1_indexes()
