"""The living demo college (issue 16): people at every place of the registered path, moved
there through the engine without breaching a timing rule, overdue tasks, talks, a training
class, an organisation-life meeting when a stage registers one, two published evaluation
periods and delivered messages; ``--bare`` leaves the process empty."""
from __future__ import annotations

from sqlalchemy import func, select

from core.demo_college import path_of
from core.workflow.components.talk import Talk
from core.workflow.components.training_models import TrainingClass
from core.workflow.models import Batch, DevelopmentEvent, DevelopmentRecord, Task
from plugins.evaluation.models import EvalPeriod
from plugins.messaging.models import Message
from tests.conftest import DEMO_PASSWORD, login, make_settings


def living_app(tmp, extra: list[str], students: int, living: bool = True):
    from fastapi.testclient import TestClient

    from core.app import create_app
    from core.demo import DemoContext, run_demo
    from core.settings import PluginSettings

    from core.testing import displaced_plugins

    settings = make_settings(tmp, database_url=f"sqlite+aiosqlite:///{tmp / 'living.db'}",
                             plugins=PluginSettings(extra=extra, disabled=displaced_plugins(extra)))
    app = create_app(settings)
    client = TestClient(app)
    client.__enter__()

    async def demo():
        async with app.state.db.sessionmaker() as s:
            return await run_demo(s, settings, app.state.plugins,
                                  DemoContext(students=students, password=DEMO_PASSWORD, living=living))

    return client, app, client.portal.call(demo)


def read(client, fn):
    async def go():
        async with client.app.state.db.sessionmaker() as s:
            return await fn(s)

    return client.portal.call(go)


def test_living_demo_fills_every_place_through_the_engine(tmp_path):
    client, app, ctx = living_app(tmp_path, ["tests.plugins.candidate_kit_stage", "tests.plugins.probation_stage"], students=200)
    try:
        path = path_of(app.state.engine.registry)

        async def facts(s):
            places = set((await s.execute(select(DevelopmentRecord.stage, DevelopmentRecord.step)
                                          .where(DevelopmentRecord.status == "active"))).all())
            return {
                "places": places,
                "warned": (await s.execute(select(func.count()).select_from(DevelopmentRecord)
                                           .where(DevelopmentRecord.status == "active"))).scalar_one(),
                "records": list((await s.execute(select(DevelopmentRecord))).scalars()),
                "started": (await s.execute(select(func.count()).select_from(DevelopmentEvent)
                                            .where(DevelopmentEvent.action == "started"))).scalar_one(),
                "overdue": (await s.execute(select(func.count()).select_from(Task).where(
                    Task.status == "open", Task.due_at < func.current_timestamp()))).scalar_one(),
                "talks": (await s.execute(select(func.count()).select_from(Talk))).scalar_one(),
                "classes": (await s.execute(select(func.count()).select_from(TrainingClass)
                                            .where(TrainingClass.state == "published"))).scalar_one(),
                "meetings": (await s.execute(select(func.count()).select_from(Batch).where(
                    Batch.kind == "general_meeting", Batch.state == "published"))).scalar_one(),
                "periods": [p.published for p in (await s.execute(select(EvalPeriod))).scalars()],
                "messages": (await s.execute(select(func.count()).select_from(Message))).scalar_one(),
            }

        f = read(client, facts)
        missing = [p for p in path if p not in f["places"]]
        assert not missing, f"no one at {missing}"
        assert all(not r.warnings for r in f["records"])  # dates keep every timing rule
        assert f["started"] == len(f["records"])  # every record was opened by the engine
        assert f["overdue"] > 0 and f["talks"] > 0 and f["classes"] >= 1 and f["meetings"] == 1
        assert f["periods"] == [True, True] and f["messages"] > 0
        dash = login(client, "dangwei").get("/api/pc/v1/dashboard").json()["data"]
        assert dash["overdue_total"] > 0 and sum(r["total"] for r in dash["branches"]) == len(f["records"])
        assert any(p["title"] == "本年度考评（2024-2025学年）" for p in dash["panels"])
    finally:
        client.__exit__(None, None, None)


def test_bare_demo_leaves_the_process_empty(tmp_path):
    client, app, ctx = living_app(tmp_path, [], students=20, living=False)
    try:
        async def counts(s):
            return ((await s.execute(select(func.count()).select_from(DevelopmentRecord))).scalar_one(),
                    (await s.execute(select(func.count()).select_from(EvalPeriod))).scalar_one())

        assert read(client, counts) == (0, 0)
        assert len([a for a in ctx.accounts if a.role == "学生"]) == 20
    finally:
        client.__exit__(None, None, None)
