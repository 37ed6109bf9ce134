"""A stage for the candidate-stage component figures (loaded only by the benchmarks): a
symposium that advances, then a cultivation whose political review completes a task."""
from core.sdk import Cultivation, Permission, PoliticalReview, Stage, Step, SymposiumComponent, TaskSpec, hookimpl

MANIFEST = {"name": "bench_candidate_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "性能测试-发展对象"}
PERM = "bench.candidate"

STAGE = Stage("candidate", [
    Step("symposium", "座谈会", SymposiumComponent(kind="bench_symposium", title="入党重点发展对象座谈会"), permission=PERM),
    Step("cultivation", "培育考察", (Cultivation(), PoliticalReview(kind="bench_political_review", title="政治审查",
                                                                 task="political_review")), permission=PERM,
         tasks=(TaskSpec("political_review", "政治审查"),)),
    Step("done", "完成"),
], slug="bench-candidate", view_permission=PERM)


@hookimpl
def xf_permissions():
    return [Permission(PERM, "性能测试-发展对象", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_stages():
    return [STAGE]
