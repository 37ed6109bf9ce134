"""Alembic environment of the core (env.py, the revision template, versions/)."""
