"""issued documents and their PDF files; tax status of UMKM; the OPD's treasurer

Reviewed by hand: (opd_id, kind, fiscal_year, sequence) is unique, so two app processes can
never give two documents one place in a sequence (the service retries on the conflict); number
and public_id are unique. document_file holds the PDF bytes apart from document so lists never
load them. Nothing here is ever deleted (procure/documents/guard.py).

Revision ID: 0006_documents
Revises: 0005_alloc_figures
Create Date: 2026-11-23 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_documents'
down_revision = '0005_alloc_figures'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('umkm') as batch_op:
        batch_op.add_column(sa.Column('is_pkp', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('has_pp55_certificate', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('opd') as batch_op:
        batch_op.add_column(sa.Column('treasurer_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('treasurer_nip', sa.String(length=50), nullable=True))
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('umkm_id', sa.Integer(), nullable=True),
    sa.Column('supplier_name', sa.String(length=200), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['user_account.id'], name=op.f('fk_document_cancelled_by_id_user_account')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_document_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_document_opd_id_opd')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_order.id'], name=op.f('fk_document_order_id_purchase_order')),
    sa.ForeignKeyConstraint(['replaces_id'], ['document.id'], name=op.f('fk_document_replaces_id_document')),
    sa.ForeignKeyConstraint(['request_id'], ['purchase_request.id'], name=op.f('fk_document_request_id_purchase_request')),
    sa.ForeignKeyConstraint(['run_id'], ['allocation_run.id'], name=op.f('fk_document_run_id_allocation_run')),
    sa.ForeignKeyConstraint(['umkm_id'], ['umkm.id'], name=op.f('fk_document_umkm_id_umkm')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('number', name=op.f('uq_document_number')),
    sa.UniqueConstraint('opd_id', 'kind', 'fiscal_year', 'sequence', name='uq_document_sequence'),
    sa.UniqueConstraint('public_id', name=op.f('uq_document_public_id'))
    )
    op.create_index('ix_document_kind_issued', 'document', ['kind', 'issued_at'], unique=False)
    op.create_index(op.f('ix_document_opd_id'), 'document', ['opd_id'], unique=False)
    op.create_index(op.f('ix_document_order_id'), 'document', ['order_id'], unique=False)
    op.create_index(op.f('ix_document_request_id'), 'document', ['request_id'], unique=False)
    op.create_index(op.f('ix_document_run_id'), 'document', ['run_id'], unique=False)
    op.create_index(op.f('ix_document_umkm_id'), 'document', ['umkm_id'], unique=False)
    op.create_table('document_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_file_document_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_file')),
    sa.UniqueConstraint('document_id', name=op.f('uq_document_file_document_id'))
    )
    op.create_index(op.f('ix_document_file_sha256'), 'document_file', ['sha256'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_document_file_sha256'), table_name='document_file')
    op.drop_table('document_file')
    op.drop_index(op.f('ix_document_umkm_id'), table_name='document')
    op.drop_index(op.f('ix_document_run_id'), table_name='document')
    op.drop_index(op.f('ix_document_request_id'), table_name='document')
    op.drop_index(op.f('ix_document_order_id'), table_name='document')
    op.drop_index(op.f('ix_document_opd_id'), table_name='document')
    op.drop_index('ix_document_kind_issued', table_name='document')
    op.drop_table('document')
    with op.batch_alter_table('opd') as batch_op:
        batch_op.drop_column('treasurer_nip')
        batch_op.drop_column('treasurer_name')
    with op.batch_alter_table('umkm') as batch_op:
        batch_op.drop_column('has_pp55_certificate')
        batch_op.drop_column('is_pkp')
