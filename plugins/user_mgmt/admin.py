"""Pages of the 用户管理 menu group (UM-1..8) and the personal centre (UM-3)."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from core.sdk import (XfApp, XfPage, ajax_button, crud, datetime_column, dialog_button, operations, request_actor,
                      status_switch, upload_receiver)
from core.security import PASSWORD_POLICY_MESSAGE
from plugins.user_mgmt.institutions import college
from plugins.user_mgmt.models import INSTITUTION_TYPES, TRAINING_TYPES

# No backslashes: amis parses the pattern as an expression and warns on escapes.
PASSWORD_RULE = {"matchRegexp": "^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])(?=.*[^A-Za-z0-9])[^ \t\r\n]{8,}$"}
PASSWORD_MSG = {"matchRegexp": PASSWORD_POLICY_MESSAGE}


def user_form(creating: bool) -> list[dict]:
    pw = {"type": "input-password", "name": "password", "label": "密码", "required": creating,
          "validations": PASSWORD_RULE, "validationErrors": PASSWORD_MSG,
          "description": PASSWORD_POLICY_MESSAGE + ("" if creating else "；不修改请留空")}
    return [
        {"type": "input-text", "name": "username", "label": "账号", "required": True},
        {"type": "input-text", "name": "name", "label": "姓名", "required": True},
        pw,
        {"type": "select", "name": "role_ids", "label": "角色", "multiple": True, "required": True,
         "joinValues": False, "extractValue": True, "source": "get:/api/pc/v1/users/role-options"},
        {"type": "select", "name": "org_id", "label": "所属组织", "source": "get:/api/pc/v1/orgs/options", "clearable": True},
        {"type": "select", "name": "institution_id", "label": "所属机构", "clearable": True,
         "source": {"method": "get", "url": "/api/pc/v1/orgs/${org_id}/institutions", "sendOn": "this.org_id"},
         "disabledOn": "!this.org_id", "description": "请先选择所属组织"},
        {"type": "input-text", "name": "student_no", "label": "学号"},
        {"type": "input-text", "name": "phone", "label": "手机号码"},
        {"type": "input-email", "name": "email", "label": "邮箱"},
        {"type": "switch", "name": "is_active", "label": "状态", "value": True, "onText": "启用", "offText": "禁用"},
    ]


class UserPage(XfPage):
    page_schema = PageSchema(label="用户管理", icon="fa fa-user")
    page_path = "/users"
    permission = "um.user.view"

    async def get_page(self, request: Request) -> Page:
        """Shows only what the actor may do: a branch admin (view only by default) gets no
        新增/编辑/删除; nobody gets 删除 on their own row. The API still judges every request."""
        actor = await request_actor(request)
        row_actions = []
        if actor.can("um.user.edit"):
            row_actions.append(dialog_button("编辑", "编辑用户", user_form(False), "put:/api/pc/v1/users/${id}", level="link",
                                             init_api="get:/api/pc/v1/users/${id}"))
        if actor.can("um.user.delete"):
            row_actions.append(ajax_button(
                "删除", "delete:/api/pc/v1/users/${id}",
                "删除用户后，该用户将无法登录系统，且无法恢复，请谨慎操作！确定删除用户“${name}”吗？",
                visible_on=f"this.id !== {actor.id}"))
        columns = [
            {"name": "id", "label": "ID", "sortable": False},
            {"name": "username", "label": "账号"},
            {"name": "name", "label": "姓名"},
            {"name": "student_no", "label": "学号"},
            {"name": "role_names", "label": "角色"},
            {"name": "org_id", "label": "所属组织", "type": "mapping", "source": "get:/api/pc/v1/orgs/options"},
            {"name": "institution_name", "label": "所属机构"},
            {"name": "is_active", "label": "状态", "type": "mapping", "map": {"true": "启用", "false": "禁用"}},
            datetime_column("created_at", "创建时间"),
        ]
        if row_actions:
            columns.append(operations(*row_actions))
        filters = [
            {"type": "input-text", "name": "name", "label": "姓名", "clearable": True},
            {"type": "input-text", "name": "username", "label": "账号", "clearable": True},
            {"type": "select", "name": "institution_id", "label": "所属机构", "clearable": True, "searchable": True,
             "source": "get:/api/pc/v1/users/institution-options"},
            {"type": "select", "name": "role_id", "label": "角色", "clearable": True, "source": "get:/api/pc/v1/users/role-options"},
        ]
        header = []
        if actor.can("um.user.edit"):
            header.append(dialog_button("新增用户", "新增用户", user_form(True), "post:/api/pc/v1/users", icon="fa fa-plus"))
        return Page(title="用户管理", body=crud("get:/api/pc/v1/users", columns, filters=filters, header=header))


TRAINING_REQUIRED = "['班级', '研究所', '党支部', '团支部'].indexOf(this.type) >= 0"


def institution_form() -> list[dict]:
    return [
        {"type": "input-text", "name": "name", "label": "机构名称", "required": True},
        {"type": "select", "name": "type", "label": "机构类型", "required": True, "options": list(INSTITUTION_TYPES)},
        {"type": "static", "name": "parent_name", "label": "上级机构"},
        {"type": "select", "name": "training_type", "label": "培养类型", "options": list(TRAINING_TYPES), "clearable": True,
         "requiredOn": TRAINING_REQUIRED},
        {"type": "switch", "name": "enabled", "label": "状态", "value": True, "onText": "开启", "offText": "停用"},
        {"type": "input-number", "name": "sort", "label": "排序", "value": 0},
        {"type": "textarea", "name": "description", "label": "备注"},
    ]


async def college_name(request: Request) -> str:
    async with request.app.state.db.sessionmaker() as session:
        return (await college(session)).name


class InstitutionPage(XfPage):
    page_schema = PageSchema(label="机构管理", icon="fa fa-sitemap")
    page_path = "/institutions"
    permission = "um.institution.view"

    async def get_page(self, request: Request) -> Page:
        actor = await request_actor(request)
        edit = actor.can("um.institution.edit")
        columns = [
            {"name": "name", "label": "机构名称"},
            {"name": "type", "label": "机构类型"},
            {"name": "parent_name", "label": "上级机构"},
            {"name": "training_type", "label": "培养类型"},
            status_switch("post:/api/pc/v1/institutions/${id}/status", disabled_on="this.is_college")
            if edit else {"name": "enabled", "label": "状态", "type": "mapping", "map": {"true": "开启", "false": "停用"}},
            datetime_column("created_at", "创建时间"),
        ]
        header = []
        if edit:
            columns.append(operations(
                dialog_button("编辑", "编辑机构", institution_form(), "put:/api/pc/v1/institutions/${id}", level="link"),
                ajax_button("删除", "delete:/api/pc/v1/institutions/${id}",
                            "确定删除机构“${name}”吗？正在启用的机构不支持删除。", visible_on="!this.is_college"),
            ))
            # 上级机构 is always the college (UM-5): a new institution shows its name.
            header.append(dialog_button("新增", "新增机构", institution_form(), "post:/api/pc/v1/institutions", icon="fa fa-plus",
                                        data={"parent_name": await college_name(request)}))
        filters = [
            {"type": "input-text", "name": "name", "label": "机构名称", "clearable": True},
            {"type": "select", "name": "type", "label": "机构类型", "options": list(INSTITUTION_TYPES), "clearable": True},
            {"type": "select", "name": "training_type", "label": "培养类型", "options": list(TRAINING_TYPES), "clearable": True},
        ]
        return Page(title="机构管理", body=crud("get:/api/pc/v1/institutions", columns, filters=filters, header=header))


def role_form() -> list[dict]:
    return [
        {"type": "input-text", "name": "name", "label": "角色名称", "required": True},
        {"type": "input-text", "name": "key", "label": "角色标识", "required": True, "description": "角色标识具有唯一性，不可重复添加"},
        {"type": "select", "name": "scope", "label": "数据范围", "value": "self",
         "options": [{"label": "全部", "value": "all"}, {"label": "本支部", "value": "branch"}, {"label": "仅本人", "value": "self"}]},
        {"type": "textarea", "name": "description", "label": "角色描述"},
    ]


def permission_form() -> list[dict]:
    """Two trees of permission keys, every node a key of its own (``cascade``): a held group (the
    menu group) does not show its children as held, and one child can be unticked without its
    group. Ticking a group still ticks its children (and they are then held); the API adds a
    ticked child's group itself."""
    tree = {"type": "input-tree", "multiple": True, "cascade": True, "autoCheckChildren": True, "withChildren": False,
            "onlyChildren": False, "heightAuto": True, "showIcon": False, "searchable": True, "initiallyOpen": True}
    return [{"type": "tabs", "tabs": [
        {"title": "PC端权限", "body": [{**tree, "name": "pc", "label": False, "source": "${pc_tree}"}]},
        {"title": "小程序端权限", "body": [{**tree, "name": "mp", "label": False, "source": "${mp_tree}"}]},
    ]}]


class RolePage(XfPage):
    page_schema = PageSchema(label="角色管理", icon="fa fa-id-badge")
    page_path = "/roles"
    permission = "um.role.view"

    async def get_page(self, request: Request) -> Page:
        actor = await request_actor(request)
        edit = actor.can("um.role.edit")
        columns = [
            {"name": "name", "label": "角色名称"},
            {"name": "key", "label": "角色标识"},
            {"name": "scope_label", "label": "数据范围"},
            {"name": "users", "label": "用户数"},
            {"name": "description", "label": "角色描述"},
        ]
        header = []
        if edit:
            columns.append(operations(
                dialog_button("编辑", "编辑角色", role_form(), "put:/api/pc/v1/roles/${id}", level="link"),
                dialog_button("设置权限", "设置权限 - ${name}", permission_form(), "put:/api/pc/v1/roles/${id}/permissions",
                              level="link", size="lg", init_api="get:/api/pc/v1/roles/${id}/permissions"),
                ajax_button("删除", "delete:/api/pc/v1/roles/${id}",
                            "删除角色可能导致数据丢失或所属角色账号无法登录等后果，且无法恢复，请谨慎操作！确定删除角色“${name}”吗？",
                            visible_on="!this.builtin"),
            ))
            header.append(dialog_button("新增", "新增角色", role_form(), "post:/api/pc/v1/roles", icon="fa fa-plus"))
        filters = [{"type": "input-text", "name": "name", "label": "角色名称", "clearable": True}]
        return Page(title="角色管理", body=crud("get:/api/pc/v1/roles", columns, filters=filters, header=header))


class PersonalPage(XfPage):
    """个人中心: reached from the account menu in the top bar, not from the side menu."""

    page_schema = PageSchema(label="个人中心", icon="fa fa-user-circle", visible=False)
    page_path = "/personal"
    permission = None

    async def get_page(self, request: Request) -> Page:
        info = {
            "title": "个人信息",
            "hash": "info",
            "body": [{
                "type": "form", "id": "xf-personal", "title": "基本信息", "initApi": "get:/api/pc/v1/personal",
                "api": "put:/api/pc/v1/personal",
                "submitText": "保存", "body": [
                    {"type": "static-image", "name": "avatar", "label": "头像", "thumbMode": "cover"},
                    {"type": "static", "name": "username", "label": "账号"},
                    {"type": "static", "name": "role_names", "label": "角色", "description": "用户角色不支持编辑"},
                    {"type": "input-text", "name": "name", "label": "姓名", "required": True},
                    {"type": "input-text", "name": "phone", "label": "手机号码"},
                    {"type": "input-email", "name": "email", "label": "邮箱"},
                ],
            }, {
                "type": "form", "title": "更换头像", "api": "post:/api/pc/v1/personal/avatar", "submitText": "确认修改",
                "reload": "xf-personal",  # the new picture shows in 基本信息
                "body": [{"type": "input-image", "name": "file", "label": "选择照片", "accept": ".jpg,.jpeg,.png",
                          "receiver": upload_receiver("avatar"), "required": True}],
            }],
        }
        password = {
            "title": "修改密码",
            "hash": "password",
            "body": [{
                # submitSucc replaces amis' own success toast: this one says what happens next.
                "type": "form", "title": "修改密码", "api": "post:/api/pc/v1/personal/password", "submitText": "保存",
                "onEvent": {"submitSucc": {"actions": [
                    {"actionType": "toast", "args": {"msgType": "success", "msg": "密码修改成功，3秒后跳转至登录页面"}},
                    {"actionType": "wait", "args": {"time": 3000}},
                    {"actionType": "url", "args": {"url": "/admin/login", "blank": False}},
                ]}},
                "body": [
                    {"type": "input-password", "name": "old_password", "label": "原始密码", "required": True},
                    {"type": "input-password", "name": "new_password", "label": "新密码", "required": True,
                     "validations": PASSWORD_RULE, "validationErrors": PASSWORD_MSG, "description": PASSWORD_POLICY_MESSAGE},
                    {"type": "input-password", "name": "confirm_password", "label": "确认密码", "required": True,
                     "validations": {"equalsField": "new_password"}, "validationErrors": {"equalsField": "两次输入的新密码不一致"}},
                ],
            }],
        }
        return Page(title="个人中心", body={"type": "tabs", "activeKey": "${tab || 'info'}", "tabs": [info, password]})


class UserMgmtApp(XfApp):
    page_schema = PageSchema(label="用户管理", icon="fa fa-users", sort=90)
    router_prefix = "/user_mgmt"

    def __init__(self, app):
        super().__init__(app)
        self.register_admin(UserPage, InstitutionPage, RolePage)
