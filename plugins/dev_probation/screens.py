"""The member's screens of the two stages on the mobile app (/m/) that the components do not
bring themselves: 思想汇报 of the probation year and 转正申请 (both the shared submission
screen). 入党志愿书, 上级党委派人谈话, 组织生活 and 培育考察 come with their components."""
from core.sdk import MobileEntry, MobileScreen

SCREENS = [
    MobileScreen("/development/probation-reports", "screens/development/submission.js", "思想汇报（预备期）", "mp.dev.probation",
                 options={"api": "probation-reports", "key": "report", "material": "思想汇报", "purpose": "thought_report",
                          "periods": True}),
    MobileScreen("/development/conversion-application", "screens/development/submission.js", "转正申请", "mp.dev.probation",
                 entry=MobileEntry("转正申请", "doc", 30),
                 options={"api": "conversion-application", "key": "conversion_application", "material": "转正申请书",
                          "purpose": "conversion_application"}),
]
