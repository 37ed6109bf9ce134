"""Builders for the amis JSON the admin pages share: a CRUD list over our /api/pc routes,
its dialogs and row actions. Pages describe columns and forms; this module wires them."""
from __future__ import annotations

import json


def dialog_button(label: str, title: str, body: list | dict, api: str, *, level: str = "primary", icon: str = "",
                  size: str = "md", init_api: str | None = None, visible_on: str | None = None, reload: str | None = None,
                  data: dict | None = None, submit_text: str | None = None) -> dict:
    """A button opening a dialog with one form. ``data`` pre-fills the form (a new record's
    defaults); ``submit_text`` renames the confirm button (the manual's 提交)."""
    form: dict = {"type": "form", "api": api, "body": body}
    if init_api:
        form["initApi"] = init_api
    if data:
        form["data"] = data
    dialog: dict = {"title": title, "size": size, "body": form}
    if submit_text:
        dialog["actions"] = [{"type": "button", "label": "取消", "actionType": "cancel"},
                             {"type": "submit", "label": submit_text, "level": "primary"}]
    btn = {"type": "button", "label": label, "level": level, "actionType": "dialog", "dialog": dialog}
    if icon:
        btn["icon"] = icon
    if visible_on:
        btn["visibleOn"] = visible_on
    if reload:
        btn["reload"] = reload
    return btn


def ajax_button(label: str, api: str, confirm: str, *, level: str = "link", class_name: str = "text-danger",
                visible_on: str | None = None, redirect: str | None = None) -> dict:
    """A button that asks ``confirm`` and sends ``api``; ``redirect`` is the admin page to open
    after success (amis expressions allowed)."""
    btn = {"type": "button", "label": label, "level": level, "className": class_name, "actionType": "ajax",
           "confirmText": confirm, "api": api}
    if visible_on:
        btn["visibleOn"] = visible_on
    if redirect:
        btn["redirect"] = redirect
    return btn


def api_object(api: str, data: dict | None = None) -> dict:
    """An amis api object from our "method:/url" shorthand. Inside an object the method must
    be its own key: amis sends a ``url`` of "post:/api/..." literally (a dead request)."""
    method, sep, url = api.partition(":")
    if not sep or method.lower() not in ("get", "post", "put", "patch", "delete"):
        method, url = "get", api
    out: dict = {"method": method.lower(), "url": url}
    if data is not None:
        out["data"] = data
    return out


# status_switch() leaves its api on the column under this key; crud() lifts it to the table.
QUICK_SAVE_KEY = "xfQuickSaveApi"


def status_switch(api: str, name: str = "enabled", label: str = "状态", disabled_on: str | None = None) -> dict:
    """A switch column (开启/停用) that saves at once through ``api`` ("post:/api/.../${id}/status",
    body {"enabled": bool}); use it in a table built by ``crud()``, which makes it the table's
    quick-save api (one switch column per table). A refusal shows its
    reason and puts the switch back (amis keeps a toggled control's own state across a plain
    reload, so the flip-back needs quick-edit's ``resetOnFailed``)."""
    control = {"type": "switch", "mode": "inline", "onText": "开启", "offText": "停用",
               "saveImmediately": True, "resetOnFailed": True}
    if disabled_on:
        control["disabledOn"] = disabled_on
    return {"name": name, "label": label, "quickEdit": control,
            QUICK_SAVE_KEY: api_object(api, {name: "${%s}" % name})}


def crud(api: str, columns: list[dict], *, filters: list[dict] | None = None, header: list | None = None,
         bulk_actions: list | None = None, per_page: int = 20) -> dict:
    columns = [dict(c) for c in columns]
    quick_save = {json.dumps(c.pop(QUICK_SAVE_KEY), sort_keys=True) for c in columns if QUICK_SAVE_KEY in c}
    if len(quick_save) > 1:
        raise ValueError("a table saves one kind of switch at once: at most one status_switch column")
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
    if quick_save:
        schema["quickSaveItemApi"] = json.loads(quick_save.pop())
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
