"""Alembic revisions of the core (branch label `core`)."""
