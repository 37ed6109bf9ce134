"""What the publicity component's tests (DEV-7, tests/test_component_publicity*.py) share: the
app with the throwaway stage (tests/plugins/throwaway_stage.py) standing in for the conversion
stage, its people, publicities driven through the API, and the PDF checks."""
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from io import BytesIO

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select, update

from core.app import create_app
from core.models import User, utcnow
from core.plugins import discover
from core.settings import PluginSettings
from core.workflow.models import Batch, DevelopmentRecord
from tests.conftest import DEMO_PASSWORD, login, make_settings
from tests.plugins.throwaway_stage import PREFIX

CONVERSION, STEP = "conversion", "publicity"


def conversion_owners(tmp) -> list[str]:
    """Installed plugins declaring the stage the throwaway one borrows, with their dependents."""
    found = {p.name: p for p in discover(make_settings(tmp))}
    off = {n for n, p in found.items()
           if any(s.key == CONVERSION for s in (getattr(p.module, "xf_stages", lambda: [])() or []))}
    while off:
        more = {n for n, p in found.items() if set(p.depends) & off} - off
        if not more:
            break
        off |= more
    return sorted(off)


@contextmanager
def publicity_app(tmp):
    # Its own SQLite file: the throwaway stage is not part of the main app's plugin set.
    settings = make_settings(tmp, database_url=f"sqlite+aiosqlite:///{tmp / 'pub.db'}",
                             plugins=PluginSettings(extra=["tests.plugins.throwaway_stage"],
                                                    disabled=conversion_owners(tmp)))
    app = create_app(settings)
    with TestClient(app) as c:
        from core.demo import DemoContext, run_demo

        async def demo():
            async with app.state.db.sessionmaker() as s:
                await run_demo(s, settings, app.state.plugins, DemoContext(students=80, password=DEMO_PASSWORD))

        c.portal.call(demo)
        yield Env(c, app)


class Env:
    def __init__(self, client, app):
        self.c, self.app = client, app
        self.committee = login(client, "dangwei")
        self.a = login(client, "zhibu04")
        self.b = login(client, "zhibu05")
        self.used: set[int] = set()
        self.made = 0

    def db(self, fn):
        async def run():
            async with self.app.state.db.sessionmaker() as s:
                result = await fn(s)
                await s.commit()
                return result
        return self.c.portal.call(run)

    def students(self, api, n: int, step: str = STEP) -> list[dict]:
        """``n`` demo students of the caller's branch not used by another test, with a record at ``step``."""
        branch = api.user["party_branch_id"]

        async def pick(s):
            users = (await s.execute(select(User).where(User.party_branch_id == branch, User.student_no.is_not(None))
                                     .order_by(User.id))).scalars().all()
            chosen = [u for u in users if u.id not in self.used][:n]
            assert len(chosen) == n, "not enough demo students left in the branch"
            return [(u.id, u.name, u.student_no) for u in chosen]

        people = self.db(pick)
        self.used |= {uid for uid, _, _ in people}
        ids = self.records([uid for uid, _, _ in people], step)
        return [{"user_id": uid, "name": name, "student_no": sno, "record_id": ids[uid]} for uid, name, sno in people]

    def extra_people(self, api, n: int) -> list[dict]:
        """``n`` new people of the caller's branch (inserted directly) with a record at the publicity step."""
        branch = api.user["party_branch_id"]
        start = self.made
        self.made += n

        async def make(s):
            users = [User(username=f"pub{start + i:04d}", name=f"公示人员{start + i:03d}", student_no=f"2099{start + i:05d}",
                          party_branch_id=branch) for i in range(n)]
            s.add_all(users)
            await s.flush()
            return [(u.id, u.name, u.student_no) for u in users]

        people = self.db(make)
        ids = self.records([uid for uid, _, _ in people], STEP)
        return [{"user_id": uid, "name": name, "student_no": sno, "record_id": ids[uid]} for uid, name, sno in people]

    def records(self, user_ids: list[int], step: str) -> dict[int, int]:
        async def add(s):
            rows = [DevelopmentRecord(user_id=u, stage=CONVERSION, step=step) for u in user_ids]
            s.add_all(rows)
            await s.flush()
            return {r.user_id: r.id for r in rows}
        return self.db(add)

    def set_times(self, pid: int, start: datetime, end: datetime) -> None:
        async def move(s):
            await s.execute(update(Batch).where(Batch.id == pid).values(start_at=start, end_at=end))
        self.db(move)

    def steps(self, record_ids: list[int]) -> dict[int, str]:
        async def read(s):
            return dict((await s.execute(select(DevelopmentRecord.id, DevelopmentRecord.step)
                                         .where(DevelopmentRecord.id.in_(record_ids)))).all())
        return self.db(read)


def local_today() -> date:
    return (utcnow() + timedelta(hours=8)).date()


def next_monday() -> date:
    d = local_today() + timedelta(days=1)
    return d + timedelta(days=(7 - d.weekday()) % 7)


def content(people: list[dict], start: date | None = None, **extra) -> dict:
    start = start or next_monday()
    return {"signature_date": start.isoformat(), "start_date": start.isoformat(),
            "people": [{"record_id": p["record_id"], "brief": f"{p['name']}表现良好，积极参加支部活动。"} for p in people],
            **extra}


def new_publicity(api, prefix: str = PREFIX, **body) -> dict:
    r = api.post(prefix, json=body)
    assert r.status_code == 200, r.text
    return r.json()["data"]


def published(env: Env, api, people: list[dict], prefix: str = PREFIX) -> dict:
    p = new_publicity(api, prefix)
    r = api.put(f"{prefix}/{p['id']}/content", json=content(people))
    assert r.status_code == 200, r.text
    r = api.post(f"{prefix}/{p['id']}/generate")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def ended(env: Env, pid: int) -> None:
    now = utcnow()
    env.set_times(pid, now - timedelta(days=8), now - timedelta(minutes=1))


def pdf_text_and_fonts(api, url: str) -> tuple[str, list]:
    r = api.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    reader = PdfReader(BytesIO(r.content))
    text = "".join(page.extract_text() for page in reader.pages)
    fonts = []
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            fonts.append(ref.get_object())
    return text, fonts


def cjk_fonts_embedded(fonts) -> bool:
    """Every font other than the PDF standard 14 (reportlab's unused default Helvetica) is an
    embedded TrueType font, and there is one: the CJK text never relies on the viewer."""
    own = [f for f in fonts if str(f.get("/BaseFont")).lstrip("/") not in STANDARD_14]
    return bool(own) and all(f["/Subtype"] in ("/TrueType", "/Type0") and embedded(f) for f in own)


STANDARD_14 = {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
               "Times-Italic", "Times-BoldItalic", "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
               "Symbol", "ZapfDingbats"}


def embedded(font) -> bool:
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and "/FontFile2" in descriptor.get_object()
