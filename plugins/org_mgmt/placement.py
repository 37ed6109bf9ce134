"""Hooks answering user_mgmt's questions about organisations (placement, institution use)."""
from __future__ import annotations

from sqlalchemy import select

from plugins.org_mgmt.models import Organisation, OrgInstitution
from plugins.org_mgmt.association import allowed_condition
from plugins.user_mgmt.models import Institution


async def institution_in_use(session, institution_id: int) -> str | None:
    names = (await session.execute(
        select(Organisation.name).join(OrgInstitution, OrgInstitution.org_id == Organisation.id)
        .where(OrgInstitution.institution_id == institution_id))).scalars().all()
    if names:
        return f"该机构已关联组织“{'、'.join(names)}”，不能停用"
    return None


async def check_placement(session, org_id: int | None, institution_id: int | None) -> str | None:
    if org_id is None:
        return None
    org = await session.get(Organisation, org_id)
    if org is None or not org.enabled:
        return "所属组织不存在或已停用"
    if institution_id is None:
        return None
    if org.kind == "masses":
        ok = (await session.execute(select(Institution.id).where(Institution.id == institution_id, allowed_condition(org)))).first()
    else:
        ok = (await session.execute(select(OrgInstitution.org_id).where(
            OrgInstitution.org_id == org_id, OrgInstitution.institution_id == institution_id))).first()
    return None if ok else f"所属机构不是“{org.name}”的关联机构，请重新选择"
