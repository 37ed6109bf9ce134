"""Relative paths in the settings start from the settings file's folder (or the project root
when there is none), never from the working directory: a server started anywhere serves the
admin UI's assets."""
from __future__ import annotations

import urllib.request
from pathlib import Path

from core.settings import PROJECT_ROOT, Settings
from tests.live_server import running_server

SDK = "/assets/amis@6.3.0/sdk/sdk.js"


def _clean_env(monkeypatch):
    for name in ("XIANFENG_SETTINGS_FILE", "XIANFENG_DATA_DIR", "XIANFENG_ASSETS_DIR", "XIANFENG_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_relative_paths_follow_the_settings_file(tmp_path, monkeypatch):
    _clean_env(monkeypatch)
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "site.toml").write_text('data_dir = "./state"\nassets_dir = "static"\n', "utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("XIANFENG_SETTINGS_FILE", str(conf / "site.toml"))
    s = Settings(env="test")
    assert s.data_dir == conf / "state" and s.assets_dir == conf / "static"
    assert s.database_url.endswith(str(conf / "state" / "xianfeng.db"))


def test_without_a_settings_file_paths_start_at_the_project_root(tmp_path, monkeypatch):
    _clean_env(monkeypatch)
    monkeypatch.chdir(tmp_path)
    s = Settings(env="test")
    assert s.assets_dir == PROJECT_ROOT / "vendor" / "assets"
    assert s.data_dir == PROJECT_ROOT / "var"
    absolute = Settings(env="test", data_dir=tmp_path / "d")
    assert absolute.data_dir == tmp_path / "d"


def test_server_started_outside_the_checkout_serves_the_admin_assets(tmp_path):
    cwd = tmp_path / "somewhere"
    cwd.mkdir()
    assert not (cwd / "settings.toml").exists()
    with running_server(cwd, tmp_path / "data") as base:
        with urllib.request.urlopen(base + SDK, timeout=10) as r:
            assert r.status == 200 and len(r.read()) > 100_000
        with urllib.request.urlopen(base + "/admin/login", timeout=10) as r:
            page = r.read().decode("utf-8")
            assert r.status == 200 and SDK in page
    assert (tmp_path / "data" / "xianfeng.db").exists()
    assert not (cwd / "var").exists()
