"""消息中心 menu group: the full message list (MSG-2) and the top-bar bell."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from core.sdk import XfApp, XfPage, crud, datetime_column, operations
from plugins.messaging.models import KIND_LABELS

LIST_PAGE = "/admin/messaging/page/messages"
BELL = "xf-msg-bell"  # the top-bar service: pages that read messages reload its count


def header_bell() -> dict:
    """Top-bar item: unread count badge; opens a drawer with the latest unread messages."""
    latest = {
        "type": "service", "api": "get:/api/pc/v1/messages/latest",
        "body": [{"type": "list", "source": "${items}", "placeholder": "暂无未读消息", "listItem": {
            "title": "${title}", "subTitle": "${created_at | xftime}", "desc": "${body}",
            "actions": [{"type": "button", "label": "打开", "level": "link", "visibleOn": "this.link",
                         "onEvent": {"click": {"actions": [
                             {"actionType": "ajax", "api": "post:/api/pc/v1/messages/${id}/read", "outputVar": "r"},
                             {"actionType": "reload", "componentId": BELL},
                             {"actionType": "closeDrawer"},
                             {"actionType": "link", "args": {"link": "${link}"}}]}}},
                        {"type": "button", "label": "标为已读", "level": "link", "actionType": "ajax",
                         "api": "post:/api/pc/v1/messages/${id}/read", "reload": f"{BELL},xf-msg-latest"}]}}],
        "id": "xf-msg-latest",
    }
    return {
        "type": "service", "id": BELL, "api": "get:/api/pc/v1/messages/latest", "interval": 60000,
        "silentPolling": True, "className": "mr-3",
        "body": {"type": "button", "label": "消息", "icon": "fa fa-bell", "level": "link",
                 "badge": {"mode": "text", "text": "${unread}", "visibleOn": "${unread > 0}", "overflowCount": 99},
                 "actionType": "drawer",
                 "drawer": {"title": "未读消息", "size": "md", "closeOnOutside": True, "body": latest, "actions": [
                     {"type": "button", "label": "全部标为已读", "actionType": "ajax",
                      "api": "post:/api/pc/v1/messages/read-all", "reload": f"{BELL},xf-msg-latest"},
                     {"type": "button", "label": "查看全部消息", "level": "primary", "actionType": "link", "link": LIST_PAGE,
                      "close": True}]}},
    }


class MessageListPage(XfPage):
    page_schema = PageSchema(label="我的消息", icon="fa fa-envelope")
    page_path = "/messages"
    permission = None  # every signed-in user has messages

    async def get_page(self, request: Request) -> Page:
        detail = {"type": "button", "label": "查看", "level": "link", "actionType": "dialog", "dialog": {
            "title": "消息详情", "actions": [], "onEvent": {"cancel": {"actions": [
                {"actionType": "reload", "componentId": "crud"}, {"actionType": "reload", "componentId": BELL}]}},
            "body": {"type": "service", "api": "get:/api/pc/v1/messages/${id}", "body": [
                {"type": "property", "column": 1, "items": [
                    {"label": "标题", "content": "${title}"}, {"label": "类型", "content": "${kind_label}"},
                    {"label": "时间", "content": "${created_at | xftime}"}, {"label": "内容", "content": "${body}"}]},
                {"type": "button", "label": "打开相关页面", "level": "primary", "actionType": "link", "link": "${link}",
                 "visibleOn": "this.link"}]}}}
        columns = [
            {"name": "title", "label": "标题"},
            {"name": "kind_label", "label": "类型"},
            datetime_column("created_at", "时间"),
            {"name": "read", "label": "状态", "type": "mapping", "map": {"true": "已读", "false": "<b>未读</b>"}},
            operations(detail, {"type": "button", "label": "标为已读", "level": "link", "actionType": "ajax",
                                "api": "post:/api/pc/v1/messages/${id}/read", "visibleOn": "!this.read",
                                "reload": f"crud,{BELL}"}),
        ]
        filters = [
            {"type": "switch", "name": "unread_only", "label": "只看未读"},
            {"type": "select", "name": "kind", "label": "类型", "clearable": True,
             "options": [{"label": v, "value": k} for k, v in KIND_LABELS.items()]},
        ]
        header = [{"type": "button", "label": "全部标为已读", "actionType": "ajax", "api": "post:/api/pc/v1/messages/read-all",
                   "reload": f"crud,{BELL}"}]
        return Page(title="我的消息", body=crud("get:/api/pc/v1/messages", columns, filters=filters, header=header))


class MessagingApp(XfApp):
    page_schema = PageSchema(label="消息中心", icon="fa fa-bell", sort=10)
    router_prefix = "/messaging"

    def __init__(self, app):
        super().__init__(app)
        self.register_admin(MessageListPage)
