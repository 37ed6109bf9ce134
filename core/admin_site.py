"""The amis admin site: our own login page, permission-keyed pages and the top bar.

fastapi-user-auth is not used; docs/architecture.md says why. Pages subclass ``XfPage``
and name the PC permission key that opens them; the site hides menu entries and refuses
page requests the current user lacks.
"""
from __future__ import annotations

import html


from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi_amis_admin.admin import AdminApp, PageAdmin, PageSchemaAdmin
from fastapi_amis_admin.admin.admin import BaseAdminSite
from fastapi_amis_admin.admin.settings import Settings as AmisSettings
from fastapi_amis_admin.amis.components import App, Page, PageSchema
from fastapi_amis_admin.utils.translation import i18n
from sqlalchemy_database import AsyncDatabase

from core.admin_html import NoInlineScriptPage
from core.admin_html import render as render_admin_html
from core.auth import actor_from_token, token_from_request
from core.mobile.links import qr_card
from core.settings import Settings

AMIS_PKG = "amis@6.3.0"
ASSET_PREFIX = "/assets"


class XfPage(NoInlineScriptPage, PageAdmin):
    """An admin page opened by one PC permission key (None: any signed-in user)."""

    permission: str | None = None

    async def has_page_permission(self, request: Request, obj: PageSchemaAdmin = None, action: str = None) -> bool:
        actor = await request_actor(request)
        return actor is not None and (self.permission is None or actor.can(self.permission))


class XfApp(NoInlineScriptPage, AdminApp):
    """One menu group; shown when the user may open at least one of its pages."""

    async def has_page_permission(self, request: Request, obj: PageSchemaAdmin = None, action: str = None) -> bool:
        actor = await request_actor(request)
        if actor is None:
            return False
        keys = [getattr(cls, "permission", None) for cls in self._registered]
        return any(key is None or actor.can(key) for key in keys)


async def request_actor(request: Request):
    """The signed-in actor of an admin request (cookie or bearer), cached on the request."""
    if "xf_actor" in request.state.__dict__:
        return request.state.xf_actor
    state = request.app.state
    async with state.db.sessionmaker() as session:
        actor = await actor_from_token(session, token_from_request(request), state.settings.secret_key)
    request.state.xf_actor = actor
    return actor


class HomePage(XfPage):
    page_schema = PageSchema(label="工作台", icon="fa fa-home", url="/home", isDefaultPage=True, sort=100)
    page_path = "/home"

    async def get_page(self, request: Request) -> Page:
        """The greeting, the 工作台 figures (core/dashboard_page.py) for those holding ``dashboard``,
        the account card and the phone's QR code."""
        from core.dashboard_page import dashboard_body

        actor = await request_actor(request)
        name = actor.user.name or actor.user.username
        greeting = f"<h3>您好，{html.escape(name)}</h3><p>欢迎使用{self.site.settings.site_title}。请从左侧菜单选择功能。</p>"
        dashboard = [dashboard_body(request.app.state.engine.registry)] if actor.can("dashboard") else []
        return Page(
            title="工作台",
            body=[
                {"type": "tpl", "tpl": greeting},
                *dashboard,
                {
                    "type": "service",
                    "api": "get:/api/pc/v1/me",
                    "body": {
                        "type": "property",
                        "title": "当前账号",
                        "column": 2,
                        "items": [
                            {"label": "账号", "content": "${username}"},
                            {"label": "姓名", "content": "${name}"},
                            {"label": "角色", "content": "${role_names | join:、}"},
                            {"label": "数据范围", "content": "${scope_label}"},
                        ],
                    },
                },
                qr_card(request, "/home", "手机端",
                        "用手机扫码打开手机端（微信扫一扫或手机相机均可），学生、谈话人在手机上办理各项事务"),
            ],
        )


class XianfengSite(NoInlineScriptPage, BaseAdminSite):
    def __init__(self, settings: Settings, database: AsyncDatabase):
        amis_settings = AmisSettings(
            site_title=settings.site_title,
            site_icon=f"{ASSET_PREFIX}/local/logo.svg",
            amis_cdn=ASSET_PREFIX,
            amis_pkg=AMIS_PKG,
            language="zh_CN",
            site_path="/admin",
            debug=False,
        )
        i18n.set_language("zh_CN")  # otherwise it follows $LANG and amis may get "C.UTF-8"
        super().__init__(amis_settings, engine=database)
        self.register_admin(HomePage)

    async def has_page_permission(self, request: Request, obj: PageSchemaAdmin = None, action: str = None) -> bool:
        return await request_actor(request) is not None

    def register_router(self):
        super().register_router()
        self.router.add_api_route("/login", self.login_page, methods=["GET"], name="login", include_in_schema=False)
        return self

    async def login_page(self, request: Request) -> HTMLResponse:
        redirect = request.query_params.get("redirect") or "/admin/"
        if not redirect.startswith("/admin"):
            redirect = "/admin/"
        schema = {
            "type": "page",
            "className": "h-full",
            "bodyClassName": "flex items-center justify-center h-full",
            "body": {
                "type": "form",
                "title": f"{self.settings.site_title} · 登录",
                "wrapWithPanel": True,
                "className": "w-96 m-auto",
                "style": {"marginTop": "12vh", "maxWidth": "400px"},
                "api": "post:/api/pc/v1/auth/login",
                "redirect": redirect,
                "submitText": "登录",
                "body": [
                    {"type": "input-text", "name": "username", "label": "账号", "required": True, "placeholder": "请输入账号"},
                    {"type": "input-password", "name": "password", "label": "密码", "required": True, "placeholder": "请输入密码"},
                ],
            },
        }
        return HTMLResponse(render_admin_html(
            schema, title=f"登录 - {self.settings.site_title}", icon=self.settings.site_icon, cdn=ASSET_PREFIX,
            pkg=AMIS_PKG, app=False, body_class="xf-login",
        ))

    async def get_page(self, request: Request) -> App:
        app = await super().get_page(request)
        actor = await request_actor(request)
        label = (actor.user.name or actor.user.username) if actor else "未登录"
        app.footer = f'<div class="p-2 text-center bg-light">{self.settings.site_title}</div>'
        extra = request.app.state.plugins.collect("xf_admin_header") if actor else []
        app.header = {
            "type": "flex",
            "className": "w-full",
            "justify": "flex-end",
            "alignItems": "center",
            "items": [
                *extra,
                {
                    "type": "dropdown-button",
                    "label": label,
                    "trigger": "hover",
                    "icon": "fa fa-user",
                    "align": "right",
                    "buttons": [
                        {"type": "button", "label": "个人中心", "actionType": "link", "link": "/admin/page/personal"},
                        {"type": "button", "label": "修改密码", "actionType": "link", "link": "/admin/page/personal?tab=password"},
                        {
                            "type": "button",
                            "label": "退出登录",
                            "actionType": "ajax",
                            "api": "post:/api/pc/v1/auth/logout",
                            "redirect": "/admin/login",
                        },
                    ],
                }
            ],
        }
        return app
