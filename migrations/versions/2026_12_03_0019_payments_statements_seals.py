"""payments as they happened, the payment clock, statements a bank verifies, PDF seals

Reviewed by hand.
- ``payment``: one row per payment or reversal of an order (method, reference, amounts, the
  taxes withheld). Every order already paid gets one payment row with its recorded reference,
  date and amounts and no method (it was recorded before methods were asked for).
- ``purchase_order.payment_due_date``: the payment clock. Orders already handed over get the
  default term (14 calendar days after the BAST date, moved off a weekend); the app sets it
  from the configured term at every new handover.
- ``opd.treasurer_email`` / ``treasurer_phone``: where the Bendahara gets payment reminders.
- ``statement`` and ``statement_check``: Surat Keterangan Riwayat Pesanan Pemerintah and each
  attempt to open one with its access code.
- ``document.opd_id`` may be empty: the Pemda issues statements itself.
- ``document_file.seal_subject`` / ``seal_method``: the PAdES seal applied before hashing.

Revision ID: 0019_payments_statements_seals
Revises: 0018_catalog_version
Create Date: 2026-12-03 20:30:00

"""

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_payments_statements_seals"
down_revision = "0018_catalog_version"
branch_labels = None
depends_on = None

JAKARTA = ZoneInfo("Asia/Jakarta")
DEFAULT_TERM_DAYS = 14
BATCH = 2000


def _jakarta(moment):
    if moment is None:
        return None
    if isinstance(moment, str):  # SQLite without type processing
        moment = dt.datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(JAKARTA).date()


def _day(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _due(handed_over_on):
    due = handed_over_on + dt.timedelta(days=DEFAULT_TERM_DAYS)
    while due.weekday() >= 5:
        due += dt.timedelta(days=1)
    return due


def upgrade():
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("withheld", sa.BigInteger(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("taxes", sa.JSON(), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("gross > 0", name=op.f("ck_payment_gross_positive")),
        sa.CheckConstraint("net > 0", name=op.f("ck_payment_net_positive")),
        sa.CheckConstraint("withheld >= 0", name=op.f("ck_payment_withheld_not_negative")),
        sa.CheckConstraint(
            "gross = withheld + net", name=op.f("ck_payment_gross_is_withheld_plus_net")
        ),
        sa.CheckConstraint(
            "(kind = 'reversal') = (reverses_id IS NOT NULL)",
            name=op.f("ck_payment_reversal_names_payment"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["purchase_order.id"], name=op.f("fk_payment_order_id_purchase_order")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["payment.id"], name=op.f("fk_payment_reverses_id_payment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_payment_reverses_id")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index("ix_payment_order_id_id", ["order_id", "id"], unique=False)
        batch_op.create_index("ix_payment_paid_on", ["paid_on"], unique=False)

    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_due_date", sa.Date(), nullable=True))
    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.add_column(sa.Column("treasurer_email", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("treasurer_phone", sa.String(length=20), nullable=True))
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.alter_column("opd_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("document_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seal_subject", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("seal_method", sa.String(length=20), nullable=True))

    op.create_table(
        "statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("umkm_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=100), nullable=True),
        sa.Column("access_code_hash", sa.String(length=255), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.CheckConstraint("period_start <= period_end", name=op.f("ck_statement_period_in_order")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_statement_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_statement_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_statement_requested_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(["umkm_id"], ["umkm.id"], name=op.f("fk_statement_umkm_id_umkm")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement")),
        sa.UniqueConstraint("document_id", name=op.f("uq_statement_document_id")),
        sa.UniqueConstraint("number", name=op.f("uq_statement_number")),
    )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.create_index("ix_statement_status_id", ["status", "id"], unique=False)
        batch_op.create_index("ix_statement_umkm_id_id", ["umkm_id", "id"], unique=False)

    op.create_table(
        "statement_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("checker", sa.String(length=200), nullable=True),
        sa.Column("client", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statement.id"],
            name=op.f("fk_statement_check_statement_id_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_check")),
    )
    with op.batch_alter_table("statement_check", schema=None) as batch_op:
        batch_op.create_index(
            "ix_statement_check_statement_at", ["statement_id", "at"], unique=False
        )

    _backfill()


def _backfill():
    bind = op.get_bind()
    orders = sa.table(
        "purchase_order",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("handover_date", sa.Date),
        sa.column("handed_over_at", sa.DateTime(timezone=True)),
        sa.column("paid_on", sa.Date),
        sa.column("payment_reference", sa.String),
        sa.column("payment_amount", sa.BigInteger),
        sa.column("payment_gross", sa.BigInteger),
        sa.column("payment_withheld", sa.BigInteger),
        sa.column("payment_due_date", sa.Date),
    )
    payments = sa.table(
        "payment",
        sa.column("order_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("method", sa.String),
        sa.column("reference", sa.String),
        sa.column("paid_on", sa.Date),
        sa.column("gross", sa.BigInteger),
        sa.column("withheld", sa.BigInteger),
        sa.column("net", sa.BigInteger),
        sa.column("taxes", sa.JSON),
        sa.column("recorded_at", sa.DateTime(timezone=True)),
    )
    last = 0
    now = dt.datetime.now(dt.UTC)
    while True:
        rows = bind.execute(
            sa.select(
                orders.c.id,
                orders.c.status,
                orders.c.handover_date,
                orders.c.handed_over_at,
                orders.c.paid_on,
                orders.c.payment_reference,
                orders.c.payment_amount,
                orders.c.payment_gross,
                orders.c.payment_withheld,
            )
            .where(orders.c.id > last, orders.c.handed_over_at.is_not(None))
            .order_by(orders.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        dues = []
        new_payments = []
        for row in rows:
            handed = _day(row.handover_date) or _jakarta(row.handed_over_at)
            dues.append({"b_id": row.id, "b_due": _due(handed)})
            if row.status == "paid" and row.payment_amount:
                net = int(row.payment_amount)
                withheld = int(row.payment_withheld or 0)
                gross = net + withheld
                new_payments.append(
                    {
                        "order_id": row.id,
                        "kind": "payment",
                        "method": None,
                        "reference": row.payment_reference or "-",
                        "paid_on": _day(row.paid_on) or handed,
                        "gross": gross,
                        "withheld": withheld,
                        "net": net,
                        "taxes": [{"label": "PPh", "amount": withheld}] if withheld else [],
                        "recorded_at": now,
                    }
                )
        bind.execute(
            orders.update()
            .where(orders.c.id == sa.bindparam("b_id"))
            .values(payment_due_date=sa.bindparam("b_due")),
            dues,
        )
        if new_payments:
            bind.execute(payments.insert(), new_payments)


def downgrade():
    op.drop_table("statement_check")
    op.drop_table("statement")
    with op.batch_alter_table("document_file", schema=None) as batch_op:
        batch_op.drop_column("seal_method")
        batch_op.drop_column("seal_subject")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.alter_column("opd_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.drop_column("treasurer_phone")
        batch_op.drop_column("treasurer_email")
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.drop_column("payment_due_date")
    op.drop_table("payment")
