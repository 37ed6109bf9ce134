"""ORG-1: the three first-level organisations, named after the configured college."""
from __future__ import annotations

from sqlalchemy import select

from plugins.org_mgmt.models import Organisation, OrgInstitution
from plugins.user_mgmt.models import Institution


async def seed(session, settings) -> None:
    college = settings.college_name
    have = {o.kind: o for o in (await session.execute(select(Organisation).where(Organisation.level == "committee"))).scalars()}
    for kind, name in (("party", f"{college}党委"), ("league", f"{college}团委"), ("masses", "群众")):
        if kind in have:
            continue
        org = Organisation(name=name, kind=kind, level="committee", builtin=True)
        session.add(org)
        await session.flush()
        inst = (await session.execute(select(Institution).where(Institution.name == name))).scalar_one_or_none()
        if inst is not None:
            session.add(OrgInstitution(org_id=org.id, institution_id=inst.id))
    await session.flush()
