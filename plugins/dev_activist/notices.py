"""Messages to people who must act when they enter a step of the activist stage (MSG-1): the
student is asked for the 推优登记表 after the condition check, and told the cultivation
tasks when cultivation starts; the contact hears of the quarterly talks."""
from core.sdk import StepNotice

NOTICES = {
    ("activist", "recommendation"): (
        StepNotice("请提交推优登记表", "您已通过发展条件审核，请在“推优”中生成推优登记表，线下填写后上传扫描件。",
                   "/mp/development/recommendation"),
    ),
    ("activist", "cultivation"): (
        StepNotice("进入培育考察", "请每季度提交一篇思想汇报，每季度与培养联系人谈话一次，并报名参加积极分子培训班。",
                   "/mp/development/cultivation"),
        StepNotice("请开展季度谈话", "您培养的{n}名入党积极分子已进入培育考察，请每季度安排谈话并提交谈话记录。", "/mp/talks",
                   role="contact"),
    ),
}
