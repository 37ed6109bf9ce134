"""Import (批量导入, EV-2): template, parsing of messy real spreadsheets, all-or-nothing validation.

Every problem is collected (row, field, why) so one upload tells the user everything to fix; the
period's data is only replaced when there is none. What people type is normalised first (cells.py:
full-width digits, every kind of space), the sheet holding the header is found (workbook.py).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import field_error
from core.sdk import User, fail, utcnow, xlsx_bytes
from plugins.evaluation import cells
from plugins.evaluation.bulk import bind_value, gc_paused, insert_rows
from plugins.evaluation.metrics import slot, with_range
from plugins.evaluation.models import EvalPeriod, EvalRecord
from plugins.evaluation.schemas import IMPORT_MODE_LABELS, ImportResult
from plugins.evaluation.workbook import Sheet, check_xlsx, read_data_sheet
from plugins.org_mgmt.models import Organisation
from plugins.user_mgmt.models import TRAINING_TYPES

FIXED = ("姓名", "学号", "党支部", "培养类型")
REQUIRED = ("姓名", "学号", "党支部")
FIELDS = {"姓名": "name", "学号": "student_no", "党支部": "branch", "培养类型": "training_type"}
ALIASES = {"学工号": "学号", "所在党支部": "党支部", "党支部名称": "党支部", "所属党支部": "党支部"}
TEMPLATE_NOTE = ("填写说明：姓名、学号、党支部为必填项，为空则禁止导入；学生必须已添加至用户管理中，且属于所填党支部；"
                 "各评价指标填写数字（{ranges}）。请勿修改表头。")
HEADER_TEXT = "包含“姓名”“学号”“党支部”列的表头行"
_AMBIGUOUS = (-1, "", None)  # a normalised 学号 shared by several live users


def template_bytes(period: EvalPeriod, label: str) -> bytes:
    metrics = with_range(period.metrics)
    headers = list(FIXED) + [m["name"] for m in metrics]
    ranges = "；".join(f"{m['name']} {m['min']:g}～{m['max']:g}" for m in metrics)
    return xlsx_bytes(headers, sheet_title="评价数据", note=f"{label} 党员评价数据。{TEMPLATE_NOTE.format(ranges=ranges)}",
                      widths={"党支部": 22, "学号": 16})


def _header_key(v: Any) -> str:
    s = cells.compact(v).strip("*＊")
    return ALIASES.get(s, s)


def _outside(v: float, low: float, high: float) -> str:
    return f"{v:g} 超出取值范围（{low:g}～{high:g}）"


def find_header(rows: list[list[Any]]) -> int | None:
    for i, row in enumerate(rows):
        keys = {_header_key(c) for c in row}
        if "姓名" in keys and "学号" in keys:
            return i
    return None


class Problems:
    """The import's error items ({field, label, msg, row}) for core.errors' one error shape."""

    def __init__(self, metric_fields: dict[str, str]):
        self.items: list[dict] = []
        self.fields = {**FIELDS, **metric_fields}  # column title -> field code

    def add(self, row: int | None, column: str, msg: str) -> None:
        self.items.append(field_error(self.fields.get(column, "file"), column or "文件", msg, row))

    def at(self, row: int) -> bool:
        return any(e.get("row") == row for e in self.items)


async def _users_by_student_no(session: AsyncSession) -> dict[str, tuple[int, str, int | None]]:
    """Live users by normalised 学号 -> (id, name, party branch); a 学号 two users share maps to _AMBIGUOUS.
    One query for every student: cheaper than per-row or chunked IN queries, then dict lookups."""
    u = User.__table__.c
    rows = (await (await session.connection()).execute(
        select(u.student_no, u.id, u.name, u.party_branch_id)
        .where(u.student_no.is_not(None), u.student_no != "", u.deleted_at.is_(None)))).all()
    users: dict[str, tuple[int, str, int | None]] = {}
    for sno, uid, uname, bid in rows:
        key = sno if sno.isascii() and sno.isalnum() else cells.student_no(sno)
        users[key] = _AMBIGUOUS if key in users else (uid, uname, bid)
    return users


async def parse_and_validate(session: AsyncSession, period: EvalPeriod, data: bytes, mode: str,
                             training_type: str | None) -> tuple[list[tuple], list[dict], Sheet]:
    """Return (rows ready to store, problems, the sheet read). Rows are only meaningful when there are no
    problems: ``(user_id, name, student_no, branch_id, training_type, [metric values in period.metrics order])``."""
    metrics = with_range(period.metrics)
    problems = Problems({m["name"]: m["key"] for m in metrics})
    if mode not in IMPORT_MODE_LABELS:
        problems.items.append(field_error("mode", "导入方式", "导入方式只能是全部导入或局部导入"))
    training_type = cells.compact(training_type or "") or None
    if mode == "partial" and not training_type:
        problems.items.append(field_error("training_type", "培养类型", "局部导入必须选择培养类型"))
    if training_type and training_type not in TRAINING_TYPES:
        problems.items.append(field_error("training_type", "培养类型", f"培养类型只能是{'、'.join(TRAINING_TYPES)}"))
    sheet = read_data_sheet(data, find_header, HEADER_TEXT)
    rows, h = sheet.rows, sheet.header_index
    header = [_header_key(c) for c in rows[h]]
    cols: dict[str, int] = {}
    for i, k in enumerate(header):
        if k and k not in cols:
            cols[k] = i
    for need in REQUIRED + tuple(m["name"] for m in metrics):
        if need not in cols:
            problems.add(h + 1, need, "缺少该列，请使用下载的导入模板")
    if problems.at(h + 1):
        return [], problems.items, sheet

    org = Organisation.__table__.c
    branch_rows = (await (await session.connection()).execute(select(org.id, org.name, org.training_type).where(
        org.kind == "party", org.level == "branch"))).all()
    branches = {cells.compact(name): (bid, tt or "") for bid, name, tt in branch_rows}
    branch_names = {bid: name for bid, name, _ in branch_rows}
    users = await _users_by_student_no(session)
    ci_name, ci_no, ci_branch = cols["姓名"], cols["学号"], cols["党支部"]
    ci_tt = cols.get("培养类型")
    metric_cols = [(m, cols[m["name"]]) for m in metrics]
    metric_idx = [ci for _, ci in metric_cols]
    bounds = [(m["min"], m["max"]) for m in metrics]
    width = max(cols.values()) + 1

    seen: dict[str, int] = {}
    clean: list[tuple] = []
    numeric: list[tuple[int, list[float]]] = []
    add = problems.add
    for r_index in range(h + 1, len(rows)):
        row = rows[r_index]
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        line = r_index + 1
        name, sno, bname = cells.compact(row[ci_name]), cells.student_no(row[ci_no]), cells.compact(row[ci_branch])
        if not (name and sno and bname):
            if cells.blank(row):
                continue  # blank rows between blocks are common in hand-made sheets
            if not name:
                add(line, "姓名", "姓名为必填项，不能为空")
            if not sno:
                add(line, "学号", "学号为必填项，不能为空")
            if not bname:
                add(line, "党支部", "党支部为必填项，不能为空")
        values = [row[ci] for ci in metric_idx]
        if all(type(v) is float for v in values):  # numeric cells come as floats (xlsx has no NaN/inf)
            numeric.append((line, values))  # range-checked per column after the loop
        else:
            values = [cells.number(v) for v in values]
            for (m, ci), v, (low, high) in zip(metric_cols, values, bounds):
                if v is None:
                    raw = cells.text(row[ci])
                    add(line, m["name"], "指标值不能为空，应为数字" if raw == "" else f"“{raw}”不是数字")
                elif not low <= v <= high:
                    add(line, m["name"], _outside(v, low, high))
        tt_cell = cells.compact(row[ci_tt]) if ci_tt is not None else ""

        branch = branches.get(bname) if bname else None
        if bname and branch is None:
            add(line, "党支部", f"党支部“{bname}”不存在")
        user = None
        if sno:
            if sno in seen:
                add(line, "学号", f"学号 {sno} 与第 {seen[sno]} 行重复")
            else:
                seen[sno] = line
            user = users.get(sno)
            if user is None:
                add(line, "学号", f"学号 {sno} 的学生不存在，请先在用户管理中添加")
            elif user is _AMBIGUOUS:
                add(line, "学号", f"学号 {sno} 重复，对应多个用户，请先在用户管理中更正")
                user = None
            else:
                if name and name != user[1] and name != cells.compact(user[1]):
                    add(line, "姓名", f"姓名“{name}”与学号 {sno} 的用户“{user[1]}”不一致")
                if branch is not None and user[2] != branch[0]:
                    actual = branch_names.get(user[2], "未分配党支部")
                    add(line, "党支部", f"该学生不属于党支部“{bname}”（用户管理中所在党支部：{actual}）")
        if branch is not None:
            branch_id, branch_tt = branch
            tt = branch_tt or tt_cell
            if tt_cell and branch_tt and tt_cell != branch_tt:
                add(line, "培养类型", f"培养类型“{tt_cell}”与党支部“{bname}”的培养类型“{branch_tt}”不符")
            if mode == "partial" and training_type and tt != training_type:
                add(line, "党支部", f"局部导入只能包含{training_type}，党支部“{bname}”的培养类型为{tt or '未设置'}")
            if user is not None and not problems.items:
                clean.append((user[0], user[1], sno, branch_id, tt, values))
    for j, ((m, _), (low, high)) in enumerate(zip(metric_cols, bounds)):  # min/max first: C speed for 10,000 rows
        column = [values[j] for _, values in numeric]
        if column and (min(column) < low or max(column) > high):
            for line, values in numeric:
                if not low <= values[j] <= high:
                    add(line, m["name"], _outside(values[j], low, high))
    if not seen and not problems.items:
        problems.items.append(field_error("file", "文件", "文件中没有数据行"))
    problems.items.sort(key=lambda e: e.get("row") or 0)
    return clean, problems.items, sheet


async def store(session: AsyncSession, period: EvalPeriod, rows: list[tuple], mode: str, training_type: str | None) -> int:
    """Replace the period's rows (all of them, or one training type's for a partial import)."""
    q = delete(EvalRecord).where(EvalRecord.period_id == period.id)
    if mode == "partial":
        q = q.where(EvalRecord.training_type == training_type)
    await session.execute(q)
    table = EvalRecord.__table__
    now = await bind_value(session, table, "updated_at", utcnow())
    columns = ["period_id", "user_id", "name", "student_no", "branch_id", "training_type", "updated_at"] + [
        f"v{slot(m['key'])}" for m in period.metrics]
    pid = period.id
    await insert_rows(session, table, columns, [(pid, uid, name, sno, bid, tt, now, *values)
                                                for uid, name, sno, bid, tt, values in rows])
    count = (await session.execute(select(func.count()).select_from(EvalRecord).where(EvalRecord.period_id == period.id))).scalar_one()
    period.record_count = count
    period.data_version += 1
    session.add(period)
    return count


def _summary(errors: list[dict], sheet: str | None) -> str:
    """The toast: the first five problems in words, and how many there are."""
    where = f"工作表“{sheet}”" if sheet else ""

    def one(e: dict) -> str:
        if e.get("row"):
            return f"{where}第{e['row']}行【{e['label']}】{e['msg']}"
        return f"【{e['label']}】{e['msg']}"

    shown = "；".join(one(e) for e in errors[:5])
    more = f"等 {len(errors)} 个问题" if len(errors) > 5 else ""
    return f"导入失败，数据未做任何修改：{shown}{more}"


async def import_file(session: AsyncSession, period: EvalPeriod, data: bytes, mode: str, training_type: str | None) -> ImportResult:
    check_xlsx(data)
    with gc_paused():
        rows, errors, sheet = await parse_and_validate(session, period, data, mode, training_type)
    if errors:
        await session.rollback()
        raise fail(422, _summary(errors, sheet.name if sheet.several else None), errors=errors)
    with gc_paused():
        count = await store(session, period, rows, mode, training_type)
    await session.commit()
    tt = cells.compact(training_type or "") or None
    return ImportResult(imported=len(rows), total=count, mode=mode, mode_label=IMPORT_MODE_LABELS[mode],
                        training_type=tt if mode == "partial" else None, sheet=sheet.name)
