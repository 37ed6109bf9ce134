"""Schema migrations (issue 8): baselines equal the models, a database of release 0.1.0 keeps
every row through the upgrade (recorded or made by the old create_all), plugins ship their own
branches, and the upgrade is safe to start from several processes at once.

Every test builds its own empty database (SQLite file, and under `make test-pg` a new
PostgreSQL database too) through ``scratch_url``.
"""
from __future__ import annotations

import asyncio
import importlib
import json
import sys
import textwrap
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Date, DateTime, MetaData, insert, select, text

from core import migrate, revisions
from core.db import Database
from core.plugins import Plugins
from core.settings import PluginSettings
from tests.conftest import BACKENDS, make_settings, scratch_database

FIXTURE = Path(__file__).parent / "fixtures" / "release_0_1_0.json"


@pytest.fixture(params=BACKENDS)
def scratch_url(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        yield url


def loaded(tmp_path: Path, url: str, extra=(), disabled=()) -> tuple[Database, Plugins]:
    settings = make_settings(tmp_path, database_url=url, plugins=PluginSettings(extra=list(extra), disabled=list(disabled)))
    return Database(settings), Plugins(settings)


def baseline_tables(plugins) -> list[str]:
    """The tables release 0.1.0 had (those its baselines create)."""
    script = migrate.script_directory(migrate.config(plugins))
    return [t for r in script.walk_revisions() for t in (getattr(r.module, "ADOPT_TABLES", None) or ())]


def baselines(plugins) -> list[str]:
    """The revisions that hold release 0.1.0's schema (those that adopt old tables)."""
    script = migrate.script_directory(migrate.config(plugins))
    return [r.revision for r in script.walk_revisions() if getattr(r.module, "ADOPT_TABLES", None)]


async def reflect(db: Database) -> MetaData:
    meta = MetaData()
    async with db.engine.connect() as conn:
        await conn.run_sync(meta.reflect)
    return meta


async def recorded(db: Database) -> list[str]:
    async with db.engine.connect() as conn:
        return sorted((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars())


async def differences(db: Database, plugins) -> list[str]:
    async with db.engine.connect() as conn:
        return await conn.run_sync(revisions.differences, plugins)


def _stored(column, value):
    if value is not None and isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if value is not None and isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def _plain(value):
    return value.isoformat() if isinstance(value, (datetime, date)) else value


async def insert_fixture(db: Database, tables: dict[str, list[dict]]) -> None:
    """Insert the release's rows through the schema the database has now (reflected), so the
    test keeps working when later models add columns."""
    meta = await reflect(db)
    async with db.engine.begin() as conn:
        for table in meta.sorted_tables:
            rows = tables.get(table.name)
            if rows:
                await conn.execute(insert(table), [{k: _stored(table.c[k], v) for k, v in row.items()} for row in rows])


# Moved on purpose by a later revision, which carries them over and is tested for it:
# core_0003 (engine v2) moves publicities to dev_batch/dev_batch_entry and each talk's
# talker_id to dev_assignment (tests/test_dev_upgrade.py checks they arrive and still work).
MOVED_TABLES = {"dev_publicity", "dev_publicity_entry"}
MOVED_COLUMNS = {"dev_talk": {"talker_id"}}


def kept(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The release's rows minus what a later revision moved elsewhere."""
    return {name: [{k: v for k, v in row.items() if k not in MOVED_COLUMNS.get(name, set())} for row in rows]
            for name, rows in tables.items() if name not in MOVED_TABLES}


async def read_back(db: Database, tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    meta = await reflect(db)
    found = {}
    async with db.engine.connect() as conn:
        for name, rows in tables.items():
            table = meta.tables[name]
            keys = list(rows[0]) if rows else []
            result = await conn.execute(select(table).order_by(*table.primary_key.columns))
            found[name] = [{k: _plain(row[k]) for k in keys} for row in result.mappings()]
    return found


async def test_baselines_build_what_the_models_describe(tmp_path, scratch_url):
    """Also the guard for later work: a model change shipped without its revision fails here,
    naming the table and column."""
    db, plugins = loaded(tmp_path, scratch_url)
    try:
        assert await db.upgrade(plugins) is True
        diffs = await differences(db, plugins)
    finally:
        await db.dispose()
    assert not diffs, ("the models differ from what the migrations build; add a revision "
                       "(xianfeng db revision --branch <core|plugin> -m ..., docs/migrations.md):\n" + "\n".join(diffs))


def test_the_comparison_names_a_missing_column(tmp_path):
    """The check above can fail: a column the migrations never added is reported by name."""
    db, plugins = loaded(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'cmp.db'}")

    async def go():
        try:
            await db.upgrade(plugins)
            async with db.engine.begin() as conn:
                await conn.execute(text("ALTER TABLE xf_urge_log DROP COLUMN sender_id"))
            return await differences(db, plugins)
        finally:
            await db.dispose()

    diffs = asyncio.run(go())
    assert any("add_column: xf_urge_log.sender_id" in d for d in diffs), diffs


@pytest.mark.parametrize("made_by", ["migrations", "create_all"])
async def test_release_0_1_0_rows_survive_the_upgrade(tmp_path, scratch_url, made_by):
    """``migrations``: a database recorded at the baselines. ``create_all``: the same schema with
    no alembic_version at all, as release 0.1.0 left it; the upgrade adopts it."""
    fixture = json.loads(FIXTURE.read_text("utf-8"))["tables"]
    db, plugins = loaded(tmp_path, scratch_url)
    try:
        await migrate.upgrade(db.engine, plugins, target=baselines(plugins))
        assert sorted(t for t in fixture) == sorted(baseline_tables(plugins)), "the fixture has every table of the release"
        assert all(fixture.values()), "every table of the fixture has rows"
        await insert_fixture(db, fixture)
        if made_by == "create_all":
            async with db.engine.begin() as conn:
                await conn.execute(text("DROP TABLE alembic_version"))
        changed = await db.upgrade(plugins)
        assert changed or made_by == "migrations"  # adopting the old tables writes alembic_version
        assert await recorded(db), "the upgrade recorded where the database stands"
        assert await read_back(db, kept(fixture)) == kept(fixture)
        assert await differences(db, plugins) == []
        assert await db.upgrade(plugins) is False  # at head: nothing more to do
    finally:
        await db.dispose()


async def test_plugins_enabled_after_the_first_upgrade_adopt_their_old_tables(tmp_path, scratch_url):
    """Release 0.1.0 had org_mgmt and evaluation; the first upgrade ran with them disabled, a
    later one with them enabled: their tables are adopted then, with their rows."""
    fixture = json.loads(FIXTURE.read_text("utf-8"))["tables"]
    db, everything = loaded(tmp_path, scratch_url)
    _, fewer = loaded(tmp_path, scratch_url, disabled=["org_mgmt", "evaluation", "dev_applicant", "dev_activist", "dev_candidate", "dev_probation"])
    try:
        await migrate.upgrade(db.engine, everything, target=baselines(everything))
        await insert_fixture(db, fixture)
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP TABLE alembic_version"))
        assert await db.upgrade(fewer) is True
        assert not {"org_mgmt", "evaluation"} & {v.rsplit("_", 1)[0] for v in await recorded(db)}
        assert await db.upgrade(everything) is True
        assert {"org_mgmt", "evaluation"} <= {v.rsplit("_", 1)[0] for v in await recorded(db)}
        assert await read_back(db, kept(fixture)) == kept(fixture)
        assert await differences(db, everything) == []
    finally:
        await db.dispose()


async def test_a_partly_created_database_is_refused_unchanged(tmp_path, scratch_url):
    db, plugins = loaded(tmp_path, scratch_url)
    try:
        await migrate.upgrade(db.engine, plugins, target=baselines(plugins))
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP TABLE alembic_version"))
            await conn.execute(text("DROP TABLE xf_urge_log"))
        with pytest.raises(migrate.MigrationError, match="xf_urge_log"):
            await db.upgrade(plugins)
        meta = await reflect(db)
        assert "alembic_version" not in meta.tables and "xf_urge_log" not in meta.tables
    finally:
        await db.dispose()


async def test_processes_starting_together_upgrade_once(tmp_path, scratch_url):
    """Web workers and the arq worker all upgrade at start: a lock serialises them, and the
    ones that come second find the schema at head."""
    pairs = [loaded(tmp_path, scratch_url) for _ in range(3)]
    try:
        results = await asyncio.gather(*(db.upgrade(plugins) for db, plugins in pairs))
        assert sorted(results) == [False, False, True], "one process migrated, the others found it done"
        db, plugins = pairs[0]
        assert await recorded(db) == sorted(migrate.script_directory(migrate.config(plugins)).get_heads())
        assert await differences(db, plugins) == []
        assert [await d.upgrade(p) for d, p in pairs] == [False, False, False]
    finally:
        for db, _ in pairs:
            await db.dispose()


async def test_a_third_party_plugin_upgrades_its_own_table(tmp_path, scratch_url):
    db, plugins = loaded(tmp_path, scratch_url, extra=["tests.plugins.guestbook"])
    try:
        # version 1 of the plugin (its branch needs the core baseline: xf_user)
        await migrate.upgrade(db.engine, plugins, target="guestbook_0001")
        meta = await reflect(db)
        assert "mood" not in meta.tables["tp_guestbook_entry"].c
        async with db.engine.begin() as conn:
            await conn.execute(insert(meta.tables["xf_user"]), [{
                "id": 1, "username": "guest", "name": "访客", "password_hash": "", "token_version": 0, "is_active": True,
                "phone": "", "email": "", "avatar": "", "created_at": datetime(2026, 1, 1), "updated_at": datetime(2026, 1, 1)}])
            await conn.execute(insert(meta.tables["tp_guestbook_entry"]), [{"id": 7, "user_id": 1, "text": "第一条留言"}])
        # version 2: the column arrives, the row keeps its values and takes the default
        assert await db.upgrade(plugins) is True
        async with db.engine.connect() as conn:
            row = (await conn.execute(text("SELECT id, user_id, text, mood FROM tp_guestbook_entry"))).one()
        assert tuple(row) == (7, 1, "第一条留言", "平静")
        # every branch keeps a row of its own, also the core's that guestbook depends on
        versions = set(await recorded(db))
        assert "guestbook_0002" in versions and {"core", "user_mgmt"} <= {v.rsplit("_", 1)[0] for v in versions}
        assert await differences(db, plugins) == []
    finally:
        await db.dispose()


async def test_a_disabled_plugin_keeps_its_place(tmp_path, scratch_url):
    """Its branch is not loaded while it is disabled; its version row stays, and when it is
    enabled again it continues from there."""
    db, with_gb = loaded(tmp_path, scratch_url, extra=["tests.plugins.guestbook"])
    _, without = loaded(tmp_path, scratch_url)
    try:
        await migrate.upgrade(db.engine, with_gb, target="guestbook_0001")
        assert "guestbook_0001" in await recorded(db)
        await db.upgrade(without)
        assert "guestbook_0001" in await recorded(db)
        assert ("guestbook_0001", "", False) in await revisions.current(db.engine, without)
        assert await db.upgrade(with_gb) is True
        assert "guestbook_0002" in await recorded(db) and "guestbook_0001" not in await recorded(db)
    finally:
        await db.dispose()


async def test_a_plugin_table_without_a_migration_is_named(tmp_path):
    db, plugins = loaded(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'orphan.db'}", extra=["tests.plugins.unmigrated"])
    try:
        with pytest.raises(migrate.MigrationError, match="unmigrated：tp_orphan"):
            await db.upgrade(plugins)
    finally:
        await db.dispose()


def test_hook_xf_migrations(tmp_path):
    from tests.plugins import guestbook

    _, plugins = loaded(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'h.db'}", extra=["tests.plugins.guestbook"])
    found = {b.name: b for b in migrate.branches(plugins)}
    assert found["guestbook"].versions == (Path(guestbook.__file__).parent / "migrations",)
    assert found["guestbook"].tables == ("tp_guestbook_entry",)
    assert found["core"].tables and "xf_user" in found["core"].tables
    assert "xf_message" in found["messaging"].tables and "xf_outbox" not in found["messaging"].tables
    listed = {(rev, branch) for rev, _parents, branch, _doc in revisions.history(plugins)}
    assert {("guestbook_0001", "guestbook"), ("guestbook_0002", "guestbook"), ("core_0001", "core")} <= listed


async def test_new_revision_holds_exactly_the_branch_change(tmp_path, monkeypatch):
    """How an integrator adds a revision: ``xianfeng db revision --branch <plugin> -m ...``
    compares the branch's models with a throwaway database at head and writes the file."""
    name = f"tp{uuid.uuid4().hex[:8]}"
    pkg = tmp_path / "site" / name
    (pkg / "migrations").mkdir(parents=True)
    (pkg / "__init__.py").write_text(textwrap.dedent(f'''
        from pathlib import Path
        from typing import Optional
        from sqlmodel import Field, SQLModel
        from core.hookspecs import hookimpl

        MANIFEST = {{"name": "{name}", "version": "1", "depends": [], "title": "临时插件"}}

        class Thing(SQLModel, table=True):
            __tablename__ = "{name}_thing"
            id: Optional[int] = Field(default=None, primary_key=True)
            label: str = Field(default="", max_length=30, index=True)

        @hookimpl
        def xf_models():
            return [Thing]

        @hookimpl
        def xf_migrations():
            return [Path(__file__).parent / "migrations"]
    '''), "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    db, plugins = loaded(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'rev.db'}", extra=[name])
    try:
        path = await revisions.new_revision(plugins, name, "things")
        assert path.parent == pkg / "migrations" and path.name == f"{name}_0001_things.py"
        source = path.read_text("utf-8")
        assert f"{name}_thing" in source and "xf_user" not in source and "sqlmodel" not in source
        assert f"branch_labels = ('{name}',)" in source
        assert await db.upgrade(plugins) is True
        assert await differences(db, plugins) == []
        with pytest.raises(migrate.MigrationError, match="没有名为"):
            await revisions.new_revision(plugins, "nosuchplugin", "x")
    finally:
        await db.dispose()
        sys.modules.pop(name, None)


def test_db_commands(tmp_path, monkeypatch, capsys):
    from core.cli import main

    monkeypatch.setenv("XIANFENG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("XIANFENG_ENV", "test")
    monkeypatch.setenv("XIANFENG_SECRET_KEY", "cli-secret-" + "x" * 32)
    monkeypatch.delenv("XIANFENG_DATABASE_URL", raising=False)
    assert main(["db", "current"]) == 0
    assert "尚无版本记录" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "已升级到最新版本" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "无需升级" in capsys.readouterr().out
    assert main(["db", "current"]) == 0
    out = capsys.readouterr().out
    assert "core_0" in out and "最新" in out
    assert main(["db", "history"]) == 0
    assert "-> org_mgmt_0001  [org_mgmt]" in capsys.readouterr().out
    assert main(["init"]) == 0
    assert "数据库已就绪" in capsys.readouterr().out
    assert main(["db", "revision", "--branch", "nosuchplugin", "-m", "x"]) == 2
    assert "没有名为 nosuchplugin 的迁移分支" in capsys.readouterr().err


async def test_evaluation_period_ids_are_never_reused_after_the_upgrade(tmp_path):
    """evaluation_0002 recreates ev_year/ev_period with AUTOINCREMENT on SQLite, keeping their
    rows, ids and the rows that reference them."""
    fixture = json.loads(FIXTURE.read_text("utf-8"))["tables"]
    db, plugins = loaded(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'ids.db'}")
    try:
        await migrate.upgrade(db.engine, plugins, target=baselines(plugins))
        await insert_fixture(db, fixture)
        await db.upgrade(plugins)
        assert await read_back(db, kept(fixture)) == kept(fixture)
        async with db.engine.begin() as conn:
            top = (await conn.execute(text("SELECT MAX(id) FROM ev_period"))).scalar_one()
            year = (await conn.execute(text("SELECT year_id FROM ev_period WHERE id = :i"), {"i": top})).scalar_one()
            await conn.execute(text("DELETE FROM ev_result WHERE period_id = :i"), {"i": top})
            await conn.execute(text("DELETE FROM ev_branch_result WHERE period_id = :i"), {"i": top})
            await conn.execute(text("DELETE FROM ev_record WHERE period_id = :i"), {"i": top})
            await conn.execute(text("DELETE FROM ev_period WHERE id = :i"), {"i": top})
            await conn.execute(text("INSERT INTO ev_period (year_id, name, sort, metrics, record_count, data_version, "
                                    "published, summary, created_at) VALUES (:y, '新学期', 9, '[]', 0, 0, false, '{}', "
                                    "'2026-11-28')"), {"y": year})
            new = (await conn.execute(text("SELECT MAX(id) FROM ev_period"))).scalar_one()
        assert new == top + 1
    finally:
        await db.dispose()
