"""core.amis_crud builders: the switch column's api reaches amis as a real request (the method
outside the url) and a table takes at most one switch (the browser suite clicks the result)."""
import pytest

from core.amis_crud import api_object, crud, status_switch


def test_status_switch_becomes_the_tables_quick_save_api():
    table = crud("get:/api/pc/v1/orgs", [{"name": "name"}, status_switch("post:/api/pc/v1/orgs/${id}/status")])
    assert table["quickSaveItemApi"] == {"method": "post", "url": "/api/pc/v1/orgs/${id}/status",
                                         "data": {"enabled": "${enabled}"}}
    column = table["columns"][1]
    assert column["quickEdit"]["saveImmediately"] and column["quickEdit"]["resetOnFailed"]
    assert all(":" not in str(c.get("quickEdit", {}).get("api", "")) for c in table["columns"])
    assert not any(k.startswith("xf") for c in table["columns"] for k in c)  # nothing of ours left for amis


def test_two_switch_columns_are_refused():
    with pytest.raises(ValueError):
        crud("get:/x", [status_switch("post:/a/${id}"), status_switch("post:/b/${id}", name="other")])


def test_api_object_reads_the_method_prefix():
    assert api_object("delete:/api/x/${id}") == {"method": "delete", "url": "/api/x/${id}"}
    assert api_object("/api/x") == {"method": "get", "url": "/api/x"}
