"""Built-in guards, registered like a plugin: profile complete and age ≥ 18 to apply (APP-1),
and the timing rules of the regulation (refuse or warn, per settings)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.hookspecs import hookimpl
from core.models import StudentProfile
from core.workflow.transitions import GuardResult
from core.workflow.models import milestone_date
from core.workflow.rules import configured_rules


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


async def applicant_conditions(session, user_ids: list[int], today: date | None = None) -> dict[int, list[str]]:
    """The unmet conditions of "我想入党" per user: profile complete, 18 or older."""
    today = today or date.today()
    profiles = {p.user_id: p for p in (await session.execute(
        select(StudentProfile).where(StudentProfile.user_id.in_(user_ids)))).scalars()}
    problems: dict[int, list[str]] = {}
    for uid in user_ids:
        p = profiles.get(uid)
        found = []
        if p is None or not p.complete:
            found.append("个人基础信息尚未完善，请先完善个人信息")
        if p is None or p.birth_date is None or age_on(p.birth_date, today) < 18:
            found.append("未满18周岁，不能提交入党申请")
        if p is not None and p.political_status in ("中共党员", "中共预备党员"):
            found.append("您已是党员，无需提交入党申请")
        if found:
            problems[uid] = found
    return problems


@hookimpl
async def xf_guard(session, transition):
    results: list[GuardResult] = []
    if transition.action == "start" and transition.to_stage == "applicant":
        today = transition.settings.local_today() if transition.settings is not None else None
        problems = await applicant_conditions(session, list(transition.users), today)
        for uid, messages in problems.items():
            results += [GuardResult(uid, "refuse", "applicant_conditions", m) for m in messages]
    if transition.milestones:
        for rule in configured_rules(transition.settings):
            for r in transition.records:
                new = transition.milestones.get(r.user_id, {})
                if rule.end not in new:
                    continue
                start = new.get(rule.start) or milestone_date(r, rule.start)
                if start is None:
                    continue
                message = rule.breach(start, new[rule.end])
                if message:
                    results.append(GuardResult(r.user_id, "refuse" if rule.mode == "refuse" else "warn", rule.key, message))
    return results
