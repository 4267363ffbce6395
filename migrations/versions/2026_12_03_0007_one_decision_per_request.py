"""a request is decided once: at most one decided allocation run per request

Reviewed by hand: a partial unique index on allocation_run(request_id) WHERE decided_at IS NOT
NULL. Two simultaneous submits of the same decision form used to both pass the Python check
and issue two sets of orders; services.decide now locks the request row first, and this index
refuses a second decided run in the database whatever the code does. Existing data: a request
decided twice before this fix would make the upgrade fail; the query in the upgrade names such
requests so an admin can cancel the duplicate orders first.

Revision ID: 0007_one_decision
Revises: 0006_documents
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_one_decision'
down_revision = '0006_documents'
branch_labels = None
depends_on = None


def upgrade():
    twice = op.get_bind().execute(sa.text(
        "SELECT request_id FROM allocation_run WHERE decided_at IS NOT NULL "
        "GROUP BY request_id HAVING COUNT(*) > 1"
    )).scalars().all()
    if twice:
        raise RuntimeError(
            "Permintaan yang diputuskan lebih dari sekali (batalkan pesanan gandanya dulu): "
            + ", ".join(f"#{r}" for r in twice)
        )
    op.create_index(
        'uq_allocation_run_one_decision', 'allocation_run', ['request_id'], unique=True,
        postgresql_where=sa.text('decided_at IS NOT NULL'),
        sqlite_where=sa.text('decided_at IS NOT NULL'),
    )


def downgrade():
    op.drop_index('uq_allocation_run_one_decision', table_name='allocation_run')
