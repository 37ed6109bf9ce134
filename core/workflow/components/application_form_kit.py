"""What an ``ApplicationForm`` mounts: the committee's register (number ranges, the numbers
given), 分配编号 (one by one or the next free numbers of a year), 下发入党志愿书, the branch's
确认志愿书提交; the student's MP view with the template PDF; list columns, actions, the
入党志愿书编号 page and to-dos."""

from datetime import date
from functools import partial
from typing import Optional

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from fastapi_amis_admin.amis.components import Page, PageSchema
from pydantic import BaseModel, Field
from sqlalchemy import and_, func, select

from core.admin_site import XfPage
from core.amis_crud import crud, datetime_column, dialog_button, operations
from core.auth import Requires, scope_condition
from core.db import SessionDep
from core.errors import fail
from core.models import StudentProfile, User
from core.responses import Empty, Envelope, Page as PageOf, PagingDep, ok
from core.text import PlainText
from core.workflow.components.application_form import (STATUS_LABELS, ApplicationForm, FormNumber, FormNumberOut, FormRange,
                                                        number_text)
from core.workflow.components.application_form_pdf import TemplateDoc, template_pdf
from core.workflow.components.base import ListColumn
from core.workflow.deps import EngineDep
from core.workflow.kit import todo
from core.workflow.models import DevelopmentRecord
from core.workflow.own_record import own_at
from core.workflow.schemas import CountOut, MovedOut, RecordOut, record_out

PDF = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}, "description": "PDF 文件"}}


class RangeIn(BaseModel):
    year: int = Field(ge=2000, le=2100, title="年度")
    first: int = Field(ge=1, le=10**12, title="起始编号")
    last: int = Field(ge=1, le=10**12, title="截止编号")
    note: PlainText = Field("", max_length=200, title="备注")


class RangeOut(BaseModel):
    id: int
    year: int
    first: int
    last: int
    first_text: str
    last_text: str
    total: int
    used: int = Field(description="已分配（含作废）的编号数")
    free: int
    note: str


class NumberIn(BaseModel):
    record_id: int = Field(title="发展记录")
    number: int = Field(ge=1, le=10**12, title="编号")


class AssignIn(BaseModel):
    """One number each (``items``), or the next free numbers of ``year`` for ``record_ids``."""

    items: list[NumberIn] = Field(default_factory=list, title="编号")
    record_ids: list[int] = Field(default_factory=list, title="人员")
    year: Optional[int] = Field(None, ge=2000, le=2100, title="年度")


class IdsIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="人员")


class ConfirmIn(BaseModel):
    record_ids: list[int] = Field(min_length=1, title="人员")
    day: Optional[date] = Field(None, title="提交时间")


class RegisterRow(FormNumberOut):
    name: str
    student_no: str


class FormStatus(BaseModel):
    """The student's 入党志愿书: the number once issued, and the template to fill from."""

    record: Optional[RecordOut] = None
    form: Optional[FormNumberOut] = None
    template_url: Optional[str] = Field(None, description="填写模版 PDF（下发后）")


def pc_routes(c: ApplicationForm, router: APIRouter) -> None:
    p = f"/{c.path}"
    committee = Requires(c.committee_permission)
    branch = Requires(c.permission)

    @router.get(f"{p}/ranges", response_model=Envelope[PageOf[RangeOut]], summary="入党志愿书编号段（按年度登记）")
    async def ranges(session: SessionDep, actor: committee, year: Optional[int] = Query(None, ge=2000, le=2100, title="年度")):
        q = select(FormRange).order_by(FormRange.year.desc(), FormRange.first)
        if year:
            q = q.where(FormRange.year == year)
        items = list((await session.execute(q)).scalars())
        used = dict((await session.execute(select(FormNumber.range_id, func.count()).group_by(FormNumber.range_id))).all())
        rows = [{"id": r.id, "year": r.year, "first": r.first, "last": r.last, "first_text": number_text(r.first, r.last),
                 "last_text": number_text(r.last, r.last), "total": r.last - r.first + 1, "used": used.get(r.id, 0),
                 "free": r.last - r.first + 1 - used.get(r.id, 0), "note": r.note} for r in items]
        return ok({"items": rows, "total": len(rows), "page": 1, "per_page": max(len(rows), 1)})

    @router.post(f"{p}/ranges", response_model=Envelope[RangeOut], summary="登记入党志愿书编号段")
    async def add_range(body: RangeIn, session: SessionDep, actor: committee):
        r = await c.add_range(session, actor, year=body.year, first=body.first, last=body.last, note=body.note)
        await session.commit()
        return ok({"id": r.id, "year": r.year, "first": r.first, "last": r.last, "first_text": number_text(r.first, r.last),
                   "last_text": number_text(r.last, r.last), "total": r.last - r.first + 1, "used": 0,
                   "free": r.last - r.first + 1, "note": r.note}, "编号段已登记")

    @router.delete(f"{p}/ranges/{{range_id:int}}", response_model=Envelope[Empty], summary="删除编号段（未分配编号时）")
    async def delete_range(range_id: int, session: SessionDep, actor: committee):
        r = await session.get(FormRange, range_id)
        if r is None:
            raise fail(404, "编号段不存在")
        await c.delete_range(session, r)
        await session.commit()
        return ok(None, "删除成功")

    @router.get(f"{p}/numbers", response_model=Envelope[PageOf[RegisterRow]], summary="入党志愿书编号登记簿")
    async def numbers(session: SessionDep, actor: branch, paging: PagingDep,
                      status: str = Query("", max_length=10, title="状态：assigned | issued | submitted | void"),
                      year: Optional[int] = Query(None, ge=2000, le=2100, title="年度")):
        q = (select(FormNumber, FormRange, User).join(FormRange, FormRange.id == FormNumber.range_id)
             .join(User, User.id == FormNumber.user_id).where(scope_condition(actor)))
        if status:
            q = q.where(FormNumber.status == status)
        if year:
            q = q.where(FormRange.year == year)
        total = (await session.execute(select(func.count()).select_from(q.subquery()))).scalar_one()
        rows = (await session.execute(q.order_by(FormNumber.number).offset(paging.offset).limit(paging.per_page))).all()
        return ok(paging.page_of([{**c.out(n, r).model_dump(), "name": u.name, "student_no": u.student_no or ""}
                                  for n, r, u in rows], total))

    @router.post(f"{p}/assign", response_model=Envelope[CountOut], summary="分配入党志愿书编号（单个指定或按年度批量顺序分配）")
    async def assign(body: AssignIn, session: SessionDep, engine: EngineDep, actor: committee):
        if not body.items and not body.record_ids:
            raise fail(422, "请选择人员", field="record_ids", label="人员")
        given = await c.assign(session, engine, actor, items=[(i.record_id, i.number) for i in body.items] or None,
                               record_ids=body.record_ids, year=body.year)
        await session.commit()
        return ok({"count": len(given)}, f"已为{len(given)}人分配入党志愿书编号")

    @router.post(f"{p}/issue", response_model=Envelope[CountOut], summary="下发入党志愿书（通知发展对象）")
    async def issue(body: IdsIn, session: SessionDep, engine: EngineDep, actor: committee):
        n = await c.issue(session, engine, actor, body.record_ids)
        await session.commit()
        return ok({"count": n}, "已下发入党志愿书")

    @router.post(f"{p}/confirm", response_model=Envelope[MovedOut], summary="确认志愿书提交（线下提交，无需上传）")
    async def confirm(body: ConfirmIn, session: SessionDep, engine: EngineDep, actor: branch):
        t = await c.confirm(session, engine, actor, body.record_ids, day=body.day)
        await session.commit()
        return ok(MovedOut(advanced=len(t.records), warnings=[w.message for w in t.warnings]), "已确认入党志愿书提交")


def mp_routes(c: ApplicationForm, router: APIRouter) -> None:
    student = Requires(c.mp_permission)

    async def mine(session, engine, actor):
        record = await engine.record_of(session, actor.id)
        found = (await c.live(session, [record.id])).get(record.id) if record else None
        issued = found if found and found[0].status != "assigned" else None
        return record, issued

    @router.get(f"/{c.mp_path}", response_model=FormStatus, summary=f"我的{c.title}：编号与填写模版")
    async def status(session: SessionDep, engine: EngineDep, actor: student):
        record, issued = await mine(session, engine, actor)
        return {"record": record_out(record, engine.registry) if record else None,
                "form": c.out(*issued) if issued else None,
                "template_url": f"/api/mp/v1/development/{c.mp_path}/template" if issued else None}

    @router.get(f"/{c.mp_path}/template", response_class=Response, responses=PDF, summary=f"{c.title}填写模版（PDF）")
    async def template(session: SessionDep, engine: EngineDep, actor: student):
        record, issued = await mine(session, engine, actor)
        if issued is None:
            raise fail(404, f"{c.title}尚未下发")
        n, r = issued
        profile = await session.get(StudentProfile, actor.id)
        doc = TemplateDoc(title=c.title, number=number_text(n.number, r.last), name=actor.user.name,
                          student_no=actor.user.student_no or "", gender=(profile.gender if profile else "") or "",
                          ethnicity=(profile.ethnicity if profile else "") or "",
                          birth_date=profile.birth_date if profile else None,
                          native_place=(profile.native_place if profile else "") or "", college=engine.settings.college_name)
        pdf = await anyio.to_thread.run_sync(partial(template_pdf, engine.settings.font_path, doc))
        return Response(pdf, media_type="application/pdf", headers={"Cache-Control": "no-store"})


def columns(c: ApplicationForm) -> list[ListColumn]:
    k = c.key
    return [ListColumn(f"{k}_number", f"{c.title}编号"),
            ListColumn(f"{k}_status_label", c.title, amis={"type": "tpl", "tpl": f"${{{k}_status_label || '未分配编号'}}"}),
            ListColumn(f"{k}_status", f"{c.title}状态代码", show=False)]


def _here(c) -> str:
    return f"this.step === '{c.step}' && this.status === 'active'"


def _api(url: str, many: bool) -> dict:
    return {"method": "post", "url": url, "data": {"&": "$$", "record_ids": "${ids|split}" if many else ["${id}"]}}


def row_actions(c: ApplicationForm) -> list[dict]:
    base, k = f"{c.stage_def.api_prefix}/{c.path}", c.key
    assign = dialog_button("分配编号", f"分配{c.title}编号 - ${{name}}", [
        {"type": "input-number", "name": "number", "label": "编号", "required": True, "min": 1,
         "description": "须在已登记的编号段内，且未被使用"}], "", level="link",
        visible_on=f"{_here(c)} && (!this.{k}_status || this.{k}_status === 'assigned')")
    assign["dialog"]["body"]["api"] = {"method": "post", "url": f"{base}/assign",
                                       "data": {"items": [{"record_id": "${id}", "number": "${number}"}]}}
    confirm = dialog_button("确认志愿书提交", f"确认{c.title}提交 - ${{name}}", [
        {"type": "input-date", "name": "day", "label": "提交时间", "required": True, "format": "YYYY-MM-DD", "maxDate": "${NOW}"}],
        "", level="link", visible_on=f"{_here(c)} && (this.{k}_status === 'issued' || this.{k}_status === 'submitted')")
    confirm["dialog"]["body"]["api"] = _api(f"{base}/confirm", False)
    return [assign,
            {"type": "button", "label": f"下发{c.title}", "level": "link", "actionType": "ajax", "api": _api(f"{base}/issue", False),
             "confirmText": f"下发后${{name}}将收到{c.title}填写通知，确定下发？", "visibleOn": f"{_here(c)} && this.{k}_status === 'assigned'"},
            confirm]


def bulk_actions(c: ApplicationForm) -> list[dict]:
    base = f"{c.stage_def.api_prefix}/{c.path}"
    assign = dialog_button("批量分配编号", f"按年度顺序分配{c.title}编号", [
        {"type": "input-number", "name": "year", "label": "年度", "required": True, "min": 2000, "max": 2100,
         "value": "${DATETOSTR(NOW(), 'YYYY')}", "description": "依次分配该年度编号段中未使用的最小编号"}], "", level="default")
    assign["dialog"]["body"]["api"] = _api(f"{base}/assign", True)
    confirm = dialog_button("批量确认志愿书提交", f"确认{c.title}提交", [
        {"type": "input-date", "name": "day", "label": "提交时间", "required": True, "format": "YYYY-MM-DD", "maxDate": "${NOW}"}],
        "", level="default")
    confirm["dialog"]["body"]["api"] = _api(f"{base}/confirm", True)
    return [assign, {"type": "button", "label": f"批量下发{c.title}", "actionType": "ajax", "api": _api(f"{base}/issue", True),
                     "confirmText": f"确定向所选人员下发{c.title}？"}, confirm]


def header_actions(c: ApplicationForm) -> list[dict]:
    return [{"type": "button", "label": f"{c.title}编号", "level": "default", "icon": "fa fa-book", "actionType": "link",
             "link": f"/admin/development/page{form_page_path(c)}"}]


def form_page_path(c: ApplicationForm) -> str:
    return f"/{c.stage_def.slug or c.stage_def.key}_{c.path.replace('-', '_')}"


def pages(c: ApplicationForm) -> list[type]:
    base = f"{c.stage_def.api_prefix}/{c.path}"

    class FormNumberPage(XfPage):
        page_schema = PageSchema(label=f"{c.title}编号", icon="fa fa-book")
        page_path = form_page_path(c)
        permission = c.committee_permission

        async def get_page(self, request: Request) -> Page:
            add = dialog_button("登记编号段", "登记入党志愿书编号段", [
                {"type": "input-number", "name": "year", "label": "年度", "required": True, "min": 2000, "max": 2100},
                {"type": "input-number", "name": "first", "label": "起始编号", "required": True, "min": 1},
                {"type": "input-number", "name": "last", "label": "截止编号", "required": True, "min": 1},
                {"type": "input-text", "name": "note", "label": "备注", "maxLength": 200}],
                f"post:{base}/ranges", level="primary", icon="fa fa-plus", reload="ranges")
            ranges = crud(f"get:{base}/ranges", [
                {"name": "year", "label": "年度"}, {"name": "first_text", "label": "起始编号"}, {"name": "last_text", "label": "截止编号"},
                {"name": "total", "label": "总数"}, {"name": "used", "label": "已使用"}, {"name": "free", "label": "剩余"},
                {"name": "note", "label": "备注"},
                operations({"type": "button", "label": "删除", "level": "link", "className": "text-danger", "actionType": "ajax",
                            "api": f"delete:{base}/ranges/${{id}}", "confirmText": "确定删除该编号段？",
                            "visibleOn": "this.used === 0"})], header=[add])
            ranges.update({"id": "ranges", "name": "ranges"})
            register = crud(f"get:{base}/numbers", [
                {"name": "number_text", "label": "编号"}, {"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"},
                {"name": "year", "label": "年度"}, {"name": "status_label", "label": "状态"},
                datetime_column("issued_at", "下发时间"), {"name": "submitted_on", "label": "提交时间"}],
                filters=[{"type": "select", "name": "status", "label": "状态", "clearable": True,
                          "options": [{"label": v, "value": k} for k, v in STATUS_LABELS.items()]}])
            register.update({"id": "register", "name": "register"})
            return Page(title=f"{c.title}编号", body=[{"type": "panel", "title": "编号段", "body": ranges},
                                                     {"type": "panel", "title": "编号登记簿", "body": register}])

    FormNumberPage.__name__ = FormNumberPage.__qualname__ = f"FormNumber_{c.stage}_{c.step}"
    return [FormNumberPage]


async def todo_items(c: ApplicationForm, session, actor) -> list:
    """The committee: numbers to assign and forms to issue; the branch: paper forms to confirm;
    the student: the issued form to fill."""
    items = []
    link = c.stage_def.page_url
    # FormNumber.user_id is the record's person: only their own active record at this step can have one.
    at_step = await own_at(session, actor.id, c.stage, c.step)
    mine = None if not at_step else (await session.execute(select(FormNumber.record_id).join(DevelopmentRecord, DevelopmentRecord.id == FormNumber.record_id)
                                  .where(FormNumber.user_id == actor.id, FormNumber.status == "issued",
                                         DevelopmentRecord.stage == c.stage, DevelopmentRecord.step == c.step,
                                         DevelopmentRecord.status == "active"))).scalar_one_or_none()
    if mine is not None:
        items.append(todo("fill_application_form", f"填写{c.title}", f"请查看{c.title}编号和填写模版，线下填写后提交党支部",
                          object_id=mine, link=f"/mp/development/{c.mp_path}"))
    committee, branch = actor.can(c.committee_permission), actor.can(c.permission)
    if actor.scope not in ("all", "branch") or not (committee or branch):
        return items
    counts = dict((await session.execute(
        select(FormNumber.status, func.count()).select_from(DevelopmentRecord).join(User, User.id == DevelopmentRecord.user_id)
        .outerjoin(FormNumber, and_(FormNumber.record_id == DevelopmentRecord.id, FormNumber.status != "void"))
        .where(DevelopmentRecord.stage == c.stage, DevelopmentRecord.step == c.step, DevelopmentRecord.status == "active",
               User.deleted_at.is_(None), scope_condition(actor))
        .group_by(FormNumber.status))).all())
    if committee:
        if counts.get(None):
            items.append(todo("assign_form_number", f"分配{c.title}编号", f"有 {counts[None]} 人待分配{c.title}编号", link=link))
        if counts.get("assigned"):
            items.append(todo("issue_application_form", f"下发{c.title}", f"有 {counts['assigned']} 人待下发{c.title}", link=link))
    elif branch and counts.get("issued"):
        items.append(todo("confirm_application_form", f"确认{c.title}提交", f"有 {counts['issued']} 人待确认{c.title}提交",
                          link=link))
    return items
