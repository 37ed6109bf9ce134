"""本年度考评 on the 工作台 (issue 16, ``xf_dashboard_panels``): the latest evaluation year's
periods, each with how far it got (imported, generated, published) and how many people it
holds in the actor's reach (a branch admin: its branch)."""
from __future__ import annotations

from sqlalchemy import func, select

from core.dashboard_api import Panel, PanelItem
from plugins.evaluation.models import EvalPeriod, EvalRecord, EvalYear

DATA = "/admin/#/admin/evaluation/page/data"
RESULTS = "/admin/#/admin/evaluation/page/results"


async def year_panel(session, actor) -> list[Panel]:
    if actor.scope not in ("all", "branch") or not (actor.can("eval.data.view") or actor.can("eval.report.view")):
        return []
    year = (await session.execute(select(EvalYear).order_by(EvalYear.name.desc()).limit(1))).scalar_one_or_none()
    if year is None:
        return [Panel(title="本年度考评", items=[PanelItem(label="评价时段", value="尚未设置评价时段", link=DATA)], link=DATA)]
    periods = list((await session.execute(select(EvalPeriod).where(EvalPeriod.year_id == year.id)
                                          .order_by(EvalPeriod.sort, EvalPeriod.id))).scalars())
    q = select(EvalRecord.period_id, func.count()).where(EvalRecord.period_id.in_([p.id for p in periods]))
    if actor.scope == "branch":
        q = q.where(EvalRecord.branch_id == actor.branch_id)
    counts = dict((await session.execute(q.group_by(EvalRecord.period_id))).all()) if periods else {}
    items = []
    for p in periods:
        n = counts.get(p.id, 0)
        state = "已发布" if p.published else ("已生成报告，待发布" if p.generated_at else ("已导入数据，待生成报告" if n else "待导入数据"))
        items.append(PanelItem(label=p.name, value=f"{state}（{n}人）", link=RESULTS if p.published else DATA))
    return [Panel(title=f"本年度考评（{year.name}）", items=items or [PanelItem(label="评价时段", value="尚未设置评价时段", link=DATA)],
                  link=RESULTS)]
