"""Messages to people who must act when they enter a step of the candidate stage (MSG-1): the
person is asked for the 推优登记表 after the condition check and told the cultivation tasks
when cultivation starts; the introducers hear of the quarterly talks."""
from core.sdk import StepNotice

NOTICES = {
    ("candidate", "recommendation"): (
        StepNotice("请提交推优登记表", "您已通过发展对象阶段的发展条件审核，请在“推优”中生成推优登记表，线下填写后上传扫描件。",
                   "/mp/development/candidate-recommendation"),
    ),
    ("candidate", "cultivation"): (
        StepNotice("进入入党教育培育考察",
                   "请每季度提交一篇思想汇报、与入党介绍人谈话一次，撰写并上传自传，按通知填写政审信息，并报名参加发展对象培训班。",
                   "/mp/development/cultivation"),
        StepNotice("请开展入党介绍人谈话", "您担任入党介绍人的{n}名发展对象已进入培育考察，请每季度安排谈话并提交谈话记录。",
                   "/mp/talks", role="introducer"),
    ),
}
