"""Persistence: the database schema and its migrations, dossiers and their files,
accounts and teams, the audit trail, personal data and retention.

Plain SQLAlchemy over a ``Session`` the caller gives; no web framework is imported here
(the Flask glue is ``webapp.web.db``).
"""
