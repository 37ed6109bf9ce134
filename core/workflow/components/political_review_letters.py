"""下发函调信 of a political review: the committee fills the recipient of the answers (the
branch's contact: name, phone, address; one set for all, or per branch) and the signing
date; 生成函调信 writes one letter per relative (``political_review_pdf.py``) and stores them
twice — one merged PDF for printing (导出函调信) and one PDF per person (the zip export and
the person's document). Generating again, before 流转支部, replaces the letters."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

import anyio
from sqlalchemy import bindparam, select

from core import clock
from core.errors import fail
from core.files import file_path, store_bytes
from core.models import StoredFile, User, utcnow
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
    unknown = [bid for bid in branches if bid not in present]
    if unknown:
        raise fail(422, "所填党支部在本次政审名单中没有人员", field="branches", label="各党支部收件信息")
    names = await c.names(session, present)
    for bid, r in branches.items():
        r.check(f"{names.get(bid, '党支部')}的")
    committee = f"中共{engine.settings.college_name}委员会"
    per_person: list[tuple[BatchEntry, User, list[Letter]]] = []
    for e, u in kept:
        to = branches.get(e.branch_id, default)
        letters = [Letter(candidate=u.name, student_no=u.student_no or "", branch=names.get(e.branch_id, ""),
                          relative=r["name"], relation=r["relation"], work_unit=r["work_unit"],
                          political_status=r["political_status"], phone=r["phone"], recipient=to.recipient,
                          recipient_phone=to.phone, address=to.address, signature_date=signature_date, committee=committee)
                   for r in (e.data or {}).get("relatives", [])]
        per_person.append((e, u, letters))
    font = engine.settings.font_path
    everyone = [letter for _, _, letters in per_person for letter in letters]

    def render() -> tuple[bytes, list[bytes]]:
        return inquiry_letters(font, everyone), [inquiry_letters(font, letters) for _, _, letters in per_person]

    merged, singles = await anyio.to_thread.run_sync(render)
    kept_merged = await store_bytes(session, engine.settings, merged, name=f"函调信（{len(everyone)}封）.pdf",
                                    owner_id=actor.id, purpose=c.letter_kind, allowed=["pdf"])
    rows = []
    for (e, u, _), pdf in zip(per_person, singles):
        name = f"{clean_name(u.name)}{clean_name(u.student_no or '')}函调信.pdf"
        f = await store_bytes(session, engine.settings, pdf, name=name, owner_id=actor.id, subject_user_id=u.id,
                              purpose=c.letter_kind, allowed=["pdf"])
        letters = {"token": f.token, "name": name, "url": f"/api/files/{f.token}", "type": "pdf"}
        rows.append({"eid": e.id, "new_data": {**(e.data or {}), "letters": letters}})
    table = BatchEntry.__table__
    await session.execute(table.update().where(table.c.id == bindparam("eid"))
                          .values(data=bindparam("new_data", type_=table.c.data.type)), rows)
    b.document_token, b.signature_date, b.updated_at = kept_merged.token, signature_date, utcnow()
    b.data = {**b.data, "letters_at": clock.iso(utcnow()), "recipient": default.__dict__,
              "branches": {str(k): v.__dict__ for k, v in branches.items()}, "letter_count": len(everyone)}
    await session.flush()
    return len(everyone)


async def zip_of_letters(c: PoliticalReview, session, settings, b: Batch) -> bytes:
    """导出函调信 as a zip of one PDF per person (姓名+学号函调信.pdf), read from the stored files."""
    kept = await c.entries(session, b)
    tokens = [(e.data or {}).get("letters", {}).get("token") for e, _ in kept]
    if not b.document_token or not all(tokens):
        raise fail(404, "尚未生成函调信")
    files = {f.token: f for f in (await session.execute(select(StoredFile).where(StoredFile.token.in_(tokens)))).scalars()}

    def build() -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            for t in tokens:
                z.writestr(files[t].original_name, file_path(settings, files[t]).read_bytes())
        return buf.getvalue()

    return await anyio.to_thread.run_sync(build)

