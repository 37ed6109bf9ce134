"""Documents per record (engine v2): every paper of the process — uploaded letter, scan,
generated form, talk record, ballot, publicity extract — recorded against the person's
record with its kind, date and source. The completeness check and the dossier read them
from here instead of asking each component."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import utcnow
from core.workflow.models import DevelopmentRecord, Document


@dataclass
class Paper:
    """One document for one record, as a component hands it over."""

    record: DevelopmentRecord
    kind: str  # application_letter | talk_record | publicity | publicity_report | ...
    title: str
    files: list[dict] = field(default_factory=list)  # [{"token", "name", "url", "type"}]
    signed_date: date | None = None
    source_type: str = ""
    source_id: int | None = None


async def record_documents(session: AsyncSession, papers: list[Paper], *, created_by: int | None) -> None:
    """Store many documents in one statement."""
    if not papers:
        return
    now = utcnow()
    await session.execute(insert(Document), [
        {"record_id": p.record.id, "user_id": p.record.user_id, "stage": p.record.stage, "step": p.record.step,
         "kind": p.kind, "title": p.title[:200], "files": p.files, "signed_date": p.signed_date,
         "source_type": p.source_type, "source_id": p.source_id, "created_by": created_by, "created_at": now}
        for p in papers])


async def documents_of(session: AsyncSession, record_ids: list[int], kinds: list[str] | None = None) -> dict[int, list[Document]]:
    """Documents per record, oldest first (one statement)."""
    if not record_ids:
        return {}
    q = select(Document).where(Document.record_id.in_(record_ids))
    if kinds:
        q = q.where(Document.kind.in_(kinds))
    out: dict[int, list[Document]] = {}
    for d in (await session.execute(q.order_by(Document.record_id, Document.id))).scalars():
        out.setdefault(d.record_id, []).append(d)
    return out


async def attach_files(session: AsyncSession, tokens: list[str], subject_user_id: int) -> None:
    """Make uploaded files belong to the person they are about, so that person (and whoever
    reaches them) can open them — e.g. a letter the branch uploaded as proxy."""
    from core.models import StoredFile

    if tokens:
        await session.execute(update(StoredFile).where(StoredFile.token.in_(tokens))
                              .values(subject_user_id=subject_user_id).execution_options(synchronize_session=False))
