"""Two evaluation periods for the living demo college (``xianfeng demo``, issue 16): the
semesters of the last school year, imported from a workbook through the importer (the same
checks as an upload), generated and published, so the reports, charts and the 工作台's
本年度考评 show data. The year differs from the one the browser tests create."""
from __future__ import annotations

import random

from sqlalchemy import select

from core.documents import xlsx_bytes
from core.models import Role, User, UserRole, utcnow
from plugins.evaluation.generate import generate
from plugins.evaluation.importer import import_file
from plugins.evaluation.metrics import default_metrics, default_threshold, with_range
from plugins.evaluation.models import EvalPeriod
from plugins.evaluation.periods import check_name_free, next_sort, year_by_name
from plugins.org_mgmt.models import Organisation

YEAR = "2024-2025学年"
PERIODS = ("第一学期", "第二学期")


async def build_periods(session, settings, demo) -> int:
    if not demo.living:
        return 0
    people = (await session.execute(
        select(User.name, User.student_no, Organisation.name).join(Organisation, Organisation.id == User.party_branch_id)
        .join(UserRole, UserRole.user_id == User.id).join(Role, Role.id == UserRole.role_id)
        .where(Role.key == "student", User.deleted_at.is_(None), User.student_no.is_not(None)).order_by(User.id))).all()
    if not people:
        return 0
    rng = random.Random(2025)
    year = await year_by_name(session, YEAR)
    made = 0
    for name in PERIODS:
        if (await session.execute(select(EvalPeriod.id).where(EvalPeriod.year_id == year.id, EvalPeriod.name == name))).first():
            continue
        await check_name_free(session, year.id, name)
        period = EvalPeriod(year_id=year.id, name=name, sort=await next_sort(session, year.id), metrics=default_metrics(settings))
        session.add(period)
        await session.flush()
        metrics = with_range(period.metrics)
        rows = [[n, sno, branch, *[round(rng.uniform(max(m["min"], m["max"] * 0.6), m["max"]), 1) for m in metrics]]
                for n, sno, branch in people]
        data = xlsx_bytes(["姓名", "学号", "党支部", *[m["name"] for m in metrics]], rows, sheet_title="评价数据")
        await import_file(session, period, data, "full", None)
        await generate(session, period, default_threshold(settings))
        period.published, period.published_at = True, utcnow()
        session.add(period)
        await session.commit()
        made += 1
    return made
