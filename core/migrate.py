"""Schema migrations: one Alembic tree for the core and every loaded plugin.

Why this shape:
- The core owns ``core/migrations`` (env.py, the revision template and the core's versions).
  Each plugin returns its version directories from ``xf_migrations``; its revisions form an
  Alembic branch labelled with the plugin's name. A disabled plugin's branch is not loaded,
  and its rows in ``alembic_version`` are kept aside during an upgrade and put back after, so
  the plugin continues where it stopped when it is enabled again.
- Databases made before migrations existed (``create_all``) have the tables but no record of
  them. A baseline revision lists the tables it creates in ``ADOPT_TABLES``; when such a
  revision is not recorded and all its tables exist, it is stamped instead of run.
- Several processes may start at once (web workers, the arq worker). The upgrade first looks
  without writing; only when something is pending does it take a lock (a PostgreSQL advisory
  lock, or a file lock beside the SQLite file) and look again under the lock.
- Everything runs on the app's async engine through ``run_sync`` (aiosqlite and asyncpg).
"""
from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, AsyncIterator, Iterable

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
CORE_VERSIONS = MIGRATIONS_DIR / "versions"
CORE_BRANCH = "core"
VERSION_TABLE = "alembic_version"
# Any fixed number: the key of the PostgreSQL advisory lock that serialises upgrades.
PG_LOCK_KEY = 7_302_114_955


class MigrationError(RuntimeError):
    """A database that cannot be upgraded as it is; the message (Chinese) says why."""


@dataclass(frozen=True)
class Branch:
    """One line of revisions: the core's or a plugin's, with the tables it owns."""

    name: str
    versions: tuple[Path, ...]
    tables: tuple[str, ...]


# --- what is loaded -------------------------------------------------------------------------

def table_owners(plugins) -> dict[str, str]:
    """Table name -> owner ("core" or a plugin name) for the loaded plugin set.

    A table belongs to the core when its class lives in a ``core.*`` module (some plugins
    return core tables from ``xf_models`` so they exist when they need them); otherwise to
    the plugin whose ``xf_models`` returns it.
    """
    plugins.models()
    owners: dict[str, str] = {}
    for mapper in SQLModel._sa_registry.mappers:
        cls = mapper.class_
        if cls.__module__.startswith("core.") and getattr(cls, "__table__", None) is not None:
            owners[cls.__table__.name] = CORE_BRANCH
    for info in plugins.ordered:
        models = getattr(info.module, "xf_models", None)
        for cls in (models() if models else None) or []:
            owners.setdefault(cls.__table__.name, info.name)
    return owners


def branches(plugins) -> list[Branch]:
    """The core's branch, then each loaded plugin's (dependency order)."""
    owners = table_owners(plugins)

    def owned(name: str) -> tuple[str, ...]:
        return tuple(sorted(t for t, o in owners.items() if o == name))

    found = [Branch(CORE_BRANCH, (CORE_VERSIONS,), owned(CORE_BRANCH))]
    for info in plugins.ordered:
        hook = getattr(info.module, "xf_migrations", None)
        dirs = tuple(Path(d) for d in ((hook() if hook else None) or []))
        for d in dirs:
            if not d.is_dir():
                raise MigrationError(f"插件 {info.name} 的迁移目录不存在：{d}")
        found.append(Branch(info.name, dirs, owned(info.name)))
    return found


def config(plugins, **attributes: Any) -> Config:
    """An Alembic Config for the loaded set; ``attributes`` reach env.py (e.g. ``connection``)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    locations = [str(d) for b in branches(plugins) for d in b.versions]
    cfg.set_main_option("version_locations", os.pathsep.join(locations))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.attributes["xf_plugins"] = plugins
    cfg.attributes["xf_tables"] = set(table_owners(plugins))
    cfg.attributes.update(attributes)
    return cfg


@lru_cache(maxsize=32)
def _script_for(locations: tuple[str, ...]) -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(locations))
    return ScriptDirectory.from_config(cfg)


def script_directory(cfg: Config) -> ScriptDirectory:
    """The parsed revision files, cached per set of version directories (apps start often in tests)."""
    locations = tuple(cfg.get_version_locations_list() or [])
    try:
        script = _script_for(locations)
        script.revision_map.heads  # parse now so a broken tree fails here, with its message
    except CommandError as exc:
        _script_for.cache_clear()
        raise MigrationError(f"迁移脚本有误：{exc}") from exc
    return script


# --- reading the database ---------------------------------------------------------------------

def _recorded(conn: Connection) -> list[str]:
    if not inspect(conn).has_table(VERSION_TABLE):
        return []
    return list(MigrationContext.configure(conn).get_current_heads())


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _applied(script: ScriptDirectory, heads: Iterable[str]) -> set[str]:
    """Every revision at or below the recorded heads (dependencies included)."""
    heads = tuple(heads)
    if not heads:
        return set()
    return {r.revision for r in script.revision_map.iterate_revisions(heads, "base", select_for_downgrade=True)}


def _baselines_to_adopt(conn: Connection, script: ScriptDirectory, applied: set[str]) -> list[Script]:
    """Baseline revisions not recorded whose tables the database already has (old create_all)."""
    existing = set(inspect(conn).get_table_names())
    adopt = []
    for rev in script.walk_revisions():
        tables = getattr(rev.module, "ADOPT_TABLES", None)
        if not tables or rev.revision in applied:
            continue
        present = [t for t in tables if t in existing]
        if len(present) == len(tables):
            adopt.append(rev)
        elif present:
            missing = "、".join(t for t in tables if t not in existing)
            raise MigrationError(f"数据库中只有部分 {rev.revision} 的表（缺少 {missing}），无法自动升级；请先从备份恢复")
    return adopt


def pending(conn: Connection, script: ScriptDirectory) -> bool:
    """True when the loaded branches are not all at their heads (read-only check)."""
    recorded = [r for r in _recorded(conn) if _known(script, r)]
    return not set(script.get_heads()) <= _applied(script, recorded)


# --- upgrading --------------------------------------------------------------------------------

def _upgrade_sync(conn: Connection, cfg: Config, targets: list[str]) -> bool:
    script = script_directory(cfg)
    ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    recorded = _recorded(conn)
    hidden = [r for r in recorded if not _known(script, r)]
    if hidden:  # revisions of plugins that are not loaded now: kept aside, put back below
        conn.execute(ctx._version.delete().where(ctx._version.c.version_num.in_(hidden)))
    known = drop_redundant_rows(conn, script)
    applied = _applied(script, known)
    adopt = [r.revision for r in _baselines_to_adopt(conn, script, applied)]
    # One stamp for all of them, leaving out those another one depends on (Alembic refuses
    # overlapping targets; the dependent's row stands for both).
    adopt = [r for r in adopt if r not in _applied(script, [x for x in adopt if x != r])]
    if adopt:
        ctx.stamp(script, tuple(adopt))
    cfg.attributes["connection"] = conn
    for target in targets:
        command.upgrade(cfg, target)
    _record_every_tip(conn, ctx, script)
    if hidden:
        conn.execute(ctx._version.insert(), [{"version_num": r} for r in hidden])
    return set(_recorded(conn)) != set(recorded)


def drop_redundant_rows(conn: Connection, script: ScriptDirectory) -> list[str]:
    """Remove rows below another row (through depends_on) before Alembic runs: it refuses them
    ("overlaps", "not up to date"). They are the per-branch rows of ``_record_every_tip``.
    Returns the rows left (of loaded revisions)."""
    ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    known = [r for r in _recorded(conn) if _known(script, r)]
    redundant = [r for r in known if r in _applied(script, [x for x in known if x != r])]
    if redundant:
        conn.execute(ctx._version.delete().where(ctx._version.c.version_num.in_(redundant)))
    return [r for r in known if r not in redundant]


def _record_every_tip(conn: Connection, ctx: MigrationContext, script: ScriptDirectory) -> None:
    """Give every branch its own row at its newest applied revision.

    Alembic leaves out a revision that another row depends on (e.g. the core's head when a
    plugin's revision depends on it). If that plugin is later disabled its row is set aside,
    and without a row of its own the core would look unmigrated. The extra rows are removed
    again before the next Alembic run (``drop_redundant_rows``)."""
    rows = [r for r in _recorded(conn) if _known(script, r)]
    applied = _applied(script, rows)
    parents = {p for r in applied for p in script.get_revision(r)._versioned_down_revisions}
    missing = sorted(applied - parents - set(rows))
    if missing:
        conn.execute(ctx._version.insert(), [{"version_num": r} for r in missing])


@contextlib.asynccontextmanager
async def _file_lock(path: Path) -> AsyncIterator[None]:
    with open(path, "a+b") as fh:
        await asyncio.to_thread(fcntl.flock, fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _sqlite_file(engine: AsyncEngine) -> Path | None:
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


async def upgrade(engine: AsyncEngine, plugins, target: str | list[str] = "heads", *, check: bool = True) -> bool:
    """Bring the database to ``target`` (default: every loaded branch at its head; a list of
    revisions upgrades to each in turn).

    Returns True when this call changed the database (False when it was already there, also
    when another process did the work while this one waited for the lock). Cheap and
    read-only when already there, so every process may call it at start.
    """
    cfg = config(plugins)
    script = script_directory(cfg)
    if target == "heads":
        async with engine.connect() as conn:
            if not await conn.run_sync(pending, script):
                if check:
                    await conn.run_sync(check_tables, plugins)
                return False
    async with _exclusive(engine):
        async with engine.connect() as conn:
            sqlite = engine.dialect.name == "sqlite"
            if not sqlite:
                await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
            else:
                # Batch mode recreates a table to change it; with foreign keys enforced, recreating
                # a table others reference fails. Off before anything writes (SQLite ignores the
                # pragma inside a transaction), checked as a whole before the commit, on again after.
                await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                changed = await conn.run_sync(_upgrade_sync, cfg, [target] if isinstance(target, str) else list(target))
                if sqlite:
                    broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        await conn.rollback()
                        raise MigrationError(f"数据库升级后外键不一致（{broken[0][0]} 等），已撤销升级")
            except CommandError as exc:
                raise MigrationError(f"数据库升级失败：{exc}") from exc
            await conn.commit()
            if sqlite:
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        if target == "heads" and check:
            async with engine.connect() as conn:
                await conn.run_sync(check_tables, plugins)
    return changed


@contextlib.asynccontextmanager
async def _exclusive(engine: AsyncEngine) -> AsyncIterator[None]:
    """A lock between processes for SQLite files (PostgreSQL locks inside the transaction)."""
    path = _sqlite_file(engine) if engine.dialect.name == "sqlite" else None
    if path is None:
        yield
        return
    async with _file_lock(path.with_name(path.name + ".migrate.lock")):
        yield


def check_tables(conn: Connection, plugins) -> None:
    """Every loaded table must exist after an upgrade: a plugin whose tables no migration
    creates is named here rather than failing later on its first query."""
    existing = set(inspect(conn).get_table_names())
    missing: dict[str, list[str]] = {}
    for table, owner in table_owners(plugins).items():
        if table not in existing:
            missing.setdefault(owner, []).append(table)
    if missing:
        parts = "；".join(f"{owner}：{'、'.join(sorted(t))}" for owner, t in sorted(missing.items()))
        raise MigrationError(f"以下表没有迁移脚本创建（插件需在 xf_migrations 中提供迁移）：{parts}")


# --- env.py helpers ---------------------------------------------------------------------------

def include_tables(tables: Iterable[str]):
    """Autogenerate/compare only these tables (a branch's, or every loaded one): tables of
    plugins that are not loaded, or of throwaway test plugins, are not ours to judge."""
    allowed = set(tables)

    def include(obj, name, type_, reflected, compare_to) -> bool:
        if type_ == "table":
            return name in allowed
        table = getattr(obj, "table", None)
        return table is None or table.name in allowed

    return include


def render_item(type_: str, obj, autogen_context):
    """Render sqlmodel's AutoString as sa.String so revisions import nothing but sqlalchemy."""
    from sqlmodel.sql.sqltypes import AutoString

    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length!r})" if obj.length else "sa.String()"
    return False
