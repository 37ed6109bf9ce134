"""开放<title>入口 for a ``ReviewComponent`` (``open_label=``, e.g. 开放转正申请): the branch
opens the submission for chosen people first; until then the person's submission is refused.
The opening is a timeline line of the current visit of the step (like DateStep's flow), so a
person sent back to the step is opened again. The person is told (a to-do linking to the
submission screen)."""
from sqlalchemy import select

from core import outbox
from core.db import SessionDep
from core.errors import fail
from core.responses import Envelope, ok
from core.workflow.deps import EngineDep
from core.workflow.models import DevelopmentEvent
from core.workflow.schemas import CountOut, RecordIds

ACTION = "opened"


async def opened(c, session, records) -> set[int]:
    """Records whose entry was opened since they entered the step (one statement)."""
    if not records:
        return set()
    rows = (await session.execute(select(DevelopmentEvent.record_id, DevelopmentEvent.created_at).where(
        DevelopmentEvent.record_id.in_([r.id for r in records]), DevelopmentEvent.action == ACTION,
        DevelopmentEvent.stage == c.stage, DevelopmentEvent.step == c.step))).all()
    entered = {r.id: r.step_entered_at for r in records}
    return {rid for rid, at in rows if entered.get(rid) is None or at >= entered[rid]}


async def open_entry(c, session, engine, actor, record_ids: list[int]) -> int:
    """Open the entry for the people (all at the step, none opened already in this visit)."""
    records, users = await engine.load(session, actor, record_ids)
    engine.check_position(records, users, c.stage, c.step)
    done = await opened(c, session, records)
    if done:
        raise fail(409, f"以下人员已{c.open_label}：{'、'.join(users[r.user_id].name for r in records if r.id in done)}")
    await engine.note(session, actor, records, action=ACTION, title=c.open_label)
    await outbox.notify(session, [r.user_id for r in records], f"请提交{c.title}",
                        f"党支部已{c.open_label}，请在小程序“{c.title}”中上传{c.title}扫描件。", kind="todo",
                        link=c.mp_link, object_type="dev_record", sender_id=actor.id)
    return len(records)


def routes(c, router, prefix: str, reviewer) -> None:
    @router.post(f"{prefix}/open", response_model=Envelope[CountOut], summary=f"{c.open_label}（单个或批量）")
    async def open_(body: RecordIds, session: SessionDep, engine: EngineDep, actor: reviewer):
        n = await open_entry(c, session, engine, actor, body.record_ids)
        await session.commit()
        return ok({"count": n}, f"已{c.open_label}")


def row_action(c, url: str) -> dict:
    here = f"this.step === '{c.step}' && this.status === 'active'"
    return {"type": "button", "label": c.open_label, "level": "link", "actionType": "ajax",
            "confirmText": f"确定{c.open_label}？将通知${{name}}提交{c.title}",
            "api": {"method": "post", "url": url, "data": {"record_ids": ["${id}"]}},
            "visibleOn": f"{here} && !this.{c.key}_opened"}


def bulk_action(c, url: str) -> dict:
    return {"type": "button", "label": f"批量{c.open_label}", "actionType": "ajax", "confirmText": f"确定{c.open_label}？",
            "api": {"method": "post", "url": url, "data": {"record_ids": "${ids|split}"}}}
