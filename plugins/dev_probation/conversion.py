"""The conversion stage (预备党员的教育考察和转正, manual 6.5, PRO-1..10) as a declaration on the
kit: 编入党小组; the oath (流转入党宣誓, then 填写宣誓时间); cultivation over the probation year
(quarterly thought reports and introducer talks from ``received_at``); the conversion
application (the branch opens the entry, the member uploads, may withdraw before it is handled,
the branch confirms it with a date); the symposium with the 民主评议 form; the publicity; the
committee's pre-review; the general meeting (同意转正; 延迟预备期半年/一年 back to the
pre-review with the probation end moved; 不同意 final); the committee's approval; and
完成发展流程, which checks the papers of both stages and finishes the record (中共党员)."""
from core.sdk import (DEMOCRATIC_REVIEW_FORM, AssignmentComponent, CompletenessCheck, Cultivation, DateStep, Filing, GeneralMeeting,
                      PublicityComponent, ReviewComponent, Stage, StagePage, Step, SymposiumComponent, TalkComponent, TaskSpec)
from core.sdk import outcomes as o
from plugins.dev_probation.shared import branch_names, party_groups

PARTY_GROUP = AssignmentComponent(role="party_group", groups=party_groups, milestone="grouped_at")
OATH = DateStep(key="oath", milestone="oath_at", date_label="宣誓时间", flow_label="流转入党宣誓",
                choices={"advance": "填写宣誓时间"},
                flow_message="请按党支部安排参加入党宣誓仪式，宣誓时间以党支部通知为准。")
CULTIVATION = Cultivation(title="转正教育考察", milestone="conversion_cultivated_at")
REPORTS = ReviewComponent(kind="thought_report", title="思想汇报", key="report", path="report", task="report",
                          mp_path="probation-reports", mp_permission="mp.dev.probation", proxy=True)
TALKS = TalkComponent(kind="conversion_talk", title="介绍人谈话", record_title="《预备党员谈话记录》", key="introducer_talk",
                      role="introducer", path="introducer-talk", task="talk", batch_page=True)
APPLICATION = ReviewComponent(kind="conversion_application", title="转正申请书", key="conversion_application",
                              path="conversion-application", milestone="conversion_applied_at", review_label="处理转正申请",
                              mp_path="conversion-application", mp_permission="mp.dev.probation", result_mode=True,
                              date_label="转正申请时间", open_label="开放转正申请", proxy=True, batch_page=False)
SYMPOSIUM = SymposiumComponent(kind="conversion_symposium", title="座谈会", form=DEMOCRATIC_REVIEW_FORM, path="symposium",
                               document_kind="democratic_review_record", branch_names=branch_names)
PUBLICITY = PublicityComponent(kind="conversion", title="预备党员转正公示", page_title="转正公示",
                               milestone="conversion_publicized_at", branch_names=branch_names)
PRE_REVIEW = Filing(kind="conversion_pre_review", title="预备党员转正预审", variant="pre_review", path="pre-review",
                    form_title="预备党员转正预审表", milestone="conversion_pre_reviewed_at", page_title="预审管理（转正）",
                    form_milestones=(("received_at", "支部大会接收时间"), ("oath_at", "入党宣誓时间")), branch_names=branch_names)
GENERAL_MEETING = GeneralMeeting(vote="conversion", vote_label="预备党员转正", milestone="conversion_voted_at",
                                 branch_names=branch_names)
APPROVAL = Filing(kind="conversion_approval", title="预备党员转正审批", variant="approval", path="approval",
                  form_title="预备党员转正审批表", milestone="conversion_approved_at", page_title="审批管理（转正）",
                  form_milestones=(("received_at", "支部大会接收时间"), ("conversion_voted_at", "转正支部大会时间")),
                  branch_names=branch_names)
# What 完成发展流程 requires of every record: the papers of the two stages this plugin runs
# (the conditional reception symposium is not required) and their dates in order.
DOCUMENTS = {
    "reception": (("talk_record", "接收预备党员前谈话记录"), ("publicity", "预备党员接收公示文件"),
                  ("reception_pre_review_form", "预备党员接收预审表"), ("application_form", "入党志愿书"),
                  ("meeting_record", "接收预备党员支部大会组织生活记录"), ("committee_talk", "上级党委派人谈话记录"),
                  ("reception_approval_form", "接收预备党员审批表"), ("reception_higher_filing_form", "预备党员备案表")),
    "conversion": (("thought_report", "思想汇报"), ("talk_record", "介绍人谈话记录"), ("conversion_application", "转正申请书"),
                   ("democratic_review_record", "拟转正预备党员民主评议意见原始记录表"), ("publicity", "预备党员转正公示文件"),
                   ("conversion_pre_review_form", "预备党员转正预审表"), ("meeting_record", "转正支部大会组织生活记录"),
                   ("conversion_approval_form", "预备党员转正审批表")),
}
MILESTONES = (("committee_reviewed_at", "支委会议时间"), ("pre_reviewed_at", "上级党委预审时间"),
              ("form_submitted_at", "入党志愿书提交时间"), ("received_at", "支部大会接收时间"),
              ("committee_talked_at", "上级党委派人谈话时间"), ("approved_at", "上级党委审批时间"),
              ("higher_filed_at", "再上一级党委备案时间"), ("oath_at", "入党宣誓时间"),
              ("conversion_applied_at", "转正申请时间"), ("conversion_pre_reviewed_at", "转正预审时间"),
              ("conversion_voted_at", "转正支部大会时间"), ("conversion_approved_at", "转正审批时间"))
COMPLETE = CompletenessCheck(documents=DOCUMENTS, milestones=MILESTONES)

STAGE = Stage("conversion", [
    Step("party_group", "编入党支部和党小组", PARTY_GROUP, (19,), permission="dev.conversion.party_group"),
    Step("oath", "入党宣誓", OATH, (20,), permission="dev.conversion.oath"),
    Step("cultivation", "转正教育考察", (CULTIVATION, REPORTS, TALKS), (21,), permission="dev.conversion.cultivation", tasks=(
        TaskSpec("report", "思想汇报", every="quarter", count=4, start="received_at"),
        TaskSpec("talk", "介绍人谈话", every="quarter", count=4, start="received_at"),
    )),
    # The branch confirms (with the date) or sends the application back; the manual has no 不通过 here.
    Step("conversion_application", "提出转正申请", APPLICATION, (22,), permission="dev.conversion.application",
         outcomes={"advance": o.advance("确认转正申请")}),
    Step("symposium", "座谈会管理", SYMPOSIUM, permission="dev.conversion.symposium"),
    Step("publicity", "预备党员转正公示", PUBLICITY, permission="dev.conversion.publicity"),
    Step("pre_review", "上级党委预审", PRE_REVIEW, permission="dev.conversion.pre_review", failure_code="上级党委预审-不通过"),
    Step("general_meeting", "支部大会讨论", GENERAL_MEETING, (23,), permission="dev.conversion.general_meeting", outcomes={
        "agree": o.advance("同意转正"),
        "half": o.reflow("pre_review", extend_months=6, label="延迟预备期半年"),
        "year": o.reflow("pre_review", extend_months=12, label="延迟预备期一年"),
        "refuse": o.fail("支部大会-不通过", final=True, label="不同意转正"),
    }),
    Step("approval", "上级党委审批", APPROVAL, (24,), permission="dev.conversion.approval", failure_code="上级党委审批-不通过"),
    Step("complete", "完成发展流程", COMPLETE, (25,), permission="dev.conversion.complete"),
], slug="conversion", view_permission="dev.conversion",
    page=StagePage(title="预备党员转正", icon="fa fa-flag", milestone_columns=[
        ("received_at", "支部大会接收时间"), ("oath_at", "入党宣誓时间"), ("probation_end", "预备期满时间")]))
