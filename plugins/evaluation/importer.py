"""Import (批量导入, EV-2): template, parsing of messy real spreadsheets, all-or-nothing validation.

Every problem is collected (row, column, why) so one upload tells the user everything to fix;
the period's data is only replaced when there is none.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.documents import DocumentError, read_xlsx, xlsx_bytes
from core.errors import fail
from core.models import User, utcnow
from plugins.evaluation.bulk import bind_value, gc_paused, insert_rows
from plugins.evaluation.metrics import slot
from plugins.evaluation.models import EvalPeriod, EvalRecord
from plugins.org_mgmt.models import Organisation
from plugins.user_mgmt.models import TRAINING_TYPES

FIXED = ("姓名", "学号", "党支部", "培养类型")
REQUIRED = ("姓名", "学号", "党支部")
ALIASES = {"学工号": "学号", "所在党支部": "党支部", "党支部名称": "党支部", "所属党支部": "党支部"}
TEMPLATE_NOTE = ("填写说明：姓名、学号、党支部为必填项，为空则禁止导入；学生必须已添加至用户管理中，且属于所填党支部；"
                 "各评价指标填写数字。请勿修改表头。")
_SPACES = str.maketrans("", "", " \u3000\xa0\t\r\n")
_INF = float("inf")


def template_bytes(period: EvalPeriod, label: str) -> bytes:
    headers = list(FIXED) + [m["name"] for m in period.metrics]
    return xlsx_bytes(headers, sheet_title="评价数据", note=f"{label} 党员评价数据。{TEMPLATE_NOTE}",
                      widths={"党支部": 22, "学号": 16})


def _text(v: Any) -> str:
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v.strip()
    if t is float:
        return str(int(v)) if v.is_integer() else repr(v)
    if t is bool:
        return str(v)
    if t is int:
        return str(v)
    return str(v).strip()


def _clean(v: Any) -> str:
    """A name or branch cell without any spaces (full-width and no-break spaces included)."""
    if type(v) is str:
        return v.strip().translate(_SPACES)
    return _text(v).translate(_SPACES)


def _student_no(v: Any) -> str:
    """Student numbers typed into Excel become numbers (2023100001.0); spaces creep in."""
    t = type(v)
    if t is float and v.is_integer():
        return str(int(v))
    if t is int:
        return str(v)
    s = _clean(v)
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    return s


def _number(v: Any) -> float | None:
    t = type(v)
    if t is float:
        return v if v == v and v not in (_INF, -_INF) else None
    if t is int:
        return float(v)
    if t is bool:
        return None
    if isinstance(v, (int, float)):
        return _number(float(v))
    s = _text(v).translate(_SPACES).replace("，", ".")
    try:
        f = float(s)
    except ValueError:
        return None
    return f if f == f and f not in (_INF, -_INF) else None


def _blank(row: list[Any]) -> bool:
    return all(c is None or c == "" or (type(c) is str and not c.strip()) for c in row)


def _header_key(v: Any) -> str:
    s = _text(v).translate(_SPACES).lstrip("*＊").rstrip("*＊")
    return ALIASES.get(s, s)


def _find_header(rows: list[list[Any]]) -> int | None:
    for i, row in enumerate(rows[:15]):
        keys = {_header_key(c) for c in row}
        if "姓名" in keys and "学号" in keys:
            return i
    return None


def err(row: int | None, column: str, msg: str) -> dict:
    return {"row": row, "column": column, "msg": msg}


async def parse_and_validate(session: AsyncSession, period: EvalPeriod, data: bytes, mode: str,
                             training_type: str | None) -> tuple[list[tuple], list[dict]]:
    """Return (rows ready to store, problems). Rows are only meaningful when there are no problems:
    ``(user_id, name, student_no, branch_id, training_type, [metric values in period.metrics order])``."""
    errors: list[dict] = []
    if mode not in ("full", "partial"):
        errors.append(err(None, "导入方式", "导入方式只能是全部导入或局部导入"))
    training_type = (training_type or "").strip() or None
    if mode == "partial" and not training_type:
        errors.append(err(None, "培养类型", "局部导入必须选择培养类型"))
    if training_type and training_type not in TRAINING_TYPES:
        errors.append(err(None, "培养类型", f"培养类型只能是{'、'.join(TRAINING_TYPES)}"))
    try:
        rows = read_xlsx(data)
    except DocumentError as exc:
        return [], errors + [err(None, "", str(exc))]
    h = _find_header(rows)
    if h is None:
        return [], errors + [err(None, "", "找不到表头行：表头需包含“姓名”“学号”“党支部”列，请使用下载的导入模板")]
    header = [_header_key(c) for c in rows[h]]
    cols: dict[str, int] = {}
    for i, k in enumerate(header):
        if k and k not in cols:
            cols[k] = i
    for need in REQUIRED + tuple(m["name"] for m in period.metrics):
        if need not in cols:
            errors.append(err(h + 1, need, "缺少该列，请使用下载的导入模板"))
    if any(e["row"] == h + 1 for e in errors):
        return [], errors

    conn = await session.connection()  # Core reads: plain rows, no ORM bookkeeping per row
    org = Organisation.__table__.c
    branch_rows = (await conn.execute(select(org.id, org.name, org.training_type).where(
        org.kind == "party", org.level == "branch"))).all()
    branches = {name.translate(_SPACES): (bid, tt or "") for bid, name, tt in branch_rows}
    branch_names = {bid: name for bid, name, _ in branch_rows}
    ci_name, ci_no, ci_branch = cols["姓名"], cols["学号"], cols["党支部"]
    ci_tt = cols.get("培养类型")
    metric_cols = [(m["name"], cols[m["name"]]) for m in period.metrics]
    metric_idx = [ci for _, ci in metric_cols]
    width = max(cols.values()) + 1
    # One query for every student: student number -> (id, name, party branch). Cheaper than
    # per-row or chunked IN queries, and a dict lookup per row afterwards.
    u = User.__table__.c
    users: dict[str, tuple[int, str, int | None]] = {
        sno: (uid, uname, bid) for sno, uid, uname, bid in (await conn.execute(
            select(u.student_no, u.id, u.name, u.party_branch_id)
            .where(u.student_no.is_not(None), u.student_no != "", u.deleted_at.is_(None)))).all()}

    seen: dict[str, int] = {}
    clean: list[tuple] = []
    for r_index in range(h + 1, len(rows)):
        row = rows[r_index]
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        line = r_index + 1
        name, sno, bname = _clean(row[ci_name]), _student_no(row[ci_no]), _clean(row[ci_branch])
        if not (name and sno and bname):
            if _blank(row):
                continue  # blank rows between blocks are common in hand-made sheets
            if not name:
                errors.append(err(line, "姓名", "姓名为必填项，不能为空"))
            if not sno:
                errors.append(err(line, "学号", "学号为必填项，不能为空"))
            if not bname:
                errors.append(err(line, "党支部", "党支部为必填项，不能为空"))
        values = [row[ci] for ci in metric_idx]
        if not all(type(v) is float for v in values):  # numeric cells come as floats (xlsx has no NaN/inf)
            values = [_number(v) for v in values]
            for (mname, ci), v in zip(metric_cols, values):
                if v is None:
                    raw = _text(row[ci])
                    errors.append(err(line, mname, "指标值不能为空，应为数字" if raw == "" else f"“{raw}”不是数字"))
        tt_cell = _clean(row[ci_tt]) if ci_tt is not None else ""

        branch = branches.get(bname) if bname else None
        if bname and branch is None:
            errors.append(err(line, "党支部", f"党支部“{bname}”不存在"))
        user = None
        if sno:
            if sno in seen:
                errors.append(err(line, "学号", f"学号 {sno} 与第 {seen[sno]} 行重复"))
            else:
                seen[sno] = line
            user = users.get(sno)
            if user is None:
                errors.append(err(line, "学号", f"学号 {sno} 的学生不存在，请先在用户管理中添加"))
            else:
                if name and name != user[1] and name != user[1].translate(_SPACES):
                    errors.append(err(line, "姓名", f"姓名“{name}”与学号 {sno} 的用户“{user[1]}”不一致"))
                if branch is not None and user[2] != branch[0]:
                    actual = branch_names.get(user[2], "未分配党支部")
                    errors.append(err(line, "党支部", f"该学生不属于党支部“{bname}”（用户管理中所在党支部：{actual}）"))
        if branch is not None:
            branch_id, branch_tt = branch
            tt = branch_tt or tt_cell
            if tt_cell and branch_tt and tt_cell != branch_tt:
                errors.append(err(line, "培养类型", f"培养类型“{tt_cell}”与党支部“{bname}”的培养类型“{branch_tt}”不符"))
            if mode == "partial" and training_type and tt != training_type:
                errors.append(err(line, "党支部", f"局部导入只能包含{training_type}，党支部“{bname}”的培养类型为{tt or '未设置'}"))
            if user is not None and not errors:
                clean.append((user[0], user[1], sno, branch_id, tt, values))
    if not seen and not errors:
        errors.append(err(None, "", "文件中没有数据行"))
    errors.sort(key=lambda e: (e["row"] or 0))
    return clean, errors


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


async def import_file(session: AsyncSession, period: EvalPeriod, data: bytes, mode: str, training_type: str | None) -> dict:
    with gc_paused():
        rows, errors = await parse_and_validate(session, period, data, mode, training_type)
    if errors:
        await session.rollback()
        shown = "；".join(f"第{e['row']}行【{e['column']}】{e['msg']}" if e["row"] else f"【{e['column'] or '文件'}】{e['msg']}"
                         for e in errors[:5])
        more = f"等 {len(errors)} 个问题" if len(errors) > 5 else ""
        raise fail(422, f"导入失败，数据未做任何修改：{shown}{more}",
                   errors=[{"field": e["column"] or "file", "label": e["column"] or "文件", "msg": e["msg"], "row": e["row"],
                            "column": e["column"]} for e in errors])
    with gc_paused():
        count = await store(session, period, rows, mode, training_type)
    await session.commit()
    return {"imported": len(rows), "total": count, "mode": mode, "training_type": training_type}
