"""Nothing stranded: at start-up, records waiting at step "" of a stage whose plugin is now
enabled, and records standing at a step whose plugin was disabled, are placed on a valid
step with a timeline line."""
import contextlib
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from core.models import User
from core.settings import PluginSettings
from core.workflow.models import DevelopmentEvent, DevelopmentRecord
from tests.conftest import DEMO_PASSWORD, make_settings


@contextlib.contextmanager
def started(tmp, extra: list[str], demo: bool = False, off: list[str] = ()):
    """An app on the SQLite file of ``tmp`` with these extra plugins; its start-up has run."""
    from core.app import create_app
    from core.demo import DemoContext, run_demo

    from core.testing import displaced_plugins

    settings = make_settings(tmp, database_url=f"sqlite+aiosqlite:///{tmp / 'stranded.db'}",
                             plugins=PluginSettings(extra=extra, disabled=[*displaced_plugins(extra), *off]))
    app = create_app(settings)
    with TestClient(app) as c:
        if demo:
            async def go():
                async with app.state.db.sessionmaker() as s:
                    await run_demo(s, settings, app.state.plugins, DemoContext(students=10, password=DEMO_PASSWORD))
            c.portal.call(go)
        yield c, app


def db(c, app, fn):
    async def go():
        async with app.state.db.sessionmaker() as s:
            result = await fn(s)
            await s.commit()
            return result
    return c.portal.call(go)


def test_records_are_placed_when_plugins_are_enabled_or_disabled(tmp_path):
    with started(tmp_path, ["tests.plugins.extra_step"], demo=True) as (c, app):
        async def seed(s):
            users = (await s.execute(select(User.id).where(User.student_no.is_not(None)).order_by(User.id).limit(4))).scalars().all()
            rows = [("reception", ""), ("applicant", "interview"), ("conversion", "vote"), ("applicant", "talk")]
            await s.execute(insert(DevelopmentRecord), [{"user_id": u, "stage": st, "step": sp, "milestones": {}, "warnings": []}
                                                        for u, (st, sp) in zip(users, rows)])
            recs = {r.user_id: r.id for r in (await s.execute(select(DevelopmentRecord).where(DevelopmentRecord.user_id.in_(users)))).scalars()}
            ids = [recs[u] for u in users]
            now = datetime(2026, 1, 1)
            await s.execute(insert(DevelopmentEvent), [
                {"record_id": ids[1], "stage": "applicant", "step": "application", "action": "completed", "title": "x", "created_at": now},
                {"record_id": ids[2], "stage": "conversion", "step": "", "action": "stage_entered", "title": "x", "created_at": now},
                {"record_id": ids[2], "stage": "conversion", "step": "check", "action": "completed", "title": "x", "created_at": now}])
            return ids
        ids = db(c, app, seed)
    # restart without extra_step (its "interview" step is gone) and without a reception or conversion plugin
    from core.testing import displaced_plugins

    with started(tmp_path, [], off=displaced_plugins(["tests.plugins.outcome_stage"])) as (c, app):
        steps = db(c, app, lambda s: _steps(s, ids))
        assert steps == {ids[0]: "", ids[1]: "talk", ids[2]: "", ids[3]: "talk"}
        lines = db(c, app, lambda s: _placed(s, ids))
        assert "原环节“interview”已停用" in lines[ids[1]] and "进入“党组织派人谈话”" in lines[ids[1]]
        assert "等待本阶段启用后继续" in lines[ids[2]] and ids[0] not in lines and ids[3] not in lines
    # restart with the reception and conversion stages enabled
    with started(tmp_path, ["tests.plugins.outcome_stage"]) as (c, app):
        steps = db(c, app, lambda s: _steps(s, ids))
        assert steps[ids[0]] == "prep"  # waited at the start of the stage
        assert steps[ids[2]] == "contact"  # back where it was: "check" was completed before
        timeline = db(c, app, lambda s: _placed(s, ids))
        assert "原环节“待开始”" in timeline[ids[0]] and "进入“准备”" in timeline[ids[0]]


async def _steps(s, ids):
    return dict((await s.execute(select(DevelopmentRecord.id, DevelopmentRecord.step).where(DevelopmentRecord.id.in_(ids)))).all())


async def _placed(s, ids):
    rows = (await s.execute(select(DevelopmentEvent.record_id, DevelopmentEvent.title).where(
        DevelopmentEvent.record_id.in_(ids), DevelopmentEvent.action == "placed").order_by(DevelopmentEvent.id))).all()
    return {rid: title for rid, title in rows}
