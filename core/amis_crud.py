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


# /api/files answers {"msg", "file": {...}} (the mini-program's shape); amis' uploaders expect
# {"status": 0, "data": {"value": ...}}. Errors ({"status": 4xx, "msg"}) pass through unchanged.
UPLOAD_ADAPTOR = ("return payload && payload.file ? {status: 0, msg: payload.msg, "
                  "data: {...payload.file, value: payload.file.url}} : payload;")


def upload_receiver(purpose: str = "", subject_user_id: str | None = None) -> dict:
    """The ``receiver`` of every amis input-image / input-file that stores through /api/files.

    ``purpose`` labels the upload; ``subject_user_id`` (an amis expression such as
    ``"${user_id}"``) names the person a proxy upload is about, so that person's scope decides
    who may download it. The field's value becomes the file's download URL.
    """
    data = {"purpose": purpose}
    if subject_user_id:
        data["subject_user_id"] = subject_user_id
    return {"method": "post", "url": "/api/files", "data": data, "adaptor": UPLOAD_ADAPTOR}


def datetime_column(name: str, label: str) -> dict:
    """A table column for an ISO time with offset, shown as date and minutes in the college's
    time zone whatever the browser's."""
    from core import clock

    return {"name": name, "label": label, "type": "datetime", "format": "YYYY-MM-DD HH:mm",
            "displayTimeZone": clock.tz().key}
