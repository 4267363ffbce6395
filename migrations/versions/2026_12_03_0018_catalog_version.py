"""catalog version: one row raised with every change the catalog search shows

Reviewed by hand. Each worker keeps the catalog search's rendered results for one value of
``catalog_version.version`` (procure/catalog/kept_results.py); a change to a product, a photo,
a price, an UMKM's status or name, a category, a kind or a kecamatan raises it in the same
transaction, so every worker shows the change on its next search.

Revision ID: 0018_catalog_version
Revises: 0017_list_indexes
Create Date: 2026-12-03 18:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_catalog_version"
down_revision = "0017_list_indexes"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1}])


def downgrade():
    op.drop_table("catalog_version")
