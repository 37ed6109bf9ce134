"""What every step component can bring, so a stage plugin declares it and rewrites nothing.

A component object is configured once per use and put on a ``Step``; the stage registry
binds it (``bind``) to its stage and step, and the kit (``core/workflow/kit.py``) mounts
what it declares: PC routes under the stage's prefix, MP routes, admin pages in the 党员发展
menu, columns, row and batch actions of the stage's generated list page, a panel in the
detail dialog, the person's own summary on the MP and to-do items. Every method is
optional; the defaults declare nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from fastapi import APIRouter
from pydantic import BaseModel

from core.todos import TodoItems

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from core.admin_site import XfPage
    from core.auth import Actor
    from core.mobile.screens import MobileScreen
    from core.workflow.kit import TodoItem
    from core.workflow.models import DevelopmentRecord
    from core.workflow.stages import Stage, Step


@dataclass
class ListColumn:
    """A column a component adds to its stage's list: the field name in each row, its
    Chinese label, its type (for the typed row model) and amis column options."""

    name: str
    label: str
    type: Any = str | None
    amis: dict = field(default_factory=dict)
    show: bool = True  # False: in the row data (for buttons' visibleOn) but not a visible column


class Component:
    """Mixin of every step component (dataclasses with at least ``stage``, ``step``, ``key``)."""

    stage: str
    step: str
    key: str
    # Model of ``detail()`` (one block of the stage's detail route) and ``mp_summary()``.
    detail_model: ClassVar[type[BaseModel] | None] = None
    summary_model: ClassVar[type[BaseModel] | None] = None
    # What a person of scope "self" (a student) can find among the class's to-dos, so the
    # to-do list skips the uses that cannot have any without asking them (issue 11):
    # "any" (ask), "own_step" (only while their own record stands at the use's step),
    # "none" (the class's to-dos are all for administrators).
    self_todos: ClassVar[str] = "any"

    def bind(self, stage: Stage, step: Step) -> None:
        """Called by the stage registry: the component learns where it runs."""
        if (self.stage and self.stage != stage.key) or (self.step and self.step != step.key):
            raise ValueError(f"{type(self).__name__} {self.key!r} is configured for {self.stage}.{self.step}, "
                             f"declared on {stage.key}.{step.key}")
        self.stage, self.step = stage.key, step.key
        self.stage_def, self.step_def = stage, step
        if hasattr(self, "people_label") and not self.people_label:
            self.people_label = stage.people_label

    # --- where it runs ----------------------------------------------------------------

    @property
    def bound(self) -> bool:
        return getattr(self, "stage_def", None) is not None

    @property
    def people_title(self) -> str:
        """What the stage calls its people (入党申请人, 发展对象...)."""
        from core.workflow.stages import STAGE_PEOPLE

        return STAGE_PEOPLE.get(self.stage, "人员")

    @property
    def page_url(self) -> str:
        """The stage's generated list page: where messages to the branch link."""
        return self.stage_def.page_url if self.bound else "/admin/"

    @property
    def permission(self) -> str:
        """The PC permission that acts on this step (the step's move permission)."""
        configured = getattr(self, "permission_key", "")
        return configured or (self.step_def.permission if self.bound else "") or self.view_permission

    @property
    def view_permission(self) -> str:
        return (self.stage_def.view_permission if self.bound else "") or "dev"

    # --- what it mounts (all optional) --------------------------------------------------

    def pc_routes(self, router: APIRouter) -> None:
        """Add PC routes to the stage's router (prefix ``/api/pc/v1/development/<slug>``)."""

    def mp_routes(self, router: APIRouter) -> None:
        """Add MP routes (prefix ``/api/mp/v1/development``)."""

    @classmethod
    def shared_mp_routes(cls, router: APIRouter, instances: list[Component]) -> None:
        """MP routes shared by every instance of the class (e.g. one talker's list for all talks)."""

    @classmethod
    def shared_pc_routers(cls, instances: list[Component]) -> list[APIRouter]:
        """PC routers shared by every instance of the class, outside any stage's prefix (the
        training classes of every stage's cultivation are managed on one page)."""
        return []

    @classmethod
    def shared_pc_routes(cls, router: APIRouter, instances: list[Component]) -> None:
        """PC routes shared by every instance of the class, under ``/api/pc/v1/development``
        (e.g. the organisation life of a branch, whichever steps its votes serve)."""

    @classmethod
    async def shared_todo_items(cls, session: AsyncSession, actor: Actor, instances: list[Component]) -> list[TodoItem]:
        """To-do items about objects shared by every instance (asked once per class)."""
        return []

    @classmethod
    def shared_mobile_screens(cls, instances: list[Component]) -> list[MobileScreen]:
        """Screens of the mobile web app (``/m/``) the class brings, once whatever its uses."""
        return []

    def mobile_screens(self) -> list[MobileScreen]:
        """Screens of the mobile web app this use brings (its own MP routes' screens)."""
        return []

    def pages(self) -> list[type[XfPage]]:
        return []

    @classmethod
    def shared_pages(cls, instances: list[Component]) -> list[type[XfPage]]:
        """Admin pages shared by every instance of the class (one 培训管理 for all stages)."""
        return []

    def columns(self) -> list[ListColumn]:
        return []

    async def column_values(self, session: AsyncSession, records: list[DevelopmentRecord]) -> dict[int, dict]:
        return {}

    def row_actions(self) -> list[dict]:
        return []

    def bulk_actions(self) -> list[dict]:
        return []

    def header_actions(self) -> list[dict]:
        return []

    def detail_panels(self) -> list[dict]:
        """amis blocks of the detail dialog; they read ``${<key>.*}`` of the detail route."""
        return []

    async def detail(self, session: AsyncSession, record: DevelopmentRecord) -> BaseModel | None:
        return None

    async def mp_summary(self, session: AsyncSession, record: DevelopmentRecord) -> BaseModel | None:
        """The person's own view of this component (shown on the MP status of the stage)."""
        return None

    async def todo_items(self, session: AsyncSession, actor: Actor) -> list[TodoItem]:
        return []

    async def todo_page(self, session: AsyncSession, actor: Actor, limit: int | None) -> TodoItems:
        """The to-dos the list needs: the ``limit`` soonest due and how many there are in all
        (core/todos.py). By default every item of ``todo_items``; a component whose items grow
        with the college (TalkComponent) overrides this to read only those from the database."""
        return TodoItems(await self.todo_items(session, actor))

    @classmethod
    async def todo_pages(cls, session: AsyncSession, actor: Actor, instances: list[Component],
                         limit: int | None) -> list[TodoItems]:
        """``todo_page`` of each of the class's ``instances``, in order. A class whose uses can be
        read together (TalkComponent: every talk kind in one statement) overrides this, so the
        list's statements do not grow with the number of stages (issue 11)."""
        return [await c.todo_page(session, actor, limit) for c in instances]
