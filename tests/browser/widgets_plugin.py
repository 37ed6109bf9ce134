"""A throwaway plugin for the browser suite: one page with the controls whose behaviour comes
from core/static/admin-env.js rather than from any one plugin (typed date-times, Enter in a
date box, field errors from the server, times in the college's zone) and a table with a batch
action for the harness's tick/bulk helpers. Loaded by the suite's
private server through ``XIANFENG_PLUGINS__EXTRA``."""
from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request
from fastapi_amis_admin.amis.components import Page, PageSchema
from pydantic import BaseModel, Field

from core import clock
from core.admin_site import XfApp, XfPage
from core.amis_crud import crud
from core.auth import CurrentActor
from core.errors import fail
from core.hookspecs import hookimpl
from core.responses import Done, Envelope, Page as PageOf, ids_param, ok

MANIFEST = {"name": "widgets", "version": "0.0.1", "depends": [], "title": "控件测试"}
# A fixed instant: 10:00 UTC is 18:00 in Asia/Shanghai, and not 18:00 in the test browser's zone.
FIXED_UTC = "2026-11-28T10:00:00Z"

router = APIRouter(prefix="/api/pc/v1/widgets", tags=["控件测试"])


class NoteIn(BaseModel):
    text: str = Field("", max_length=50, title="备注")


class EchoIn(BaseModel):
    name: str = Field(min_length=1, max_length=20, title="名称")
    scheduled_at: datetime | None = Field(None, title="谈话时间")
    talk_date: date | None = Field(None, title="谈话日期")
    notes: list[NoteIn] = Field(default_factory=list, title="备注表")


class EchoOut(BaseModel):
    scheduled_at: clock.LocalDateTime | None
    talk_date: date | None
    notes: list[str]


@router.post("/echo", response_model=Envelope[EchoOut])
async def echo(body: EchoIn, actor: CurrentActor):
    if body.name == "冲突":
        raise fail(409, "当前状态不允许该操作")
    if body.name == "错误":
        raise fail(422, "名称不能为“错误”", field="name", label="名称")
    when = clock.to_utc(body.scheduled_at) if body.scheduled_at else None
    shown = clock.fmt(when) if when else "无"
    return ok({"scheduled_at": when, "talk_date": body.talk_date, "notes": [n.text for n in body.notes]}, f"已保存：{shown}，{body.talk_date or '无'}")


ITEMS = ["甲", "乙", "丙"]


class ItemOut(BaseModel):
    id: int
    name: str


class BatchIn(BaseModel):
    ids: str = Field(min_length=1, title="所选条目")


@router.get("/items", response_model=Envelope[PageOf[ItemOut]])
async def items(actor: CurrentActor):
    rows = [{"id": i + 1, "name": n} for i, n in enumerate(ITEMS)]
    return ok({"items": rows, "total": len(rows), "page": 1, "per_page": 20})


@router.post("/batch", response_model=Envelope[Done])
async def batch(body: BatchIn, actor: CurrentActor):
    names = [ITEMS[i - 1] for i in ids_param(body.ids) if 0 < i <= len(ITEMS)]
    return ok({"msg": ""}, "已处理：" + "、".join(names))


class WidgetPage(XfPage):
    page_schema = PageSchema(label="控件", icon="fa fa-flask")
    page_path = "/widgets"
    permission = None

    async def get_page(self, request: Request) -> Page:
        form = {
            "type": "form", "title": "控件", "api": "post:/api/pc/v1/widgets/echo",
            "data": {"existing": "2026-11-28T18:00:00+08:00", "fixed": FIXED_UTC},
            "body": [
                {"type": "input-text", "name": "name", "label": "名称", "required": True},
                {"type": "input-datetime", "name": "scheduled_at", "label": "谈话时间"},
                {"type": "input-date", "name": "talk_date", "label": "谈话日期"},
                {"type": "input-datetime", "name": "existing", "label": "已有时间"},
                {"type": "static", "name": "fixed", "label": "固定时间", "tpl": "${fixed | xftime}"},
                # no changeImmediately here: admin-env.js adds it to every editable table
                {"type": "input-table", "name": "notes", "label": "备注表", "addable": True, "editable": True,
                 "needConfirm": False, "columns": [{"name": "text", "label": "备注", "type": "input-text"}]},
            ],
        }
        table = crud("get:/api/pc/v1/widgets/items", [{"name": "name", "label": "名称"}], bulk_actions=[
            {"type": "button", "label": "批量处理", "actionType": "ajax", "api": "post:/api/pc/v1/widgets/batch"}])
        return Page(title="控件", body=[form, table])


class WidgetApp(XfApp):
    page_schema = PageSchema(label="控件测试", icon="fa fa-flask", sort=1)
    router_prefix = "/widgets"

    def __init__(self, app):
        super().__init__(app)
        self.register_admin(WidgetPage)


@hookimpl
def xf_api_routers():
    return [router]


@hookimpl
def xf_admin_apps():
    return [WidgetApp]
