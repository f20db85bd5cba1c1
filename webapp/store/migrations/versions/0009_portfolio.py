"""The portfolio: a per-dossier summary kept on save, imported ledgers, creditor profiles.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("summary", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("ledger_account", sa.String(64), nullable=True))
    op.create_table(
        "ledger_imports",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True),
        sa.Column(
            "organisation_id", sa.Integer(), sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("terms_days", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("clients", sa.JSON(), nullable=False),
    )
    op.create_index("ix_ledger_imports_owner_id", "ledger_imports", ["owner_id"])
    op.create_index("ix_ledger_imports_organisation_id", "ledger_imports", ["organisation_id"])
    op.create_table(
        "creditor_profiles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), unique=True),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisations.id", ondelete="CASCADE"), unique=True),
        sa.Column("creditor", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("creditor_profiles")
    op.drop_table("ledger_imports")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("ledger_account")
        batch.drop_column("summary")
