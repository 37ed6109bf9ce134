"""Driving people through the real reception and conversion stages (plugins/dev_probation) over
the API, one function per step, for tests/test_probation_stages.py and the whole-process test.
People are placed at reception's first step through the test's session (with the milestones
and introducers the candidate stage leaves); time is moved by writing dates, never waited for."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from tests.activist_helpers import hours_ago_today, local_now, ok, today, upload
from tests.conftest import Api, own_app, unique
from tests.probation_helpers import ORG_LIFE, ProbationEnv

REC = "/api/pc/v1/development/reception"
CONV = "/api/pc/v1/development/conversion"
MP = "/api/mp/v1/development"
PNG_HEAD = b"\x89PNG\r\n\x1a\n"


@dataclass
class Member:
    record_id: int
    user_id: int
    name: str
    api: Api


@contextlib.contextmanager
def stage_app(tmp: Path, students: int = 20):
    with own_app(tmp, [], students=students) as (client, app):
        yield Flow(ProbationEnv(client, app))


def ids(people) -> list[int]:
    return [p.record_id for p in people]


def vote(rid: int, outcome: str, yes: int, no: int = 0, abstain: int = 0) -> dict:
    return {"record_id": rid, "outcome": outcome, "yes": yes, "no": no, "abstain": abstain}


class Flow:
    def __init__(self, env: ProbationEnv):
        self.env, self.branch, self.committee = env, env.branch, env.committee
        self.introducers = env.users(2, "中共党员")
        self.introducer_apis = [env.as_user(u) for u in self.introducers]
        self.voters = env.users(5, "中共党员")
        self.png = None
        self._form_year = None

    # --- people ----------------------------------------------------------------------------------

    def place(self, n: int, *, filed_this_semester: bool = False) -> list[Member]:
        """``n`` 发展对象 of branch A at reception/condition with the candidate stage's dates and two introducers."""
        from core.models import User
        from core.sdk import assignments
        from core.workflow.models import DevelopmentRecord

        filed = today() if filed_this_semester else today() - timedelta(days=240)
        ms = {"applied_at": (today() - timedelta(days=900)).isoformat(), "activist_at": (today() - timedelta(days=700)).isoformat(),
              "candidate_at": (today() - timedelta(days=250)).isoformat(), "candidate_filed_at": filed.isoformat()}
        people = []
        for _ in range(n):
            rid, api = self.env.person("reception", "condition", milestones=dict(ms))
            people.append((rid, api))

        async def introduce(s, e):
            await assignments.assign(s, [rid for rid, _ in people], "introducer", user_ids=self.introducers)
            recs = (await s.execute(select(DevelopmentRecord.id, User.id, User.name).join(User, User.id == DevelopmentRecord.user_id)
                                    .where(DevelopmentRecord.id.in_([rid for rid, _ in people])))).all()
            return {rid: (uid, name) for rid, uid, name in recs}
        found = self.env.run(introduce)
        return [Member(rid, found[rid][0], found[rid][1], api) for rid, api in people]

    def where(self, people) -> dict[int, tuple[str, str, str]]:
        return {rid: (r.stage, r.step, r.failure_code or r.status) for rid, r in self.env.records(ids(people)).items()}

    def at(self, people, stage: str, step: str) -> None:
        assert set(self.where(people).values()) == {(stage, step, "active")}, self.where(people)

    def file_token(self, api: Api) -> str:
        return upload(api, self.png_bytes())

    def png_bytes(self) -> bytes:
        if self.png is None:
            import io

            from PIL import Image

            buf = io.BytesIO()
            Image.new("RGB", (4, 4), (200, 20, 20)).save(buf, format="PNG")
            self.png = buf.getvalue()
        return self.png

    def age(self, people, days: int) -> None:
        """Every date of the people's records moved ``days`` into the past (the probation year passes)."""
        from core.workflow.models import DevelopmentRecord

        async def move(s, e):
            for r in (await s.execute(select(DevelopmentRecord).where(DevelopmentRecord.id.in_(ids(people))))).scalars():
                r.milestones = {k: (date.fromisoformat(str(v)[:10]) - timedelta(days=days)).isoformat()
                                for k, v in (r.milestones or {}).items()}
        self.env.run(move)

    # --- shared step drivers ---------------------------------------------------------------------

    def publicize(self, base: str, people) -> int:
        b = self.branch
        p = ok(b.post(f"{base}/publicity", json={}))["data"]
        body = {"signature_date": today().isoformat(), "start_date": today().isoformat(),
                "people": [{"record_id": x.record_id, "brief": "表现良好，积极参加组织活动"} for x in people]}
        ok(b.put(f"{base}/publicity/{p['id']}/content", json=body))
        ok(b.post(f"{base}/publicity/{p['id']}/generate"))
        assert b.post(f"{base}/publicity/{p['id']}/complete").status_code == 409  # 公示期尚未结束
        self.shift_batch(p["id"], 10)
        ok(b.post(f"{base}/publicity/{p['id']}/report", json={"note": ""}))
        ok(b.post(f"{base}/publicity/{p['id']}/complete"))
        return p["id"]

    def shift_batch(self, batch_id: int, days: int) -> None:
        from sqlalchemy import update

        from core.workflow.models import Batch

        async def go(s, e):
            b = await s.get(Batch, batch_id)
            await s.execute(update(Batch).where(Batch.id == batch_id).values(start_at=b.start_at - timedelta(days=days),
                                                                               end_at=b.end_at - timedelta(days=days)))
        self.env.run(go)

    def filing(self, base: str, path: str, people, *, results: dict[int, str] | None = None, decide: bool = True) -> int:
        """The branch's batch (新增 → 确认并生成 → 提交), then the committee's decision (or the branch's confirmation)."""
        results = results or {}
        fid = ok(self.branch.post(f"{base}/{path}", json={"record_ids": ids(people)}))["data"]["id"]
        entries = [{"record_id": p.record_id, "result": results.get(p.record_id, "pass"),
                    **({"opinion": "材料不全"} if results.get(p.record_id) == "fail" else {})} for p in people]
        ok(self.branch.post(f"{base}/{path}/{fid}/generate", json={"filing_date": today().isoformat(), "people": entries}))
        ok(self.branch.post(f"{base}/{path}/{fid}/submit"))
        if path == "higher-filing":
            ok(self.branch.post(f"{base}/{path}/{fid}/confirm", json={"decided_on": today().isoformat(), "opinion": "已报组织部备案"}))
        elif path == "pre-review":
            ok(self.committee.post(f"{base}/{path}/{fid}/decide", json={"decided_on": today().isoformat(), "opinion": "同意"}))
        elif decide:
            items = [{"record_id": p.record_id, "result": results.get(p.record_id, "pass"),
                      **({"opinion": "不同意"} if results.get(p.record_id) == "fail" else {})} for p in people]
            ok(self.committee.post(f"{base}/{path}/{fid}/decide", json={"decided_on": today().isoformat(), "opinion": "同意",
                                                                        "items": items}))
        return fid

    def symposium(self, base: str, people) -> int:
        held = hours_ago_today(2).isoformat(timespec="minutes")
        sid = ok(self.branch.post(f"{base}/symposium", json={"record_ids": ids(people), "held_at": held, "place": "学院302会议室"}))["data"]["id"]
        for p in people:
            ok(self.branch.post(f"{base}/symposium/{sid}/scans/{p.record_id}", files={"file": ("记录表.png", self.png_bytes(), "image/png")}))
        ok(self.branch.post(f"{base}/symposium/{sid}/complete"))
        return sid

    def general_meeting(self, vote_key: str, people, items: list[dict], *, voters: list[int] | None = None,
                        present: int | None = None):
        """A 党员大会 with a vote on the people: voters signed in by 补录 after the end, the list confirmed, the record."""
        env, voters = self.env, voters or self.voters
        mid = env.meeting(vote=vote_key, voters=voters, people=ids(people))
        env.end(mid)
        attend = voters[:present if present is not None else len(voters)]
        if attend:
            ok(self.branch.post(f"{ORG_LIFE}/{mid}/attendance", json={"user_ids": attend, "action": "supplement"}))
        ok(self.branch.post(f"{ORG_LIFE}/{mid}/confirm-attendance"))
        return mid, self.branch.post(f"{ORG_LIFE}/{mid}/record", json={"minutes": "会议讨论了发展党员事项", "items": items})

    # --- reception ---------------------------------------------------------------------------------

    def condition(self, people) -> None:
        ok(self.branch.post(f"{REC}/condition", json={"record_ids": ids(people), "outcome": "pass"}))

    def pre_talk(self, people) -> None:
        """Each person's introducer talk (opened, scheduled and recorded on the MP, reviewed by the branch) and,
        for those not filed this semester, the symposium; the step then moves on by itself."""
        talker = self.introducer_apis[0]
        for p in people:
            talk = ok(talker.post(f"{MP}/talks/open", json={"kind": "reception_talk", "record_id": p.record_id}))["talk"]
            ok(talker.post(f"{MP}/talks/{talk['id']}/schedule", json={"place": "党员活动室",
                                                                     "scheduled_at": local_now().isoformat(timespec="minutes")}))
            ok(talker.post(f"{MP}/talks/{talk['id']}/record", json={"content": "接收前谈话：入党动机端正。", "talk_date": today().isoformat()}))
        ok(self.branch.post(f"{REC}/pre-talk/review", json={"record_ids": ids(people), "approve": True}))
        waiting = [p for p in people if self.where([p])[p.record_id][1] == "pre_talk"]
        if waiting:
            self.symposium(REC, waiting)

    def committee_meeting(self, people) -> None:
        held = hours_ago_today(3).isoformat(timespec="minutes")
        ok(self.branch.post(f"{REC}/committee-meeting", json={"record_ids": ids(people), "held_at": held, "place": "支部活动室"}))

    def form_year(self) -> int:
        """A number range of the register for this app (registered once)."""
        if self._form_year is None:
            year = today().year
            ok(self.committee.post(f"{REC}/application-form/ranges", json={"year": year, "first": year * 10000 + 1,
                                                                           "last": year * 10000 + 9999, "note": "第一批"}))
            self._form_year = year
        return self._form_year

    def application_form(self, people) -> None:
        ok(self.committee.post(f"{REC}/application-form/assign", json={"record_ids": ids(people), "year": self.form_year()}))
        ok(self.committee.post(f"{REC}/application-form/issue", json={"record_ids": ids(people)}))
        ok(self.branch.post(f"{REC}/application-form/confirm", json={"record_ids": ids(people), "day": today().isoformat()}))

    def committee_talk(self, people) -> None:
        talker = ok(self.committee.get(f"{REC}/talkers"))["data"]["options"][0]["value"]
        ok(self.committee.post(f"{REC}/committee-talk/assign", json={"record_ids": ids(people), "talker_id": talker}))
        ok(self.committee.post(f"{REC}/committee-talk/flow", json={"record_ids": ids(people)}))
        for p in people:
            ok(p.api.post(f"{MP}/committee-talk", json={"scheduled_at": local_now().isoformat(timespec="minutes")}))
        ok(self.committee.post(f"{REC}/committee-talk/confirm-time", json={"record_ids": ids(people)}))

    def reception(self, people) -> None:
        """Every step of the reception stage with everyone passing: they enter the conversion stage."""
        self.condition(people)
        self.pre_talk(people)
        self.publicize(REC, people)
        self.committee_meeting(people)
        self.filing(REC, "pre-review", people)
        self.application_form(people)
        _, r = self.general_meeting("reception", people, [vote(p.record_id, "agree", 4, 1) for p in people])
        ok(r)
        self.committee_talk(people)
        self.filing(REC, "approval", people)
        self.filing(REC, "higher-filing", people)

    # --- conversion --------------------------------------------------------------------------------

    def party_group(self, people) -> int:
        gid = ok(self.committee.post("/api/pc/v1/party-groups", json={"name": unique("第一党小组"),
                                                                     "branch_id": self.branch.user["party_branch_id"]}))["data"]["id"]
        ok(self.branch.post(f"{CONV}/party-group/assign", json={"record_ids": ids(people), "group_id": gid}))
        return gid

    def oath(self, people) -> None:
        ok(self.branch.post(f"{CONV}/oath/flow", json={"record_ids": ids(people)}))
        ok(self.branch.post(f"{CONV}/oath", json={"record_ids": ids(people), "outcome": "advance", "day": today().isoformat()}))

    def cultivation(self, people) -> None:
        """Four quarterly thought reports and four introducer talks over the probation year, then 考察通过."""
        talker = self.introducer_apis[1]
        for quarter in range(4):
            for p in people:
                ok(p.api.post(f"{MP}/probation-reports", json={"files": [self.file_token(p.api)], "signed_date": today().isoformat()}))
            ok(self.branch.post(f"{CONV}/report/review", json={"record_ids": ids(people), "approve": True}))
            for p in people:
                talk = ok(talker.post(f"{MP}/talks/open", json={"kind": "conversion_talk", "record_id": p.record_id}))["talk"]
                ok(talker.post(f"{MP}/talks/{talk['id']}/schedule", json={"place": "党员活动室",
                                                                         "scheduled_at": local_now().isoformat(timespec="minutes")}))
                ok(talker.post(f"{MP}/talks/{talk['id']}/record", json={"content": f"第{quarter + 1}季度谈话：表现良好。",
                                                                       "talk_date": today().isoformat()}))
            ok(self.branch.post(f"{CONV}/introducer-talk/review", json={"record_ids": ids(people), "approve": True}))
        ok(self.branch.post(f"{CONV}/cultivation/pass", json={"record_ids": ids(people)}))

    def conversion_application(self, people) -> None:
        ok(self.branch.post(f"{CONV}/conversion-application/open", json={"record_ids": ids(people)}))
        for p in people:
            ok(p.api.post(f"{MP}/conversion-application", json={"files": [self.file_token(p.api)], "signed_date": today().isoformat()}))
        ok(self.branch.post(f"{CONV}/conversion-application/result", json={"record_ids": ids(people), "result": "pass",
                                                                           "day": today().isoformat()}))

    def to_conversion_meeting(self, people) -> None:
        """From 编入党小组 to the general meeting's step."""
        self.party_group(people)
        self.oath(people)
        self.cultivation(people)
        self.conversion_application(people)
        self.symposium(CONV, people)
        self.publicize(CONV, people)
        self.filing(CONV, "pre-review", people)
