"""omzet import jobs: large imports run off the request, with progress

Reviewed by hand. An import above PROCURE_OMZET_IMPORT_QUEUE_ROWS rows runs in an RQ worker
(or a thread of the app without Redis) instead of the web request that a large file used to
stall. omzet_import_job keeps the uploaded file (data) so the run can start, be repeated after
a check, or after a restart, without a new upload; rows_done/rows_total are the progress the
admin's page shows; errors_shown holds the first errors for the page and errors_file the
gzipped CSV of all of them. The rows and status 'done' are committed together, so a job
writes every row or none. created_at is indexed for the list of recent jobs.

Revision ID: 0009_import_jobs
Revises: 0008_sessions_logins
Create Date: 2026-12-03 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009_import_jobs"
down_revision = "0008_sessions_logins"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "omzet_import_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("revised_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors_shown", sa.JSON(), nullable=True),
        sa.Column("errors_file", sa.LargeBinary(), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_omzet_import_job_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_omzet_import_job_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["omzet_import.id"], name=op.f("fk_omzet_import_job_import_id_omzet_import")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_omzet_import_job")),
    )
    op.create_index(
        "ix_omzet_import_job_created_at", "omzet_import_job", ["created_at"], unique=False
    )


def downgrade():
    op.drop_index("ix_omzet_import_job_created_at", table_name="omzet_import_job")
    op.drop_table("omzet_import_job")
