"""The PC routes of the organisation life (组织生活), shared by every ``GeneralMeeting`` use and
mounted once by the kit under ``/api/pc/v1/development/org-life``: list, create, detail,
edit, delete, 导入人员, 表决对象, 生成表决票, 保存并发布, 签到码/签退码 (URL and QR PNG),
attendance with 补录/请假, 确认参会名单, 组织生活记录 and the two PDFs. What they take and
answer is in ``general_meeting_schemas.py``."""

from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import func, select

from core import clock
from core.auth import Requires
from core.db import SessionDep
from core.errors import fail
from core.mobile.links import m_url
from core.models import User, utcnow
from core.responses import Empty, Envelope, Option, Options, Page, PagingDep, ok
from core.workflow.components import general_meeting_attendance as attendance
from core.workflow.components import general_meeting_record as recording
from core.workflow.components.downloads import PDF, stored
from core.workflow.components.general_meeting import ATTENDANCE, KIND, MeetingAttendance, attendance_code
from core.workflow.components.general_meeting_codes import KINDS, make_code, qr_png, window
from core.workflow.components.general_meeting_life import OrgLife
from core.workflow.components.general_meeting_schemas import (AttendanceOut, CandidateOut, CodeOut, MarkIn, MeetingDetail,
                                                              MeetingIn, MeetingOut, PeopleIn, RecordedOut, RecordIn, UserIdsIn,
                                                              detail_of, meeting_out, meeting_values)
from core.workflow.deps import EngineDep
from core.workflow.models import Batch, BatchEntry
from core.workflow.schemas import moved_out

PREFIX = "/org-life"
PNG = {200: {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}, "description": "二维码图片"}}


def pc_routes(router: APIRouter, instances: list) -> None:
    life = OrgLife(instances)
    base = f"{router.prefix}{PREFIX}"
    manager = Requires("dev.org_life")

    async def detail(session, b) -> dict:
        return await detail_of(life, session, b, base)

    @router.get(PREFIX, response_model=Envelope[Page[MeetingOut]], summary="组织生活列表（含按时间计算的会议状态）")
    async def list_meetings(session: SessionDep, actor: manager, paging: PagingDep,
                            type: str = Query("", max_length=20, title="类型"),
                            vote: str = Query("", max_length=40, title="表决内容"),
                            state: str = Query("", max_length=10, title="状态：draft | published | confirmed | completed"),
                            title: str = Query("", max_length=100, title="会议名称")):
        cond = [Batch.kind == KIND, life.scope_filter(actor)]
        if type:
            cond.append(Batch.data["type"].as_string() == type)
        if vote:
            use = life.uses.get(vote)
            cond += [Batch.stage == use.stage, Batch.step == use.step] if use else [Batch.id.is_(None)]
        if state:
            cond.append(Batch.state == state)
        if title.strip():
            cond.append(Batch.title.contains(title.strip()))
        total = (await session.execute(select(func.count()).select_from(Batch).where(*cond))).scalar_one()
        items = list((await session.execute(select(Batch).where(*cond).order_by(Batch.start_at.desc(), Batch.id.desc())
                                            .offset(paging.offset).limit(paging.per_page))).scalars())
        ids = [b.id for b in items]
        counts = await life.counts(session, ids)
        people = dict((await session.execute(select(BatchEntry.batch_id, func.count()).where(
            BatchEntry.batch_id.in_(ids), BatchEntry.removed_at.is_(None)).group_by(BatchEntry.batch_id))).all()) if ids else {}
        names = await life.names(session, [b.branch_id for b in items])
        now = utcnow()
        return ok(paging.page_of([meeting_out(life, b, names.get(b.branch_id, ""), counts.get(b.id, {}), people.get(b.id, 0), now, base)
                                  for b in items], total))

    @router.post(PREFIX, response_model=Envelope[MeetingDetail], summary="创建组织生活（设置基本信息）")
    async def create(body: MeetingIn, session: SessionDep, actor: manager):
        b = await life.create(session, actor, meeting_values(body), branch_id=body.branch_id)
        await session.commit()
        return ok(await detail(session, b), "创建成功")

    @router.get(f"{PREFIX}/voter-options", response_model=Envelope[Options], summary="可导入的表决人员（本支部正式党员）")
    async def voter_options(session: SessionDep, actor: manager, branch_id: Optional[int] = Query(None, title="党支部")):
        branch = life.owner(actor, branch_id)
        users = (await session.execute(life.formal_members(branch).order_by(User.student_no, User.id).limit(500))).scalars()
        return ok({"options": [Option(label=f"{u.name}（{u.student_no or u.username}）", value=u.id) for u in users]})

    @router.get(f"{PREFIX}/{{meeting_id:int}}", response_model=Envelope[MeetingDetail], summary="组织生活详情")
    async def get_one(meeting_id: int, session: SessionDep, actor: manager):
        return ok(await detail(session, await life.get(session, actor, meeting_id)))

    @router.put(f"{PREFIX}/{{meeting_id:int}}", response_model=Envelope[MeetingDetail], summary="修改基本信息（发布前）")
    async def update(meeting_id: int, body: MeetingIn, session: SessionDep, actor: manager):
        b = await life.update(session, actor, await life.get(session, actor, meeting_id), meeting_values(body))
        await session.commit()
        return ok(await detail(session, b), "保存成功")

    @router.delete(f"{PREFIX}/{{meeting_id:int}}", response_model=Envelope[Empty], summary="删除组织生活（发布前）")
    async def delete_one(meeting_id: int, session: SessionDep, actor: manager):
        await life.delete(session, actor, await life.get(session, actor, meeting_id))
        await session.commit()
        return ok(None, "删除成功")

    @router.put(f"{PREFIX}/{{meeting_id:int}}/voters", response_model=Envelope[MeetingDetail], summary="导入表决人员（本支部正式党员）")
    async def set_voters(meeting_id: int, body: UserIdsIn, session: SessionDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        n = await life.set_voters(session, actor, b, body.user_ids)
        await session.commit()
        return ok(await detail(session, b), f"已导入{n}名表决人员")

    @router.get(f"{PREFIX}/{{meeting_id:int}}/candidates", response_model=Envelope[Page[CandidateOut]],
                summary="可选表决对象（处于表决环节、本支部、未在其他未完成会议中的人员）")
    async def candidates(meeting_id: int, session: SessionDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        use = life.use_of(b)
        rows = await use.candidates(session, actor, b) if use else []
        items = [{"record_id": r.id, "user_id": u.id, "name": u.name, "student_no": u.student_no or "", "chosen": chosen}
                 for r, u, chosen in rows]
        return ok({"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)})

    @router.put(f"{PREFIX}/{{meeting_id:int}}/people", response_model=Envelope[MeetingDetail], summary="选择表决对象")
    async def set_people(meeting_id: int, body: PeopleIn, session: SessionDep, engine: EngineDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        n = await life.set_people(session, engine, actor, b, body.record_ids)
        await session.commit()
        return ok(await detail(session, b), f"已选择{n}名表决对象")

    @router.post(f"{PREFIX}/{{meeting_id:int}}/ballot", response_model=Envelope[MeetingDetail], summary="生成表决票")
    async def make_ballot(meeting_id: int, session: SessionDep, engine: EngineDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        await life.ballot(session, engine, actor, b)
        await session.commit()
        return ok(await detail(session, b), "表决票已生成")

    @router.post(f"{PREFIX}/{{meeting_id:int}}/publish", response_model=Envelope[MeetingDetail], summary="保存并发布")
    async def publish(meeting_id: int, session: SessionDep, engine: EngineDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        n = await life.publish(session, engine, actor, b)
        await session.commit()
        return ok(await detail(session, b), f"会议已发布，已通知{n}名参会人员")

    def code_of(request: Request, b: Batch, kind: str) -> dict:
        if kind not in KINDS:
            raise fail(404, "二维码类型不存在")
        if b.state != "published":
            raise fail(409, "会议未发布或参会名单已确认，没有可用的二维码" if b.state != "draft" else "会议发布后才有签到码和签退码")
        opens, closes = window(request.app.state.settings, kind, b.start_at, b.end_at)
        label = KINDS[kind][1]
        now = utcnow()
        if now < opens:
            raise fail(409, f"{label}码将在会议开始时生成")
        if now >= closes:
            raise fail(409, f"{label}时间已过，{label}码已失效")
        code = make_code(request.app.state.settings.secret_key, b.id, kind, closes)
        return {"kind": kind, "kind_label": label, "url": m_url(request, f"/org-life/{b.id}/{kind}?code={code}"),
                "valid_from": opens, "valid_until": closes, "valid_text": f"{clock.fmt(opens)} 至 {clock.fmt(closes)}"}

    @router.get(f"{PREFIX}/{{meeting_id:int}}/code/{{kind}}", response_model=Envelope[CodeOut],
                summary="签到码/签退码（会议期间有效）：手机扫码打开的地址")
    async def code(meeting_id: int, kind: str, request: Request, session: SessionDep, actor: manager):
        return ok(code_of(request, await life.get(session, actor, meeting_id), kind))

    @router.get(f"{PREFIX}/{{meeting_id:int}}/qr/{{kind}}", response_class=Response, responses=PNG,
                summary="签到码/签退码二维码图片（PNG）")
    async def qr(meeting_id: int, kind: str, request: Request, session: SessionDep, actor: manager):
        found = code_of(request, await life.get(session, actor, meeting_id), kind)
        return Response(qr_png(found["url"]), media_type="image/png", headers={"Cache-Control": "no-store"})

    @router.get(f"{PREFIX}/{{meeting_id:int}}/attendance", response_model=Envelope[Page[AttendanceOut]],
                summary="参会情况（签到、签退、补录、请假、缺席）")
    async def list_attendance(meeting_id: int, session: SessionDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        rows = (await session.execute(select(MeetingAttendance, User).join(User, User.id == MeetingAttendance.user_id)
                                      .where(MeetingAttendance.batch_id == b.id)
                                      .order_by(MeetingAttendance.voter.desc(), User.student_no, User.id))).all()
        items = []
        for a, u in rows:
            code = attendance_code(a.status, a.signed_in_at, a.signed_out_at, a.supplemented)
            items.append({"user_id": u.id, "name": u.name, "student_no": u.student_no or "", "voter": a.voter,
                          "subject": a.subject, "status": code, "status_label": ATTENDANCE[code],
                          "signed_in_at": a.signed_in_at, "signed_out_at": a.signed_out_at, "note": a.note})
        return ok({"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)})

    @router.post(f"{PREFIX}/{{meeting_id:int}}/attendance", response_model=Envelope[MeetingDetail], summary="补录或请假（会议结束后）")
    async def mark(meeting_id: int, body: MarkIn, session: SessionDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        n = await attendance.mark(session, actor, b, body.user_ids, body.action, body.note)
        await session.commit()
        return ok(await detail(session, b), f"已{attendance.MARKS[body.action]}{n}人")

    @router.post(f"{PREFIX}/{{meeting_id:int}}/confirm-attendance", response_model=Envelope[MeetingDetail],
                 summary="确认参会名单（未签到、未补录、未请假的为缺席）")
    async def confirm(meeting_id: int, session: SessionDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        await attendance.confirm(session, life, actor, b)
        await session.commit()
        return ok(await detail(session, b), "参会名单已确认，请填写组织生活记录")

    @router.post(f"{PREFIX}/{{meeting_id:int}}/record", response_model=Envelope[RecordedOut],
                 summary="组织生活记录：会议记录与每名表决对象的表决结果（确定记录）")
    async def record(meeting_id: int, body: RecordIn, session: SessionDep, engine: EngineDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        items = [recording.VoteItem(i.record_id, i.outcome, i.yes, i.no, i.abstain) for i in body.items]
        res = await recording.record(session, engine, life, actor, b, minutes=body.minutes, items=items)
        await session.commit()
        moved = moved_out(res) if res else {}
        return ok({"id": b.id, "state": b.state, **moved}, "组织生活记录已保存")

    @router.get(f"{PREFIX}/{{meeting_id:int}}/ballot", response_class=FileResponse, responses=PDF, summary="导出表决票")
    async def ballot_file(meeting_id: int, request: Request, session: SessionDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        return await stored(session, request, b.document_token, "表决票")

    @router.get(f"{PREFIX}/{{meeting_id:int}}/record", response_class=FileResponse, responses=PDF, summary="导出组织生活记录")
    async def record_file(meeting_id: int, request: Request, session: SessionDep, actor: manager):
        b = await life.get(session, actor, meeting_id)
        return await stored(session, request, b.report_token, "组织生活记录")
