"""组织生活记录: after 确认参会名单 the branch records the minutes and, for a meeting that votes,
each person's result with the counts. The regulation's rule is checked before anything is
written: more than half of the members entitled to vote (应到) must be present (实到), the
ballots counted cannot exceed those present, and a result the vote carries (同意, 延迟预备期)
needs more yes votes than half of 应到 — exactly half is refused — while a result it does
not carry (不同意) needs at most half. Then the people are resolved through the engine in
one call (the same statements for 50 or 500 people), the record PDF is stored, the ballot
and the record are filed as each person's documents, and each is told their result."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import anyio
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, outbox
from core.auth import Actor
from core.errors import fail
from core.files import store_bytes
from core.models import User, utcnow
from core.workflow.components.general_meeting import SCOPES, TYPES, GeneralMeeting, MeetingAttendance, meeting_day
from core.workflow.components.general_meeting_pdf import RecordDoc, RecordPerson, pdf_name, record_pdf
from core.workflow.documents import Paper, record_documents
from core.workflow.models import Batch, BatchEntry
from core.workflow.transitions import Resolution
from core.workflow.writes import mirror


@dataclass
class VoteItem:
    record_id: int
    outcome: str
    yes: int
    no: int
    abstain: int


def check_votes(use: GeneralMeeting, names: dict[int, str], items: list[VoteItem], *, expected: int,
                present: int) -> None:
    """The majority rule and the counts, for every person at once (all or nothing), naming each refusal."""
    if expected <= 0:
        raise fail(422, "没有导入表决人员，不能记录表决结果")
    if present * 2 <= expected:
        raise fail(409, f"到会有表决权的正式党员{present}人，未超过应到{expected}人的半数，不能进行表决")
    choices = use.choices()
    problems = []
    for i in items:
        who = names.get(i.record_id, str(i.record_id))
        o = choices.get(i.outcome)
        if o is None:
            problems.append(f"{who}：请选择表决结果")
            continue
        if min(i.yes, i.no, i.abstain) < 0:
            problems.append(f"{who}：票数不能为负数")
            continue
        if i.yes + i.no + i.abstain > present:
            problems.append(f"{who}：赞成、反对、弃权票数之和{i.yes + i.no + i.abstain}超过实到人数{present}")
            continue
        label = o.label or i.outcome
        if use.passes(o) and i.yes * 2 <= expected:
            problems.append(f"{who}：赞成{i.yes}票，未超过应到{expected}人的半数，不能为“{label}”")
        elif not use.passes(o) and i.yes * 2 > expected:
            problems.append(f"{who}：赞成{i.yes}票，已超过应到{expected}人的半数，不能为“{label}”")
    if problems:
        raise fail(422, "表决结果不符合规定：" + "；".join(problems), field="items", label="表决结果")


async def record(session: AsyncSession, engine, life, actor: Actor, b: Batch, *, minutes: str,
                 items: list[VoteItem]) -> Resolution | None:
    """确定记录: store the minutes (and with a vote, resolve every person); the meeting is completed."""
    if b.state == "completed":
        raise fail(409, "组织生活记录已填写，请勿重复提交")
    if b.state != "confirmed":
        raise fail(409, "请先确认参会名单，再填写组织生活记录")
    minutes = (minutes or "").strip()
    use = life.use_of(b)
    if use is None and not minutes:
        raise fail(422, "请填写会议记录", field="minutes", label="会议记录")
    counts = (await life.counts(session, [b.id])).get(b.id, {})
    entries = await use.entries(session, b) if use else []
    people = {e.record_id: u for e, u in entries}
    if use is not None:
        given = {i.record_id: i for i in items}
        if set(given) != set(people):
            missing = [people[r].name for r in people if r not in given]
            raise fail(422, f"请填写每位表决对象的表决结果：{'、'.join(missing)}" if missing else "表决结果中有不在本次会议名单中的人员",
                       field="items", label="表决结果")
        check_votes(use, {r: u.name for r, u in people.items()}, list(given.values()), expected=counts.get("voters", 0),
                    present=counts.get("present_voters", 0))
        await session.execute(BatchEntry.__table__.update().where(BatchEntry.__table__.c.id == bindparam("eid"))
                              .values(outcome=bindparam("o"), data=bindparam("d")),
                              [{"eid": e.id, "o": given[e.record_id].outcome,
                                "d": {"yes": given[e.record_id].yes, "no": given[e.record_id].no,
                                      "abstain": given[e.record_id].abstain}} for e, _ in entries])
        for e, _ in entries:  # the completion below reads each entry's own outcome (no second UPDATE)
            mirror(e, outcome=given[e.record_id].outcome)
    doc = await record_doc(session, engine, life, b, use, minutes, counts, items)
    pdf = await anyio.to_thread.run_sync(partial(record_pdf, engine.settings.font_path, doc))
    stored = await store_bytes(session, engine.settings, pdf, name=pdf_name(b.title, "组织生活记录"), owner_id=actor.id,
                               purpose="meeting_record", allowed=["pdf"])
    now = utcnow()
    b.report_token = stored.token
    b.data = {**b.data, "minutes": minutes, "counts": counts, "recorded_at": clock.iso(now)}
    if use is None:
        await life.first.set_state(session, b, "confirmed", "completed", completed_at=now, completed_by=actor.id)
        return None
    return await resolve(session, engine, actor, b, use, entries, {i.record_id: i for i in items}, counts)


async def resolve(session, engine, actor, b: Batch, use: GeneralMeeting, entries, given: dict[int, VoteItem],
                  counts: dict) -> Resolution:
    day = meeting_day(b)
    choices = use.choices()
    records, _ = await engine.load(session, actor, [e.record_id for e, _ in entries])
    files = [{"token": t, "name": pdf_name(b.title, s), "url": f"/api/files/{t}", "type": "pdf"}
             for t, s in ((b.document_token, "表决票"), (b.report_token, "组织生活记录")) if t]
    # Filed against the step that produced them, before the people move on.
    await record_documents(session, [Paper(r, "meeting_ballot", f"{b.title}表决票", files[:1], day, "batch", b.id) for r in records]
                           + [Paper(r, "meeting_record", f"{b.title}组织生活记录", files[1:], day, "batch", b.id) for r in records],
                           created_by=actor.id)
    expected, present = counts.get("voters", 0), counts.get("present_voters", 0)
    notes = {rid: f"应到{expected}人，实到{present}人；赞成{i.yes}票，反对{i.no}票，弃权{i.abstain}票" for rid, i in given.items()}
    users = {e.record_id: u for e, u in entries}
    milestones = ({users[rid].id: {use.milestone: day} for rid, i in given.items() if use.passes(choices[i.outcome])}
                  if use.milestone else None)
    titles = {k: f"{b.title}：{o.label or k}" for k, o in choices.items()}
    res = await use.complete(session, engine, actor, b, expected_state="confirmed", milestones=milestones, notes=notes,
                             title=titles)
    for t in res.transitions:
        label = t.outcome.label if t.outcome else ""
        where = engine.registry.step_title(t.to_stage, t.to_step)
        tail = {"advance": f"您已进入“{where}”环节。", "reflow": f"您将回到“{where}”环节，可再次参加支部大会。",
                "finish": "", "fail": "", "stay": ""}[t.action]
        await outbox.notify(session, [r.user_id for r in t.records], f"支部大会表决结果：{label}",
                            f"{b.title}（{clock.fmt(b.start_at)}）对您的表决结果为“{label}”。{tail}", kind="progress",
                            link="/mp/development", object_type="meeting", object_id=b.id, sender_id=actor.id)
    return res


async def record_doc(session, engine, life, b: Batch, use: GeneralMeeting | None, minutes: str, counts: dict,
                     items: list[VoteItem]) -> RecordDoc:
    rows = (await session.execute(select(MeetingAttendance.status, User.name).join(User, User.id == MeetingAttendance.user_id)
                                  .where(MeetingAttendance.batch_id == b.id).order_by(User.student_no, User.id))).all()
    names = await life.names(session, [b.branch_id])
    people = []
    if use is not None:
        choices = use.choices()
        by_record = {i.record_id: i for i in items}
        for e, u in await use.entries(session, b):
            i = by_record[e.record_id]
            people.append(RecordPerson(u.name, u.student_no or "", i.yes, i.no, i.abstain, choices[i.outcome].label or i.outcome))
    d = b.data
    return RecordDoc(
        title=b.title, type_label=TYPES.get(d.get("type"), ""), branch=names.get(b.branch_id, ""),
        start=clock.fmt(b.start_at), end=clock.fmt(b.end_at), place=d.get("place", ""), host=d.get("host", ""),
        recorder=d.get("recorder", ""), scope_label=SCOPES.get(d.get("scope"), ""), content=d.get("content", ""),
        minutes=minutes, attendees=counts.get("attendees", 0), present=counts.get("present", 0),
        leave=[n for s, n in rows if s == "leave"], absent=[n for s, n in rows if s == "absent"],
        vote_label=use.vote_label if use else "", expected=counts.get("voters", 0),
        present_voters=counts.get("present_voters", 0), people=people, college=engine.settings.college_name,
        day=meeting_day(b))
