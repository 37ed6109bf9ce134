"""Messages to the people who must act when records enter a step of the two stages (MSG-1):
the introducers when the talk before reception or the probation year's talks start, the
member when the probation-year cultivation starts."""
from core.sdk import StepNotice

NOTICES = {
    ("reception", "pre_talk"): (
        StepNotice("请开展接收预备党员前谈话",
                   "您介绍的{n}名发展对象进入“流转座谈会及谈话”，请安排接收预备党员前谈话并提交谈话记录。", "/mp/talks",
                   role="introducer"),
    ),
    ("conversion", "cultivation"): (
        StepNotice("进入转正教育考察", "预备期内请每季度提交一篇思想汇报，并与入党介绍人谈话一次。", "/mp/development/cultivation"),
        StepNotice("请开展预备期季度谈话", "您介绍的{n}名预备党员进入转正教育考察，请每季度安排谈话并提交谈话记录。", "/mp/talks",
                   role="introducer"),
    ),
}
