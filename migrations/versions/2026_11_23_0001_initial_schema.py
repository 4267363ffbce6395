"""initial schema: accounts, audit log, OPDs, categories, wilayah, UMKM, products

Reviewed by hand: times are timezone-aware (the models' UTCDateTime stores UTC); the trigram
search index and its extension exist on PostgreSQL only (SQLite scans, see the catalog).

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-23 04:35:16.332052

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def _is_postgresql():
    return op.get_context().dialect.name == "postgresql"


def upgrade():
    if _is_postgresql():
        # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('name', name=op.f('uq_category_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_category_slug'))
    )
    op.create_table('kecamatan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kecamatan')),
    sa.UniqueConstraint('name', name=op.f('uq_kecamatan_name'))
    )
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('ip', sa.String(length=50), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    op.create_index('ix_login_attempt_email_at', 'login_attempt', ['email', 'at'], unique=False)
    op.create_index('ix_login_attempt_ip_at', 'login_attempt', ['ip', 'at'], unique=False)
    op.create_table('opd',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('head_name', sa.String(length=200), nullable=False),
    sa.Column('head_nip', sa.String(length=50), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opd')),
    sa.UniqueConstraint('code', name=op.f('uq_opd_code')),
    sa.UniqueConstraint('name', name=op.f('uq_opd_name'))
    )
    op.create_table('kelurahan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kecamatan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_kelurahan_kecamatan_id_kecamatan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kelurahan')),
    sa.UniqueConstraint('kecamatan_id', 'name', name=op.f('uq_kelurahan_kecamatan_id'))
    )
    op.create_index(op.f('ix_kelurahan_kecamatan_id'), 'kelurahan', ['kecamatan_id'], unique=False)
    op.create_table('umkm',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_name', sa.String(length=200), nullable=False),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('nik', sa.String(length=20), nullable=False),
    sa.Column('nib', sa.String(length=20), nullable=False),
    sa.Column('npwp', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('kecamatan_id', sa.Integer(), nullable=False),
    sa.Column('kelurahan_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=False),
    sa.Column('bank_name', sa.String(length=100), nullable=False),
    sa.Column('bank_account_number', sa.String(length=50), nullable=False),
    sa.Column('bank_account_name', sa.String(length=200), nullable=False),
    sa.Column('declared_scale', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_own_production', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['kecamatan_id'], ['kecamatan.id'], name=op.f('fk_umkm_kecamatan_id_kecamatan')),
    sa.ForeignKeyConstraint(['kelurahan_id'], ['kelurahan.id'], name=op.f('fk_umkm_kelurahan_id_kelurahan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_umkm')),
    sa.UniqueConstraint('nib', name=op.f('uq_umkm_nib'))
    )
    op.create_index(op.f('ix_umkm_business_name'), 'umkm', ['business_name'], unique=False)
    op.create_index(op.f('ix_umkm_kelurahan_id'), 'umkm', ['kelurahan_id'], unique=False)
    op.create_index('ix_umkm_status_kecamatan', 'umkm', ['status', 'kecamatan_id'], unique=False)
    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('umkm_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('monthly_capacity', sa.Integer(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('min_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('lead_time_days >= 0', name=op.f('ck_product_lead_time_days_non_negative')),
    sa.CheckConstraint('min_order >= 1', name=op.f('ck_product_min_order_positive')),
    sa.CheckConstraint('monthly_capacity > 0', name=op.f('ck_product_monthly_capacity_positive')),
    sa.CheckConstraint('unit_price > 0', name=op.f('ck_product_unit_price_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_product_category_id_category')),
    sa.ForeignKeyConstraint(['umkm_id'], ['umkm.id'], name=op.f('fk_product_umkm_id_umkm')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product'))
    )
    op.create_index('ix_product_category_active', 'product', ['category_id', 'is_active'], unique=False)
    if _is_postgresql():
        op.create_index('ix_product_search_text_trgm', 'product', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    op.create_index(op.f('ix_product_umkm_id'), 'product', ['umkm_id'], unique=False)
    op.create_table('umkm_category',
    sa.Column('umkm_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_umkm_category_category_id_category')),
    sa.ForeignKeyConstraint(['umkm_id'], ['umkm.id'], name=op.f('fk_umkm_category_umkm_id_umkm'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('umkm_id', 'category_id', name=op.f('pk_umkm_category'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=True),
    sa.Column('umkm_id', sa.Integer(), nullable=True),
    sa.Column('nip', sa.String(length=50), nullable=True),
    sa.Column('jabatan', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_user_account_opd_id_opd')),
    sa.ForeignKeyConstraint(['umkm_id'], ['umkm.id'], name=op.f('fk_user_account_umkm_id_umkm')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    op.create_index(op.f('ix_user_account_opd_id'), 'user_account', ['opd_id'], unique=False)
    op.create_index(op.f('ix_user_account_role'), 'user_account', ['role'], unique=False)
    op.create_index(op.f('ix_user_account_umkm_id'), 'user_account', ['umkm_id'], unique=True)
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('entity_type', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('ip', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_log_actor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f('ix_audit_log_action'), 'audit_log', ['action'], unique=False)
    op.create_index(op.f('ix_audit_log_actor_id'), 'audit_log', ['actor_id'], unique=False)
    op.create_index(op.f('ix_audit_log_at'), 'audit_log', ['at'], unique=False)
    op.create_index('ix_audit_log_entity', 'audit_log', ['entity_type', 'entity_id'], unique=False)
    op.create_table('product_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=100), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_product_photo_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_photo')),
    sa.UniqueConstraint('product_id', name=op.f('uq_product_photo_product_id'))
    )
    op.create_table('umkm_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('umkm_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('checklist', sa.JSON(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_umkm_review_actor_id_user_account')),
    sa.ForeignKeyConstraint(['umkm_id'], ['umkm.id'], name=op.f('fk_umkm_review_umkm_id_umkm')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_umkm_review'))
    )
    op.create_index(op.f('ix_umkm_review_umkm_id'), 'umkm_review', ['umkm_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_umkm_review_umkm_id'), table_name='umkm_review')
    op.drop_table('umkm_review')
    op.drop_table('product_photo')
    op.drop_index('ix_audit_log_entity', table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_at'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_actor_id'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_action'), table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_index(op.f('ix_user_account_umkm_id'), table_name='user_account')
    op.drop_index(op.f('ix_user_account_role'), table_name='user_account')
    op.drop_index(op.f('ix_user_account_opd_id'), table_name='user_account')
    op.drop_table('user_account')
    op.drop_table('umkm_category')
    op.drop_index(op.f('ix_product_umkm_id'), table_name='product')
    if _is_postgresql():
        op.drop_index('ix_product_search_text_trgm', table_name='product')
    op.drop_index('ix_product_category_active', table_name='product')
    op.drop_table('product')
    op.drop_index('ix_umkm_status_kecamatan', table_name='umkm')
    op.drop_index(op.f('ix_umkm_kelurahan_id'), table_name='umkm')
    op.drop_index(op.f('ix_umkm_business_name'), table_name='umkm')
    op.drop_table('umkm')
    op.drop_index(op.f('ix_kelurahan_kecamatan_id'), table_name='kelurahan')
    op.drop_table('kelurahan')
    op.drop_table('opd')
    op.drop_index('ix_login_attempt_ip_at', table_name='login_attempt')
    op.drop_index('ix_login_attempt_email_at', table_name='login_attempt')
    op.drop_table('login_attempt')
    op.drop_table('kecamatan')
    op.drop_table('category')
