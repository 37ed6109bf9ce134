"""Routes of 历史数据导入 (the committee): the template, and the import itself — a dry run that
shows what would be created, or the real one; all-or-nothing either way."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from core.sdk import (ERROR_RESPONSES, EngineDep, Envelope, Requires, SessionDep, SettingsDep, check_content, fail, ok,
                      read_upload)
from core.workflow.stages import STAGE_TITLES
from plugins.dossier import history_import as hi
from plugins.dossier.dossier_api import _attachment
from plugins.dossier.history_import_store import store

router = APIRouter(prefix="/api/pc/v1/development/history-import", tags=["管理端-历史数据导入"], responses=ERROR_RESPONSES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 500


class PreviewRow(BaseModel):
    row: int = Field(description="Excel 行号")
    student_no: str
    name: str
    action: str = Field(description="新建人员 / 已有人员")
    branch_id: Optional[int] = None
    stage_title: str
    step_title: str
    passed: int = Field(description="导入的已完成环节数")
    warnings: list[str] = Field(description="时间规定提醒（不影响导入）")


class ImportResult(BaseModel):
    dry_run: bool = Field(description="true：仅预检，未写入")
    rows: int = Field(description="数据行数")
    people_created: int = Field(description="新建人员数")
    records: int = Field(description="导入的发展记录数")
    warnings: int = Field(description="带时间规定提醒的行数")
    preview: list[PreviewRow] = Field(description=f"各行将导入的内容（最多显示前 {PREVIEW_ROWS} 行）")


def _summary(errors: list[dict]) -> str:
    def one(e: dict) -> str:
        return f"第{e['row']}行【{e['label']}】{e['msg']}" if e.get("row") else f"【{e['label']}】{e['msg']}"

    more = f"等 {len(errors)} 个问题" if len(errors) > 5 else ""
    return f"导入失败，数据未做任何修改：{'；'.join(one(e) for e in errors[:5])}{more}"


@router.get("/template", response_class=Response, summary="下载历史数据导入模板（xlsx）",
            responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}, "description": "导入模板"}})
async def template(engine: EngineDep, actor: Requires("dev.history_import")):
    return _attachment(hi.template_bytes(engine.registry), XLSX, "历史数据导入模板.xlsx")


@router.post("", response_model=Envelope[ImportResult], summary="历史数据导入（dry_run=true 预检，不写入）")
async def import_history(
    session: SessionDep, settings: SettingsDep, engine: EngineDep, actor: Requires("dev.history_import"),
    file: UploadFile = File(..., title="导入文件", description="按导入模板填写的 Excel 工作簿（.xlsx）"),
    dry_run: bool = Form(True, title="仅预检", description="true：只检查并显示将要导入的内容，不写入"),
):
    data = await read_upload(file, settings)
    check_content(data, settings, ["xlsx"])
    rows, errors = hi.parse(data, engine.registry, settings, await hi.lookups(session))
    if errors:
        raise fail(422, _summary(errors), errors=errors)
    preview = [PreviewRow(row=r.row, student_no=r.student_no, name=r.name, action="已有人员" if r.user_id else "新建人员",
                          branch_id=r.branch_id, stage_title=STAGE_TITLES[r.stage],
                          step_title=engine.registry.step_title(r.stage, r.step), passed=len(r.passed), warnings=r.warnings)
               for r in rows[:PREVIEW_ROWS]]
    created = sum(1 for r in rows if r.user_id is None)
    result = ImportResult(dry_run=dry_run, rows=len(rows), people_created=created, records=len(rows),
                          warnings=sum(1 for r in rows if r.warnings), preview=preview)
    if dry_run:
        return ok(result, f"预检通过：将导入{len(rows)}人（新建人员{created}人），确认无误后点击“确认导入”")
    await store(session, engine.registry, actor, rows)
    await session.commit()
    return ok(result, f"导入成功：{len(rows)}人已按当前环节继续发展流程（新建人员{created}人）")
