"""A throwaway pair of stages for the probation issue's components (loaded with
settings.plugins.extra, the stages' real plugins disabled): the general meeting voting on
both stages (接收预备党员: 不同意接收 re-votable; 预备党员转正: two delays and a final
不同意), the 入党志愿书 numbers, the committee talk, the oath with its flow, and the
completeness check finishing the process."""
from sqlalchemy import select

from core.sdk import (ApplicationForm, CompletenessCheck, DateStep, GeneralMeeting, Permission, Stage, StagePage, Step,
                      TalkComponent, hookimpl, outcomes as o)

MANIFEST = {"name": "probation_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "预备党员测试阶段"}
PERM = "probation_test.act"
FORM_NUMBERS = "probation_test.form_numbers"
RECEPTION_API = "/api/pc/v1/development/test-reception"
CONVERSION_API = "/api/pc/v1/development/test-conversion"


async def branch_names(session, ids: list[int]) -> dict[int, str]:
    from plugins.org_mgmt.models import Organisation

    return dict((await session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))).all())


RECEPTION_MEETING = GeneralMeeting(vote="reception", vote_label="接收预备党员", milestone="received_at", branch_names=branch_names)
CONVERSION_MEETING = GeneralMeeting(vote="conversion", vote_label="预备党员转正", milestone="conversion_voted_at",
                                    branch_names=branch_names)
FORM = ApplicationForm(milestone="form_submitted_at", number_permission=FORM_NUMBERS)
COMMITTEE_TALK = TalkComponent(kind="test_committee_talk", title="上级党委派人谈话", record_title="《上级党委派人谈话记录》",
                               mode="committee", milestone="committee_talked_at", path="committee-talk",
                               guide="谈话前请准备：入党动机、对党的认识、预备期打算。")
OATH = DateStep(milestone="oath_at", date_label="宣誓时间", flow_label="流转入党宣誓",
                flow_message="请按党支部安排参加入党宣誓仪式，宣誓时间以党支部通知为准。")
DOCUMENTS = {"reception": (("application_form", "入党志愿书"), ("meeting_record", "支部大会组织生活记录")),
             "conversion": (("meeting_record", "转正支部大会组织生活记录"),)}
MILESTONES = (("form_submitted_at", "入党志愿书提交时间"), ("received_at", "支部大会接收时间"),
              ("committee_talked_at", "上级党委派人谈话时间"), ("oath_at", "入党宣誓时间"),
              ("conversion_voted_at", "转正支部大会时间"))
COMPLETE = CompletenessCheck(documents=DOCUMENTS, milestones=MILESTONES)

RECEPTION = Stage("reception", [
    Step("prep", "准备", permission=PERM),
    Step("form", "入党志愿书管理", FORM, (14,), permission=PERM),
    Step("meeting", "支部大会讨论", RECEPTION_MEETING, (15,), permission=PERM, outcomes={
        "agree": o.advance("同意接收"),
        "reject": o.fail("支部大会-不通过", revote_to="form", label="不同意接收"),
    }),
    Step("ctalk", "上级党委派人谈话", COMMITTEE_TALK, (16,), permission=PERM),
    Step("after", "上级党委审批", permission=PERM),
], slug="test-reception", view_permission=PERM, page=StagePage(title="测试-预备党员接收"))

CONVERSION = Stage("conversion", [
    Step("oath", "入党宣誓", OATH, (20,), permission=PERM),
    Step("pre_review", "上级党委预审", permission=PERM),
    Step("cmeeting", "支部大会讨论", CONVERSION_MEETING, (23,), permission=PERM, outcomes={
        "agree": o.advance("同意转正"),
        "half": o.reflow("pre_review", extend_months=6, label="延迟预备期半年"),
        "year": o.reflow("pre_review", extend_months=12, label="延迟预备期一年"),
        "refuse": o.fail("支部大会-不通过", final=True, label="不同意转正"),
    }),
    Step("complete", "完成发展流程", COMPLETE, (25,), permission=PERM),
], slug="test-conversion", view_permission=PERM, page=StagePage(title="测试-预备党员转正"))


@hookimpl
def xf_permissions():
    return [Permission(PERM, "预备党员测试", "pc", None, ("committee", "branch_admin")),
            Permission(FORM_NUMBERS, "分配和下发入党志愿书（测试）", "pc", PERM, ("committee",))]


@hookimpl
def xf_stages():
    return [RECEPTION, CONVERSION]
