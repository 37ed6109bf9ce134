"""Builders for the amis JSON the admin pages share: a CRUD list over our /api/pc routes,
its dialogs and row actions. Pages describe columns and forms; this module wires them."""
from __future__ import annotations


def dialog_button(label: str, title: str, body: list | dict, api: str, *, level: str = "primary", icon: str = "",
                  size: str = "md", init_api: str | None = None, visible_on: str | None = None, reload: str | None = None) -> dict:
    form: dict = {"type": "form", "api": api, "body": body}
    if init_api:
        form["initApi"] = init_api
    btn = {"type": "button", "label": label, "level": level, "actionType": "dialog",
           "dialog": {"title": title, "size": size, "body": form}}
    if icon:
        btn["icon"] = icon
    if visible_on:
        btn["visibleOn"] = visible_on
    if reload:
        btn["reload"] = reload
    return btn


def ajax_button(label: str, api: str, confirm: str, *, level: str = "link", class_name: str = "text-danger",
                visible_on: str | None = None) -> dict:
    btn = {"type": "button", "label": label, "level": level, "className": class_name, "actionType": "ajax",
           "confirmText": confirm, "api": api}
    if visible_on:
        btn["visibleOn"] = visible_on
    return btn


def status_switch(api: str, name: str = "enabled", label: str = "状态", disabled_on: str | None = None) -> dict:
    """A switch column that calls ``api`` with {"enabled": bool}; a refusal flips it back."""
    col = {
        "name": name, "label": label, "type": "switch", "onText": "开启", "offText": "停用",
        "onEvent": {"change": {"actions": [
            {"actionType": "ajax", "api": {"method": "post", "url": api, "data": {"enabled": "${event.data.value}"}}},
            {"actionType": "reload", "componentId": "crud"},
        ]}},
    }
    if disabled_on:
        col["disabledOn"] = disabled_on
    return col


def crud(api: str, columns: list[dict], *, filters: list[dict] | None = None, header: list | None = None,
         bulk_actions: list | None = None, per_page: int = 20) -> dict:
    schema = {
        "type": "crud",
        "id": "crud",
        "name": "crud",
        "api": api,
        "syncLocation": False,
        "perPage": per_page,
        "perPageField": "per_page",
        "pageField": "page",
        "columns": columns,
        # "bulkActions" must be in the toolbar or amis shows neither the buttons nor the row checkboxes.
        "headerToolbar": (header or []) + (["bulkActions"] if bulk_actions else []) + ["reload", {"type": "columns-toggler", "align": "right"}],
        "footerToolbar": ["statistics", "switch-per-page", "pagination"],
        "placeholder": "暂无数据",
    }
    if filters:
        schema["filter"] = {"title": "查询条件", "mode": "inline", "wrapWithPanel": True, "body": filters,
                            "actions": [{"type": "reset", "label": "重置"}, {"type": "submit", "label": "查询", "level": "primary"}]}
    if bulk_actions:
        schema["bulkActions"] = bulk_actions
    return schema


def operations(*buttons: dict) -> dict:
    return {"type": "operation", "label": "操作", "buttons": list(buttons), "fixed": "right"}
