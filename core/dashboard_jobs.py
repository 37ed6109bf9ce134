"""The daily overdue reminders (issue 16) and the 工作台's hook implementations (its permission
key, the job and its cron entry), registered by the plugin manager as ``core_dashboard``.

The job reads the same overdue lists as the 工作台 (core/dashboard_overdue.py) for the whole
college and writes one outbox message per person and item per local day: a reminder already
logged today (``xf_urge_log``, item ``overdue:<day>:<item>``) is not written again, so a second
run, a retried job or two workers produce nothing new, and the in-app message's dedupe key
(the same string) shows it once even if two runs raced. The cron entry fires every hour; the
job sends from ``reminder_hour`` (local, setting ``[dashboard] reminder_hour``, default 8) so a
worker that was down at that hour still sends the day's reminders when it returns.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from arq import cron
from sqlalchemy import insert, select

from core import clock
from core.dashboard_overdue import overdue
from core.hookspecs import hookimpl
from core.outbox import OutboxMessage, UrgeLog
from core.permissions import Permission

JOB = "xf_overdue_reminders"
DEFAULT_HOUR = 8


async def send_reminders(sessionmaker, registry, now: datetime | None = None) -> dict:
    """Remind everyone of what is overdue today (idempotent per local day); returns counts."""
    now = now or clock.utcnow()
    day = clock.local_date(now).isoformat()
    prefix = f"overdue:{day}:"
    async with sessionmaker() as session:
        found = await overdue(session, registry, None, now, limit=None)
        done = set((await session.execute(
            select(UrgeLog.item_key, UrgeLog.recipient_id).where(UrgeLog.item_key.like(prefix + "%"),
                                                                 UrgeLog.sent_at > now - timedelta(days=2)))).all())
        logs, messages = [], []
        for item in found.items:
            key = prefix + item.key
            for uid in dict.fromkeys(item.recipients):
                if (key, uid) in done:
                    continue
                done.add((key, uid))
                logs.append({"item_key": key, "recipient_id": uid, "sender_id": None, "sent_at": now})
                messages.append({"recipient_id": uid, "sender_id": None, "title": item.notice[:200],
                                 "body": f"{item.title}。", "kind": "overdue", "link": item.link[:300],
                                 "object_type": item.object_type, "object_id": item.object_id, "dedupe_key": key,
                                 "status": "pending", "channels_done": "", "attempts": 0, "next_attempt_at": now,
                                 "last_error": "", "created_at": now})
        if logs:
            await session.execute(insert(UrgeLog.__table__), logs)
            await session.execute(insert(OutboxMessage.__table__), messages)
            session.info["xf_kick"] = True
        await session.commit()
    return {"items": len(found.items), "sent": len(messages), "day": day}


async def overdue_reminders(ctx) -> dict:
    """The job (also enqueued by name): today's reminders now."""
    from core.workflow.engine import Engine
    from core.workflow.stages import StageRegistry

    registry = ctx.get("stage_registry")
    if registry is None:
        plugins = ctx["plugins"]
        registry = Engine(StageRegistry(plugins.collect("xf_stages"), plugins.collect("xf_extra_steps")), plugins,
                          ctx["settings"]).registry
        ctx["stage_registry"] = registry
    return await send_reminders(ctx["sessionmaker"], registry)


async def overdue_reminders_hourly(ctx) -> dict | None:
    """The cron entry: from the reminder hour on, each hour (a no-op once the day's are sent)."""
    hour = int(ctx["settings"].section("dashboard").get("reminder_hour", DEFAULT_HOUR))
    if clock.local_now().hour < hour:
        return None
    return await overdue_reminders(ctx)


@hookimpl
def xf_permissions():
    return [Permission("dashboard", "工作台统计（人数、逾期事项、时间提醒）", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_jobs():
    from arq import func

    return [func(overdue_reminders, name=JOB, keep_result=0)]


@hookimpl
def xf_cron_jobs():
    return [cron(overdue_reminders_hourly, name="xf_overdue_reminders_hourly", minute={0}, unique=True, keep_result=0)]
