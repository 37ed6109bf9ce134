"""Alembic revisions of the user_mgmt plugin (branch label `user_mgmt`)."""
