"""Alembic revisions of the evaluation plugin (branch label `evaluation`)."""
