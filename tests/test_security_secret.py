"""Issue 8 security: no signing secret in the source; an unset one is generated once into the
data directory and shared by every process; known or short secrets are refused in every mode."""
import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
OLD_CONSTANT = "dev-only-insecure-secret-change-me-in-production"


@pytest.fixture
def bare_env(monkeypatch, tmp_path):
    """The repository's settings.toml with nothing secret in the environment."""
    for key in list(os.environ):
        if key.startswith("XIANFENG_") and key not in ("XIANFENG_DATABASE_URL", "XIANFENG_REDIS_URL"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("XIANFENG_SETTINGS_FILE", str(ROOT / "settings.toml"))
    return tmp_path


def test_settings_file_holds_no_secret():
    data = tomllib.loads((ROOT / "settings.toml").read_text("utf-8"))
    assert "secret_key" not in data
    assert OLD_CONSTANT not in (ROOT / "settings.toml").read_text("utf-8")


def test_unset_secret_is_generated_once_with_private_permissions(bare_env):
    first = Settings(data_dir=bare_env / "data")
    path = bare_env / "data" / "secret_key"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 32 and first.secret_key != OLD_CONSTANT
    assert Settings(data_dir=bare_env / "data").secret_key == first.secret_key  # the next start reads it
    assert Settings(data_dir=bare_env / "other").secret_key != first.secret_key  # another installation differs


def test_processes_starting_together_share_one_secret(bare_env):
    data = bare_env / "shared"
    code = "from core.settings import Settings; print(Settings().secret_key)"
    env = {**os.environ, "XIANFENG_DATA_DIR": str(data)}
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(6)]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(keys) == 1 and keys == {(data / "secret_key").read_text().strip()}
    assert [p.name for p in data.iterdir()] == ["secret_key"]  # no temporary files left behind


@pytest.mark.parametrize("env", ["development", "test", "production"])
@pytest.mark.parametrize("secret", [OLD_CONSTANT, "short-secret", "x" * 31])
def test_known_or_short_secret_is_refused_in_every_mode(bare_env, env, secret):
    with pytest.raises(ValidationError) as exc:
        Settings(env=env, data_dir=bare_env, secret_key=secret)
    assert "secret_key" in str(exc.value)


def test_cli_refuses_to_start_with_the_old_constant(bare_env, capsys, monkeypatch):
    from core.cli import main

    monkeypatch.setenv("XIANFENG_DATA_DIR", str(bare_env))
    monkeypatch.setenv("XIANFENG_SECRET_KEY", OLD_CONSTANT)
    assert main(["plugins"]) == 2
    err = capsys.readouterr().err
    assert "配置错误" in err and "公开的默认值" in err


def test_secret_file_readable_by_others_is_refused(bare_env):
    Settings(data_dir=bare_env)
    (bare_env / "secret_key").chmod(0o644)
    with pytest.raises(ValidationError) as exc:
        Settings(data_dir=bare_env)
    assert "chmod 600" in str(exc.value)


def test_configured_secret_is_used_as_given(bare_env):
    key = "k" * 16 + "0123456789abcdef0123"
    assert Settings(data_dir=bare_env, secret_key=key).secret_key == key
    assert not (bare_env / "secret_key").exists()
