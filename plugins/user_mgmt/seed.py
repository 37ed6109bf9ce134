"""The college institution and the institutions of the two first-level organisations."""
from __future__ import annotations

from sqlalchemy import select

from plugins.user_mgmt.models import COLLEGE_TYPE, Institution


async def seed(session, settings) -> None:
    college = (await session.execute(select(Institution).where(Institution.is_college.is_(True)))).scalar_one_or_none()
    if college is None:
        college = Institution(name=settings.college_name, type=COLLEGE_TYPE, is_college=True, sort=-1)
        session.add(college)
        await session.flush()
    have = set((await session.execute(select(Institution.name))).scalars())
    for suffix, kind in (("党委", "学院党委"), ("团委", "学院团委")):
        name = f"{settings.college_name}{suffix}"
        if name not in have:
            session.add(Institution(name=name, type=kind, parent_id=college.id))
    await session.flush()
