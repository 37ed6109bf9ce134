"""What both stages' declarations read from the organisation tree (org_mgmt, a dependency):
branch names for publicities, filings and meetings, and each branch's 党小组; and the
semester rule of 流转座谈会及谈话."""
from datetime import date

from sqlalchemy import select

from core.sdk import names_lookup
from plugins.org_mgmt.models import Organisation, PartyGroup

branch_names = names_lookup(Organisation)


async def party_groups(session, branch_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """The 党小组 of each branch (ORG-5), maintained by the committee."""
    found: dict[int, list[tuple[int, str]]] = {}
    rows = await session.execute(select(PartyGroup.branch_id, PartyGroup.id, PartyGroup.name)
                                 .where(PartyGroup.branch_id.in_(branch_ids)).order_by(PartyGroup.id))
    for branch, gid, name in rows:
        found.setdefault(branch, []).append((gid, name))
    return found


def semester_start(day: date) -> date:
    """The first day of the semester holding ``day``: spring from February 1, autumn from August 1."""
    if day.month >= 8:
        return date(day.year, 8, 1)
    if day.month >= 2:
        return date(day.year, 2, 1)
    return date(day.year - 1, 8, 1)


def needs_symposium(record) -> bool:
    """非本学期备案的发展对象 also attend a symposium before reception (manual 6.4): those whose
    candidate filing (``candidate_filed_at``) is missing or before the current semester."""
    from core.sdk import clock

    filed = (record.milestones or {}).get("candidate_filed_at")
    if not filed:
        return True
    return date.fromisoformat(str(filed)[:10]) < semester_start(clock.local_today())
