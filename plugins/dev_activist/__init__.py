"""Activist stage (manual 6.2, ACT-1..7): the condition check, the recommendation (推优), the
activist list publicity, the committee meeting date, filing with the college committee, the
cultivation contact and its publicity, and cultivation (thought reports, quarterly talks,
the activist training class) up to 考察通过, which enters the candidate stage."""

MANIFEST = {"name": "dev_activist", "version": "0.1.0", "depends": ["org_mgmt", "dev_applicant"], "title": "入党积极分子阶段"}
