"""Messages for development steps (MSG-1): the engine's hooks tell each person where they are."""
from __future__ import annotations

from core import outbox
from core.sdk import STAGE_TITLES

MP_LINK = "/mp/development"


async def step_entered(session, transition) -> None:
    if transition.action == "start":
        title, body = "入党申请已提交", f"您已进入{STAGE_TITLES[transition.to_stage]}阶段，请关注党支部的审核结果。"
    elif transition.to_stage != transition.stage:
        title, body = f"您已进入{STAGE_TITLES[transition.to_stage]}阶段", "祝贺您完成上一阶段，请继续关注后续环节。"
    elif transition.action == "redevelop":
        title, body = "您已重新进入发展流程", f"已回到{STAGE_TITLES[transition.to_stage]}阶段的初始环节。"
    else:
        return  # within a stage the components send the specific messages (talker assigned, ...)
    # One statement for the whole batch; the key is unique per person and move.
    await outbox.notify(session, [r.user_id for r in transition.records], title, body, kind="progress", link=MP_LINK,
                        dedupe_key=f"progress:{transition.to_stage}:{transition.to_step}:{transition.now.isoformat()}",
                        object_type="dev_record")


async def step_failed(session, transition) -> None:
    await outbox.notify(session, [r.user_id for r in transition.records], f"发展结果：{transition.failure_code}",
                        transition.note or "请联系所在党支部了解详情。", kind="progress", link=MP_LINK, object_type="dev_record")
