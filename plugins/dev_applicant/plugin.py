"""Hook implementations of dev_applicant; the work lives in the modules they name."""
from core.hookspecs import hookimpl
from plugins.dev_applicant import MANIFEST  # noqa: F401  (read by the plugin manager)


@hookimpl
def xf_permissions():
    from plugins.dev_applicant.permissions import PERMISSIONS

    return PERMISSIONS


@hookimpl
def xf_stages():
    from plugins.dev_applicant.stage import STAGE

    return [STAGE]


@hookimpl
def xf_api_routers():
    from core.workflow.components.publicity import router
    from plugins.dev_applicant import mp_api, pc_api
    from plugins.dev_applicant.stage import PUBLICITY

    return [pc_api.router, mp_api.router,
            router(PUBLICITY, "/api/pc/v1/development/applicants/publicity", permission="dev.applicant.publicity",
                   tags=["管理端-申请人公示"])]


@hookimpl
async def xf_todo_items(session, actor):
    from plugins.dev_applicant.todo import todo_items

    return await todo_items(session, actor)


@hookimpl
def xf_development_pages():
    from plugins.dev_applicant.admin import ApplicantPage, ApplicantPublicityPage, BatchReviewPage

    return [ApplicantPage, BatchReviewPage, ApplicantPublicityPage]
