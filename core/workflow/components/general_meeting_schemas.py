"""What the organisation life's PC routes (``general_meeting_api.py``) take and answer: the
request bodies, the list row and the detail (with the 表决对象, their results and what may be
done now), and how a meeting (a cohort of kind ``org_life``) becomes one."""

from datetime import date, datetime
from typing import Optional

from pydantic import BaseModel, Field

from core.clock import LocalDateTime
from core.models import utcnow
from core.responses import Option
from core.text import MultilineText, PlainText
from core.workflow.components.general_meeting import PHASES, SCOPES, STATE_LABELS, TYPES, meeting_phase
from core.workflow.components.general_meeting_life import MeetingValues, OrgLife
from core.workflow.models import Batch
from core.workflow.schemas import MovedOut


class MeetingIn(BaseModel):
    branch_id: Optional[int] = Field(None, title="党支部（学院党委选择）")
    type: str = Field(max_length=20, title="类型")
    title: PlainText = Field(min_length=1, max_length=200, title="会议名称")
    start_at: datetime = Field(title="开始时间")
    end_at: datetime = Field(title="结束时间")
    place: PlainText = Field(min_length=1, max_length=200, title="会议地点")
    host: PlainText = Field("", max_length=64, title="主持人")
    recorder: PlainText = Field("", max_length=64, title="记录人")
    scope: str = Field("branch", max_length=10, title="发布范围")
    has_vote: bool = Field(False, title="是否含投票表决")
    vote: str = Field("", max_length=40, title="表决内容")
    content: MultilineText = Field("", max_length=2000, title="会议内容")


class UserIdsIn(BaseModel):
    user_ids: list[int] = Field(default_factory=list, title="表决人员")


class PeopleIn(BaseModel):
    record_ids: list[int] = Field(default_factory=list, title="表决对象")


class MarkIn(BaseModel):
    user_ids: list[int] = Field(min_length=1, title="人员")
    action: str = Field(max_length=20, title="操作：supplement 补录 | leave 请假")
    note: PlainText = Field("", max_length=200, title="请假原因")


class VoteIn(BaseModel):
    record_id: int = Field(title="表决对象")
    outcome: str = Field(max_length=40, title="表决结果")
    yes: int = Field(ge=0, le=100000, title="赞成票")
    no: int = Field(ge=0, le=100000, title="反对票")
    abstain: int = Field(ge=0, le=100000, title="弃权票")


class RecordIn(BaseModel):
    minutes: MultilineText = Field("", max_length=5000, title="会议记录")
    items: list[VoteIn] = Field(default_factory=list, title="表决结果")


class PersonOut(BaseModel):
    user_id: int
    name: str
    student_no: str


class SubjectOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    outcome: str = Field(description="表决结果代码，未记录为空")
    outcome_label: str
    yes: Optional[int] = None
    no: Optional[int] = None
    abstain: Optional[int] = None


class CountsOut(BaseModel):
    attendees: int = Field(description="参会人数")
    voters: int = Field(description="应到：有表决权的正式党员")
    present: int = Field(description="实际参会人数")
    present_voters: int = Field(description="实到：到会的有表决权的正式党员")
    leave: int
    absent: int


class Can(BaseModel):
    edit: bool
    voters: bool
    people: bool
    ballot: bool
    publish: bool
    codes: bool
    attendance: bool
    confirm: bool
    record: bool
    delete: bool


class MeetingOut(BaseModel):
    id: int
    branch_id: Optional[int] = None
    branch_name: str
    type: str
    type_label: str
    title: str
    start_at: Optional[LocalDateTime] = None
    end_at: Optional[LocalDateTime] = None
    day: Optional[date] = None
    place: str
    scope: str
    scope_label: str
    has_vote: bool
    vote: str = Field(description="表决内容代码，不含表决为空")
    vote_label: str
    state: str = Field(description="draft | published | confirmed | completed")
    state_label: str
    phase: str = Field(description="按时间计算：draft 未发布 | upcoming 未开始 | running 进行中 | ended 已结束 | confirmed | completed")
    phase_label: str
    counts: CountsOut
    people_count: int
    created_at: LocalDateTime
    ballot_url: Optional[str] = None
    record_url: Optional[str] = None


class MeetingDetail(MeetingOut):
    host: str
    recorder: str
    content: str
    minutes: str
    voters: list[PersonOut]
    people: list[SubjectOut]
    outcomes: list[Option] = Field(description="本次表决可记录的结果")
    can: Can


class AttendanceOut(BaseModel):
    user_id: int
    name: str
    student_no: str
    voter: bool
    subject: bool
    status: str = Field(description="pending 未签到 | signed_in 已签到 | signed_out 已签退 | supplemented 补录 | leave 请假 | absent 缺席")
    status_label: str
    signed_in_at: Optional[LocalDateTime] = None
    signed_out_at: Optional[LocalDateTime] = None
    note: str


class CodeOut(BaseModel):
    kind: str = Field(description="sign-in | sign-out")
    kind_label: str
    url: str = Field(description="二维码内容：手机端签到/签退页面地址")
    valid_from: LocalDateTime
    valid_until: LocalDateTime
    valid_text: str = Field(description="有效期（便于展示）")


class CandidateOut(BaseModel):
    record_id: int
    user_id: int
    name: str
    student_no: str
    chosen: bool


class RecordedOut(MovedOut):
    id: int
    state: str


def meeting_values(body: MeetingIn) -> MeetingValues:
    return MeetingValues(type=body.type, title=body.title, start_at=body.start_at, end_at=body.end_at, place=body.place,
                         host=body.host, recorder=body.recorder, scope=body.scope, has_vote=body.has_vote, vote=body.vote,
                         content=body.content)


def meeting_out(life: OrgLife, b: Batch, branch_name: str, counts: dict, people: int, now: datetime, base: str) -> dict:
    use = life.use_of(b)
    phase = meeting_phase(b, now)
    d = b.data or {}
    empty = {"attendees": 0, "voters": 0, "present": 0, "present_voters": 0, "leave": 0, "absent": 0}
    return {
        "id": b.id, "branch_id": b.branch_id, "branch_name": branch_name, "type": d.get("type", ""),
        "type_label": TYPES.get(d.get("type"), ""), "title": b.title, "start_at": b.start_at, "end_at": b.end_at,
        "day": b.signature_date, "place": d.get("place", ""), "scope": d.get("scope", ""),
        "scope_label": SCOPES.get(d.get("scope"), ""), "has_vote": use is not None, "vote": use.vote if use else "",
        "vote_label": use.vote_label if use else "", "state": b.state, "state_label": STATE_LABELS.get(b.state, b.state),
        "phase": phase, "phase_label": PHASES[phase], "counts": {**empty, **counts}, "people_count": people,
        "created_at": b.created_at, "ballot_url": f"{base}/{b.id}/ballot" if b.document_token else None,
        "record_url": f"{base}/{b.id}/record" if b.report_token else None,
    }


async def detail_of(life: OrgLife, session, b: Batch, base: str) -> dict:
    use = life.use_of(b)
    now = utcnow()
    names = await life.names(session, [b.branch_id])
    counts = (await life.counts(session, [b.id])).get(b.id, {})
    entries = await use.entries(session, b) if use else []
    data = meeting_out(life, b, names.get(b.branch_id, ""), counts, len(entries), now, base)
    choices = use.choices() if use else {}
    subjects = []
    for e, u in entries:
        o = choices.get(e.outcome) if b.state == "completed" else None
        c = e.data or {}
        subjects.append({"record_id": e.record_id, "user_id": u.id, "name": u.name, "student_no": u.student_no or "",
                         "outcome": e.outcome if o else "", "outcome_label": (o.label or e.outcome) if o else "",
                         "yes": c.get("yes"), "no": c.get("no"), "abstain": c.get("abstain")})
    phase = data["phase"]
    draft = b.state == "draft"
    data.update(
        host=b.data.get("host", ""), recorder=b.data.get("recorder", ""), content=b.data.get("content", ""),
        minutes=b.data.get("minutes", ""),
        voters=[{"user_id": u.id, "name": u.name, "student_no": u.student_no or ""} for u in await life.voters(session, b)],
        people=subjects, outcomes=[{"label": o.label or k, "value": k} for k, o in choices.items()],
        can={"edit": draft, "voters": draft and use is not None, "people": draft and use is not None,
             "ballot": use is not None and bool(entries), "publish": draft, "codes": phase in ("upcoming", "running", "ended"),
             "attendance": phase == "ended", "confirm": phase == "ended", "record": b.state == "confirmed", "delete": draft})
    return data
