"""The migrations take a database with dossiers forward to accounts and back, losing nothing."""

from __future__ import annotations

from sqlalchemy import inspect, text

from tests.conftest import fresh_database_url
from webapp import create_app
from webapp.web import db


def test_dossiers_made_before_accounts_survive_the_upgrade_and_a_downgrade(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": fresh_database_url(tmp_path)})
    engine = db.engine(app)
    db.upgrade(app, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO dossiers (id, token, claim, version, created_at, updated_at) "
                "VALUES ('d1', 'tok-before-accounts-0000000', :claim, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"claim": '{"creditor": {"name": "A"}}'},
        )
    db.upgrade(app)
    columns = {c["name"] for c in inspect(engine).get_columns("dossiers")}
    assert {"owner_id", "organisation_id", "verified_version", "closed_at"} <= columns
    assert {"accounts", "organisations", "memberships", "login_failures"} <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        row = connection.execute(text("SELECT version, owner_id, organisation_id FROM dossiers")).one()
    assert tuple(row) == (3, None, None)  # an anonymous dossier: still opened by its link
    db.downgrade(app, "0002")
    assert "accounts" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM dossiers")).scalars().all() == ["d1"]
    db.upgrade(app)
    engine.dispose()


def test_models_and_migrations_describe_the_same_schema(app):
    """Alembic's autogenerate finds nothing to add: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from webapp.store.models import Base

    with db.engine(app).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_model_without_its_migration_is_caught(app):
    """The check above would see a column that only the models have."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import Column, Integer, MetaData, Table

    from webapp.store.models import Base

    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("dossiers", metadata, Column("forgotten", Integer), extend_existing=True)
    with db.engine(app).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert [d[0] for d in differences] == ["add_column"]
