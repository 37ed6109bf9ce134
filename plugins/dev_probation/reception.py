"""The reception stage (预备党员的接收, manual 6.4, PRO-R1..10) as a declaration on the kit: the
condition check; 流转座谈会及谈话 (the introducer's talk before reception, and a symposium for
those not filed in the current semester, as tasks of one step that moves on by itself); the
reception publicity; the 支委会议 date; the committee's pre-review; the 入党志愿书 (numbers,
下发, the branch confirms the paper); the general meeting (同意接收, or 不同意接收 which the
branch may send back to the 入党志愿书 step for a new vote); the committee's talk; the
committee's approval; filing with the next-higher organisation department, which enters the
conversion stage (political status 中共预备党员)."""
from core.sdk import (MASS_OPINION_FORM, ApplicationForm, CommitteeMeeting, Cultivation, DecisionComponent, Filing, GeneralMeeting,
                      PublicityComponent, Stage, StagePage, Step, SymposiumComponent, TalkComponent, TaskSpec)
from core.sdk import outcomes as o
from plugins.dev_probation.shared import branch_names, needs_symposium

CONDITION = DecisionComponent(key="condition")
PRE_TALK = Cultivation(key="pre_talk_progress", path="pre-talk-progress", title="流转座谈会及谈话", pass_label="完成座谈会及谈话")
PRE_TALK_TALK = TalkComponent(kind="reception_talk", title="接收预备党员前谈话", record_title="《接收预备党员前谈话记录》",
                              key="pre_talk", role="introducer", path="pre-talk", task="talk", batch_page=True)
SYMPOSIUM = SymposiumComponent(kind="reception_symposium", title="座谈会", form=MASS_OPINION_FORM, task="symposium",
                               path="symposium", branch_names=branch_names)
PUBLICITY = PublicityComponent(kind="reception", title="预备党员接收公示", page_title="接收公示",
                               milestone="reception_publicized_at", branch_names=branch_names)
MEETING = CommitteeMeeting(kind="reception_committee_meeting", title="填报支委会议时间", vote=False,
                           milestone="committee_reviewed_at", branch_names=branch_names)
PRE_REVIEW = Filing(kind="reception_pre_review", title="预备党员接收预审", variant="pre_review", path="pre-review",
                    form_title="预备党员接收预审表", milestone="pre_reviewed_at", page_title="预审管理（接收）",
                    form_milestones=(("applied_at", "申请入党时间"), ("candidate_at", "确定为发展对象时间")),
                    branch_names=branch_names)
FORM = ApplicationForm(number_permission="dev.reception.form_numbers")
GENERAL_MEETING = GeneralMeeting(vote="reception", vote_label="接收预备党员", milestone="received_at", branch_names=branch_names)
COMMITTEE_TALK = TalkComponent(kind="committee_talk", title="上级党委派人谈话", record_title="《上级党委派人谈话记录》",
                               key="committee_talk", mode="committee", milestone="committee_talked_at", path="committee-talk",
                               mp_permission="mp.dev.probation",
                               guide="谈话前请准备：入党动机、对党的性质和宗旨的认识、入党后的打算以及需要向组织说明的问题。")
APPROVAL = Filing(kind="reception_approval", title="接收预备党员审批", variant="approval", path="approval",
                  form_title="接收预备党员审批表", milestone="approved_at", page_title="审批管理（接收）",
                  form_milestones=(("candidate_at", "确定为发展对象时间"), ("received_at", "支部大会接收时间")),
                  branch_names=branch_names)
HIGHER_FILING = Filing(kind="reception_higher_filing", title="再上一级党委组织部门备案", variant="branch_confirmed",
                       path="higher-filing", authority="上级党委组织部门", form_title="预备党员备案表",
                       milestone="higher_filed_at", page_title="再上一级党委备案",
                       form_milestones=(("received_at", "支部大会接收时间"), ("approved_at", "上级党委审批时间")),
                       branch_names=branch_names)

STAGE = Stage("reception", [
    Step("condition", "确定符合条件的发展对象", CONDITION, permission="dev.reception.condition", outcomes={
        "pass": o.advance("审核通过"), "fail": o.fail("发展条件-不通过", label="审核不通过")}),
    Step("pre_talk", "流转座谈会及谈话", (PRE_TALK, PRE_TALK_TALK, SYMPOSIUM), permission="dev.reception.pre_talk",
         auto_advance=True, tasks=(TaskSpec("talk", "接收预备党员前谈话"), TaskSpec("symposium", "座谈会", when=needs_symposium))),
    Step("publicity", "预备党员接收公示", PUBLICITY, permission="dev.reception.publicity"),
    Step("committee_meeting", "支委会议", MEETING, (12,), permission="dev.reception.meeting"),
    Step("pre_review", "上级党委预审", PRE_REVIEW, (13,), permission="dev.reception.pre_review",
         failure_code="上级党委预审-不通过"),
    Step("application_form", "入党志愿书管理", FORM, (14,), permission="dev.reception.form"),
    Step("general_meeting", "支部大会讨论", GENERAL_MEETING, (15,), permission="dev.reception.general_meeting", outcomes={
        "agree": o.advance("同意接收"),
        "reject": o.fail("支部大会-不通过", revote_to="application_form", label="不同意接收"),
    }),
    Step("committee_talk", "上级党委派人谈话", COMMITTEE_TALK, (16,), permission="dev.reception.committee_talk"),
    Step("approval", "上级党委审批", APPROVAL, (17,), permission="dev.reception.approval", failure_code="上级党委审批-不通过"),
    Step("higher_filing", "再上一级党委组织部门备案", HIGHER_FILING, (18,), permission="dev.reception.higher_filing"),
], slug="reception", view_permission="dev.reception",
    page=StagePage(title="预备党员接收", icon="fa fa-user-plus", milestone_columns=[
        ("candidate_at", "确定为发展对象时间"), ("received_at", "支部大会接收时间")]))
