"""Messages to the people who must act when records enter a step of the two stages (MSG-1):
the introducers when the talk before reception or the probation year's talks start, the
member when the probation-year cultivation starts."""
from core.sdk import assignments, notify

INTRODUCER_NOTICES = {
    ("reception", "pre_talk"): ("请开展接收预备党员前谈话",
                                "您介绍的{n}名发展对象进入“流转座谈会及谈话”，请安排接收预备党员前谈话并提交谈话记录。"),
    ("conversion", "cultivation"): ("请开展预备期季度谈话", "您介绍的{n}名预备党员进入转正教育考察，请每季度安排谈话并提交谈话记录。"),
}
STUDENT_NOTICES = {
    ("conversion", "cultivation"): ("进入转正教育考察", "预备期内请每季度提交一篇思想汇报，并与入党介绍人谈话一次。",
                                    "/mp/development/cultivation"),
}


async def step_entered(session, transition) -> None:
    where = (transition.to_stage, transition.to_step)
    if where in STUDENT_NOTICES:
        title, body, link = STUDENT_NOTICES[where]
        await notify(session, transition.user_ids, title, body, kind="todo", link=link, object_type="dev_record")
    if where in INTRODUCER_NOTICES:
        found = await assignments.current(session, [r.id for r in transition.records], "introducer")
        introducers = {a.user_id for items in found.values() for a in items if a.user_id}
        title, body = INTRODUCER_NOTICES[where]
        await notify(session, introducers, title, body.format(n=len(transition.records)), kind="todo", link="/mp/talks",
                     object_type="dev_record")
