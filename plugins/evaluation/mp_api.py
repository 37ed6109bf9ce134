"""Mini-program API of 考核评价报告 (EV-8..11): published reports only, plain JSON."""
from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Query
from sqlalchemy import select

from core.auth import Requires
from core.db import SessionDep
from core.deps import SettingsDep
from core.errors import fail
from plugins.evaluation import reports
from plugins.evaluation.metrics import default_threshold
from plugins.evaluation.models import EvalBranchResult, EvalResult

router = APIRouter(prefix="/api/mp/v1/evaluation", tags=["小程序-考核评价报告"])


@router.get("/reports", summary="考核评价报告列表")
async def report_list(
    session: SessionDep, actor: Requires("mp.eval"),
    year: Optional[str] = Query(None, description="评价年份，默认全部"),
    order: Literal["latest", "earliest", "best", "worst"] = Query("latest", description="时间最晚/最早，名次最前/最后"),
):
    periods = await reports.visible_periods(session, actor, mp=True)
    years = list(dict.fromkeys(y for _, y in periods))
    if year:
        periods = [(p, y) for p, y in periods if y == year]
    ids = [p.id for p, _ in periods]
    mine: dict[int, int] = {}
    if ids and actor.scope == "self":
        mine = dict((await session.execute(select(EvalResult.period_id, EvalResult.college_rank).where(
            EvalResult.user_id == actor.id, EvalResult.period_id.in_(ids)))).all())
    elif ids and actor.scope == "branch" and actor.branch_id:
        mine = dict((await session.execute(select(EvalBranchResult.period_id, EvalBranchResult.rank).where(
            EvalBranchResult.branch_id == actor.branch_id, EvalBranchResult.period_id.in_(ids)))).all())
    items = [{"id": p.id, "year": y, "name": p.name, "label": f"{y} {p.name}", "student_count": p.summary.get("total", 0),
              "my_rank": mine.get(p.id), "published_at": p.published_at.isoformat(timespec="seconds") if p.published_at else None,
              "position": i} for i, (p, y) in enumerate(periods)]
    if order == "latest":
        items.reverse()
    elif order in ("best", "worst"):
        # Periods without a rank of one's own go last either way, in time order (latest first).
        ranked = [x for x in items if x["my_rank"] is not None]
        rest = sorted((x for x in items if x["my_rank"] is None), key=lambda x: -x["position"])
        ranked.sort(key=lambda x: (x["my_rank"], -x["position"]), reverse=False)
        if order == "worst":
            ranked.sort(key=lambda x: (-x["my_rank"], -x["position"]))
        items = ranked + rest
    for x in items:
        x.pop("position")
    return {"items": items, "total": len(items), "years": years, "year": year, "order": order,
            "levels": {"college": actor.can("mp.eval.college") and actor.scope == "all",
                       "branch": actor.can("mp.eval.branch") and actor.scope in ("all", "branch"),
                       "individual": actor.can("mp.eval.individual")}}


@router.get("/reports/{period_id}/college", summary="评价报告明细-学院党委")
async def college(period_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("mp.eval.college"),
                  metric: Optional[str] = None, threshold: Optional[float] = None):
    reports.require_college(actor)
    p, y = await reports.visible_period(session, actor, period_id, mp=True)
    return await reports.college_detail(session, p, f"{y} {p.name}", settings.college_name, metric, threshold, default_threshold(settings))


@router.get("/reports/{period_id}/branches", summary="可查看的党支部")
async def branches(period_id: int, session: SessionDep, actor: Requires("mp.eval.branch")):
    p, _ = await reports.visible_period(session, actor, period_id, mp=True)
    items = await reports.branch_list(session, actor, p)
    return {"items": items, "total": len(items)}


@router.get("/reports/{period_id}/branches/{branch_id}", summary="评价报告明细-二级支部")
async def branch(period_id: int, branch_id: int, session: SessionDep, settings: SettingsDep, actor: Requires("mp.eval.branch"),
                 metric: Optional[str] = None, threshold: Optional[float] = None):
    reports.require_branch(actor, branch_id)
    p, y = await reports.visible_period(session, actor, period_id, mp=True)
    return await reports.branch_detail(session, actor, p, f"{y} {p.name}", branch_id, metric, threshold, default_threshold(settings), mp=True)


@router.get("/reports/{period_id}/members", summary="党员个人列表（点击姓名查看报告）")
async def members(period_id: int, session: SessionDep, actor: Requires("mp.eval.individual"),
                  name: str = Query(""), branch_id: Optional[int] = None, page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=500)):
    p, _ = await reports.visible_period(session, actor, period_id, mp=True)
    items, total = await reports.member_list(session, actor, p, name, branch_id, (page - 1) * per_page, per_page)
    return {"items": items, "total": total}


@router.get("/reports/{period_id}/members/{user_id}", summary="评价报告明细-党员个人（学生用 me 查看本人）")
async def member(period_id: int, user_id: str, session: SessionDep, actor: Requires("mp.eval.individual")):
    if user_id == "me":
        uid = actor.id
    elif user_id.isdigit():
        uid = int(user_id)
    else:
        raise fail(404, reports.NOT_FOUND)
    p, y = await reports.visible_period(session, actor, period_id, mp=True)
    return await reports.individual_detail(session, actor, p, f"{y} {p.name}", uid, mp=True)
