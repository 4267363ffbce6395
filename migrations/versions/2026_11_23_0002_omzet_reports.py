"""omzet reports and imports

Reviewed by hand: omzet_report rows are never updated or deleted by the app (a correction is
the next revision); the (period, umkm_id) index serves the compliance and allocation queries.

Revision ID: 0002_omzet
Revises: 0001_initial
Create Date: 2026-11-23 04:39:56.560835

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_omzet'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('omzet_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=100), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('revised_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_omzet_import_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_omzet_import'))
    )
    op.create_table('omzet_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('umkm_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_file', sa.String(length=255), nullable=True),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_omzet_report_amount_non_negative')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_omzet_report_revision_positive')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['user_account.id'], name=op.f('fk_omzet_report_filed_by_id_user_account')),
    sa.ForeignKeyConstraint(['umkm_id'], ['umkm.id'], name=op.f('fk_omzet_report_umkm_id_umkm')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_omzet_report')),
    sa.UniqueConstraint('umkm_id', 'period', 'revision', name=op.f('uq_omzet_report_umkm_id'))
    )
    op.create_index('ix_omzet_report_period_umkm', 'omzet_report', ['period', 'umkm_id'], unique=False)


def downgrade():
    op.drop_index('ix_omzet_report_period_umkm', table_name='omzet_report')
    op.drop_table('omzet_report')
    op.drop_table('omzet_import')
