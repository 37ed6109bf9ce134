"""Typed settings: settings.toml defaults, overridden by XIANFENG_* environment variables."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

INSECURE_SECRET = "dev-only-insecure-secret-change-me-in-production"


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
    secret_key: str = INSECURE_SECRET
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

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings):
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = settings_file()
        if path.exists():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        if self.env == "production" and (self.secret_key == INSECURE_SECRET or len(self.secret_key) < 32):
            raise ValueError("secret_key must be set to a random value of 32+ characters in production")
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

    def ensure_dirs(self) -> None:
        for d in (self.data_dir, self.upload_dir, self.documents_dir):
            d.mkdir(parents=True, exist_ok=True)
