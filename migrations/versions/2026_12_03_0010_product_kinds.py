"""product kinds: category -> kind; every product and request names one

Reviewed by hand. pemerataan-v2 matches offers by product kind (jenis barang), not category:
a request for long-sleeved batik shirts must not be offered blouses. product_kind is the second
level of the catalog tree; product.kind_id and purchase_request.kind_id are required, with a
composite foreign key (kind_id, category_id) -> product_kind(id, category_id) so a product's
kind always belongs to its category.

Existing rows are placed by the written rules of procure/kinds/rules.py (kind_for: the
category's rules, in order, on the product's name; for a request its title, then its
specification). What no rule places goes to the category's catch-all kind "Lainnya (perlu
dipilah)", which the admin sorts on the kinds page. Every existing category gets the default
kinds of its slug and a catch-all.

Revision ID: 0010_product_kinds
Revises: 0009_import_jobs
Create Date: 2026-12-03 11:00:00

"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

from procure.kinds.rules import CATCH_ALL_NAME, CATCH_ALL_SLUG, DEFAULT_TREE, kind_for

# revision identifiers, used by Alembic.
revision = "0010_product_kinds"
down_revision = "0009_import_jobs"
branch_labels = None
depends_on = None

CATCH_ALL_ORDER = 1000


def _kinds_table() -> sa.Table:
    return sa.table(
        "product_kind",
        sa.column("id", sa.Integer),
        sa.column("category_id", sa.Integer),
        sa.column("slug", sa.String),
        sa.column("name", sa.String),
        sa.column("is_active", sa.Boolean),
        sa.column("is_catch_all", sa.Boolean),
        sa.column("sort_order", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )


def _place(conn, table: str, kinds: dict, texts) -> None:
    """Set kind_id of every row of ``table`` by the rules, in batches of one statement."""
    rows = conn.execute(
        sa.text(
            f"SELECT t.id, c.slug, t.category_id, {texts} FROM {table} t "  # noqa: S608
            "JOIN category c ON c.id = t.category_id"
        )
    ).all()
    updates = [
        {"row_id": row_id, "kind_id": kinds[(category_id, kind_for(slug, *(x or "" for x in text)))]}
        for row_id, slug, category_id, *text in rows
    ]
    if updates:
        conn.execute(
            sa.text(f"UPDATE {table} SET kind_id = :kind_id WHERE id = :row_id"),  # noqa: S608
            updates,
        )


def upgrade():
    op.create_table(
        "product_kind",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_catch_all", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["category.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("category_id", "name", name="uq_product_kind_category_name"),
        sa.UniqueConstraint("category_id", "slug", name="uq_product_kind_category_slug"),
        sa.UniqueConstraint("id", "category_id", name="uq_product_kind_id_category"),
    )
    op.create_index(
        op.f("ix_product_kind_category_id"), "product_kind", ["category_id"], unique=False
    )
    conn = op.get_bind()
    now = dt.datetime.now(dt.UTC)
    kinds_rows = []
    for category_id, slug in conn.execute(sa.text("SELECT id, slug FROM category")).all():
        for order, rule in enumerate(DEFAULT_TREE.get(slug, ())):
            kinds_rows.append((category_id, rule.slug, rule.name, False, order * 10))
        kinds_rows.append((category_id, CATCH_ALL_SLUG, CATCH_ALL_NAME, True, CATCH_ALL_ORDER))
    if kinds_rows:
        op.bulk_insert(
            _kinds_table(),
            [
                {
                    "category_id": c, "slug": s, "name": n, "is_active": True,
                    "is_catch_all": catch_all, "sort_order": o, "created_at": now,
                }
                for c, s, n, catch_all, o in kinds_rows
            ],
        )  # fmt: skip
    kinds = {
        (category_id, slug): kind_id
        for kind_id, category_id, slug in conn.execute(
            sa.text("SELECT id, category_id, slug FROM product_kind")
        ).all()
    }
    with op.batch_alter_table("product") as batch_op:
        batch_op.add_column(sa.Column("kind_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("purchase_request") as batch_op:
        batch_op.add_column(sa.Column("kind_id", sa.Integer(), nullable=True))
    _place(conn, "product", kinds, "t.name")
    _place(conn, "purchase_request", kinds, "t.title, t.specification")
    with op.batch_alter_table("product") as batch_op:
        batch_op.alter_column("kind_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            "fk_product_kind_category",
            "product_kind",
            ["kind_id", "category_id"],
            ["id", "category_id"],
        )
        batch_op.create_index("ix_product_kind_active", ["kind_id", "is_active"], unique=False)
    with op.batch_alter_table("purchase_request") as batch_op:
        batch_op.alter_column("kind_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            "fk_purchase_request_kind_category",
            "product_kind",
            ["kind_id", "category_id"],
            ["id", "category_id"],
        )
        batch_op.create_index(
            op.f("ix_purchase_request_kind_id"), ["kind_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("purchase_request") as batch_op:
        batch_op.drop_index(op.f("ix_purchase_request_kind_id"))
        batch_op.drop_constraint("fk_purchase_request_kind_category", type_="foreignkey")
        batch_op.drop_column("kind_id")
    with op.batch_alter_table("product") as batch_op:
        batch_op.drop_index("ix_product_kind_active")
        batch_op.drop_constraint("fk_product_kind_category", type_="foreignkey")
        batch_op.drop_column("kind_id")
    op.drop_index(op.f("ix_product_kind_category_id"), table_name="product_kind")
    op.drop_table("product_kind")
