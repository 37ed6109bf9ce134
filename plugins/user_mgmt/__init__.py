"""User management (manual ch. 2): users, institutions, roles, personal centre, profile completion."""

MANIFEST = {"name": "user_mgmt", "version": "0.1.0", "depends": [], "title": "用户管理"}
