"""To-do items (待办事项, MSG-3) gathered from every plugin's ``xf_todo_items``, soonest due first.

Plugins return dicts (``kind``, ``title``, ``due_at``, ``object_type``, ``object_id``, ``link``,
optionally ``kind_label``); this module gives each a Chinese label and one time format, and
pages the list like every other MP list.
"""
from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from core.sdk import LocalDateTime, clock

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


def _due_utc(value) -> datetime | None:
    """A datetime is stored naive UTC; a bare date means the end of that local day."""
    if isinstance(value, datetime):
        return clock.to_utc(value) if value.tzinfo else value
    if isinstance(value, date):
        return clock.local_day_end(value)
    return None


async def collect_todos(plugins, session, actor) -> list[dict]:
    """Every plugin's to-dos for ``actor`` as JSON-ready dicts (the TodoOut shape), soonest due first."""
    items: list[dict] = []
    for coro in plugins.hook.xf_todo_items(session=session, actor=actor):
        items.extend((await coro) or [])
    dated = sorted(((_due_utc(it.get("due_at")), i, it) for i, it in enumerate(items)),
                   key=lambda x: (x[0] is None, x[0] or datetime.min, x[1]))
    return [{"kind": str(it.get("kind") or ""), "kind_label": todo_label(it), "title": str(it.get("title") or ""),
             "due_at": clock.iso(due), "object_type": str(it.get("object_type") or ""),
             "object_id": it.get("object_id"), "link": str(it.get("link") or "")} for due, _, it in dated]
