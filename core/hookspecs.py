"""Every hook of the platform, one flat file (the datasette way), grouped by lifecycle phase.

All hooks carry the ``xf_`` prefix. Async hooks return coroutines that the core awaits in
plugin dependency order (a plugin's implementation runs after those of its dependencies).
Each hook has a section in docs/hooks.md and a ``test_hook_<name>`` test.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import pluggy

if TYPE_CHECKING:  # names for the annotations only: importing them here would be circular
    from pathlib import Path

    from arq.cron import CronJob
    from arq.worker import Function
    from fastapi import APIRouter
    from fastapi_amis_admin.admin import AdminApp

    from sqlalchemy.ext.asyncio import AsyncSession

    from core.admin_site import XfPage
    from core.auth import Actor
    from core.dashboard_api import Panel
    from core.demo import DemoContext
    from core.mobile.screens import MobileScreen
    from core.outbox import Channel
    from core.permissions import Permission
    from core.settings import Settings
    from core.workflow.kit import TodoItem
    from core.workflow.stages import Stage, StepInsert
    from core.workflow.transitions import GuardResult, Transition

hookspec = pluggy.HookspecMarker("xianfeng")
hookimpl = pluggy.HookimplMarker("xianfeng")


# --- plugin manager -------------------------------------------------------------------

@hookspec(historic=True)
def xf_addhooks(pm: pluggy.PluginManager) -> None:
    """Add a plugin's own hook specifications (``pm.add_hookspecs(module)``) so other plugins
    can implement them. Historic: called for every plugin as it registers."""


# --- registration (app start) -----------------------------------------------------------

@hookspec
def xf_models() -> list[type]:
    """Return the SQLModel table classes the plugin owns, so they are created with the schema."""


@hookspec
def xf_migrations() -> list[Path]:
    """Return the plugin's Alembic version directories (``pathlib.Path``). Its revisions form
    a branch labelled with the plugin's name; every table returned by ``xf_models`` must be
    created by one of them. See docs/migrations.md."""


@hookspec
def xf_permissions() -> list[Permission]:
    """Return ``core.permissions.Permission`` entries: keys in the PC tree or the MP tree,
    with their Chinese titles, parent key and the built-in roles that get them by default."""


@hookspec
def xf_admin_apps() -> list[type[AdminApp]]:
    """Return ``fastapi_amis_admin`` AdminApp classes; each is one menu group of the admin UI.
    Pages inside set ``permission`` to the PC permission key that opens them."""


@hookspec
def xf_api_routers() -> list[APIRouter]:
    """Return FastAPI ``APIRouter`` objects. Mini-program routes live under ``/api/mp/v1``,
    admin-UI JSON routes under ``/api/pc/v1``."""


# --- data -------------------------------------------------------------------------------

@hookspec
async def xf_seed(session: AsyncSession, settings: Settings) -> None:
    """Insert the plugin's required rows if missing (idempotent); runs at ``xianfeng init``
    and at app start. The session is committed by the core afterwards."""


@hookspec
async def xf_demo(session: AsyncSession, settings: Settings, demo: DemoContext) -> None:
    """Add demo data for ``xianfeng demo``. ``demo`` (``core.demo.DemoContext``) carries the
    options (students, password) and collects the accounts to print."""


# --- people -----------------------------------------------------------------------------

@hookspec
async def xf_user_placed(session: AsyncSession, user_ids: list[int]) -> None:
    """Users were created or had their organisation/institution changed; recompute what
    depends on it (org_mgmt sets ``party_branch_id`` from the ORG-3 associations)."""


@hookspec
async def xf_institution_in_use(session: AsyncSession, institution_id: int) -> str | None:
    """Return a Chinese reason why the institution cannot be disabled (e.g. an organisation
    links it), or None. Any reason refuses (UM-6)."""


@hookspec
async def xf_check_placement(session: AsyncSession, org_id: int | None, institution_id: int | None) -> str | None:
    """Return a Chinese reason why a user cannot belong to this organisation and institution
    (the institution must be one the organisation allows, UM-1), or None."""


# --- jobs and messaging ---------------------------------------------------------------------

@hookspec
def xf_jobs() -> list[Callable | Function]:
    """Return arq job functions (``async def job(ctx, ...)`` or ``arq.func(...)``) for the
    worker. A timer (``core.timers.schedule``) names one of them: ``job(ctx, object_ref, payload)``."""


@hookspec
def xf_cron_jobs() -> list[CronJob]:
    """Return ``arq.cron(...)`` jobs the worker runs on a schedule."""


@hookspec
def xf_channels() -> list[Channel]:
    """Return delivery channels: objects with ``name`` and ``async deliver(message, session)``
    (raise on failure; optional ``async deliver_many(messages, session)``). See docs/messaging.md."""


@hookspec
async def xf_todo_items(session: AsyncSession, actor: Actor, limit: int) -> list[TodoItem]:
    """Return the to-do items (待办事项) waiting for ``actor``: ``core.sdk.TodoItem`` typed dicts
    with ``kind`` (an English code), ``kind_label`` (its Chinese name), ``title``, ``due_at``
    (naive-UTC datetime, a date meaning the end of that local day, or None), ``object_type``,
    ``object_id`` and ``link``. Components of stage steps bring their own. The list needs only
    the ``limit`` soonest due of each plugin: return at most that many, soonest due first, as
    ``core.todos.TodoItems`` with ``total`` (flat cost); a plain list of all of them works too."""


@hookspec
def xf_admin_header() -> list[dict]:
    """Return amis items for the admin top bar (left of the user menu), e.g. the message bell."""


@hookspec
async def xf_dashboard_panels(session: AsyncSession, actor: Actor) -> list[Panel]:
    """Return blocks for the 工作台 (``core.dashboard_api.Panel``: a title, label/value/link
    items), read for ``actor`` within its scope, e.g. evaluation's 本年度考评."""


# --- development workflow (core/workflow) ----------------------------------------------------

@hookspec
def xf_stages() -> list[Stage]:
    """Return ``core.workflow.stages.Stage`` objects: the ordered steps of a development stage
    (one of applicant, activist, candidate, reception, conversion). One plugin per stage."""


@hookspec
def xf_extra_steps() -> list[StepInsert]:
    """Return ``core.workflow.stages.StepInsert`` objects: a step inserted into another
    plugin's stage after a named step (third parties extend a stage without editing it)."""


@hookspec
async def xf_guard(session: AsyncSession, transition: Transition) -> list[GuardResult]:
    """Inspect a ``core.workflow.transitions.Transition`` (one group of records making the same
    move) before anything is written and return
    ``GuardResult`` items: ``level="refuse"`` stops the whole batch (409 with the reasons),
    ``level="warn"`` lets it pass and records the warning on the record and its timeline."""


@hookspec
async def xf_step_entered(session: AsyncSession, transition: Transition) -> None:
    """Records entered ``transition.to_stage``/``to_step`` (after start, advance or re-develop),
    in the same transaction: notify people, schedule timers, fill to-do lists."""


@hookspec
async def xf_step_completed(session: AsyncSession, transition: Transition) -> None:
    """Records completed ``transition.step`` of ``transition.stage`` (same transaction)."""


@hookspec
async def xf_step_failed(session: AsyncSession, transition: Transition) -> None:
    """Records failed at ``transition.step`` with ``transition.failure_code`` (same transaction)."""


@hookspec
async def xf_reflowed(session: AsyncSession, transition: Transition) -> None:
    """Records went back to an earlier step of their stage (``transition.to_step``): a reflow
    outcome (延迟预备期 moves ``probation_end``, in ``transition.milestones``) or the branch's
    重新流转表决 of a non-final failure. Same transaction as the move."""


@hookspec
async def xf_record_finished(session: AsyncSession, transition: Transition) -> None:
    """Records finished the whole process: status done, political status 中共党员, milestone
    ``full_member_at``. Nothing can move them afterwards. Same transaction as the move."""


@hookspec
async def xf_redeveloped(session: AsyncSession, transition: Transition) -> None:
    """Failed records were sent back to the first step of their stage (重新发展)."""


@hookspec
def xf_development_pages() -> list[type[XfPage]]:
    """Return ``XfPage`` classes for the shared 党员发展 menu group (every stage's lists and
    tools sit together there, in dependency order)."""


# --- mobile web app (core/mobile) ---------------------------------------------------------------

@hookspec
def xf_mobile_screens() -> list[MobileScreen]:
    """Return ``core.mobile.screens.MobileScreen`` objects: screens of the students' mobile web
    app at ``/m/`` (a hash route, the ES module that draws it, the MP permission that opens it,
    an optional home-screen tile). See docs/mobile.md."""
