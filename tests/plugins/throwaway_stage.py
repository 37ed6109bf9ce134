"""A throwaway stage plugin the reusable workflow components are tested against (loaded with
settings.plugins.extra in tests): a three-step stage whose middle step is a publicity,
mounted twice by the kit — plain, and with a contact person/phone per person (batch fill per
branch)."""
from sqlalchemy import select

from core.sdk import Permission, PublicityComponent, Stage, Step, hookimpl

MANIFEST = {"name": "throwaway_stage", "version": "0.0.1", "depends": ["org_mgmt"], "title": "测试阶段"}

PERMISSION = "throwaway.publicity"
PREFIX = "/api/pc/v1/development/throwaway/publicity"
CONTACT_PREFIX = "/api/pc/v1/development/throwaway/contact-publicity"


async def branch_names(session, ids: list[int]) -> dict[int, str]:
    from plugins.org_mgmt.models import Organisation

    return dict((await session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))).all())


PUBLICITY = PublicityComponent(kind="throwaway", title="测试公示", people_label="测试对象", milestone="publicised_at",
                               branch_names=branch_names)
CONTACT_PUBLICITY = PublicityComponent(kind="throwaway_contact", title="测试联系人公示", people_label="测试对象",
                                       with_contact=True, branch_names=branch_names, path="contact-publicity")


@hookimpl
def xf_permissions():
    return [Permission(PERMISSION, "测试公示", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_stages():
    return [Stage("conversion", [Step("prep", "准备"),
                                 Step("publicity", "测试公示", (PUBLICITY, CONTACT_PUBLICITY), permission=PERMISSION),
                                 Step("after", "公示后")], slug="throwaway", view_permission=PERMISSION)]
