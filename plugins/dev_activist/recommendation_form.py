"""推优登记表 (团支部推优/党员推优): generated for the student from their profile, printed,
filled in offline and uploaded as a scan. A real PDF with the embedded CJK font."""
from datetime import date
from functools import partial

import anyio
from sqlalchemy import select

from core.sdk import PdfReport, StudentProfile, User, clock


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


async def recommendation_form(session, settings, user: User, profile: StudentProfile | None, record) -> bytes:
    """The ReviewComponent template of the recommendation step: the profile filled in."""
    from plugins.org_mgmt.models import Organisation

    branch = (await session.execute(select(Organisation.name).where(Organisation.id == user.party_branch_id))).scalar_one_or_none()
    p = profile or StudentProfile(user_id=user.id)
    applied = (record.milestones or {}).get("applied_at", "")
    fields = [("姓名", user.name), ("性别", p.gender or ""), ("学号", user.student_no or ""), ("民族", p.ethnicity or ""),
              ("出生日期", p.birth_date.isoformat() if p.birth_date else ""), ("籍贯", p.native_place or ""),
              ("年级", p.grade or ""), ("政治面貌", p.political_status or ""), ("联系电话", user.phone or ""),
              ("入学时间", p.enrollment_date.isoformat() if p.enrollment_date else ""), ("所在党支部", branch or ""),
              ("申请入党时间", applied)]
    return await anyio.to_thread.run_sync(partial(build, settings.font_path, settings.college_name, fields, clock.local_today()))
