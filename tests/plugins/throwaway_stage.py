"""A throwaway stage plugin the reusable workflow components are tested against (loaded with
settings.plugins.extra in tests): a three-step stage whose middle step is a publicity,
mounted twice — plain, and with a contact person/phone per person (batch fill per branch)."""
from sqlalchemy import select

from core.hookspecs import hookimpl
from core.permissions import Permission
from core.workflow.components import publicity
from core.workflow.stages import Stage, Step

MANIFEST = {"name": "throwaway_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "测试阶段"}

PERMISSION = "throwaway.publicity"
PREFIX = "/api/pc/v1/throwaway/publicity"
CONTACT_PREFIX = "/api/pc/v1/throwaway/contact-publicity"


async def branch_names(session, ids: list[int]) -> dict[int, str]:
    from plugins.org_mgmt.models import Organisation

    return dict((await session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))).all())


PUBLICITY = publicity.PublicityComponent(kind="throwaway", title="测试公示", stage="conversion", step="publicity",
                                         people_label="测试对象", milestone="publicised_at", branch_names=branch_names)
CONTACT_PUBLICITY = publicity.PublicityComponent(kind="throwaway_contact", title="测试联系人公示", stage="conversion",
                                                 step="publicity", people_label="测试对象", with_contact=True,
                                                 branch_names=branch_names)


@hookimpl
def xf_models():
    return publicity.MODELS


@hookimpl
def xf_permissions():
    return [Permission(PERMISSION, "测试公示", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_stages():
    return [Stage("conversion", [Step("prep", "准备"), Step("publicity", "测试公示", component="publicity"),
                                 Step("after", "公示后")])]


@hookimpl
def xf_api_routers():
    return [publicity.router(PUBLICITY, PREFIX, permission=PERMISSION),
            publicity.router(CONTACT_PUBLICITY, CONTACT_PREFIX, permission=PERMISSION)]
