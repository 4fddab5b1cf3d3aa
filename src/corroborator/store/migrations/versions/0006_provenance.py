"""provenance: runs, dependence edges between reports and sources, cached media fingerprints

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provenance_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merge", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "dependence_edges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("report_a_id", sa.Integer(), nullable=True),
        sa.Column("report_b_id", sa.Integer(), nullable=True),
        sa.Column("source_a_id", sa.Integer(), nullable=True),
        sa.Column("source_b_id", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("directed", sa.Boolean(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["provenance_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_a_id"], ["reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_b_id"], ["reports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_a_id"], ["sources.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_b_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dependence_edges_run_id", "dependence_edges", ["run_id"])
    op.create_index("ix_dependence_edges_report_a_id", "dependence_edges", ["report_a_id"])
    op.create_index("ix_dependence_edges_report_b_id", "dependence_edges", ["report_b_id"])
    op.create_table(
        "media_fingerprints",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=60), nullable=False),
        sa.Column("fingerprint", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["items.sha256"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sha256"),
    )


def downgrade() -> None:
    op.drop_table("media_fingerprints")
    op.drop_index("ix_dependence_edges_report_b_id", table_name="dependence_edges")
    op.drop_index("ix_dependence_edges_report_a_id", table_name="dependence_edges")
    op.drop_index("ix_dependence_edges_run_id", table_name="dependence_edges")
    op.drop_table("dependence_edges")
    op.drop_table("provenance_runs")
