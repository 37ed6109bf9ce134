"""Admin side of the applicant stage: the 入党申请人 list and its actions, single and batch."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from core.auth import Requires, get_user_in_scope, scope_condition
from core.db import SessionDep
from core.errors import fail
from core.models import StudentProfile, User
from core.responses import PagingDep, ok, count_of
from core.workflow.components.review import STATUS_LABELS as LETTER_LABELS, submission_json
from core.workflow.components.talk import FORMAL_MEMBER, STATUS_LABELS as TALK_LABELS, talk_json
from core.workflow.models import DevelopmentRecord
from core.workflow.timeline import record_json
from plugins.dev_applicant.stage import LETTER, STAGE_KEY, TALK

router = APIRouter(prefix="/api/pc/v1/development/applicants", tags=["管理端-入党申请人"])


class ProxyIn(BaseModel):
    user_id: int = Field(title="学生")
    files: list[str] = Field(default_factory=list, title="入党申请书")
    signed_date: Optional[date] = Field(None, title="落款时间")


class ReviewIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="申请人")
    approve: bool = Field(title="审核结果")
    reason: str = Field("", max_length=500, title="审核不通过理由")


class AssignIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="申请人")
    talker_id: int = Field(title="谈话人")
    deadline: datetime = Field(title="谈话记录截止提交时间")


class ProxyTalkIn(BaseModel):
    record_id: int
    place: str = Field(min_length=1, max_length=200, title="谈话地点")
    scheduled_at: datetime = Field(title="谈话时间")
    content: str = Field(min_length=1, max_length=5000, title="谈话记录")
    talk_date: date = Field(title="谈话日期")


class RecordIn(BaseModel):
    record_id: int


class RecordIds(BaseModel):
    record_ids: list[int] = Field(min_length=1)


def _ids(value) -> list[int]:
    if isinstance(value, str):
        return [int(x) for x in value.split(",") if x.strip()]
    return value


@router.get("", summary="入党申请人列表")
async def list_applicants(
    request: Request, session: SessionDep, actor: Requires("dev.applicant"), paging: PagingDep,
    name: str = Query("", title="姓名"), student_no: str = Query("", title="学号"),
    step: str = Query("", title="环节"), status: str = Query("", title="状态"),
):
    engine = request.app.state.engine
    q = (select(DevelopmentRecord, User).join(User, User.id == DevelopmentRecord.user_id)
         .where(DevelopmentRecord.stage == STAGE_KEY, User.deleted_at.is_(None), scope_condition(actor)))
    if name:
        q = q.where(User.name.contains(name.strip()))
    if student_no:
        q = q.where(User.student_no.contains(student_no.strip()))
    if step:
        q = q.where(DevelopmentRecord.step == step)
    if status:
        q = q.where(DevelopmentRecord.status == status)
    total = await count_of(session, q)
    rows = (await session.execute(q.order_by(DevelopmentRecord.id.desc()).offset(paging.offset).limit(paging.per_page))).all()
    ids = [r.id for r, _ in rows]
    letters = await LETTER.latest(session, ids) if ids else {}
    talks = await TALK.current(session, ids) if ids else {}
    talker_ids = {t.talker_id for t in talks.values()}
    talkers = dict((await session.execute(select(User.id, User.name).where(User.id.in_(talker_ids)))).all()) if talker_ids else {}
    items = []
    for r, u in rows:
        letter, talk = letters.get(r.id), talks.get(r.id)
        items.append({
            **record_json(r, engine.registry, engine.settings), "name": u.name, "student_no": u.student_no, "party_branch_id": u.party_branch_id,
            "letter_status": letter.status if letter else None,
            "letter_status_label": LETTER_LABELS.get(letter.status) if letter else "未提交",
            "applied_at": (r.milestones or {}).get("applied_at") or (letter.signed_date.isoformat() if letter and letter.signed_date else None),
            "talk_status": talk.status if talk else None,
            "talk_status_label": TALK_LABELS.get(talk.status) if talk else "未指派",
            "talker_name": talkers.get(talk.talker_id) if talk else None,
        })
    return ok({"items": items, "total": total})


@router.get("/proxy-candidates", summary="可代理申请的学生（已完善信息、未申请）")
async def proxy_candidates(session: SessionDep, actor: Requires("dev.applicant.proxy"), keyword: str = ""):
    q = (select(User).join(StudentProfile, StudentProfile.user_id == User.id)
         .where(StudentProfile.complete.is_(True), User.deleted_at.is_(None), User.party_branch_id.is_not(None),
                ~User.id.in_(select(DevelopmentRecord.user_id)), scope_condition(actor)))
    if keyword:
        q = q.where(User.name.contains(keyword) | User.student_no.contains(keyword))
    users = (await session.execute(q.order_by(User.student_no).limit(200))).scalars().all()
    return ok({"options": [{"label": f"{u.name}（{u.student_no or u.username}）", "value": u.id} for u in users]})


@router.post("/proxy", summary="新增入党申请（代理上传）")
async def proxy_apply(body: ProxyIn, request: Request, session: SessionDep, actor: Requires("dev.applicant.proxy")):
    engine = request.app.state.engine
    user = await get_user_in_scope(session, actor, body.user_id)
    record = await engine.record_of(session, user.id)
    if record is not None:
        raise fail(409, f"{user.name}已提交过入党申请，不能重复申请")
    (record,) = await engine.start(session, actor, [user], stage=STAGE_KEY, title="党支部代理递交入党申请")
    await LETTER.submit(session, engine, actor, record, user, files=body.files, signed_date=body.signed_date, by_proxy=True)
    await session.commit()
    return ok({"record_id": record.id}, "已代理提交入党申请")


@router.get("/{record_id}/detail", summary="申请人信息及材料（审核页）")
async def detail(record_id: int, request: Request, session: SessionDep, actor: Requires("dev.applicant")):
    engine = request.app.state.engine
    (record,), users = await engine.load(session, actor, [record_id])
    user = users[record.user_id]
    letter = (await LETTER.latest(session, [record.id])).get(record.id)
    talk = (await TALK.current(session, [record.id])).get(record.id)
    names = dict((await session.execute(select(User.id, User.name).where(User.id.in_({user.id, talk.talker_id} if talk else {user.id})))).all())
    profile = await session.get(StudentProfile, user.id)
    return ok({
        **record_json(record, engine.registry, engine.settings), "name": user.name, "student_no": user.student_no, "phone": user.phone,
        "gender": profile.gender if profile else None,
        "birth_date": profile.birth_date.isoformat() if profile and profile.birth_date else None,
        "letter": submission_json(letter) if letter else None,
        "talk": talk_json(talk, names, request.app.state.settings) if talk else None,
    })


@router.post("/review", summary="审核入党申请（单个或批量）")
async def review(body: ReviewIn, request: Request, session: SessionDep, actor: Requires("dev.applicant.review")):
    await LETTER.review(session, request.app.state.engine, actor, body.record_ids, approve=body.approve, reason=body.reason)
    await session.commit()
    return ok({"count": len(body.record_ids)}, "审核通过，已进入党组织派人谈话环节" if body.approve else "已退回，申请人可修改后重新提交")


@router.post("/urge", summary="催交入党申请书")
async def urge(body: RecordIds, request: Request, session: SessionDep, actor: Requires("dev.applicant.review")):
    result = await LETTER.urge(session, request.app.state.engine, actor, body.record_ids)
    await session.commit()
    return ok({"sent": len(result.sent), "skipped": len(result.skipped)},
              f"已提醒 {len(result.sent)} 人" + (f"，{len(result.skipped)} 人近期已提醒过" if result.skipped else ""))


@router.get("/talkers", summary="可担任谈话人的正式党员")
async def talkers(session: SessionDep, actor: Requires("dev.applicant.talk")):
    q = (select(User).join(StudentProfile, StudentProfile.user_id == User.id)
         .where(StudentProfile.political_status == FORMAL_MEMBER, User.deleted_at.is_(None), scope_condition(actor)))
    users = (await session.execute(q.order_by(User.name).limit(500))).scalars().all()
    return ok({"options": [{"label": f"{u.name}（{u.student_no or u.username}）", "value": u.id} for u in users]})


@router.post("/talk/assign", summary="指派谈话人（单个或批量）")
async def assign(body: AssignIn, request: Request, session: SessionDep, actor: Requires("dev.applicant.talk")):
    await TALK.assign(session, request.app.state.engine, actor, body.record_ids, talker_id=body.talker_id,
                      deadline=body.deadline)
    await session.commit()
    return ok({"count": len(body.record_ids)}, "已指派谈话人，并通知谈话人安排谈话")


@router.post("/talk/proxy", summary="上传谈话（代理填写谈话记录）")
async def proxy_talk(body: ProxyTalkIn, request: Request, session: SessionDep, actor: Requires("dev.applicant.talk")):
    await TALK.proxy_fill(session, request.app.state.engine, actor, body.record_id, place=body.place,
                          when=body.scheduled_at, content=body.content, talk_date=body.talk_date)
    await session.commit()
    return ok(None, "谈话记录已保存，请点击“确认谈话”完成上传")


@router.post("/talk/confirm", summary="确认谈话")
async def confirm_talk(body: RecordIn, request: Request, session: SessionDep, actor: Requires("dev.applicant.talk")):
    await TALK.confirm_proxy(session, request.app.state.engine, actor, body.record_id)
    await session.commit()
    return ok(None, "已确认谈话，等待审核谈话记录")


@router.post("/talk/review", summary="审核谈话记录（单个或批量）")
async def review_talk(body: ReviewIn, request: Request, session: SessionDep, actor: Requires("dev.applicant.talk")):
    await TALK.review(session, request.app.state.engine, actor, body.record_ids, approve=body.approve, reason=body.reason)
    await session.commit()
    return ok({"count": len(body.record_ids)}, "审核通过，已进入申请人公示环节" if body.approve else "已退回，谈话人可修改后重新提交")
