"""Calendar subscription addresses: one secret, revocable token per account or team.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_tokens",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True),
        sa.Column(
            "organisation_id", sa.Integer(), sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_calendar_tokens_token_hash", "calendar_tokens", ["token_hash"], unique=True)
    op.create_index("ix_calendar_tokens_account_id", "calendar_tokens", ["account_id"])
    op.create_index("ix_calendar_tokens_organisation_id", "calendar_tokens", ["organisation_id"])


def downgrade() -> None:
    op.drop_table("calendar_tokens")
