"""questions, their alternatives, and versioned assessment runs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=20), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "alternatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alternatives_question_id", "alternatives", ["question_id"])
    op.create_table(
        "claim_alternatives",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("alternative_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["alternative_id"], ["alternatives.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("claim_id", "alternative_id"),
    )
    op.create_table(
        "assessment_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("estimator", sa.String(length=80), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "alternative_assessments",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("alternative_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("supporters", sa.Integer(), nullable=False),
        sa.Column("independent_support", sa.Float(), nullable=False),
        sa.Column("chosen", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["assessment_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["alternative_id"], ["alternatives.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "alternative_id"),
    )
    op.create_table(
        "source_assessments",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("accuracy", sa.Float(), nullable=False),
        sa.Column("questions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["assessment_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "source_id"),
    )
    op.create_table(
        "source_dependences",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source_a_id", sa.Integer(), nullable=False),
        sa.Column("source_b_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("copier_id", sa.Integer(), nullable=True),
        sa.Column("shared_questions", sa.Integer(), nullable=False),
        sa.Column("shared_answers", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["assessment_runs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_a_id"], ["sources.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_b_id"], ["sources.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["copier_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "source_a_id", "source_b_id"),
    )


def downgrade() -> None:
    op.drop_table("source_dependences")
    op.drop_table("source_assessments")
    op.drop_table("alternative_assessments")
    op.drop_table("assessment_runs")
    op.drop_table("claim_alternatives")
    op.drop_index("ix_alternatives_question_id", table_name="alternatives")
    op.drop_table("alternatives")
    op.drop_table("questions")
