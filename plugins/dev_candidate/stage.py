"""The candidate stage (manual 6.3, CAN-1..10) as a declaration on the kit: the condition check,
the recommendation again (推优登记表 from the profile, 处理推优结果, the branch's delete and
proxy upload), the symposium with its 群众意见原始记录表, the branch committee meeting voting
on each person (通过 makes them 发展对象: ``candidate_at``), filing with the branch opinion, the
committee's college-wide publicity with a contact person, phone and brief per person, two
introducers, and cultivation — quarterly thought reports and introducer talks, the
autobiography, the political review and the 发展对象培训班 — up to 考察通过, which enters the
reception stage. Routes, pages, list columns, actions, to-dos and messages come from the
components."""
from core.sdk import (AssignmentComponent, CommitteeMeeting, Cultivation, DecisionComponent, Filing, PoliticalReview,
                      PublicityComponent, ReviewComponent, Stage, StagePage, Step, SymposiumComponent, TalkComponent,
                      TaskSpec, TrainingComponent, names_lookup, recommendation_form)
from core.sdk import outcomes as o
from plugins.org_mgmt.models import Organisation

MP_PERM = "mp.dev.candidate"
branch_names = names_lookup(Organisation)  # party branches, from org_mgmt which this plugin depends on

CONDITION = DecisionComponent(key="condition")
RECOMMENDATION = ReviewComponent(
    kind="candidate_recommendation_form", title="推优登记表", key="recommendation", path="recommendation",
    milestone="candidate_recommended_at", review_label="推优管理", mp_path="candidate-recommendation",
    mp_permission=MP_PERM, template=recommendation_form(branch_names), template_title="推优登记表", result_mode=True,
    date_label="推优时间", deletable=True, proxy=True)
SYMPOSIUM = SymposiumComponent(kind="candidate_symposium", title="入党重点发展对象座谈会", page_title="座谈会管理（发展对象）",
                               milestone="candidate_symposium_at", branch_names=branch_names)
MEETING = CommitteeMeeting(kind="candidate_committee_meeting", title="支委会议", milestone="candidate_at",
                           vote_content="关于确定以下同志为入党重点发展对象的表决", branch_names=branch_names)
FILING = Filing(kind="candidate_filing", title="发展对象备案", form_title="发展对象备案表", milestone="candidate_filed_at",
                form_milestones=(("activist_at", "确定为积极分子时间"), ("candidate_at", "确定为发展对象时间")),
                page_title="备案管理（发展对象）", branch_names=branch_names)
PUBLICITY = PublicityComponent(kind="candidate", title="确定入党重点发展对象名单的公示", page_title="发展对象公示",
                               people_label="入党重点发展对象", with_contact=True, milestone="candidate_publicized_at",
                               branch_names=branch_names)
INTRODUCERS = AssignmentComponent(role="introducer", count=2)
CULTIVATION = Cultivation(title="入党教育培育考察", milestone="candidate_cultivated_at")
REPORTS = ReviewComponent(kind="candidate_thought_report", title="思想汇报", key="report", path="report", task="report",
                          mp_path="candidate-thought-reports", mp_permission=MP_PERM, proxy=True)
TALKS = TalkComponent(kind="introducer_talk", title="介绍人谈话", record_title="《入党介绍人谈话记录》", key="introducer_talk",
                      role="introducer", path="introducer-talk", task="talk", batch_page=True)
AUTOBIOGRAPHY = ReviewComponent(kind="autobiography", title="自传", key="autobiography", path="autobiography",
                                task="autobiography", mp_path="autobiography", mp_permission=MP_PERM,
                                review_label="审核自传")
POLITICAL = PoliticalReview(kind="candidate_political_review", title="政治审查", task="political_review",
                            failure_code="政治审查-不通过", mp_path="political-review", mp_permission=MP_PERM,
                            permission_key="dev.candidate.political", branch_names=branch_names)
TRAINING = TrainingComponent(class_type="candidate", title="发展对象培训班", branch_names=branch_names)

STAGE = Stage("candidate", [
    Step("condition", "确定符合条件的积极分子", CONDITION, permission="dev.candidate.condition", outcomes={
        "pass": o.advance("审核通过"), "fail": o.fail("发展条件-不通过", label="审核不通过")}),
    Step("recommendation", "团支部推优/党员推优", RECOMMENDATION, permission="dev.candidate.recommend",
         failure_code="团/党员推荐-不通过"),
    Step("symposium", "入党重点发展对象座谈会", SYMPOSIUM, permission="dev.candidate.symposium"),
    Step("committee_meeting", "支委会议", MEETING, (7,), permission="dev.candidate.meeting", outcomes={
        "pass": o.advance("通过"), "fail": o.fail("支委会议-不通过", label="不通过")}),
    Step("filing", "上级党委备案", FILING, (8,), permission="dev.candidate.filing", failure_code="党委备案-不通过"),
    Step("publicity", "确定入党重点发展对象名单的公示", PUBLICITY, permission="dev.candidate.publicity"),
    Step("introducers", "确定入党介绍人", INTRODUCERS, (9,), permission="dev.candidate.introducer"),
    Step("cultivation", "入党教育培育考察", (CULTIVATION, REPORTS, TALKS, AUTOBIOGRAPHY, POLITICAL, TRAINING), (10, 11),
         permission="dev.candidate.cultivation", outcomes={
             "advance": o.advance("考察通过"), "political_fail": o.fail("政治审查-不通过", label="政审不通过")},
         tasks=(
             TaskSpec("report", "思想汇报", every="quarter", count=4, start="candidate_at"),
             TaskSpec("talk", "介绍人谈话", every="quarter", count=4, start="candidate_at"),
             TaskSpec("autobiography", "自传"),
             TaskSpec("political_review", "政治审查", regulation=(10,)),
             TaskSpec("training", "发展对象培训班", regulation=(11,)),
         )),
], slug="candidates", view_permission="dev.candidate",
    page=StagePage(title="发展对象", icon="fa fa-user-plus", milestone_columns=[
        ("activist_at", "确定为积极分子时间"), ("candidate_recommended_at", "推优时间"), ("candidate_at", "确定为发展对象时间")]))
