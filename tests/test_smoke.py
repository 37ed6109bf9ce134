def test_health_reports_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["database"]["ok"] is True


def test_demo_branch_admins_have_branches(branch_a, branch_b):
    assert branch_a.user["party_branch_id"] and branch_b.user["party_branch_id"]
    assert branch_a.user["party_branch_id"] != branch_b.user["party_branch_id"]
