"""The last two stages of the process in one plugin (manual 6.4 and 6.5, PRO-R1..10, PRO-1..10):
预备党员的接收 (reception) and 预备党员的教育考察和转正 (conversion). They share the branch's
organisation life (the general meeting votes on both), the pre-review and approval filings, the
introducers and the completeness check that reads both stages' papers, so one plugin declares
both. People arrive at reception when the candidate stage (dev_candidate) finishes 考察通过,
with their two introducers, who talk with them before reception and through the probation year."""

MANIFEST = {"name": "dev_probation", "version": "0.1.0", "depends": ["org_mgmt", "dev_candidate"],
            "title": "预备党员接收与转正阶段"}
