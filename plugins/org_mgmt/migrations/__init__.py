"""Alembic revisions of the org_mgmt plugin (branch label `org_mgmt`)."""
