"""To-do items (待办事项) of the applicant stage for the MP: talkers, applicants, branch admins."""
from __future__ import annotations

from sqlalchemy import func, select

from core.auth import scope_condition
from core.models import User
from core.workflow.components.review import Submission
from core.workflow.components.talk import Talk
from core.workflow.models import DevelopmentRecord
from plugins.dev_applicant.stage import LETTER, STAGE_KEY, TALK

TALK_TASKS = {"assigned": ("安排谈话", "请安排与{name}的谈话日程"),
             "scheduled": ("提交谈话记录", "请提交与{name}的谈话记录"),
             "rejected": ("重新提交谈话记录", "与{name}的谈话记录被退回，请修改后重新提交")}


async def todo_items(session, actor) -> list[dict]:
    items: list[dict] = []
    talks = (await session.execute(
        select(Talk.id, Talk.status, Talk.deadline, User.name).join(User, User.id == Talk.user_id)
        .join(DevelopmentRecord, DevelopmentRecord.id == Talk.record_id)
        .where(Talk.talker_id == actor.id, Talk.kind == TALK.kind, Talk.status.in_(tuple(TALK_TASKS)),
               DevelopmentRecord.stage == STAGE_KEY, DevelopmentRecord.step == TALK.step)
    )).all()
    for talk_id, status, deadline, name in talks:
        kind, title = TALK_TASKS[status]
        items.append({"kind": kind, "title": title.format(name=name), "due_at": deadline,
                      "object_type": "talk", "object_id": talk_id, "link": f"/mp/talks/{talk_id}"})
    record = (await session.execute(select(DevelopmentRecord).where(DevelopmentRecord.user_id == actor.id))).scalar_one_or_none()
    if record and record.stage == STAGE_KEY and record.step == LETTER.step and record.status == "active":
        last = (await LETTER.latest(session, [record.id])).get(record.id)
        if last is None or last.status in ("rejected", "withdrawn"):
            items.append({"kind": "提交入党申请书", "title": "入党申请书被退回，请修改后重新提交" if last and last.status == "rejected"
                          else "请上传入党申请书", "due_at": None, "object_type": "dev_record", "object_id": record.id,
                          "link": "/mp/development/apply"})
    if actor.can("dev.applicant.review"):
        newest = (select(func.max(Submission.id).label("sid")).where(Submission.kind == LETTER.kind)
                  .group_by(Submission.record_id).subquery())
        pending = (await session.execute(
            select(func.count()).select_from(Submission).join(newest, newest.c.sid == Submission.id)
            .join(User, User.id == Submission.user_id)
            .where(Submission.status == "submitted", scope_condition(actor)))).scalar_one()
        if pending:
            items.append({"kind": "审核入党申请", "title": f"有 {pending} 份入党申请书待审核", "due_at": None,
                          "object_type": "applicants", "object_id": None, "link": "/admin/#/admin/development/page/applicants"})
    return items
