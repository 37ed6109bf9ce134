"""Party-member evaluation (党员评价, manual ch. 3): periods, data import, reports, PDFs, MP views."""

MANIFEST = {"name": "evaluation", "version": "0.1.0", "depends": ["org_mgmt"], "title": "党员评价"}
