"""To-do items (待办事项, MSG-3) gathered from every plugin's ``xf_todo_items``, soonest due first.

Plugins return dicts (``kind``, ``title``, ``due_at``, ``object_type``, ``object_id``, ``link``,
optionally ``kind_label``); this module merges them, gives each item of the page a Chinese
label and one time format, and pages the list like every other MP list. A plugin that honours
``limit`` (core/todos.py) keeps the list's cost flat however many to-dos there are.
"""
from __future__ import annotations

from pydantic import BaseModel, Field

from core.sdk import LocalDateTime, clock
from core.todos import TodoItems, due_utc, soonest

DEFAULT_TODO_LABEL = "待办"


class TodoOut(BaseModel):
    kind: str = Field(description="事项类型（英文代码，由提供待办的插件定义）")
    kind_label: str = Field(description="事项类型的中文名称")
    title: str = Field(description="待办内容")
    due_at: LocalDateTime | None = Field(description="截止时间；没有期限为 null（排在最后）")
    object_type: str = Field(description="所涉对象的类型（如 talk、dev_record），用于打开相应页面")
    object_id: int | None = Field(description="所涉对象的编号")
    link: str = Field(description="打开相应页面的路径")


def todo_label(item: dict) -> str:
    """The item's own ``kind_label``; a kind already written in Chinese is its own label."""
    label = str(item.get("kind_label") or "")
    if label:
        return label
    kind = str(item.get("kind") or "")
    return kind if kind and not kind.isascii() else DEFAULT_TODO_LABEL


async def collect_todos(plugins, session, actor, offset: int, per_page: int) -> tuple[list[dict], int]:
    """One page of every plugin's to-dos for ``actor`` as JSON-ready dicts (the TodoOut shape),
    soonest due first, and how many there are in all. Each plugin is asked for the ``limit``
    soonest it has (core/todos.py); only the page is formatted."""
    limit = offset + per_page
    sources: list = []
    total = 0
    for coro in plugins.hook.xf_todo_items(session=session, actor=actor, limit=limit):
        got = (await coro) or []
        total += getattr(got, "total", len(got))
        if got:
            sources.append(got)
    if len(sources) == 1 and isinstance(sources[0], TodoItems):  # one page-aware answer: soonest first already
        page = [(due_utc(it.get("due_at")), it) for it in sources[0][offset:limit]]
    else:
        page = soonest([it for got in sources for it in got], limit)[offset:]
    return [{"kind": str(it.get("kind") or ""), "kind_label": todo_label(it), "title": str(it.get("title") or ""),
             "due_at": clock.iso(due), "object_type": str(it.get("object_type") or ""),
             "object_id": it.get("object_id"), "link": str(it.get("link") or "")} for due, it in page], total
