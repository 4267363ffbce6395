"""product.is_listed and the catalog's partial indexes

Reviewed by hand: is_listed (active product, verified UMKM, active category) is filled once
here and kept current by procure/catalog/listing.py. The old trigram index over every product
is replaced by one over listed products only, and a (category_id, name, id) index over listed
products serves a category's first page in name order, (name, id) the unfiltered one.

Revision ID: 0004_listing
Revises: 0003_procurement
Create Date: 2026-11-23 07:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_listing'
down_revision = '0003_procurement'
branch_labels = None
depends_on = None


def _is_postgresql():
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    with op.batch_alter_table('product') as batch_op:
        batch_op.add_column(sa.Column('is_listed', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        "UPDATE product SET is_listed = (product.is_active"
        " AND EXISTS (SELECT 1 FROM umkm WHERE umkm.id = product.umkm_id AND umkm.status = 'verified')"
        " AND EXISTS (SELECT 1 FROM category WHERE category.id = product.category_id AND category.is_active))"
    )
    if _is_postgresql():
        op.drop_index('ix_product_search_text_trgm', table_name='product')
        op.create_index('ix_product_listed_search_trgm', 'product', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'}, postgresql_where=sa.text('is_listed'))
    op.create_index('ix_product_listed_category_name', 'product', ['category_id', 'name', 'id'], unique=False, postgresql_where=sa.text('is_listed'), sqlite_where=sa.text('is_listed'))
    op.create_index('ix_product_listed_name', 'product', ['name', 'id'], unique=False, postgresql_where=sa.text('is_listed'), sqlite_where=sa.text('is_listed'))


def downgrade():
    op.drop_index('ix_product_listed_name', table_name='product')
    op.drop_index('ix_product_listed_category_name', table_name='product')
    if _is_postgresql():
        op.drop_index('ix_product_listed_search_trgm', table_name='product')
        op.create_index('ix_product_search_text_trgm', 'product', ['search_text'], unique=False, postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})
    with op.batch_alter_table('product') as batch_op:
        batch_op.drop_column('is_listed')
