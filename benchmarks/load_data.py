"""Data sets for the load benchmark: a demo college of N students built with the real CLI
(``xianfeng init`` and ``xianfeng demo``), plus a development record with a six-event
timeline for every student who is not yet a member and first talks for each branch's talker.

SQLite sets are built once and kept in ``$TMPDIR/xianfeng-bench-cache/<key>-<N>/``, where
``key`` hashes every file that shapes the data (migrations, models, demo, seeds, permissions
and this module): a code change that could alter the data builds a fresh set. Each run works
on a copy, so what a run writes never reaches the cache. PostgreSQL sets are built into the
(throwaway) server of ``make bench`` every run.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.common import DEMO_PASSWORD, ROOT, _xianfeng, log

CACHE = Path(tempfile.gettempdir()) / "xianfeng-bench-cache"
SHAPING = ("core/**/migrations/**/*.py", "plugins/**/migrations/**/*.py", "core/**/models.py", "plugins/*/models.py",
           "core/models.py", "plugins/*/demo.py", "core/demo.py", "core/seed.py", "core/permissions.py",
           "plugins/*/permissions.py", "plugins/*/seed.py", "benchmarks/load_data.py")
_ENV_OWN = ("XIANFENG_DATABASE_URL", "XIANFENG_BCRYPT_ROUNDS", "XIANFENG_DATA_DIR", "XIANFENG_SETTINGS_FILE",
            "XIANFENG_WORKERS")


def code_key() -> str:
    digest = hashlib.sha256()
    for path in sorted({p for pattern in SHAPING for p in ROOT.glob(pattern)}):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cli_env(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """The environment of every process of one data set (CLI, servers): its data dir (hence
    its secret file) and database; the bcrypt cost of settings.toml, as an operator has it."""
    env = {k: v for k, v in os.environ.items() if k not in _ENV_OWN}
    env["XIANFENG_DATA_DIR"] = str(data_dir)
    if database_url:
        env["XIANFENG_DATABASE_URL"] = database_url
    return env


def _cli(args: list[str], env: dict[str, str]) -> None:
    t0 = time.perf_counter()
    done = subprocess.run(_xianfeng() + args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"xianfeng {args[0]} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    log(f"xianfeng {' '.join(args)}: {time.perf_counter() - t0:.1f}s")


async def add_development(sessionmaker) -> tuple[int, int]:
    """A development record with a realistic timeline for every student who is not a party
    member, and first talks assigned to each branch's talker: (records, events) created."""
    from sqlalchemy import insert, select

    from core.models import Role, StudentProfile, User, UserRole
    from core.workflow.components.talk import Talk
    from core.workflow.models import Assignment, DevelopmentEvent, DevelopmentRecord

    async with sessionmaker() as s:
        students = (await s.execute(
            select(User.id, User.party_branch_id).join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
            .join(StudentProfile, StudentProfile.user_id == User.id)
            .where(Role.key == "student", StudentProfile.political_status != "中共党员")
            .where(~User.id.in_(select(DevelopmentRecord.user_id))))).all()
        talkers = dict((await s.execute(select(User.party_branch_id, User.id).join(StudentProfile, StudentProfile.user_id == User.id)
                                         .where(StudentProfile.political_status == "中共党员"))).all())
        steps = ["application", "talk", "publicity"]
        now = datetime.utcnow()
        await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": "applicant", "step": steps[i % 3],
                                                     "milestones": {}, "warnings": []} for i, (u, _) in enumerate(students)])
        recs = (await s.execute(select(DevelopmentRecord.id, DevelopmentRecord.user_id, DevelopmentRecord.step))).all()
        events = []
        for rid, _, step in recs:
            for k, (action, title) in enumerate([("started", "进入申请入党阶段"), ("submitted", "提交入党申请书"),
                                                 ("completed", "入党申请书审核通过"), ("talk_assigned", "指派谈话人"),
                                                 ("talk_scheduled", "安排谈话日程"), ("talk_submitted", "提交谈话记录")]):
                events.append({"record_id": rid, "actor_id": None, "actor_name": "压测", "actor_role": "党支部管理员",
                               "stage": "applicant", "step": "application" if k < 3 else "talk", "action": action,
                               "title": title, "note": "", "created_at": now - timedelta(days=30 - k)})
        for start in range(0, len(events), 50_000):
            await s.execute(insert(DevelopmentEvent), events[start:start + 50_000])
        branch_of = dict(students)
        talking = [(rid, uid) for rid, uid, step in recs if step == "talk" and branch_of.get(uid) in talkers]
        if talking:
            await s.execute(insert(Talk), [{"record_id": rid, "user_id": uid, "kind": "first_talk", "role": "talker", "period": 0,
                                            "deadline": now + timedelta(days=7 + rid % 30), "status": "assigned", "place": "",
                                            "content": "", "reason": "", "by_proxy": False, "created_at": now, "updated_at": now}
                                           for rid, uid in talking])
            await s.execute(insert(Assignment), [{"record_id": rid, "role": "talker", "user_id": talkers[branch_of[uid]],
                                                  "since": now} for rid, uid in talking])
        await s.commit()
        return len(students), len(events)


async def _develop(data_dir: Path, database_url: str) -> None:
    from sqlalchemy import text

    from core.db import Database
    from core.plugins import Plugins
    from core.settings import Settings

    settings = Settings(data_dir=data_dir, database_url=database_url)
    Plugins(settings).models()
    db = Database(settings)
    try:
        t0 = time.perf_counter()
        records, events = await add_development(db.sessionmaker)
        log(f"development records for {records} students with {events} timeline events: {time.perf_counter() - t0:.1f}s")
        async with db.engine.connect() as conn:
            if db.engine.dialect.name == "sqlite":  # one self-contained file to copy
                await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            else:  # fresh statistics, as autovacuum would have them after a while
                await conn.execute(text("ANALYZE"))
                await conn.commit()
    finally:
        await db.dispose()


def build(data_dir: Path, students: int, database_url: str = "") -> None:
    env = cli_env(data_dir, database_url)
    _cli(["init"], env)
    _cli(["demo", "--bare", "--students", str(students), "--password", DEMO_PASSWORD, "--show-students", "0"], env)
    asyncio.run(_develop(data_dir, database_url))


def sqlite_set(students: int) -> Path:
    """A fresh working copy of the cached SQLite data set of ``students`` (built if missing)."""
    cached = CACHE / f"{code_key()}-{students}"
    if not (cached / "xianfeng.db").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob(f"*-{students}"):
            shutil.rmtree(old, ignore_errors=True)  # sets of older code
        building = Path(tempfile.mkdtemp(prefix=f"build-{students}-", dir=CACHE))
        log(f"building the {students}-student data set (cached in {CACHE})")
        build(building, students)
        for leftover in building.glob("xianfeng.db-*"):
            leftover.unlink()
        building.rename(cached)
    else:
        log(f"{students}-student data set from the cache ({cached})")
    work = Path(tempfile.mkdtemp(prefix=f"xianfeng-load-{students}-"))
    for item in cached.iterdir():
        if item.is_file() and not item.name.endswith(".lock"):
            shutil.copy2(item, work / item.name)
    (work / "uploads").mkdir(exist_ok=True)
    (work / "documents").mkdir(exist_ok=True)
    return work
