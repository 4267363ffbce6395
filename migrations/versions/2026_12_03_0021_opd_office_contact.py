"""the OPD's office phone and e-mail, printed in the kop of its documents

Reviewed by hand. ``opd.phone`` (stored as the contact phone rule normalises it, ``62…``) and
``opd.email`` are optional and start empty: the admin fills them on the OPD form. Documents
already issued keep the kop they were issued with (their content is stored); only documents
issued afterwards print the two.

Revision ID: 0021_opd_office_contact
Revises: 0020_statement_check_number
Create Date: 2026-12-03 22:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021_opd_office_contact"
down_revision = "0020_statement_check_number"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("opd", schema=None) as batch_op:
        batch_op.drop_column("email")
        batch_op.drop_column("phone")
