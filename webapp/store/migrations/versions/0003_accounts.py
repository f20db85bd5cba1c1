"""Accounts and organisations: who owns a dossier, who verified it, failed sign-ins.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_accounts_email", "accounts", ["email"], unique=True)
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "organisation_id", sa.Integer(), sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.UniqueConstraint("account_id", "organisation_id"),
    )
    op.create_index("ix_memberships_account_id", "memberships", ["account_id"])
    op.create_index("ix_memberships_organisation_id", "memberships", ["organisation_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    op.create_index("ix_login_failures_at", "login_failures", ["at"])
    op.create_index("ix_login_failures_email", "login_failures", ["email"])
    op.create_index("ix_login_failures_address", "login_failures", ["address"])
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("verified_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("verified_by", sa.String(120), nullable=True))
        batch.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key("fk_dossiers_owner", "accounts", ["owner_id"], ["id"], ondelete="SET NULL")
        batch.create_foreign_key(
            "fk_dossiers_organisation", "organisations", ["organisation_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_dossiers_owner_id", ["owner_id"])
        batch.create_index("ix_dossiers_organisation_id", ["organisation_id"])
        batch.create_index("ix_dossiers_closed_at", ["closed_at"])
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("actor", type_=sa.String(254), existing_type=sa.String(64), existing_nullable=False)
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.create_index("ix_audit_events_account_id", ["account_id"])


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_account_id")
        batch.drop_column("account_id")
        batch.alter_column("actor", type_=sa.String(64), existing_type=sa.String(254), existing_nullable=False)
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_index("ix_dossiers_closed_at")
        batch.drop_index("ix_dossiers_organisation_id")
        batch.drop_index("ix_dossiers_owner_id")
        batch.drop_constraint("fk_dossiers_organisation", type_="foreignkey")
        batch.drop_constraint("fk_dossiers_owner", type_="foreignkey")
        for column in ("closed_at", "verified_at", "verified_by", "verified_version", "organisation_id", "owner_id"):
            batch.drop_column(column)
    op.drop_table("login_failures")
    op.drop_table("memberships")
    op.drop_table("organisations")
    op.drop_table("accounts")
