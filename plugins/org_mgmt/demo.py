"""A realistic demo college for `xianfeng demo`: institutions of every type, the organisation
tree with ORG-3 associations, 8 party branches, admins and students with profiles."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from core.sdk import DemoAccount, Role, StudentProfile, User, UserRole
from core.security import hash_password
from core.seed import generate_password
from plugins.org_mgmt.association import recompute_branches
from plugins.org_mgmt.models import Organisation, OrgInstitution
from plugins.user_mgmt.models import Institution

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉婷宇浩凯健俊帆帅旭宁欣悦晨雨博文轩睿思涵怡嘉瑞琪"
PROVINCES = ["广东广州", "湖南长沙", "湖北武汉", "四川成都", "江苏南京", "浙江杭州", "福建福州", "河南郑州", "山东济南", "广西南宁"]
INSTITUTES = ["人工智能研究所", "网络空间安全研究所", "软件工程研究所", "数据科学研究所", "计算机系统研究所", "图形与多媒体研究所"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


async def _inst(session, name, type_, training, parent_id) -> Institution:
    inst = (await session.execute(select(Institution).where(Institution.name == name))).scalar_one_or_none()
    if inst is None:
        inst = Institution(name=name, type=type_, training_type=training, parent_id=parent_id)
        session.add(inst)
        await session.flush()
    return inst


async def _org(session, name, kind, training, parent_id, inst_ids) -> Organisation:
    org = (await session.execute(select(Organisation).where(Organisation.name == name))).scalar_one_or_none()
    if org is None:
        org = Organisation(name=name, kind=kind, level="branch", training_type=training, parent_id=parent_id, secretary="")
        session.add(org)
        await session.flush()
        session.add_all([OrgInstitution(org_id=org.id, institution_id=i) for i in inst_ids])
    return org


async def build_structure(session, settings) -> dict:
    college = (await session.execute(select(Institution).where(Institution.is_college.is_(True)))).scalar_one()
    committees = {o.kind: o for o in (await session.execute(select(Organisation).where(Organisation.level == "committee"))).scalars()}
    party, league = committees["party"].id, committees["league"].id
    institutes = [await _inst(session, n, "研究所", "研究生", college.id) for n in INSTITUTES]
    branches, placements = [], []  # placements: (league org, institution, training, enrolment year)
    for i, label in enumerate(("第一", "第二", "第三")):
        pair = institutes[2 * i: 2 * i + 2]
        p_inst = await _inst(session, f"研究生{label}党支部", "党支部", "研究生", college.id)
        l_inst = await _inst(session, f"研究生{label}团支部", "团支部", "研究生", college.id)
        p = await _org(session, p_inst.name, "party", "研究生", party, [p_inst.id] + [x.id for x in pair])
        lg = await _org(session, l_inst.name, "league", "研究生", league, [l_inst.id] + [x.id for x in pair])
        branches.append((p, p_inst))
        placements += [(lg, x, "研究生", 2023 + (k % 3), p) for k, x in enumerate(pair)]
    majors = ["计科", "软工", "网安", "数科"]
    classes = [(f"{m}{y % 100}01班", y) for y in (2022, 2023, 2024, 2025) for m in majors][:15]
    for j, label in enumerate(("第一", "第二", "第三", "第四", "第五")):
        p_inst = await _inst(session, f"本科生{label}党支部", "党支部", "本科生", college.id)
        league_insts, pending = [], []
        for cname, year in classes[3 * j: 3 * j + 3]:
            c = await _inst(session, cname, "班级", "本科生", college.id)
            t = await _inst(session, cname.replace("班", "团支部"), "团支部", "本科生", college.id)
            lg = await _org(session, t.name, "league", "本科生", league, [t.id, c.id])
            league_insts.append(t)
            pending.append((lg, c, "本科生", year))
        p = await _org(session, p_inst.name, "party", "本科生", party, [p_inst.id] + [t.id for t in league_insts])
        placements += [x + (p,) for x in pending]
        branches.append((p, p_inst))
    await session.flush()
    return {"branches": branches, "placements": placements}


async def build_demo(session, settings, demo) -> None:
    rng = random.Random(20261127)
    structure = await build_structure(session, settings)
    demo.shared["org_structure"] = structure
    password = demo.password or generate_password()
    hashed = hash_password(password, settings.bcrypt_rounds)  # one hash for every demo account
    roles = {r.key: r.id for r in (await session.execute(select(Role))).scalars()}
    existing = set((await session.execute(select(User.username))).scalars())
    new_users: list[tuple[User, str, str]] = []

    def add(username, name, role, branch_name, **fields):
        if username in existing:
            return None
        u = User(username=username, name=name, password_hash=hashed, **fields)
        new_users.append((u, role, branch_name))
        demo.accounts.append(DemoAccount(username, password, {"committee": "学院党委", "branch_admin": "党支部管理员", "student": "学生"}[role], branch_name, name))
        return u

    party_committee = (await session.execute(select(Organisation).where(Organisation.kind == "party", Organisation.level == "committee"))).scalar_one()
    add("dangwei", "学院党委管理员", "committee", party_committee.name, org_id=party_committee.id)
    for k, (org, inst) in enumerate(structure["branches"], 1):
        add(f"zhibu{k:02d}", f"{org.name}管理员", "branch_admin", org.name, org_id=org.id, institution_id=inst.id)
    placements = structure["placements"]
    # The last two students of each party branch are formal party members (talkers, contacts).
    by_branch: dict[int, list[int]] = {}
    for n in range(demo.students):
        by_branch.setdefault(placements[n % len(placements)][4].id, []).append(n)
    members = {n for ns in by_branch.values() for n in ns[-2:]}
    students = []
    for n in range(demo.students):
        lg, inst, training, year, party_branch = placements[n % len(placements)]
        sno = f"{year}{'1' if training == '本科生' else '2'}{n + 1:05d}"
        u = add(sno, _name(rng), "student", party_branch.name, org_id=lg.id, institution_id=inst.id, student_no=sno,
                phone=f"13{rng.randint(100000000, 999999999)}")
        if u is not None:
            students.append((u, year, n in members))
    session.add_all([u for u, _, _ in new_users])
    await session.flush()
    session.add_all([UserRole(user_id=u.id, role_id=roles[role]) for u, role, _ in new_users])
    today = date.today()
    for u, year, member in students:
        if not member and rng.random() < 0.15:
            continue  # some students have not completed their profile yet
        birth = date(year - 18, 1, 1) + timedelta(days=rng.randint(0, 600))
        id_card = f"440106{birth.strftime('%Y%m%d')}{rng.randint(100, 999)}{rng.choice('0123456789X')}"
        session.add(StudentProfile(
            user_id=u.id, gender=rng.choice(("男", "女")), ethnicity="汉族", birth_date=birth, id_card=id_card,
            native_place=rng.choice(PROVINCES), grade=f"{year}级", enrollment_date=min(date(year, 9, 1), today),
            political_status="中共党员" if member else rng.choice(("共青团员", "共青团员", "群众")), address="广东省广州市",
            complete=True,
        ))
    await session.flush()
    await recompute_branches(session)
