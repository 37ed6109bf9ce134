"""A throwaway pair of stages exercising the engine v2 and the kit (loaded with
settings.plugins.extra): every outcome kind, tasks (periodic, conditional, auto-advance),
an assignment step, a date step, cultivation with a review and a talk in task mode, the
same visible failure once re-votable and once final, and finishing the process."""
from sqlalchemy import select

from core.sdk import (AssignmentComponent, Cultivation, DateStep, DecisionComponent, Permission, ReviewComponent, Stage,
                      StagePage, Step, TalkComponent, TaskSpec, hookimpl, outcomes as o)

MANIFEST = {"name": "outcome_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "结果测试阶段"}
PERM = "outcome.act"
SEEN: list[tuple[str, str, str, list[int]]] = []


async def party_groups(session, branch_ids):
    from plugins.org_mgmt.models import PartyGroup

    found: dict[int, list[tuple[int, str]]] = {}
    for g in (await session.execute(select(PartyGroup).where(PartyGroup.branch_id.in_(branch_ids)))).scalars():
        found.setdefault(g.branch_id, []).append((g.id, g.name))
    return found


MEETING = DecisionComponent(key="meeting")
CHECK = DecisionComponent(key="check")
CONTACT = AssignmentComponent(role="contact")
REPORT = ReviewComponent(kind="test_report", title="思想汇报", key="report", path="report", task="report", proxy=True,
                         mp_path="test-report", batch_page=False)
TALK = TalkComponent(kind="test_quarter_talk", title="季度谈话", record_title="《季度谈话记录》", key="qtalk", path="qtalk",
                     role="contact", task="talk")
CULTIVATION = Cultivation(milestone="cultivated_at")
GROUP = AssignmentComponent(role="party_group", groups=party_groups, milestone="grouped_at")
OATH = DateStep(milestone="oath_at", date_label="宣誓时间")
VOTE = DecisionComponent(key="vote")
INTRODUCERS = AssignmentComponent(role="introducer", count=2, advance=False, milestone="introduced_at")

RECEPTION = Stage("reception", [
    Step("prep", "准备", permission=PERM),
    Step("meeting", "支部大会讨论", MEETING, (15,), permission=PERM, outcomes={
        "agree": o.advance("同意接收"),
        "reject": o.fail("支部大会-不通过", revote_to="prep", label="不同意接收"),
    }),
], slug="outcome-reception", view_permission=PERM, page=StagePage(title="结果测试-接收"))

CONVERSION = Stage("conversion", [
    Step("check", "确定符合条件", CHECK, permission=PERM, outcomes={
        "pass": o.advance("审核通过"), "fail": o.fail("发展条件-不通过", label="审核不通过")}),
    Step("contact", "指定培养联系人", (CONTACT, INTRODUCERS), (19,), permission=PERM),
    Step("cultivation", "培育考察", (CULTIVATION, REPORT, TALK), (21,), permission=PERM, tasks=(
        TaskSpec("report", "思想汇报", every="quarter", count=4, start="received_at"),
        TaskSpec("talk", "季度谈话", every="quarter", count=4, start="received_at"),
        TaskSpec("training", "培训班结业"),
        TaskSpec("symposium", "座谈会", when=lambda r: "filed_at" not in (r.milestones or {})),
    )),
    Step("pre_talk", "接收前谈话", permission=PERM, tasks=(TaskSpec("pre", "接收前谈话"),), auto_advance=True),
    Step("group", "编入党小组", GROUP, permission=PERM),
    Step("oath", "入党宣誓", OATH, (20,), permission=PERM),
    Step("vote", "支部大会讨论", VOTE, (23,), permission=PERM, outcomes={
        "agree": o.advance("同意转正"),
        "half": o.reflow("oath", extend_months=6, label="延迟预备期半年"),
        "year": o.reflow("oath", extend_months=12, label="延迟预备期一年"),
        "refuse": o.fail("支部大会-不通过", final=True, label="不同意转正"),
        "hold": o.stay("暂缓表决"),
    }),
    Step("complete", "完成发展流程", regulation=(25,), permission=PERM),
], slug="outcome-conversion", view_permission=PERM, page=StagePage(title="结果测试-转正"))


@hookimpl
def xf_permissions():
    return [Permission(PERM, "结果测试", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_stages():
    return [RECEPTION, CONVERSION]


@hookimpl
async def xf_reflowed(session, transition):
    SEEN.append(("reflowed", transition.to_stage, transition.to_step, [r.id for r in transition.records]))


@hookimpl
async def xf_record_finished(session, transition):
    SEEN.append(("finished", transition.stage, transition.step, [r.id for r in transition.records]))
