"""A throwaway stage for the components first needed by the candidate stage (loaded with
settings.plugins.extra): a symposium that advances (the candidate form), a committee meeting
with a vote, one with the time only, and a cultivation step whose tasks are completed by a
political review, the autobiography (a review in task mode) and a second symposium
configuration (the conversion form) in task mode for some people only."""
from sqlalchemy import select

from core.sdk import (DEMOCRATIC_REVIEW_FORM, CommitteeMeeting, Cultivation, MobileEntry, MobileScreen, Permission,
                      PoliticalReview, ReviewComponent, Stage, Step, SymposiumComponent, TaskSpec, hookimpl,
                      outcomes as o)

MANIFEST = {"name": "candidate_kit_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "组件测试-发展对象"}
PERM = "kit.candidate"
MP_PERM = "mp.kit.candidate"
API = "/api/pc/v1/development/kit-candidate"


async def branch_names(session, ids: list[int]) -> dict[int, str]:
    from plugins.org_mgmt.models import Organisation

    return dict((await session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))).all())


SYMPOSIUM = SymposiumComponent(kind="kit_symposium", title="入党重点发展对象座谈会", branch_names=branch_names,
                               milestone="symposium_at")
REVIEW_SYMPOSIUM = SymposiumComponent(kind="kit_review_symposium", title="民主评议座谈会", form=DEMOCRATIC_REVIEW_FORM,
                                      task="symposium", path="review-symposium", branch_names=branch_names,
                                      document_kind="democratic_review_record")
VOTE = CommitteeMeeting(kind="kit_committee_vote", title="支委会议", milestone="candidate_at", branch_names=branch_names,
                        vote_content="关于确定以下同志为发展对象的表决")
TIME_ONLY = CommitteeMeeting(kind="kit_committee_time", title="填报支委会议时间", vote=False, milestone="activist_at",
                             path="committee-time", branch_names=branch_names)
POLITICAL = PoliticalReview(kind="kit_political_review", title="政治审查", task="political_review",
                            failure_code="政治审查-不通过", branch_names=branch_names, mp_path="kit-political-review",
                            mp_permission=MP_PERM)
AUTOBIOGRAPHY = ReviewComponent(kind="kit_autobiography", title="自传", key="autobiography", path="autobiography",
                                task="autobiography", mp_path="kit-autobiography", mp_permission=MP_PERM,
                                review_label="审核自传", batch_page=False)

STAGE = Stage("candidate", [
    Step("prep", "准备", permission=PERM),
    Step("symposium", "入党重点发展对象座谈会", SYMPOSIUM, permission=PERM),
    Step("committee_meeting", "支委会议", VOTE, (7,), permission=PERM, outcomes={
        "pass": o.advance("通过"), "fail": o.fail("支委会议-不通过", label="不通过")}),
    Step("committee_time", "填报支委会议时间", TIME_ONLY, (3,), permission=PERM),
    Step("cultivation", "培育考察", (Cultivation(), POLITICAL, AUTOBIOGRAPHY, REVIEW_SYMPOSIUM), (10,), permission=PERM,
         outcomes={"advance": o.advance("考察通过"), "political_fail": o.fail("政治审查-不通过", label="政审不通过")},
         tasks=(TaskSpec("political_review", "政治审查", regulation=(10,)), TaskSpec("autobiography", "自传"),
                TaskSpec("symposium", "座谈会", when=lambda r: "filed_at" not in (r.milestones or {})))),
    Step("after", "完成", permission=PERM),
], slug="kit-candidate", view_permission=PERM)


@hookimpl
def xf_permissions():
    return [Permission(PERM, "组件测试-发展对象", "pc", None, ("committee", "branch_admin")),
            Permission(MP_PERM, "组件测试-政审与自传", "mp", None, ("student",))]


@hookimpl
def xf_stages():
    return [STAGE]


@hookimpl
def xf_mobile_screens():
    return [MobileScreen("/development/kit-political-review", "screens/development/political_review.js", "政治审查", MP_PERM,
                         entry=MobileEntry("政治审查", "check", 70), options={"api": "kit-political-review"}),
            MobileScreen("/development/kit-autobiography", "screens/development/submission.js", "自传撰写", MP_PERM,
                         entry=MobileEntry("自传撰写", "doc", 71),
                         options={"api": "kit-autobiography", "key": "autobiography", "material": "自传",
                                  "purpose": "autobiography"})]
