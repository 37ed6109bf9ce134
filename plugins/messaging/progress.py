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


async def reflowed(session, transition) -> None:
    """Back to an earlier step (延迟预备期, 重新流转表决): say why, and the new probation end.
    One outbox statement per distinct end date (a batch stays a constant number of statements)."""
    why = transition.outcome.label if transition.outcome is not None and transition.outcome.label else "重新流转表决"
    groups: dict[str, list[int]] = {}
    for record in transition.records:
        end = (transition.milestones.get(record.user_id) or {}).get("probation_end")
        groups.setdefault(str(end)[:10] if end else "", []).append(record.user_id)
    for end, user_ids in groups.items():
        body = f"{why}：您已回到支部大会前的环节，可再次参加支部大会。" + (f"预备期延长至{end}。" if end else "")
        await outbox.notify(session, user_ids, "发展环节已回退", body, kind="progress", link=MP_LINK,
                            object_type="dev_record", dedupe_key=f"reflowed:{transition.now.isoformat()}:{end}")


async def finished(session, transition) -> None:
    """The whole process is done: the person is a full party member (中共党员)."""
    await outbox.notify(session, [r.user_id for r in transition.records], "祝贺您成为中共正式党员",
                        "您已完成党员发展全部流程，转为中共正式党员。", kind="progress", link=MP_LINK,
                        object_type="dev_record", dedupe_key=f"finished:{transition.now.isoformat()}")
