"""A database of release 0.1.0 upgraded to engine v2 (core_0003): the applicant records,
the publicity in progress and the talk are all there, carried onto the new model, and still
work — the publicity can be completed after the upgrade and moves its person on."""
import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update

from core import migrate
from core.models import User, utcnow
from core.security import hash_password
from core.settings import PluginSettings
from core.workflow.models import Assignment, Batch, BatchEntry, DevelopmentRecord, Document
from tests.conftest import BACKENDS, make_settings, scratch_database
from tests.test_migrations import FIXTURE, baselines, insert_fixture, loaded

PUB = "/api/pc/v1/development/applicants/publicity"


@pytest.fixture(params=BACKENDS)
def upgraded(request, tmp_path):
    """The URL of a database holding release 0.1.0's rows, upgraded to the heads."""
    import anyio

    fixture = json.loads(FIXTURE.read_text("utf-8"))["tables"]
    with scratch_database(tmp_path, request.param) as url:
        async def build():
            db, plugins = loaded(tmp_path, url)
            try:
                await migrate.upgrade(db.engine, plugins, target=baselines(plugins))
                await insert_fixture(db, fixture)
                if db.engine.dialect.name == "postgresql":  # rows came with their ids: move the sequences past them
                    async with db.engine.begin() as conn:
                        for name, rows in fixture.items():
                            if rows and "id" in rows[0]:
                                await conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                                        f"(SELECT MAX(id) FROM {name}))"))
                assert await db.upgrade(plugins) is True
                async with db.engine.begin() as conn:  # a known password for the branch admin of the fixture
                    await conn.execute(update(User).where(User.username == "zhibu04").values(
                        password_hash=hash_password("Upgrade@2026x", 4)))
            finally:
                await db.dispose()
        anyio.run(build)
        yield url


def test_records_publicities_and_talks_are_carried_over_and_still_work(tmp_path, upgraded):
    from core.app import create_app

    settings = make_settings(tmp_path, database_url=upgraded, plugins=PluginSettings())
    app = create_app(settings)
    with TestClient(app) as c:
        def db(fn):
            async def go():
                async with app.state.db.sessionmaker() as s:
                    result = await fn(s)
                    await s.commit()
                    return result
            return c.portal.call(go)

        async def carried(s):
            batch = await s.get(Batch, 1)
            entries = (await s.execute(select(BatchEntry.record_id, BatchEntry.brief).where(BatchEntry.batch_id == 1))).all()
            talkers = (await s.execute(select(Assignment.record_id, Assignment.role, Assignment.user_id, Assignment.until))).all()
            docs = (await s.execute(select(Document.record_id, Document.kind, Document.source_id).order_by(Document.id))).all()
            talked_by = (await s.execute(text("SELECT talked_by FROM dev_talk WHERE id = 1"))).scalar()
            return batch, entries, talkers, docs, talked_by
        batch, entries, talkers, docs, talked_by = db(carried)
        assert (batch.kind, batch.state, batch.title, batch.branch_id) == ("applicant", "published", "入党申请人公示", 13)
        assert batch.data["organiser"] == "本科生第一党支部" and batch.data["contact"] == "王老师" and batch.data["working_days"] == 5
        assert batch.data["published_at"].endswith("+00:00") and batch.document_token
        assert entries == [(1, "学习认真，积极参加志愿服务。")]
        assert talkers == [(1, "talker", 39, None)] and talked_by == 39
        assert docs == [(1, "application_letter", 2), (1, "talk_record", 1)]  # the approved letter and talk record

        r = c.post("/api/mp/v1/auth/login", json={"username": "zhibu04", "password": "Upgrade@2026x"})
        assert r.status_code == 200, r.text
        h = {"Authorization": f"Bearer {r.json()['token']}"}
        listed = {x["id"]: x for x in c.get("/api/pc/v1/development/applicants", headers=h).json()["data"]["items"]}
        assert listed[1]["step"] == "publicity" and listed[1]["talk_talker"] == "姚静俊"
        assert listed[2]["letter_status"] == "submitted"  # the letter waiting for review still waits
        detail = c.get("/api/pc/v1/development/applicants/1/detail", headers=h).json()["data"]
        assert detail["talk"]["talker_name"] == "姚静俊" and detail["letter"]["status"] == "approved"
        pub = c.get(f"{PUB}/1", headers=h).json()["data"]
        assert pub["status"] == "published" and [e["record_id"] for e in pub["entries"]] == [1]
        assert pub["start_date"] == "2026-11-28" and pub["end_date"] == "2026-12-04"

        async def end_period(s):
            now = utcnow()
            await s.execute(update(Batch).where(Batch.id == 1).values(start_at=now - timedelta(days=8),
                                                                       end_at=now - timedelta(minutes=1)))
        db(end_period)
        r = c.post(f"{PUB}/1/report", json={"note": "升级后完成"}, headers=h)
        assert r.status_code == 200, r.text
        r = c.post(f"{PUB}/1/complete", headers=h)
        assert r.status_code == 200 and r.json()["data"]["advanced"] == 1, r.text

        async def after(s):
            record = await s.get(DevelopmentRecord, 1)
            return record.stage, record.step, (await s.get(Batch, 1)).state
        assert db(after) == ("activist", "condition", "completed")  # dev_activist takes the record on
        # a new publicity gets an id past the carried ones (sequences moved on PostgreSQL)
        assert c.post(PUB, json={}, headers=h).json()["data"]["id"] == 2
