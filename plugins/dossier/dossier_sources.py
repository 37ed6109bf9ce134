"""What a dossier is made of, read for many people at once (a constant number of statements
per batch, plus one timeline read per person): the record and person, the documents of the
process in order with their stored files (and the text of talks that have no file), the
national 25 steps with their dates, and the documents the process expects but the file lacks.

Generic over the stage registry: the order of documents is the registry's order of stages and
steps, the expected documents are those the registered ``CompletenessCheck`` declares per
stage, so a stage registered later needs no change here."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.sdk import STAGE_TITLES, CompletenessCheck, DevelopmentRecord, Document, StoredFile, StudentProfile, User
from core.workflow.stages import STAGE_ORDER, StageRegistry
from core.workflow.timeline import build_timeline

STATUS_LABELS = {"active": "进行中", "failed": "未通过", "done": "已完成发展流程"}


@dataclass
class SourceFile:
    kind: str  # pdf | jpg | png
    path: Path
    name: str


@dataclass
class Item:
    """One document of the dossier: where it sits in the process and what it holds."""

    stage: str
    step: str
    step_title: str
    kind: str
    title: str
    signed_date: date | None
    files: list[SourceFile] = field(default_factory=list)
    text: list[tuple[str, str]] = field(default_factory=list)  # (label, value) lines of a generated page
    body: str = ""  # the stored text (a talk record's content)


@dataclass
class Dossier:
    record: DevelopmentRecord
    user: User
    profile: StudentProfile | None
    branch: str
    position: str  # 当前阶段 / 环节 / 状态 in words
    regulation: list[dict]  # [{no, title, done, date}] from the timeline
    items: list[Item]
    missing: list[str]

    @property
    def file_name(self) -> str:
        return f"{self.user.name}{self.user.student_no or self.user.id}.pdf"


def _order(registry: StageRegistry):
    """(stage index, step index) of every registered step, for sorting documents."""
    out = {}
    for i, key in enumerate(STAGE_ORDER):
        for j, s in enumerate(registry.stage(key).steps):
            out[(key, s.key)] = (i, j)
    return out


def expected_documents(registry: StageRegistry) -> dict[str, list[tuple[str, str]]]:
    """stage → [(kind, label)] as the registered completeness checks declare them."""
    out: dict[str, list[tuple[str, str]]] = {}
    for _, _, component in registry.components():
        if isinstance(component, CompletenessCheck):
            for stage, kinds in component.documents.items():
                out.setdefault(stage, [])
                out[stage] += [k for k in kinds if k not in out[stage]]
    return out


def _passed_stages(record: DevelopmentRecord) -> list[str]:
    i = STAGE_ORDER.index(record.stage)
    return STAGE_ORDER[: i + 1] if record.status == "done" else STAGE_ORDER[:i]


async def _talks(session: AsyncSession, ids: list[int]) -> dict[int, tuple]:
    from core.workflow.components.talk import Talk

    if not ids:
        return {}
    rows = (await session.execute(
        select(Talk.id, Talk.talk_date, Talk.place, Talk.content, User.name)
        .outerjoin(User, User.id == Talk.talked_by).where(Talk.id.in_(ids)))).all()
    return {r[0]: r[1:] for r in rows}


async def _branch_names(session: AsyncSession, ids) -> dict[int, str]:
    from plugins.org_mgmt.models import Organisation

    ids = [i for i in set(ids) if i is not None]
    if not ids:
        return {}
    return dict((await session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids)))).all())


async def load_dossiers(session: AsyncSession, settings, registry: StageRegistry, records: list[DevelopmentRecord],
                        users: dict[int, User]) -> list[Dossier]:
    """Everything the PDFs of ``records`` need, read before any PDF is drawn."""
    rids = [r.id for r in records]
    docs: dict[int, list[Document]] = {}
    for d in (await session.execute(select(Document).where(Document.record_id.in_(rids))
                                    .order_by(Document.record_id, Document.id))).scalars():
        docs.setdefault(d.record_id, []).append(d)
    tokens = {f.get("token") for ds in docs.values() for d in ds for f in (d.files or []) if f.get("token")}
    stored = {f.token: f for f in (await session.execute(select(StoredFile).where(StoredFile.token.in_(tokens)))).scalars()} \
        if tokens else {}
    talks = await _talks(session, [d.source_id for ds in docs.values() for d in ds
                                   if d.source_type == "talk" and d.source_id is not None])
    profiles = {p.user_id: p for p in (await session.execute(
        select(StudentProfile).where(StudentProfile.user_id.in_(list(users))))).scalars()}
    branches = await _branch_names(session, [u.party_branch_id for u in users.values()])
    order, expected, root = _order(registry), expected_documents(registry), settings.upload_dir.resolve()
    out = []
    for r in records:
        user = users[r.user_id]
        items = []
        for d in docs.get(r.id, []):
            files = []
            for f in d.files or []:
                s = stored.get(f.get("token"))
                if s is not None and s.ext in ("pdf", "jpg", "png"):
                    path = (root / s.path).resolve()
                    if root in path.parents and path.is_file():
                        files.append(SourceFile(s.ext, path, s.original_name))
            item = Item(d.stage, d.step, registry.step_title(d.stage, d.step) if d.step else "", d.kind, d.title or d.kind,
                        d.signed_date, files)
            talk = talks.get(d.source_id) if d.source_type == "talk" else None
            if talk is not None:
                talk_date, place, content, talker = talk
                item.text = [("谈话日期", str(talk_date or d.signed_date or "")), ("谈话地点", place or ""),
                             ("谈话人", talker or "")]
                item.body = content or ""
            elif not files:
                item.text = [("日期", str(d.signed_date or "")), ("环节", f"{STAGE_TITLES.get(d.stage, d.stage)} · {item.step_title}")]
            items.append(item)
        items.sort(key=lambda it: (order.get((it.stage, it.step), (STAGE_ORDER.index(it.stage) if it.stage in STAGE_ORDER else 9, 99)),
                                   it.signed_date or date.max))
        have = {(d.stage, d.kind) for d in docs.get(r.id, [])}
        missing = [f"{STAGE_TITLES[s]}：《{label}》" for s in _passed_stages(r) for kind, label in expected.get(s, [])
                   if (s, kind) not in have]
        timeline = await build_timeline(session, r, registry)
        regulation = [{"no": g["no"], "title": g["title"], "done": g["done"], "date": (g["date"] or "")[:10]}
                      for g in timeline["regulation"]]
        status = STATUS_LABELS.get(r.status, r.status)
        if r.status == "failed" and r.failure_code:
            status = f"{status}（{r.failure_code}）"
        position = f"{STAGE_TITLES[r.stage]} · {registry.step_title(r.stage, r.step)} · {status}"
        out.append(Dossier(r, user, profiles.get(user.id), branches.get(user.party_branch_id, ""), position, regulation,
                           items, missing))
    return out
