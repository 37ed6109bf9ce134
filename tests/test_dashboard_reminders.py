"""The daily overdue job (issue 16) on a real redis-server and a real arq worker: what the 工作台
lists as overdue is reminded through the outbox, once per person and item per day, however
often the job runs."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from arq.connections import RedisSettings, create_pool
from sqlalchemy import func, insert, select

from core import outbox
from core.dashboard_jobs import JOB, overdue_reminders_hourly
from core.models import utcnow
from core.workflow.models import Assignment
from plugins.messaging.models import Message
from tests.activist_helpers import place_students, today
from tests.conftest import make_settings, unique
from tests.dev_helpers import bulk_applicants
from tests.test_messaging_worker import burst, in_db, redis_server  # noqa: F401  (fixture)


def enqueue(redis_server) -> None:
    async def go():
        pool = await create_pool(RedisSettings.from_dsn(redis_server.url))
        try:
            await pool.enqueue_job(JOB)
        finally:
            await pool.aclose()

    asyncio.run(go())


def messages_of(client, user_id: int, needle: str) -> list[Message]:
    async def go(session):
        return list((await session.execute(select(Message).where(Message.recipient_id == user_id,
                                                                 Message.title.contains(needle)))).scalars())

    return in_db(client, go)


def test_overdue_reminders_once_per_person_and_item_per_day(client, app, redis_server, branch_a):  # noqa: F811
    a = branch_a.user["party_branch_id"]
    long_ago = {"applied_at": (today() - timedelta(days=900)).isoformat(),
                "activist_at": (today() - timedelta(days=200)).isoformat()}

    async def setup(session):
        people = await place_students(session, a, 1, "cultivation", prefix=unique("rm"), milestones=long_ago)
        await session.commit()
        return people

    ((student, _record, _name),) = in_db(client, setup)
    (talk_record,) = client.portal.call(lambda: bulk_applicants(app, a, 1, step="talk", letter=False))

    async def late_talk(session):
        from core.workflow.components.talk import Talk
        from core.workflow.models import DevelopmentRecord

        user = (await session.execute(select(DevelopmentRecord.user_id).where(DevelopmentRecord.id == talk_record))).scalar_one()
        await session.execute(insert(Talk), [{"record_id": talk_record, "user_id": user, "kind": "first_talk", "role": "talker",
                                              "deadline": utcnow() - timedelta(days=3), "status": "scheduled"}])
        await session.execute(insert(Assignment), [{"record_id": talk_record, "role": "talker", "user_id": student}])
        await session.commit()

    in_db(client, late_talk)
    enqueue(redis_server)
    worker = burst(app, redis_server)
    assert worker.jobs_failed == 0
    # two quarters of 思想汇报 and of 季度谈话 are past due 200 days after becoming an activist
    reports = messages_of(client, student, "思想汇报")
    assert sorted(m.title.split("已超过")[0] for m in reports) == ["您的思想汇报（第一季度）", "您的思想汇报（第二季度）"]
    assert all(m.kind == "overdue" for m in reports)
    talks = messages_of(client, student, "入党申请人谈话已超过截止时间")
    assert len(talks) == 1 and "请尽快安排谈话" in talks[0].title
    enqueue(redis_server)
    burst(app, redis_server)  # a second run the same day sends nothing new
    assert len(messages_of(client, student, "思想汇报")) == 2

    async def rows(session):
        return (await session.execute(select(func.count()).select_from(outbox.OutboxMessage).where(
            outbox.OutboxMessage.recipient_id == student, outbox.OutboxMessage.kind == "overdue"))).scalar_one()

    assert in_db(client, rows) == 3


def test_cron_entry_waits_for_the_reminder_hour(tmp_path):
    late = make_settings(tmp_path, dashboard={"reminder_hour": 24})
    assert asyncio.run(overdue_reminders_hourly({"settings": late})) is None
