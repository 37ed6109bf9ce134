"""ORG-3: which institutions an organisation may link, and the party branch of a user."""
from __future__ import annotations

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.sdk import User
from plugins.org_mgmt.models import Organisation, OrgInstitution
from plugins.user_mgmt.models import Institution


def allowed_condition(org: Organisation):
    """SQL condition on Institution for the institutions ``org`` may link (ORG-3 table)."""
    same_name = Institution.name == org.name
    if org.kind == "masses":
        return Institution.type.in_(("班级", "研究所"))
    if org.level == "committee":
        return and_(same_name, Institution.type == ("学院党委" if org.kind == "party" else "学院团委"))
    own = and_(same_name, Institution.type == ("党支部" if org.kind == "party" else "团支部"))
    if org.training_type == "研究生":
        return or_(own, Institution.type == "研究所")
    if org.kind == "party":
        return or_(own, and_(Institution.type == "团支部", Institution.training_type == "本科生"))
    return or_(own, and_(Institution.type == "班级", Institution.training_type == "本科生"))


async def allowed_institutions(session: AsyncSession, org: Organisation) -> list[Institution]:
    q = select(Institution).where(Institution.enabled.is_(True), Institution.is_college.is_(False), allowed_condition(org))
    return list((await session.execute(q.order_by(Institution.type, Institution.name))).scalars())


async def branch_map(session: AsyncSession) -> tuple[dict[int, int], dict[int, int]]:
    """(institution id → party branch id, organisation id → party branch id), from the links.

    class → league branch linking it → that branch's same-name 团支部 institution → the party
    branch linking it; a research institute or a 团支部/党支部 institution → the party branch
    linking it directly.
    """
    orgs = {o.id: o for o in (await session.execute(select(Organisation))).scalars()}
    insts = {i.id: i for i in (await session.execute(select(Institution))).scalars()}
    links = (await session.execute(select(OrgInstitution.org_id, OrgInstitution.institution_id))).all()
    party_of_inst: dict[int, int] = {}
    league_of_inst: dict[int, int] = {}
    for org_id, inst_id in links:
        o = orgs.get(org_id)
        if o is None or o.level != "branch":
            continue
        if o.kind == "party":
            party_of_inst.setdefault(inst_id, org_id)
        elif o.kind == "league":
            league_of_inst.setdefault(inst_id, org_id)
    by_name = {i.name: i.id for i in insts.values() if i.type in ("团支部", "党支部")}
    org_branch: dict[int, int] = {}
    for o in orgs.values():
        if o.level != "branch":
            continue
        if o.kind == "party":
            org_branch[o.id] = o.id
        elif o.kind == "league":
            own = by_name.get(o.name)
            if own in party_of_inst:
                org_branch[o.id] = party_of_inst[own]
    inst_branch: dict[int, int] = dict(party_of_inst)
    for inst_id, league_id in league_of_inst.items():
        if inst_id not in inst_branch and league_id in org_branch:
            inst_branch[inst_id] = org_branch[league_id]
    return inst_branch, org_branch


def resolve(inst_branch: dict, org_branch: dict, orgs_kind: dict, org_id, institution_id):
    if org_id in org_branch and orgs_kind.get(org_id) == "party":
        return org_branch[org_id]
    if institution_id in inst_branch:
        return inst_branch[institution_id]
    return org_branch.get(org_id)


async def recompute_branches(session: AsyncSession, user_ids: list[int] | None = None) -> None:
    """Set ``party_branch_id`` for the given users (or everyone) with one UPDATE per placement."""
    inst_branch, org_branch = await branch_map(session)
    kinds = dict((await session.execute(select(Organisation.id, Organisation.kind))).all())
    q = select(User.org_id, User.institution_id).distinct()
    if user_ids is not None:
        q = q.where(User.id.in_(user_ids))
    for org_id, inst_id in (await session.execute(q)).all():
        branch = resolve(inst_branch, org_branch, kinds, org_id, inst_id)
        stmt = update(User).where(
            User.org_id.is_(None) if org_id is None else User.org_id == org_id,
            User.institution_id.is_(None) if inst_id is None else User.institution_id == inst_id,
        ).values(party_branch_id=branch)
        if user_ids is not None:
            stmt = stmt.where(User.id.in_(user_ids))
        await session.execute(stmt)
