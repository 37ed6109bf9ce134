"""Reading and writing the revision tree: where a database stands, the history, new
revisions for a branch, and what the models describe that the database lacks.

Kept apart from core/migrate.py, which only upgrades (and runs in every process at start).
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from core.migrate import (MigrationError, _known, drop_redundant_rows, _recorded, _script_for, branches, config, include_tables,
                          script_directory, table_owners, upgrade)


# --- reporting --------------------------------------------------------------------------------

def _current_sync(conn: Connection, script: ScriptDirectory) -> list[tuple[str, str, bool]]:
    heads = set(script.get_heads())
    rows = []
    for rev in _recorded(conn):
        if _known(script, rev):
            sc = script.get_revision(rev)
            label = ",".join(sorted(sc.branch_labels)) or _branch_of(script, sc)
            rows.append((rev, label, rev in heads))
        else:
            rows.append((rev, "", False))
    return rows


def _branch_of(script: ScriptDirectory, rev: Script) -> str:
    for r in script.revision_map.iterate_revisions(rev.revision, "base"):
        if r.branch_labels:
            return ",".join(sorted(r.branch_labels))
    return ""


async def current(engine: AsyncEngine, plugins) -> list[tuple[str, str, bool]]:
    """(revision, branch, is head) for every row of alembic_version; branch "" = not loaded."""
    script = script_directory(config(plugins))
    async with engine.connect() as conn:
        return await conn.run_sync(_current_sync, script)


def history(plugins) -> list[tuple[str, str, str, str]]:
    """(revision, parents, branch, message) of every loaded revision, newest first."""
    script = script_directory(config(plugins))
    rows = []
    for rev in script.walk_revisions():
        parents = list(rev._all_down_revisions)
        rows.append((rev.revision, ",".join(parents) or "-", _branch_of(script, rev), rev.doc or ""))
    return rows


# --- writing a revision -----------------------------------------------------------------------

async def new_revision(plugins, branch: str, message: str, *, autogenerate: bool = True) -> Path:
    """Write the next revision of ``branch`` (core or a plugin) into its version directory.

    With ``autogenerate`` the models are compared with a throwaway SQLite database upgraded to
    every head, limited to the branch's own tables: the file holds exactly what the branch's
    models changed. Review it (types, server defaults, data moves) before committing.
    """
    import tempfile

    from sqlalchemy.ext.asyncio import create_async_engine

    found = {b.name: b for b in branches(plugins)}
    if branch not in found:
        raise MigrationError(f"没有名为 {branch} 的迁移分支（应为 core 或已启用的插件名：{'、'.join(found)}）")
    target = found[branch]
    if not target.versions:
        raise MigrationError(f"插件 {branch} 没有迁移目录：请先实现 xf_migrations 并建好目录")
    script = script_directory(config(plugins))
    ours = [r for r in script.walk_revisions() if _branch_of(script, r) == branch]
    head = f"{branch}@head" if ours else "base"
    rev_id = f"{branch}_{len(ours) + 1:04d}"
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_async_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'revision.db'}")
        try:
            await upgrade(engine, plugins, check=False)
            async with engine.connect() as conn:
                def write(sync_conn: Connection):
                    drop_redundant_rows(sync_conn, script)
                    cfg = config(plugins, connection=sync_conn, xf_tables=set(target.tables))
                    return command.revision(cfg, message=message, autogenerate=autogenerate, head=head, rev_id=rev_id,
                                            branch_label=None if ours else branch, version_path=str(target.versions[0]))
                written = await conn.run_sync(write)
        finally:
            await engine.dispose()
    _script_for.cache_clear()
    return Path(written.path)


# --- comparing models and database ------------------------------------------------------------

def differences(conn: Connection, plugins) -> list[str]:
    """What the loaded models describe that the database lacks (or has otherwise), one line
    each naming the table and column: empty when every change shipped with its revision."""
    from alembic.autogenerate import compare_metadata

    ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                 "include_object": include_tables(table_owners(plugins))})
    found = []
    for diff in compare_metadata(ctx, SQLModel.metadata):
        for item in diff if isinstance(diff, list) else [diff]:
            found.append(_describe(item))
    return found


def _describe(item: tuple) -> str:
    op = item[0]
    if op in ("add_table", "remove_table"):
        return f"{op}: {item[1].name}"
    if op in ("add_column", "remove_column"):
        return f"{op}: {item[2]}.{item[3].name} ({item[3].type})"
    if op.startswith("modify_"):
        return f"{op}: {item[2]}.{item[3]}: database {item[5]!r}, model {item[6]!r}"
    obj = item[1]
    table = getattr(getattr(obj, "table", None), "name", "?")
    cols = ", ".join(c.name for c in getattr(obj, "columns", []))
    return f"{op}: {table}.{obj.name or '(unnamed)'} ({cols})"
