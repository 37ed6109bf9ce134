"""完成发展流程 (PRO-10) clicked on the 预备党员转正 page as a branch admin: 检查资料 lists what a
person lacks, 完成发展流程 is refused naming the person, and a person whose papers and dates
are complete becomes 已完成发展."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.activist_helpers import in_server_db
from tests.browser.conftest import BRANCH_ADMIN
from tests.browser.harness import unique

FINISH = re.compile(r"/api/pc/v1/development/conversion/complete/finish")
CHECK = re.compile(r"/api/pc/v1/development/conversion/complete/check")


async def two_at_complete(session, prefix: str) -> tuple[str, str]:
    """Two probationary members of the branch at conversion/complete: one with every paper and
    date of both stages, one with nothing. Their names."""
    from sqlalchemy import insert, select

    from core.models import StudentProfile, User
    from core.workflow.documents import Paper, record_documents
    from core.workflow.models import DevelopmentRecord
    from plugins.dev_probation.conversion import DOCUMENTS, MILESTONES

    branch = (await session.execute(select(User.party_branch_id).where(User.username == BRANCH_ADMIN))).scalar_one()
    await session.execute(insert(User), [{"username": f"{prefix}{i}", "name": f"转正{prefix[-4:]}{i}", "password_hash": "",
                                          "party_branch_id": branch, "student_no": f"{prefix}{i}"} for i in range(2)])
    users = (await session.execute(select(User).where(User.username.like(f"{prefix}%")).order_by(User.id))).scalars().all()
    await session.execute(insert(StudentProfile), [{"user_id": u.id, "complete": True, "birth_date": date(2003, 1, 1), "draft": {},
                                                    "political_status": "中共预备党员"} for u in users])
    start = date.today() - timedelta(days=800)
    dates = {key: (start + timedelta(days=30 * i)).isoformat() for i, (key, _) in enumerate(MILESTONES)}
    records = [DevelopmentRecord(user_id=users[0].id, stage="conversion", step="complete", milestones=dates),
               DevelopmentRecord(user_id=users[1].id, stage="conversion", step="complete", milestones={})]
    session.add_all(records)
    await session.flush()
    papers = [Paper(DevelopmentRecord(id=records[0].id, user_id=users[0].id, stage=stage, step="x"), kind, label, [], start)
              for stage, kinds in DOCUMENTS.items() for kind, label in kinds]
    await record_documents(session, papers, created_by=None)
    return users[0].name, users[1].name


def test_complete_refused_with_the_list_then_accepted(branch_admin, server):
    ready, bare = in_server_db(server.data_dir, lambda s: two_at_complete(s, unique("zz")))
    crud = branch_admin.open("党员发展", "预备党员转正").filter({"环节": "完成发展流程"})
    with branch_admin.api("post", CHECK):
        dialog = crud.row(bare).click("检查资料", f"检查资料 - {bare}")
    expect(dialog.root).to_contain_text("不能完成发展流程")
    expect(dialog.root).to_contain_text("《转正申请书》")
    expect(dialog.root).to_contain_text("入党宣誓时间")
    dialog.close()
    with branch_admin.api("post", FINISH, status=409):
        crud.row(bare).confirm("完成发展流程")
    branch_admin.toast("以下人员不能完成发展流程")
    assert crud.reload().row(bare).cell("当前环节") == "完成发展流程"
    with branch_admin.api("post", CHECK):
        dialog = crud.row(ready).click("检查资料", f"检查资料 - {ready}")
    expect(dialog.root).to_contain_text("资料齐全、时间节点正确")
    dialog.close()
    with crud.reloading(), branch_admin.api("post", FINISH):
        crud.row(ready).confirm("完成发展流程")
    crud.filter_form().clear("环节")
    crud = crud.filter({"状态": "已完成发展", "姓名": ready})
    assert crud.row(ready).cell("状态") == "已完成发展"
