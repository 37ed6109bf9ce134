"""A third-party step from docs/stages.md: 额外面谈 after the application letter is approved."""
from datetime import date

from fastapi import APIRouter
from sqlmodel import Field, SQLModel

from core.sdk import (EngineDep, Envelope, MovedOut, Permission, RecordIds, Requires, SessionDep, Step, StepInsert, at_step,
                      count_of, hookimpl, model_page, moved_out, ok, todo)

MANIFEST = {"name": "interview", "version": "1.0", "depends": ["dev_applicant"], "title": "额外面谈"}


class InterviewNote(SQLModel, table=True):
    __tablename__ = "interview_note"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="xf_user.id", title="申请人")
    held_on: date = Field(title="面谈日期")
    note: str = Field(default="", max_length=500, title="面谈记录")


notes = model_page(InterviewNote, title="面谈记录", permission="interview.manage", owner=InterviewNote.user_id, mine=True)
router = APIRouter(prefix="/api/pc/v1/interview")


@router.post("/done", response_model=Envelope[MovedOut], summary="面谈通过")
async def done(body: RecordIds, session: SessionDep, engine: EngineDep, actor: Requires("interview.manage")):
    res = await engine.resolve(session, actor, "applicant", "interview", {i: "advance" for i in body.record_ids})
    await session.commit()
    return ok(moved_out(res), "面谈通过")


@hookimpl
def xf_models():
    return [InterviewNote]


@hookimpl
def xf_migrations():
    return [__path__[0] + "/migrations"]  # this package's folder


@hookimpl
def xf_permissions():
    return [Permission("interview.manage", "额外面谈", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_extra_steps():
    return [StepInsert("applicant", after="application", step=Step("interview", "额外面谈", permission="interview.manage"))]


@hookimpl
def xf_api_routers():
    return [router, *notes.routers]


@hookimpl
def xf_development_pages():
    return [notes.page]


@hookimpl
async def xf_todo_items(session, actor):
    waiting = actor.can("interview.manage") and await count_of(session, at_step(actor, "applicant", "interview"))
    return [todo("interview", "额外面谈", f"有 {waiting} 人等待面谈", link="/admin/#" + notes.url)] if waiting else []
