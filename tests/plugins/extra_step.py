"""A throwaway third-party plugin that inserts a step into the applicant stage through hooks
only (xf_extra_steps) and moves records through it with the engine."""
from fastapi import APIRouter, Request

from core.auth import Requires
from core.db import SessionDep
from core.hookspecs import hookimpl
from core.permissions import Permission
from core.workflow.stages import Step, StepInsert

MANIFEST = {"name": "extra_step", "version": "1.0", "depends": ["dev_applicant"], "title": "额外面谈"}

router = APIRouter(prefix="/api/pc/v1/extra-interview")
SEEN: list[tuple[str, str, str]] = []


@router.post("")
async def interview_done(body: dict, request: Request, session: SessionDep, actor: Requires("extra.interview")):
    await request.app.state.engine.advance(session, actor, body["record_ids"], stage="applicant", step="interview",
                                           title="额外面谈通过")
    await session.commit()
    return {"status": 0, "msg": "", "data": {}}


@hookimpl
def xf_extra_steps():
    return [StepInsert("applicant", "application", Step("interview", "额外面谈", "custom", permission="extra.interview"))]


@hookimpl
def xf_permissions():
    return [Permission("extra.interview", "额外面谈", "pc", None, ("committee", "branch_admin"))]


@hookimpl
def xf_api_routers():
    return [router]


@hookimpl
async def xf_step_entered(session, transition):
    SEEN.append(("entered", transition.to_stage, transition.to_step))


@hookimpl
async def xf_step_completed(session, transition):
    SEEN.append(("completed", transition.stage, transition.step))


@hookimpl
async def xf_step_failed(session, transition):
    SEEN.append(("failed", transition.stage, transition.failure_code))


@hookimpl
async def xf_redeveloped(session, transition):
    SEEN.append(("redeveloped", transition.stage, transition.to_step))
