"""The generated list of a stage (入党申请人, 积极分子...): its typed PC routes (list and
detail) and its admin page, assembled from the stage declaration and its components'
columns, row actions, batch actions, header buttons and detail panels.

Row actions send ``record_ids: [id]`` (a list, as every batch route wants); batch actions
send the selected ids. Every row carries ``can_redevelop`` / ``can_revote`` for the
重新发展 and 重新流转表决 buttons.
"""

from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from pydantic import create_model
from sqlalchemy import select

from core.admin_site import XfPage
from core.amis_crud import crud, operations
from core.auth import Requires, scope_condition
from core.db import SessionDep
from core.models import StudentProfile, User
from core.outbox import read_tracker
from core.responses import Envelope, Page as PageOf, PagingDep, count_of, ok
from core.workflow.deps import EngineDep
from core.workflow.models import DevelopmentRecord
from core.workflow.schemas import RecordDetail, RecordRow, record_out
from core.workflow.stages import Stage, StageRegistry

ROW = "${id}"


def components_of(stage: Stage) -> list:
    return [c for s in stage.steps for c in s.components]


def can_revote(registry: StageRegistry, r: DevelopmentRecord) -> bool:
    step = registry.step(r.stage, r.step) if r.status == "failed" and not r.failure_final else None
    return bool(step and step.revote_target(r.failure_code))


def row_of(r: DevelopmentRecord, u: User, registry: StageRegistry, stage: Stage) -> dict:
    row = {**record_out(r, registry), "name": u.name, "student_no": u.student_no, "party_branch_id": u.party_branch_id,
           "can_redevelop": r.status == "failed" and not r.failure_final, "can_revote": can_revote(registry, r)}
    for key, _ in (stage.page.milestone_columns if stage.page else []):
        row[key] = (r.milestones or {}).get(key)
    return row


def _model_name(stage: Stage, suffix: str) -> str:
    return "".join(p.capitalize() for p in (stage.slug or stage.key).replace("-", "_").split("_")) + suffix


def add_routes(router: APIRouter, stage: Stage) -> None:
    """GET <prefix> (the list, filtered and paged) and GET <prefix>/<id>/detail."""
    components = components_of(stage)
    columns = [c for comp in components for c in comp.columns()]
    milestone_fields = {key: (Optional[str], None) for key, _ in (stage.page.milestone_columns if stage.page else [])}
    Row = create_model(_model_name(stage, "Row"), __base__=RecordRow, **milestone_fields,
                       **{c.name: (c.type, None) for c in columns})
    blocks = {c.key: (Optional[c.detail_model], None) for c in components if c.detail_model is not None}
    Detail = create_model(_model_name(stage, "Detail"), __base__=RecordDetail, **milestone_fields,
                          **{c.name: (c.type, None) for c in columns}, **blocks)
    viewer = Requires(stage.view_permission or "dev")

    async def rows(session, engine, pairs) -> list[dict]:
        records = [r for r, _ in pairs]
        out = [row_of(r, u, engine.registry, stage) for r, u in pairs]
        for comp in components:
            if comp.columns():
                values = await comp.column_values(session, records)
                for row in out:
                    row.update(values.get(row["id"], {}))
        return out

    @router.get("", response_model=Envelope[PageOf[Row]], summary=f"{stage.people_label}列表")
    async def list_records(session: SessionDep, engine: EngineDep, actor: viewer, paging: PagingDep,
                           name: str = Query("", max_length=64, title="姓名"),
                           student_no: str = Query("", max_length=32, title="学号"),
                           step: str = Query("", max_length=40, title="环节代码"),
                           status: str = Query("", max_length=10, title="状态：active | failed | done"),
                           branch_id: Optional[int] = Query(None, ge=0, le=2**31 - 1, title="党支部（工作台的链接）")):
        q = (select(DevelopmentRecord, User).join(User, User.id == DevelopmentRecord.user_id)
             .where(DevelopmentRecord.stage == stage.key, User.deleted_at.is_(None), scope_condition(actor)))
        if name.strip():
            q = q.where(User.name.contains(name.strip()))
        if student_no.strip():
            q = q.where(User.student_no.contains(student_no.strip()))
        if step:
            q = q.where(DevelopmentRecord.step == step)
        if status:
            q = q.where(DevelopmentRecord.status == status)
        if branch_id is not None:
            q = q.where(User.party_branch_id == branch_id if branch_id else User.party_branch_id.is_(None))
        total = await count_of(session, q)
        pairs = (await session.execute(q.order_by(DevelopmentRecord.id.desc()).offset(paging.offset)
                                       .limit(paging.per_page))).all()
        return ok(paging.page_of(await rows(session, engine, pairs), total))

    @router.get("/{record_id:int}/detail", response_model=Envelope[Detail], summary=f"{stage.people_label}信息及材料")
    async def detail(record_id: int, session: SessionDep, engine: EngineDep, actor: viewer):
        (record,), users = await engine.load(session, actor, [record_id])
        user = users[record.user_id]
        (row,) = await rows(session, engine, [(record, user)])
        profile = await session.get(StudentProfile, user.id)
        row.update(phone=user.phone, gender=profile.gender if profile else None,
                   birth_date=profile.birth_date if profile else None)
        for comp in components:
            if comp.detail_model is not None:
                block = await comp.detail(session, record)
                row[comp.key] = block.model_dump() if block is not None else None
        return ok(row)


# --- the page ----------------------------------------------------------------------------

def detail_block(stage: Stage) -> dict:
    """Person, materials of every component and warnings: the top of every review dialog."""
    panels = [p for c in components_of(stage) for p in c.detail_panels()]
    return {"type": "service", "api": f"get:{stage.api_prefix}/${{id}}/detail", "body": [
        {"type": "property", "column": 2, "items": [
            {"label": "姓名", "content": "${name}"}, {"label": "学号", "content": "${student_no}"},
            {"label": "性别", "content": "${gender}"}, {"label": "出生日期", "content": "${birth_date}"},
            {"label": "当前环节", "content": "${step_title}"}, {"label": "状态", "content": "${status_label}"}]},
        *panels,
        {"type": "each", "source": "${warnings}", "visibleOn": "this.warnings && this.warnings.length",
         "items": {"type": "alert", "level": "warning", "body": "${item}"}},
    ]}


# amis renders the steps component from per-step states; computed here from the API's codes
# (MP answers carry codes only, never amis widget states). amis' timeline shows an item's
# ``time`` as it is: the answer's times are the college's wall-clock time with its offset,
# so "YYYY-MM-DD HH:mm" is their first 16 characters (never the browser's zone, never raw ISO).
TIMELINE_ADAPTOR = ("var m = {done: 'finish', current: 'process', pending: 'wait', failed: 'error'};"
                    "function local(t) { return (t || '').replace('T', ' ').substring(0, 16); }"
                    "(payload.data.stages || []).forEach(function (s) { s.step_states = {};"
                    " (s.steps || []).forEach(function (st) { s.step_states[st.key] = m[st.status];"
                    " st.value = st.key; st.subTitle = (st.date || '').substring(0, 10); }); });"
                    "(payload.data.events || []).forEach(function (e) { e.time = local(e.time);"
                    " e.detail = [e.actor + (e.actor_role ? '（' + e.actor_role + '）' : ''), e.note]"
                    ".filter(function (x) { return x; }).join('：'); });"
                    "return payload;")


def timeline_dialog() -> dict:
    return {"type": "button", "label": "详情", "level": "link", "actionType": "dialog", "dialog": {
        "title": "时间轴 - ${name}", "size": "lg", "actions": [],
        "body": {"type": "service", "api": {"method": "get", "url": "/api/pc/v1/development/records/${id}/timeline",
                                            "adaptor": TIMELINE_ADAPTOR}, "body": [
            {"type": "each", "source": "${stages}", "items": {"type": "panel", "title": "${title}", "body": [
                {"type": "steps", "source": "${steps}", "status": "${step_states}", "visibleOn": "this.has_steps"},
                {"type": "tpl", "tpl": "${status === 'current' ? '已进入本阶段，等待开展' : '尚未开始'}", "visibleOn": "!this.has_steps"}]}},
            {"type": "timeline", "source": "${events}", "reverse": True},
            {"type": "table", "title": "发展党员工作细则（25步）", "source": "${regulation}", "columns": [
                {"name": "no", "label": "步骤"}, {"name": "title", "label": "内容"},
                {"name": "done", "label": "状态", "type": "mapping", "map": {"true": "已完成", "false": "未完成"}},
                {"name": "date", "label": "完成时间", "type": "tpl", "tpl": "${date | xftime}"}]},
        ]}}}


def record_action(label: str, url: str, confirm: str, visible_on: str) -> dict:
    return {"type": "button", "label": label, "level": "link", "actionType": "ajax", "confirmText": confirm,
            "api": {"method": "post", "url": url, "data": {"record_ids": [ROW]}}, "visibleOn": visible_on}


def page_class(stage: Stage) -> type[XfPage]:
    components = components_of(stage)
    title = (stage.page.title if stage.page else "") or stage.people_label
    api = stage.api_prefix

    class StageListPage(XfPage):
        page_schema = PageSchema(label=title, icon=stage.page.icon if stage.page else "fa fa-users")
        page_path = f"/{stage.slug or stage.key}"
        permission = stage.view_permission or "dev"

        async def get_page(self, request: Request) -> Page:
            columns = [{"name": "name", "label": "姓名"}, {"name": "student_no", "label": "学号"}]
            columns += [{"name": k, "label": label} for k, label in (stage.page.milestone_columns if stage.page else [])]
            columns.append({"name": "step_title", "label": "当前环节"})
            columns += [{"name": c.name, "label": c.label, **c.amis} for comp in components for c in comp.columns() if c.show]
            columns += [
                {"name": "status_label", "label": "状态", "classNameExpr": "${status === 'failed' ? 'text-danger' : ''}"},
                {"name": "warnings", "label": "时间提醒", "type": "tpl", "tpl": "${warnings|join:；}", "className": "text-warning"},
                operations(
                    timeline_dialog(), *[a for comp in components for a in comp.row_actions()],
                    record_action("重新发展", "/api/pc/v1/development/redevelop", "确定让${name}重新发展？", "this.can_redevelop"),
                    record_action("重新流转表决", "/api/pc/v1/development/revote", "确定让${name}重新流转表决？", "this.can_revote"),
                ),
            ]
            steps = [{"label": s.title, "value": s.key} for s in stage.steps]
            filters = [
                {"type": "input-text", "name": "name", "label": "姓名", "clearable": True},
                {"type": "input-text", "name": "student_no", "label": "学号", "clearable": True},
                {"type": "select", "name": "step", "label": "环节", "clearable": True, "options": steps},
                {"type": "select", "name": "status", "label": "状态", "clearable": True,
                 "options": [{"label": "进行中", "value": "active"}, {"label": "不通过", "value": "failed"},
                             {"label": "已完成发展", "value": "done"}]},
            ]
            header = [a for comp in components for a in comp.header_actions()]
            bulk = [a for comp in components for a in comp.bulk_actions()]
            filters.append({"type": "hidden", "name": "branch_id"})
            listing = crud(f"get:{api}", columns, filters=filters, header=header, bulk_actions=bulk)
            listing["syncLocation"] = True  # the 工作台's links open the list filtered (?branch_id=&step=&status=)
            return Page(title=title, body=[listing, read_tracker(stage.page_url)])

    StageListPage.__name__ = StageListPage.__qualname__ = _model_name(stage, "ListPage")
    return StageListPage
