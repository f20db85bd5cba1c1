"""Session tokens: signing out (or deleting the account) ends the account's sessions everywhere.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("session_token", sa.String(64), nullable=True))
    accounts = sa.table("accounts", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    connection = op.get_bind()
    for (account_id,) in connection.execute(sa.select(accounts.c.id)).all():
        connection.execute(
            accounts.update().where(accounts.c.id == account_id).values(session_token=secrets.token_hex(16))
        )
    with op.batch_alter_table("accounts") as batch:
        batch.alter_column("session_token", existing_type=sa.String(64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("session_token")
