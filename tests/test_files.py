"""CORE-4: uploads are checked by content and size, names never decide paths, downloads check rights."""
import re
from pathlib import Path

import pytest


def stored_files(settings) -> set[Path]:
    root = settings.upload_dir
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_upload_and_download_by_owner(student_a, tiny_png):
    r = student_a.post("/api/files", data={"purpose": "application_letter"}, files={"file": ("申请书.png", tiny_png, "image/png")})
    assert r.status_code == 200
    body = r.json()
    assert body["msg"] == "上传成功" and "status" not in body and "data" not in body  # the MP shape: the data itself
    f = body["file"]
    assert (f["name"], f["type"], f["type_label"], f["size"], f["purpose"], f["subject_user_id"]) == (
        "申请书.png", "png", "PNG 图片", len(tiny_png), "application_letter", student_a.user["id"])
    assert f["url"] == f"/api/files/{f['token']}" and re.fullmatch(r"[\d-]{10}T[\d:]{8}\+08:00", f["created_at"])
    url = f["url"]
    got = student_a.get(url)
    assert got.status_code == 200 and got.content == tiny_png and got.headers["content-type"] == "image/png"


@pytest.mark.parametrize("name,content,status,msg", [
    ("伪装.png", b"MZ\x90\x00 this is an exe", 415, "文件类型不支持"),
    ("script.pdf", b"<script>alert(1)</script>", 415, "文件类型不支持"),
    ("../../etc/evil.png", None, 400, "文件名不合法"),
    ("..\\evil.png", None, 400, "文件名不合法"),
    ("empty.png", b"", 400, "文件为空"),
])
def test_refused_uploads_write_nothing(settings, student_a, tiny_png, name, content, status, msg):
    before = stored_files(settings)
    r = student_a.post("/api/files", files={"file": (name, tiny_png if content is None else content, "image/png")})
    assert r.status_code == status and msg in r.json()["msg"]
    assert stored_files(settings) == before


def test_oversize_upload_is_refused_and_nothing_written(settings, student_a):
    before = stored_files(settings)
    big = b"%PDF-1.4\n" + b"0" * settings.upload_max_bytes
    r = student_a.post("/api/files", files={"file": ("big.pdf", big, "application/pdf")})
    assert r.status_code == 413 and "大小限制" in r.json()["msg"]
    assert stored_files(settings) == before


def test_type_comes_from_content_not_name(student_a):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    r = student_a.post("/api/files", files={"file": ("photo.jpg", pdf, "image/jpeg")})
    assert r.status_code == 200
    assert student_a.get(r.json()["file"]["url"]).headers["content-type"] == "application/pdf"


def test_download_rights(student_a, student_a2, branch_a, branch_b, committee, anonymous, tiny_png):
    url = student_a.post("/api/files", files={"file": ("mine.png", tiny_png, "image/png")}).json()["file"]["url"]
    assert student_a2.get(url).status_code == 404
    assert branch_b.get(url).status_code == 404
    assert anonymous.get(url).status_code == 401
    assert branch_a.get(url).status_code == 200
    assert committee.get(url).status_code == 200


def test_path_like_tokens_are_not_found(student_a):
    for token in ("..%2F..%2Fsettings.toml", "0" * 31 + "/", "a" * 32):
        assert student_a.get(f"/api/files/{token}").status_code in (404, 405)


def test_cannot_upload_for_someone_out_of_scope(student_a, student_a2, tiny_png):
    r = student_a.post("/api/files", data={"subject_user_id": str(student_a2.user["id"])},
                       files={"file": ("x.png", tiny_png, "image/png")})
    assert r.status_code == 404



def test_branch_admin_uploads_for_a_student_of_its_branch(student_a, student_a2, branch_a, branch_b, tiny_png):
    r = branch_a.post("/api/files", data={"subject_user_id": str(student_a.user["id"])}, files={"file": ("代传.png", tiny_png, "image/png")})
    assert r.status_code == 200 and r.json()["file"]["subject_user_id"] == student_a.user["id"]
    url = r.json()["file"]["url"]
    assert student_a.get(url).status_code == 200  # a file about me is mine to read
    assert student_a2.get(url).status_code == 404 and branch_a.get(url).status_code == 200
    r = branch_b.post("/api/files", data={"subject_user_id": str(student_a.user["id"])}, files={"file": ("x.png", tiny_png, "image/png")})
    assert r.status_code == 404
