"""Alembic revisions of the messaging plugin (branch label `messaging`)."""
