"""The activist stage (manual 6.2, ACT-1..7) as a declaration on the kit: the condition check,
the recommendation (推优登记表 generated from the profile, 处理推优结果 with the 推优时间), the
activist list publicity, the committee meeting date (确定为入党积极分子), filing with the
college committee, the cultivation contact and the publicity listing each contact, and
cultivation — quarterly thought reports and talks with the contact, the activist training
class — up to 考察通过, which enters the candidate stage. Routes, pages, list columns,
actions, to-dos and messages come from the components."""
from core.sdk import (AssignmentComponent, CommitteeMeeting, Cultivation, DecisionComponent, Filing, PublicityComponent,
                      ReviewComponent, Stage, StagePage, Step, TalkComponent, TaskSpec, TrainingComponent, names_lookup,
                      recommendation_form)
from core.sdk import outcomes as o
from plugins.org_mgmt.models import Organisation

branch_names = names_lookup(Organisation)  # party branches, from org_mgmt which this plugin depends on

CONDITION = DecisionComponent(key="condition")
RECOMMENDATION = ReviewComponent(
    kind="recommendation_form", title="推优登记表", key="recommendation", path="recommendation", milestone="recommended_at",
    review_label="处理推优结果", mp_path="recommendation", mp_permission="mp.dev.activist", template=recommendation_form(branch_names),
    template_title="推优登记表", result_mode=True, date_label="推优时间", deletable=True, proxy=True)
PUBLICITY = PublicityComponent(kind="activist", title="入党积极分子名单公示", page_title="积极分子公示",
                               milestone="activist_publicized_at", branch_names=branch_names)
MEETING = CommitteeMeeting(kind="activist_committee_meeting", title="填报支委会议时间", vote=False, milestone="activist_at",
                           branch_names=branch_names)
FILING = Filing(kind="activist_filing", title="入党积极分子备案", form_title="入党积极分子备案表", milestone="activist_filed_at",
                form_milestones=(("applied_at", "申请入党时间"), ("activist_at", "确定为积极分子时间")),
                page_title="备案管理（积极分子）", branch_names=branch_names)
CONTACT = AssignmentComponent(role="contact")
CONTACT_PUBLICITY = PublicityComponent(kind="activist_contact", title="入党积极分子及培养联系人名单公示",
                                       page_title="积极分子及培养联系人公示", path="contact-publicity", role_column="contact",
                                       branch_names=branch_names)
CULTIVATION = Cultivation(milestone="cultivated_at")
REPORTS = ReviewComponent(kind="thought_report", title="思想汇报", key="report", path="report", task="report",
                          mp_path="thought-reports", mp_permission="mp.dev.activist", proxy=True)
TALKS = TalkComponent(kind="activist_quarter_talk", title="季度谈话", record_title="《培养联系人谈话记录》", key="quarter_talk",
                      role="contact", path="quarter-talk", task="talk", batch_page=True)
TRAINING = TrainingComponent(class_type="activist", title="积极分子培训班", branch_names=branch_names)

STAGE = Stage("activist", [
    Step("condition", "确定符合条件的申请人", CONDITION, permission="dev.activist.condition", outcomes={
        "pass": o.advance("审核通过"), "fail": o.fail("发展条件-不通过", label="审核不通过")}),
    Step("recommendation", "团支部推优/党员推优", RECOMMENDATION, permission="dev.activist.recommend",
         failure_code="团/党员推荐-不通过"),
    Step("publicity", "入党积极分子名单公示", PUBLICITY, permission="dev.activist.publicity"),
    Step("committee_meeting", "填报支委会议时间", MEETING, (3,), permission="dev.activist.meeting"),
    Step("filing", "上级党委备案", FILING, (4,), permission="dev.activist.filing", failure_code="党委备案-不通过"),
    Step("contact", "指定培养联系人", CONTACT, (5,), permission="dev.activist.contact"),
    Step("contact_publicity", "入党积极分子及培养联系人名单公示", CONTACT_PUBLICITY, permission="dev.activist.publicity"),
    Step("cultivation", "培育考察", (CULTIVATION, REPORTS, TALKS, TRAINING), (6,), permission="dev.activist.cultivation", tasks=(
        TaskSpec("report", "思想汇报", every="quarter", count=4, start="activist_at"),
        TaskSpec("talk", "季度谈话", every="quarter", count=4, start="activist_at"),
        TaskSpec("training", "积极分子培训班"),
    )),
], slug="activists", view_permission="dev.activist",
    page=StagePage(title="积极分子", icon="fa fa-star", milestone_columns=[
        ("applied_at", "申请入党时间"), ("recommended_at", "推优时间"), ("activist_at", "确定为积极分子时间")]))
