"""推优登记表 (团支部推优/党员推优): generated for the student from their profile, printed,
filled in offline and uploaded as a scan. A real PDF with the embedded CJK font. The activist
and the candidate stage both ask for it (a ReviewComponent ``template``), so the kit holds it."""
from datetime import date
from functools import partial

import anyio

from core import clock
from core.documents import PdfReport
from core.models import StudentProfile, User
from core.workflow.people import BranchNames


def build(font_path, college: str, fields: list[tuple[str, str]], today: date) -> bytes:
    report = PdfReport("推优登记表", font_path, college, "团支部推优/党员推优", on_date=today)
    report.heading("个人基本信息")
    pairs = [(fields[i], fields[i + 1] if i + 1 < len(fields) else ("", "")) for i in range(0, len(fields), 2)]
    report.table(["项目", "内容", "项目", "内容"], [[a, b, c, d] for (a, b), (c, d) in pairs], col_widths=[80, 177, 80, 178])
    for title in ("个人简历（自高中起）", "主要表现及获奖情况", "团支部推荐意见", "党员推荐意见", "党支部意见"):
        report.heading(title)
        report.paragraph("　")
        report.paragraph("　")
        report.paragraph("　")
    report.note("填表说明：本表由系统根据个人信息预填，打印后由本人线下填写其余内容，签字并经团支部、党员推荐后扫描上传。")
    report.paragraph("本人签字：　　　　　　　　　　　　　　　　　　年　　月　　日")
    return report.build()


def recommendation_form(branch_names: BranchNames):
    """The ReviewComponent template of a recommendation step: the profile filled in, with the
    party branch named by the stage's ``branch_names``."""
    async def template(session, settings, user: User, profile: StudentProfile | None, record) -> bytes:
        branch = (await branch_names(session, [user.party_branch_id])).get(user.party_branch_id) if user.party_branch_id else None
        p = profile or StudentProfile(user_id=user.id)
        applied = (record.milestones or {}).get("applied_at", "")
        fields = [("姓名", user.name), ("性别", p.gender or ""), ("学号", user.student_no or ""), ("民族", p.ethnicity or ""),
                  ("出生日期", p.birth_date.isoformat() if p.birth_date else ""), ("籍贯", p.native_place or ""),
                  ("年级", p.grade or ""), ("政治面貌", p.political_status or ""), ("联系电话", user.phone or ""),
                  ("入学时间", p.enrollment_date.isoformat() if p.enrollment_date else ""), ("所在党支部", branch or ""),
                  ("申请入党时间", applied)]
        return await anyio.to_thread.run_sync(partial(build, settings.font_path, settings.college_name, fields,
                                                      clock.local_today()))

    return template
