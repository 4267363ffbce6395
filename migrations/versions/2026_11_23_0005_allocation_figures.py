"""per-UMKM allocation figures for the ranking at scale

Reviewed by hand: umkm_allocation_figure holds, per UMKM and category it offers in, what
pemerataan-v1 ranks by in the window W named in allocation_figure_state (the omzet of each
month of W, months reported, their floored sum, awards since, 6 x need as an exact integer, tier, a copy of verified_at for
the grace period, the latest live award for the 365-day count); (category_id, tier, need6,
umkm_id) walks a category's UMKM in ranking order, (category_id, verified_at) finds those in
their grace period. The rows are derived data, built on first use and kept current by
procure/procurement/figures.py, so nothing is filled here. umkm.verified_at is indexed so a
new verification is noticed by its time. docs/decisions/0008.

Revision ID: 0005_alloc_figures
Revises: 0004_listing
Create Date: 2026-11-23 07:31:43

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_alloc_figures'
down_revision = '0004_listing'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('allocation_figure_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.String(length=20), nullable=False),
    sa.Column('covered_product_id', sa.Integer(), nullable=False),
    sa.Column('verified_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rebuilt_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_figure_state'))
    )
    op.create_table('umkm_allocation_figure',
    sa.Column('umkm_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('omzet_1', sa.BigInteger(), nullable=True),
    sa.Column('omzet_2', sa.BigInteger(), nullable=True),
    sa.Column('omzet_3', sa.BigInteger(), nullable=True),
    sa.Column('months_reported', sa.Integer(), nullable=False),
    sa.Column('reported_sum', sa.BigInteger(), nullable=False),
    sa.Column('floored_months', sa.Integer(), nullable=False),
    sa.Column('latest_month', sa.String(length=20), nullable=True),
    sa.Column('awards_since', sa.BigInteger(), nullable=False),
    sa.Column('need6', sa.BigInteger(), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=False),
    sa.Column('latest_award_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_umkm_allocation_figure_category_id_category')),
    sa.ForeignKeyConstraint(['umkm_id'], ['umkm.id'], name=op.f('fk_umkm_allocation_figure_umkm_id_umkm')),
    sa.PrimaryKeyConstraint('umkm_id', 'category_id', name=op.f('pk_umkm_allocation_figure'))
    )
    op.create_index('ix_umkm_allocation_figure_grace', 'umkm_allocation_figure', ['category_id', 'verified_at'], unique=False, postgresql_include=['umkm_id', 'awards_since', 'latest_award_at'])
    op.create_index('ix_umkm_allocation_figure_rank', 'umkm_allocation_figure', ['category_id', 'tier', 'need6', 'umkm_id'], unique=False)
    op.create_index('ix_umkm_verified_at', 'umkm', ['verified_at'], unique=False)


def downgrade():
    op.drop_index('ix_umkm_verified_at', table_name='umkm')
    op.drop_index('ix_umkm_allocation_figure_rank', table_name='umkm_allocation_figure')
    op.drop_index('ix_umkm_allocation_figure_grace', table_name='umkm_allocation_figure')
    op.drop_table('umkm_allocation_figure')
    op.drop_table('allocation_figure_state')
