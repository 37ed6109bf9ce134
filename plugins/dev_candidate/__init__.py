"""Candidate stage (manual 6.3, CAN-1..10): the condition check, the recommendation again, the
symposium, the branch committee meeting that makes key development objects (发展对象), filing
with the college committee, the committee's publicity with contacts, two introducers, and
cultivation (thought reports, introducer talks, the autobiography, the political review, the
candidate training class) up to 考察通过, which enters the reception stage."""

MANIFEST = {"name": "dev_candidate", "version": "0.1.0", "depends": ["org_mgmt", "dev_activist"], "title": "发展对象阶段"}
