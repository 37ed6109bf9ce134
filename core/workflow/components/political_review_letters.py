"""下发函调信 of a political review: the committee fills the recipient of the answers (the
branch's contact: name, phone, address; one set for all, or per branch) and the signing
date; 生成函调信 writes one letter per relative (``political_review_pdf.py``) into one stored
PDF for printing (导出函调信). A person's letters are the same data drawn again: the zip export
(one PDF per person), the branch's view of one person, and the copy kept as the person's
document when the review is completed. Generating again, before 流转支部, replaces them."""
from __future__ import annotations

import io
import zipfile
from dataclasses import asdict, dataclass
from datetime import date

import anyio

from core import clock
from core.errors import fail
from core.files import store_bytes
from core.models import User, utcnow
from core.workflow.components.political_review import PHONE, PoliticalReview
from core.workflow.components.political_review_pdf import Letter, inquiry_letters
from core.workflow.components.symposium import clean_name
from core.workflow.models import Batch, BatchEntry


@dataclass
class Recipient:
    recipient: str
    phone: str
    address: str

    def check(self, where: str = "") -> "Recipient":
        self.recipient, self.phone, self.address = (self.recipient or "").strip(), (self.phone or "").strip(), \
            (self.address or "").strip()
        for name, label, value, limit in (("recipient", "收件人", self.recipient, 32), ("phone", "收件人电话", self.phone, 20),
                                          ("address", "收件地址", self.address, 200)):
            if not value:
                raise fail(422, f"请填写{where}{label}", field=name, label=label)
            if len(value) > limit:
                raise fail(422, f"{where}{label}不能超过{limit}个字", field=name, label=label)
        if not PHONE.match(self.phone):
            raise fail(422, f"{where}收件人电话应为11位手机号或带区号的固定电话", field="phone", label="收件人电话")
        return self


def file_name(user: User) -> str:
    return f"{clean_name(user.name)}{clean_name(user.student_no or '')}函调信.pdf"


def generated(b: Batch) -> dict:
    """The recipients and date the letters were generated with (404 before 生成函调信)."""
    letter = (b.data or {}).get("letter")
    if not b.document_token or not letter:
        raise fail(404, "尚未生成函调信")
    return letter


async def letters_of(c: PoliticalReview, session, settings, letter: dict,
                     entries: list[tuple[BatchEntry, User]]) -> list[tuple[BatchEntry, User, list[Letter]]]:
    """Each person's letters (one per relative) from what they filled and the recipients chosen."""
    names = await c.names(session, [e.branch_id for e, _ in entries])
    default, per_branch = letter["recipient"], letter.get("branches", {})
    signed, committee = date.fromisoformat(letter["signature_date"]), f"中共{settings.college_name}委员会"
    out = []
    for e, u in entries:
        to = per_branch.get(str(e.branch_id), default)
        out.append((e, u, [Letter(candidate=u.name, student_no=u.student_no or "", branch=names.get(e.branch_id, ""),
                                  relative=r["name"], relation=r["relation"], work_unit=r["work_unit"],
                                  political_status=r["political_status"], phone=r["phone"], recipient=to["recipient"],
                                  recipient_phone=to["phone"], address=to["address"], signature_date=signed,
                                  committee=committee) for r in (e.data or {}).get("relatives", [])]))
    return out


async def generate(c: PoliticalReview, session, engine, actor, b: Batch, *, signature_date: date | None,
                   default: Recipient, branches: dict[int, Recipient]) -> int:
    """生成函调信 for everyone on the list; answers the number of letters."""
    c.committee_only(actor)
    c.expect(b, "letters")
    if signature_date is None:
        raise fail(422, "请选择落款时间", field="signature_date", label="落款时间")
    default.check()
    kept = await c.entries(session, b)
    present = {e.branch_id for e, _ in kept}
    if any(bid not in present for bid in branches):
        raise fail(422, "所填党支部在本次政审名单中没有人员", field="branches", label="各党支部收件信息")
    names = await c.names(session, present)
    for bid, r in branches.items():
        r.check(f"{names.get(bid, '党支部')}的")
    letter = {"signature_date": signature_date.isoformat(), "recipient": asdict(default),
              "branches": {str(k): asdict(v) for k, v in branches.items()}}
    everyone = [x for _, _, letters in await letters_of(c, session, engine.settings, letter, kept) for x in letters]
    pdf = await anyio.to_thread.run_sync(inquiry_letters, engine.settings.font_path, everyone)
    merged = await store_bytes(session, engine.settings, pdf, name=f"函调信（{len(everyone)}封）.pdf", owner_id=actor.id,
                               purpose=c.letter_kind, allowed=["pdf"])
    b.document_token, b.signature_date, b.updated_at = merged.token, signature_date, utcnow()
    b.data = {**b.data, "letter": letter, "letters_at": clock.iso(utcnow()), "letter_count": len(everyone)}
    await session.flush()
    return len(everyone)


async def person_pdfs(c: PoliticalReview, session, settings, b: Batch,
                      entries: list[tuple[BatchEntry, User]]) -> list[tuple[BatchEntry, User, bytes]]:
    """One PDF per person with their letters (drawn off the event loop)."""
    people = await letters_of(c, session, settings, generated(b), entries)

    def render() -> list[bytes]:
        return [inquiry_letters(settings.font_path, letters) for _, _, letters in people]

    return [(e, u, pdf) for (e, u, _), pdf in zip(people, await anyio.to_thread.run_sync(render))]


async def zip_of_letters(c: PoliticalReview, session, settings, b: Batch, entries) -> bytes:
    """导出函调信 as a zip of one PDF per person (姓名+学号函调信.pdf)."""
    files = await person_pdfs(c, session, settings, b, entries)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for _, u, pdf in files:
            z.writestr(file_name(u), pdf)
    return buf.getvalue()


async def keep_as_documents(c: PoliticalReview, session, engine, actor, b: Batch, entries) -> dict[int, dict]:
    """At completion: each person's letters stored as a file of theirs; {record id: file}."""
    kept = {}
    for e, u, pdf in await person_pdfs(c, session, engine.settings, b, entries):
        f = await store_bytes(session, engine.settings, pdf, name=file_name(u), owner_id=actor.id, subject_user_id=u.id,
                              purpose=c.letter_kind, allowed=["pdf"])
        kept[e.record_id] = {"token": f.token, "name": f.original_name, "url": f"/api/files/{f.token}", "type": "pdf"}
    return kept
