"""A stage for the engine figures (loaded only by the benchmarks): a vote with every outcome
kind (those who pass enter a step with a task), then a cultivation with quarterly tasks."""
from core.sdk import Cultivation, DecisionComponent, Permission, Stage, Step, TaskSpec, hookimpl, outcomes as o

MANIFEST = {"name": "bench_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "性能测试阶段"}
PERM = "bench.act"

STAGE = Stage("conversion", [
    Step("prep", "准备", permission=PERM),
    Step("vote", "表决", DecisionComponent(key="vote", path="vote"), permission=PERM, outcomes={
        "agree": o.advance("同意"), "half": o.reflow("prep", extend_months=6, label="延迟半年"),
        "refuse": o.fail("表决-不通过", final=True), "again": o.fail("表决-暂缓"), "hold": o.stay("暂缓")}),
    Step("after", "表决后", permission=PERM, tasks=(TaskSpec("follow", "表决后跟进"),)),
    Step("cultivation", "培育考察", Cultivation(), permission=PERM, tasks=(
        TaskSpec("report", "思想汇报", every="quarter", count=4, start="received_at"),
        TaskSpec("talk", "季度谈话", every="quarter", count=4, start="received_at"))),
    Step("done", "完成"),
], slug="bench", view_permission=PERM)


@hookimpl
def xf_permissions():
    return [Permission(PERM, "性能测试", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_stages():
    return [STAGE]
