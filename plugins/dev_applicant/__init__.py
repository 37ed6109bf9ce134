"""Applicant stage (manual 6.1, APP-1..4): 我想入党, review of the letter, the party talk,
applicant publicity; completion moves people to the activist stage."""

MANIFEST = {"name": "dev_applicant", "version": "0.1.0", "depends": ["org_mgmt"], "title": "申请入党阶段"}
