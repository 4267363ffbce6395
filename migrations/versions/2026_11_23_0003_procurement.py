"""purchase requests, allocation runs, orders and order events

Reviewed by hand: the (product_id, status, due_date) index serves the free-capacity sum that
the allocation and its row locks depend on; decision_key is unique so a double-clicked
"issue" decides once. purchase_order refers to itself for an order passed on after a decline.

Revision ID: 0003_procurement
Revises: 0002_omzet
Create Date: 2026-11-23 05:38:35.490531

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_procurement'
down_revision = '0002_omzet'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('purchase_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('specification', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('hps_unit_price', sa.BigInteger(), nullable=False),
    sa.Column('needed_by', sa.Date(), nullable=False),
    sa.Column('delivery_address', sa.String(length=255), nullable=False),
    sa.Column('budget_code', sa.String(length=100), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('event_name', sa.String(length=200), nullable=True),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('invitation_number', sa.String(length=100), nullable=True),
    sa.Column('expected_attendees', sa.Integer(), nullable=True),
    sa.Column('excess_reason', sa.Text(), nullable=True),
    sa.Column('is_excess_portions', sa.Boolean(), nullable=False),
    sa.Column('is_split_suspect', sa.Boolean(), nullable=False),
    sa.Column('split_note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('hps_unit_price > 0', name=op.f('ck_purchase_request_hps_positive')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_purchase_request_quantity_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_purchase_request_category_id_category')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_purchase_request_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_purchase_request_opd_id_opd')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_request'))
    )
    op.create_index('ix_purchase_request_opd_category_created', 'purchase_request', ['opd_id', 'category_id', 'created_at'], unique=False)
    op.create_table('allocation_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('policy', sa.String(length=50), nullable=False),
    sa.Column('policy_version', sa.Integer(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('shortfall', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('final_choice', sa.JSON(), nullable=True),
    sa.Column('is_override', sa.Boolean(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_key', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_allocation_run_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_allocation_run_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['purchase_request.id'], name=op.f('fk_allocation_run_request_id_purchase_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_run')),
    sa.UniqueConstraint('decision_key', name=op.f('uq_allocation_run_decision_key'))
    )
    op.create_index(op.f('ix_allocation_run_request_id'), 'allocation_run', ['request_id'], unique=False)
    op.create_table('purchase_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('umkm_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('passed_from_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('response_deadline', sa.Date(), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_quantity', sa.Integer(), nullable=True),
    sa.Column('condition', sa.String(length=20), nullable=True),
    sa.Column('inspection_notes', sa.Text(), nullable=True),
    sa.Column('handed_over_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('payment_reference', sa.String(length=100), nullable=True),
    sa.Column('payment_amount', sa.BigInteger(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_purchase_order_quantity_positive')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_purchase_order_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['passed_from_id'], ['purchase_order.id'], name=op.f('fk_purchase_order_passed_from_id_purchase_order')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_purchase_order_product_id_product')),
    sa.ForeignKeyConstraint(['request_id'], ['purchase_request.id'], name=op.f('fk_purchase_order_request_id_purchase_request')),
    sa.ForeignKeyConstraint(['run_id'], ['allocation_run.id'], name=op.f('fk_purchase_order_run_id_allocation_run')),
    sa.ForeignKeyConstraint(['umkm_id'], ['umkm.id'], name=op.f('fk_purchase_order_umkm_id_umkm')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order'))
    )
    op.create_index('ix_purchase_order_product_status_due', 'purchase_order', ['product_id', 'status', 'due_date'], unique=False)
    op.create_index(op.f('ix_purchase_order_request_id'), 'purchase_order', ['request_id'], unique=False)
    op.create_index('ix_purchase_order_umkm_status_issued', 'purchase_order', ['umkm_id', 'status', 'issued_at'], unique=False)
    op.create_table('order_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_order_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_order.id'], name=op.f('fk_order_event_order_id_purchase_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_event'))
    )
    op.create_index(op.f('ix_order_event_order_id'), 'order_event', ['order_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_order_event_order_id'), table_name='order_event')
    op.drop_table('order_event')
    op.drop_index('ix_purchase_order_umkm_status_issued', table_name='purchase_order')
    op.drop_index(op.f('ix_purchase_order_request_id'), table_name='purchase_order')
    op.drop_index('ix_purchase_order_product_status_due', table_name='purchase_order')
    op.drop_table('purchase_order')
    op.drop_index(op.f('ix_allocation_run_request_id'), table_name='allocation_run')
    op.drop_table('allocation_run')
    op.drop_index('ix_purchase_request_opd_category_created', table_name='purchase_request')
    op.drop_table('purchase_request')
