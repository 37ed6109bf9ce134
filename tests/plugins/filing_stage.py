"""A throwaway stage for the filing component (DEV-8), one step per variant: filing (the
committee decides per person), pre-review (the branch gives each result, the committee
confirms), approval, and the branch-confirmed filing with the next-higher department."""
from sqlalchemy import select

from core.sdk import Filing, Permission, Stage, Step, hookimpl

MANIFEST = {"name": "filing_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "备案组件测试阶段"}
PERMISSION = "filingtest.manage"
API = "/api/pc/v1/development/filing-test"


async def branch_names(session, ids: list[int]) -> dict[int, str]:
    from plugins.org_mgmt.models import Organisation

    return dict((await session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))).all())


FILING = Filing(kind="test_filing", title="测试对象备案", form_title="测试对象备案表", milestone="test_filed_at", branch_names=branch_names,
                form_milestones=(("applied_at", "申请入党时间"),))
PRE_REVIEW = Filing(kind="test_pre_review", title="测试对象预审", variant="pre_review", path="pre-review", form_title="测试对象预审表",
                    milestone="test_pre_reviewed_at", branch_names=branch_names)
APPROVAL = Filing(kind="test_approval", title="测试对象审批", variant="approval", path="approval", milestone="test_approved_at",
                  branch_names=branch_names)
HIGHER = Filing(kind="test_higher_filing", title="测试对象上级备案", variant="branch_confirmed", path="higher-filing",
                authority="上级党委组织部门", milestone="test_higher_filed_at", branch_names=branch_names)


@hookimpl
def xf_permissions():
    return [Permission(PERMISSION, "备案组件测试", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_stages():
    return [Stage("reception", [
        Step("filing", "上级党委备案", FILING, permission=PERMISSION, failure_code="党委备案-不通过"),
        Step("pre_review", "上级党委预审", PRE_REVIEW, permission=PERMISSION, failure_code="上级党委预审-不通过"),
        Step("approval", "上级党委审批", APPROVAL, permission=PERMISSION, failure_code="上级党委审批-不通过"),
        Step("higher_filing", "再上一级党委组织部门备案", HIGHER, permission=PERMISSION),
        Step("done", "完成"),
    ], slug="filing-test", view_permission=PERMISSION)]
