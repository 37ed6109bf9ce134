"""The kit: mounts what the configured components of every declared stage bring.

From the stage registry it collects, per stage, a PC router (the generated list and detail
routes plus each component's routes under ``/api/pc/v1/development/<slug>``), one MP router
for all components (``/api/mp/v1/development``), the pages of the 党员发展 menu (the
stage's generated list page, then the components' own pages) and the to-do items. A
stage plugin returns a ``Stage`` and gets the rest.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional, TypedDict

from fastapi import APIRouter

from core.hookspecs import hookimpl
from core.todos import TodoItems, soonest
from core.workflow import own_record, stage_list
from core.workflow.components.base import Component
from core.workflow.stages import StageRegistry


class TodoItem(TypedDict):
    """A to-do item (待办事项) of ``xf_todo_items``."""

    kind: str  # what to do, an English code (schedule_talk, submit, review...)
    kind_label: str  # its Chinese name (安排谈话, 提交入党申请书...)
    title: str
    due_at: Optional[datetime]
    object_type: str
    object_id: Optional[int]
    link: str


def todo(kind: str, label: str, title: str, *, link: str, object_type: str = "dev_record", object_id: int | None = None,
         due_at: datetime | None = None) -> TodoItem:
    """A to-do item: ``kind`` an English code, ``label`` its Chinese name."""
    return TodoItem(kind=kind, kind_label=label, title=title, due_at=due_at, object_type=object_type,
                    object_id=object_id, link=link)


class Kit:
    def __init__(self, registry: StageRegistry):
        self.registry = registry

    def stages(self):
        """Stages that have steps (a stage without its plugin mounts nothing)."""
        return [s for s in self.registry.stages.values() if s.steps]

    def components(self) -> list:
        return [c for _, _, c in self.registry.components()]

    def routers(self) -> list[APIRouter]:
        routers = []
        for stage in self.stages():
            pc = APIRouter(prefix=stage.api_prefix, tags=[f"管理端-{stage.people_label}"])
            for component in stage_list.components_of(stage):
                component.pc_routes(pc)
            stage_list.add_routes(pc, stage)
            routers.append(pc)
        mp = APIRouter(prefix="/api/mp/v1/development", tags=["小程序-入党管理"])
        by_class: dict[type, list] = {}
        for component in self.components():
            component.mp_routes(mp)
            by_class.setdefault(type(component), []).append(component)
        shared = APIRouter(prefix="/api/pc/v1/development", tags=["管理端-党员发展"])
        routers_shared = []
        for cls, instances in by_class.items():
            cls.shared_mp_routes(mp, instances)
            cls.shared_pc_routes(shared, instances)
            routers_shared += cls.shared_pc_routers(instances)
        return routers + routers_shared + [mp] + ([shared] if shared.routes else [])

    def by_class(self) -> dict[type, list]:
        """The configured components grouped by class, in process order."""
        found: dict[type, list] = {}
        for component in self.components():
            found.setdefault(type(component), []).append(component)
        return found

    def pages(self) -> list[type]:
        pages = []
        for stage in self.stages():
            pages.append(stage_list.page_class(stage))
            for component in stage_list.components_of(stage):
                pages += component.pages()
        for cls, instances in self.by_class().items():
            pages += cls.shared_pages(instances)
        return pages

    async def todo_items(self, session, actor, limit: int | None = None) -> TodoItems:
        """Every component's to-dos for ``actor``: the ``limit`` soonest due (all without one)
        and how many there are (core/todos.py). Each class reads its uses together, the
        person's own record is read once for all of them (core/workflow/own_record.py), and
        uses that cannot have any for this person are not asked (``Component.self_todos``,
        a class without to-dos); the items are merged in process order, so equal due times
        keep that order."""
        items: list[TodoItem] = []
        total, sources = 0, 0
        components, by_class, shared_by = self._todo_uses()
        async with own_record.reading(session):
            own = await own_record.own_place(session, actor.id) if actor.scope == "self" else None
            pages = {}
            for cls, instances in by_class.items():
                if actor.scope == "self":
                    if cls.self_todos == "none":
                        continue
                    if cls.self_todos == "own_step":
                        instances = [c for c in instances if own is not None and (own.stage, own.step) == (c.stage, c.step)]
                    if not instances:
                        continue
                for component, got in zip(instances, await cls.todo_pages(session, actor, instances, limit)):
                    pages[id(component)] = got
            for component in components:
                got = pages.get(id(component))
                if got is not None:
                    total += got.total
                    items += got
                    # a page-aware use's items are soonest first; todo_items' plain list is not known to be
                    sources += (1 if type(component).todo_page is not Component.todo_page else 2) * bool(got)
            for cls, instances in shared_by:
                shared = await cls.shared_todo_items(session, actor, instances)
                total += len(shared)
                items += shared
                sources += 2 * bool(shared)  # a plain list: not known to be in order
        if sources == 1:  # one page-aware use's page, soonest first already
            return TodoItems(items[:limit], total)
        return TodoItems([item for _, item in soonest(items, limit)], total)

    def _todo_uses(self) -> tuple[list, dict[type, list], list[tuple[type, list]]]:
        """The components that bring to-dos, in process order and by class, and the classes
        with shared to-dos (the registry does not change once the app is built: computed once)."""
        built = self.__dict__.get("_todo_uses_built")
        if built is None:
            def brings(cls) -> bool:
                return (cls.todo_items is not Component.todo_items or cls.todo_page is not Component.todo_page
                        or cls.todo_pages.__func__ is not Component.todo_pages.__func__)

            by_class = {cls: instances for cls, instances in self.by_class().items() if brings(cls)}
            components = [c for c in self.components() if type(c) in by_class]
            shared_by = [(cls, instances) for cls, instances in self.by_class().items()
                         if cls.shared_todo_items.__func__ is not Component.shared_todo_items.__func__]
            built = self.__dict__["_todo_uses_built"] = (components, by_class, shared_by)
        return built

    def mobile_screens(self) -> list:
        screens = [s for component in self.components() for s in component.mobile_screens()]
        for cls, instances in self.by_class().items():
            screens += cls.shared_mobile_screens(instances)
        return screens


class KitHooks:
    """The kit's own hook implementations, registered per app (each app has its registry)."""

    def __init__(self, kit: Kit):
        self.kit = kit

    @hookimpl
    async def xf_todo_items(self, session, actor, limit):
        return await self.kit.todo_items(session, actor, limit)

    @hookimpl
    def xf_mobile_screens(self):
        return self.kit.mobile_screens()
