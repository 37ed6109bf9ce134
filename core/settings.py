"""Typed settings: settings.toml defaults, overridden by XIANFENG_* environment variables."""
from __future__ import annotations

import os
import secrets
import stat
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

# Secrets that were ever published with the code (or are obvious): refused in every mode, so
# nobody can sign a token with a value an attacker can read in the repository.
KNOWN_SECRETS = frozenset({
    "dev-only-insecure-secret-change-me-in-production", "changeme", "change-me", "secret", "password",
})
MIN_SECRET_LENGTH = 32
SECRET_FILE = "secret_key"


class PluginSettings(BaseModel):
    disabled: list[str] = Field(default_factory=list)
    # Extra plugin modules to load besides entry points (used by tests and local development).
    extra: list[str] = Field(default_factory=list)


# The checkout (or the installed packages' parent): where relative paths start when there is
# no settings file, so a server started from any working directory finds its assets.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def settings_file() -> Path:
    return Path(os.environ.get("XIANFENG_SETTINGS_FILE", "settings.toml"))


def base_dir() -> Path:
    """Where relative paths in the settings start: the settings file's folder, or the project
    root when there is no settings file (never the working directory as such)."""
    path = settings_file()
    return path.resolve().parent if path.is_file() else PROJECT_ROOT


class Settings(BaseSettings):
    # extra="allow": a plugin reads its own [section] of settings.toml through section().
    model_config = SettingsConfigDict(env_prefix="XIANFENG_", env_nested_delimiter="__", extra="allow")

    env: Literal["development", "test", "production"] = "development"
    college_name: str = "计算机学院"
    site_title: str = "先锋党建管理平台"
    data_dir: Path = Path("./var")
    database_url: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Empty: read <data_dir>/secret_key, creating it once (0600) so every process of the
    # installation (web workers, arq worker, CLI) signs and checks tokens with the same key.
    secret_key: str = Field("", repr=False)
    token_ttl_minutes: int = Field(720, ge=1)
    login_max_failures: int = Field(5, ge=1)
    login_lock_minutes: int = Field(15, ge=1)
    bcrypt_rounds: int = Field(10, ge=4, le=16)
    upload_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    upload_types: list[str] = Field(default_factory=lambda: ["jpg", "png", "pdf"])
    assets_dir: Path = Path("./vendor/assets")
    font_path: Path = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    plugins: PluginSettings = Field(default_factory=PluginSettings)
    # The college's time zone (IANA name). The database stores naive UTC; people enter and read
    # local time. core/clock.py is the only place the two meet.
    timezone: str = "Asia/Shanghai"
    urge_quiet_hours: float = Field(24, gt=0)  # 催交: one reminder per person and item within this time
    sql_echo: bool = False
    # Web server processes of `xianfeng run`: 0 = one per CPU core this process may use
    # (docs/operations.md says how many for which installation). `--workers N` overrides.
    workers: int = Field(0, ge=0, le=64)
    # One log line per request from the web server. Off costs nothing; on costs a few per cent
    # of throughput. A proxy in front (nginx) usually logs requests already.
    access_log: bool = True
    # Database connections each web process keeps (0: SQLITE_POOL / PG_POOL in core/db.py) and
    # may open beyond them under a burst (-1: the database's default).
    db_pool_size: int = Field(0, ge=0, le=200)
    db_max_overflow: int = Field(-1, ge=-1, le=500)

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings):
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = settings_file()
        if path.exists():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        if not self.secret_key:
            self.secret_key = load_or_create_secret(self.data_dir)
        problem = secret_problem(self.secret_key)
        if problem:
            raise ValueError(problem)
        from core import clock

        clock.configure(self.timezone)  # one college per process: the zone is process-wide
        base = base_dir()
        for name in ("data_dir", "assets_dir", "font_path"):
            value = getattr(self, name)
            if not value.is_absolute():
                setattr(self, name, base / value)
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{(self.data_dir / 'xianfeng.db').resolve()}"
        return self

    def local_today(self) -> date:
        from core import clock

        return clock.local_today()

    def section(self, name: str) -> dict:
        """A plugin's own settings table (``[name]`` in settings.toml, ``XIANFENG_NAME__KEY`` in the env)."""
        value = (self.model_extra or {}).get(name, {})
        return value if isinstance(value, dict) else {}

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def web_workers(self) -> int:
        """``workers``, with 0 meaning one per CPU core available to this process."""
        if self.workers:
            return self.workers
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except (AttributeError, OSError):
            return max(1, os.cpu_count() or 1)

    def ensure_dirs(self) -> None:
        for d in (self.data_dir, self.upload_dir, self.documents_dir):
            d.mkdir(parents=True, exist_ok=True)


def secret_problem(secret: str) -> str | None:
    """Why a signing secret must not be used (shown at start-up), or None."""
    if secret.strip().lower() in KNOWN_SECRETS:
        return "secret_key 是公开的默认值，任何人都能伪造登录令牌：请删除该设置（系统会在数据目录生成随机密钥）或改为随机值"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"secret_key 过短（至少 {MIN_SECRET_LENGTH} 个字符）：请删除该设置（系统会在数据目录生成随机密钥）或改为更长的随机值"
    return None


def load_or_create_secret(data_dir: Path) -> str:
    """The installation's signing secret from ``<data_dir>/secret_key``; created once, 0600.

    Several processes may start at once (``--workers 4`` plus the arq worker): the file is
    written under a private name and linked into place, so a reader never sees it half-written
    and exactly one random value wins."""
    path = Path(data_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48) + "\n")
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process of this installation created it first: use theirs
        finally:
            tmp.unlink(missing_ok=True)
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(f"密钥文件 {path} 的权限过宽（{stat.filemode(mode)}）：请执行 chmod 600 {path}")
    return path.read_text("utf-8").strip()
