"""历史数据导入 (issue 16): bring in the people already in the process from an xlsx — each with
their current stage and step, the date of every step they already passed, contact, introducers
and party group where known.

The columns follow the stage registry (one date column per registered step, in process order),
so a stage registered later appears in the template without a change here. Each row is checked
on its own (the person exists or is created, the stage and step exist, every passed step has a
date, the dates are in process order and not in the future, no date after the current step,
the timing rules of core/workflow/rules.py on the milestones the dates fill: a breach warns, or
refuses where the rule is set to ``refuse``); every problem is reported with its row and column,
and a file with any problem changes nothing. Reading 5,000 rows costs four statements."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import student_no as sno_rules
from core.errors import field_error
from core.sdk import DevelopmentRecord, User, clock, read_xlsx, xlsx_bytes
from core.workflow.rules import configured_rules
from core.workflow.stages import STAGE_ORDER, STAGE_TITLES, StageRegistry

STAGE_SHORT = {"applicant": "申请入党", "activist": "积极分子", "candidate": "发展对象", "reception": "预备党员接收",
               "conversion": "预备党员转正"}
FIXED = [("student_no", "学号"), ("name", "姓名"), ("branch", "所在党支部"), ("phone", "手机"),
         ("stage", "当前阶段"), ("step", "当前环节")]
EXTRA = [("contact", "培养联系人学号"), ("introducers", "入党介绍人学号"), ("party_group", "党小组")]
NOTE = ("说明：学号、当前阶段、当前环节必填；系统中没有的学号会新建人员（须填姓名和所在党支部）。当前环节之前的每个环节须填写完成日期"
        "（如 2024-03-01），日期按流程顺序不得倒序、不得晚于今天；当前环节及以后的环节不填。入党介绍人可填两个学号，用“、”分隔。"
        "当前阶段填写：{stages}。")


@dataclass
class Column:
    key: str  # fixed key, or "date:<stage>:<step>"
    title: str


def step_column_title(stage: str, step_title: str) -> str:
    return f"{STAGE_SHORT.get(stage, stage)}-{step_title}"


def columns(registry: StageRegistry) -> list[Column]:
    cols = [Column(k, t) for k, t in FIXED]
    for stage in STAGE_ORDER:
        for s in registry.stage(stage).steps:
            cols.append(Column(f"date:{stage}:{s.key}", step_column_title(stage, s.title)))
    return cols + [Column(k, t) for k, t in EXTRA]


def template_bytes(registry: StageRegistry) -> bytes:
    stages = "、".join(STAGE_TITLES[s] for s in STAGE_ORDER if registry.stage(s).steps)
    return xlsx_bytes([c.title for c in columns(registry)], [], sheet_title="历史数据导入", note=NOTE.format(stages=stages))


def milestone_keys(step) -> list[str]:
    """The milestones a step's components fill when it is done (their ``milestone`` setting)."""
    keys = []
    for c in step.components:
        key = getattr(c, "milestone", "")
        if isinstance(key, str) and key and key not in keys:
            keys.append(key)
    return keys


@dataclass
class Row:
    """A checked row, ready to store (meaningful only when the file has no problem)."""

    row: int
    student_no: str
    name: str
    user_id: int | None  # None: to be created
    branch_id: int | None
    phone: str
    stage: str
    step: str
    passed: list[tuple[str, str, date]]  # (stage, step, date) in process order
    milestones: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    contact: int | None = None
    introducers: list[int] = field(default_factory=list)
    party_group: int | None = None


DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: Any) -> date | None | str:
    """A cell as a date; None when empty; a Chinese message when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:  # an Excel serial day number
        return date(1899, 12, 30) + timedelta(days=int(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = DATE_RE.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    return f"“{text}”不是有效日期（应为 2024-03-01 这样的日期）"


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().replace("\u3000", " ").strip()


class Problems:
    def __init__(self):
        self.items: list[dict] = []

    def add(self, row: int | None, key: str, label: str, msg: str) -> None:
        self.items.append(field_error(key, label, msg, row))


@dataclass
class Lookups:
    users: dict[str, tuple[int, str, int | None]]  # 学号 -> (id, name, branch)
    with_record: set[int]
    branches: dict[str, int]  # party branch name -> id
    groups: dict[tuple[int, str], int]  # (branch id, group name) -> id


async def lookups(session: AsyncSession) -> Lookups:
    from plugins.org_mgmt.models import Organisation, PartyGroup

    conn = await session.connection()
    u = User.__table__.c
    users = {sno: (uid, name, bid) for sno, uid, name, bid in (await conn.execute(
        select(u.student_no, u.id, u.name, u.party_branch_id).where(u.student_no.is_not(None), u.deleted_at.is_(None)))).all()}
    with_record = set((await conn.execute(select(DevelopmentRecord.__table__.c.user_id))).scalars())
    branches = {name: i for i, name in (await conn.execute(
        select(Organisation.id, Organisation.name).where(Organisation.kind == "party", Organisation.level == "branch",
                                                         Organisation.enabled.is_(True)))).all()}
    groups = {(b, n): i for i, b, n in (await conn.execute(select(PartyGroup.id, PartyGroup.branch_id, PartyGroup.name))).all()}
    return Lookups(users, with_record, branches, groups)


def _stage_of(value: str, registry: StageRegistry) -> str | None:
    for key in STAGE_ORDER:
        if value in (key, STAGE_TITLES[key], STAGE_SHORT[key]) and registry.stage(key).steps:
            return key
    return None


def _step_of(value: str, stage: str, registry: StageRegistry) -> str | None:
    return next((s.key for s in registry.stage(stage).steps if value in (s.key, s.title)), None)


def parse(data: bytes, registry: StageRegistry, settings, found: Lookups) -> tuple[list[Row], list[dict]]:
    """Every row checked; (rows, problems). Rows are only stored when there is no problem."""
    problems = Problems()
    sheet = read_xlsx(data)
    head_at = next((i for i, r in enumerate(sheet) if {"学号", "当前阶段"} <= {text_of(c) for c in r}), None)
    if head_at is None:
        problems.add(None, "file", "文件", "找不到表头（须含“学号”“当前阶段”“当前环节”等列，请使用下载的导入模板）")
        return [], problems.items
    titles = [text_of(c) for c in sheet[head_at]]
    cols = columns(registry)
    by_title = {c.title: c for c in cols}
    index: dict[str, int] = {}
    for i, t in enumerate(titles):
        if t in by_title and by_title[t].key not in index:
            index[by_title[t].key] = i
    for key, label in FIXED[:1] + FIXED[4:]:
        if key not in index:
            problems.add(None, key, label, f"缺少“{label}”列，请使用下载的导入模板")
    if problems.items:
        return [], problems.items
    rules = configured_rules(settings)
    today = clock.local_today()
    order = [(stage, s) for stage in STAGE_ORDER for s in registry.stage(stage).steps]
    seen: dict[str, int] = {}
    rows: list[Row] = []
    for n, raw in enumerate(sheet[head_at + 1:], start=head_at + 2):
        def cell(key: str) -> Any:
            i = index.get(key)
            return raw[i] if i is not None and i < len(raw) else ""

        if all(text_of(c) == "" for c in raw):
            continue
        start = len(problems.items)
        sno = sno_rules.normalise(text_of(cell("student_no"))) or ""
        name, branch_name, phone = text_of(cell("name")), text_of(cell("branch")), text_of(cell("phone"))
        user_id = branch_id = None
        if not sno:
            problems.add(n, "student_no", "学号", "学号不能为空")
        elif sno in seen:
            problems.add(n, "student_no", "学号", f"学号与第{seen[sno]}行重复")
        else:
            seen[sno] = n
            known = found.users.get(sno)
            if known:
                user_id, known_name, branch_id = known
                if name and name != known_name:
                    problems.add(n, "name", "姓名", f"与系统中学号 {sno} 的姓名“{known_name}”不一致")
                name = known_name
                if user_id in found.with_record:
                    problems.add(n, "student_no", "学号", f"{known_name}已有发展记录，不能再导入")
                if branch_name and found.branches.get(branch_name) != branch_id:
                    problems.add(n, "branch", "所在党支部", "与系统中该学生所在的党支部不一致")
            else:
                if sno_rules.format_problem(sno):
                    problems.add(n, "student_no", "学号", sno_rules.format_problem(sno))
                if not name:
                    problems.add(n, "name", "姓名", "系统中没有该学号，新建人员须填写姓名")
                if not branch_name:
                    problems.add(n, "branch", "所在党支部", "系统中没有该学号，新建人员须填写所在党支部")
                elif branch_name not in found.branches:
                    problems.add(n, "branch", "所在党支部", f"党支部“{branch_name}”不存在")
                else:
                    branch_id = found.branches[branch_name]
        if phone and not re.fullmatch(r"[0-9+\- ]{5,20}", phone):
            problems.add(n, "phone", "手机", f"“{phone}”不是有效的电话号码")
        stage_text, step_text = text_of(cell("stage")), text_of(cell("step"))
        stage = _stage_of(stage_text, registry) if stage_text else None
        step = _step_of(step_text, stage, registry) if stage and step_text else None
        if not stage_text:
            problems.add(n, "stage", "当前阶段", "当前阶段不能为空")
        elif stage is None:
            problems.add(n, "stage", "当前阶段", f"阶段“{stage_text}”不存在")
        if stage and not step_text:
            problems.add(n, "step", "当前环节", "当前环节不能为空")
        elif stage and step is None:
            names = "、".join(s.title for s in registry.stage(stage).steps)
            problems.add(n, "step", "当前环节", f"“{STAGE_TITLES[stage]}”阶段没有环节“{step_text}”（可填：{names}）")
        passed: list[tuple[str, str, date]] = []
        milestones: dict[str, str] = {}
        warnings: list[str] = []
        if stage and step:
            here = next(i for i, (st, s) in enumerate(order) if (st, s.key) == (stage, step))
            last: tuple[date, str] | None = None
            for i, (st, s) in enumerate(order):
                key, label = f"date:{st}:{s.key}", step_column_title(st, s.title)
                value = parse_date(cell(key))
                if isinstance(value, str):
                    problems.add(n, key, label, value)
                    continue
                if i >= here:
                    if value is not None:
                        problems.add(n, key, label, "当前环节及以后的环节不能填写日期")
                    continue
                if value is None:
                    problems.add(n, key, label, "已完成的环节须填写完成日期")
                    continue
                if value > today:
                    problems.add(n, key, label, f"日期{value}晚于今天")
                if last and value < last[0]:
                    problems.add(n, key, label, f"日期{value}早于前一环节“{last[1]}”的日期{last[0]}")
                last = (value, label)
                passed.append((st, s.key, value))
                for m in milestone_keys(s):
                    milestones[m] = value.isoformat()
            for rule in rules:
                a, b = milestones.get(rule.start), milestones.get(rule.end)
                message = rule.breach(date.fromisoformat(a), date.fromisoformat(b)) if a and b else None
                if message and rule.mode == "refuse":
                    problems.add(n, "dates", "环节日期", f"不符合时间规定：{message}")
                elif message:
                    warnings.append(message)
        contact, introducers, group = None, [], None
        contact_no = text_of(cell("contact"))
        if contact_no:
            who = found.users.get(sno_rules.normalise(contact_no) or "")
            if who is None:
                problems.add(n, "contact", "培养联系人学号", f"学号 {contact_no} 不存在")
            else:
                contact = who[0]
        intro = [x for x in re.split(r"[、,，;；\s]+", text_of(cell("introducers"))) if x]
        if len(intro) > 2:
            problems.add(n, "introducers", "入党介绍人学号", "入党介绍人最多两人")
        elif len(set(intro)) != len(intro):
            problems.add(n, "introducers", "入党介绍人学号", "两位入党介绍人不能是同一人")
        else:
            for x in intro:
                who = found.users.get(sno_rules.normalise(x) or "")
                if who is None:
                    problems.add(n, "introducers", "入党介绍人学号", f"学号 {x} 不存在")
                elif who[0] == user_id or x == sno:
                    problems.add(n, "introducers", "入党介绍人学号", "入党介绍人不能是本人")
                else:
                    introducers.append(who[0])
        group_name = text_of(cell("party_group"))
        if group_name and branch_id is not None:
            group = found.groups.get((branch_id, group_name))
            if group is None:
                problems.add(n, "party_group", "党小组", f"所在党支部没有党小组“{group_name}”")
        if len(problems.items) == start:
            rows.append(Row(n, sno, name, user_id, branch_id, phone, stage, step, passed, milestones, warnings,
                            contact, introducers, group))
    if not rows and not problems.items:
        problems.add(None, "file", "文件", "文件中没有数据行")
    return rows, problems.items
