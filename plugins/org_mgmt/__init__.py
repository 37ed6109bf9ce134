"""Party and league organisations (manual ch. 4, 5), party groups, member basic info."""

MANIFEST = {"name": "org_mgmt", "version": "0.1.0", "depends": ["user_mgmt"], "title": "党务管理"}
