"""linking: question membership, claim relations, suggestions, editor decisions, estimate versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_claims",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("claim_key", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("question_id", "claim_id"),
    )
    op.create_index("ix_question_claims_claim_id", "question_claims", ["claim_id"])
    op.create_table(
        "claim_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("claim_a_id", sa.Integer(), nullable=False),
        sa.Column("claim_b_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("specific", sa.String(length=1), nullable=True),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["claim_a_id"], ["claims.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["claim_b_id"], ["claims.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claim_a_id", "claim_b_id", name="uq_claim_relation_pair"),
    )
    op.create_index("ix_claim_relations_question_id", "claim_relations", ["question_id"])
    op.create_table(
        "question_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_a_id", sa.Integer(), nullable=False),
        sa.Column("question_b_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["question_a_id"], ["questions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["question_b_id"], ["questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_question_suggestions_question_a_id", "question_suggestions", ["question_a_id"])
    op.create_index("ix_question_suggestions_question_b_id", "question_suggestions", ["question_b_id"])
    op.create_table(
        "question_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("made_by", sa.String(length=200), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "estimate_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("question_key", sa.String(length=200), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("preset", sa.String(length=20), nullable=False),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("best", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("trace", sa.JSON(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_estimate_versions_question_id", "estimate_versions", ["question_id"])
    op.create_index("ix_estimate_versions_question_key", "estimate_versions", ["question_key"])


def downgrade() -> None:
    op.drop_index("ix_estimate_versions_question_key", table_name="estimate_versions")
    op.drop_index("ix_estimate_versions_question_id", table_name="estimate_versions")
    op.drop_table("estimate_versions")
    op.drop_table("question_decisions")
    op.drop_index("ix_question_suggestions_question_b_id", table_name="question_suggestions")
    op.drop_index("ix_question_suggestions_question_a_id", table_name="question_suggestions")
    op.drop_table("question_suggestions")
    op.drop_index("ix_claim_relations_question_id", table_name="claim_relations")
    op.drop_table("claim_relations")
    op.drop_index("ix_question_claims_claim_id", table_name="question_claims")
    op.drop_table("question_claims")
