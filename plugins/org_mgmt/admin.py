"""Pages of the 党务管理 menu group: organisations (ORG-1..4), party groups (ORG-5), member basic info (ORG-6)."""
from __future__ import annotations

from fastapi import Request
from fastapi_amis_admin.amis.components import Page, PageSchema

from core import profile as profile_form
from core.sdk import XfApp, XfPage, ajax_button, crud, dialog_button, operations, request_actor, status_switch


def org_form(kind: str | None) -> list[dict]:
    """kind None: edit form (kind fixed); "party"/"league": create form for that kind."""
    items: list[dict] = []
    if kind:
        items.append({"type": "hidden", "name": "kind", "value": kind})
    items += [
        {"type": "input-text", "name": "name", "label": "组织名称", "required": True, "description": "组织名称具有唯一性，不可重复"},
        {"type": "input-text", "name": "secretary", "label": "书记"},
        {"type": "fieldSet", "title": "关联信息（必填）", "visibleOn": "this.level !== 'committee' && this.kind !== 'masses'", "body": [
            # A new 培养类型 allows other institutions: the old choice is cleared, the options reload.
            {"type": "radios", "name": "training_type", "label": "培养类型", "options": ["研究生", "本科生"], "required": True,
             "onEvent": {"change": {"actions": [
                 {"actionType": "setValue", "componentName": "institution_ids", "args": {"value": []}}]}}},
            {"type": "select", "name": "institution_ids", "label": "关联机构", "multiple": True, "joinValues": False,
             "extractValue": True, "searchable": True, "disabledOn": "!this.training_type",
             "requiredOn": "this.enabled", "description": "先选择培养类型，再选择关联机构",
             # amis reloads a source when its url's variables change, or those of trackExpression:
             # the query lives in "data", so the options must track 培养类型 and the name here.
             "source": {"method": "get", "url": "/api/pc/v1/orgs/allowed-institutions",
                        "data": {"kind": "${kind}", "training_type": "${training_type}", "name": "${name}", "org_id": "${id}"},
                        "sendOn": "this.training_type", "trackExpression": "${training_type}|${name}"}},
        ]},
        {"type": "switch", "name": "enabled", "label": "状态", "value": True, "onText": "开启", "offText": "停用"},
        {"type": "textarea", "name": "description", "label": "简介"},
    ]
    return items


class OrganisationPage(XfPage):
    page_schema = PageSchema(label="党群组织管理", icon="fa fa-flag")
    page_path = "/orgs"
    permission = "org.view"

    async def get_page(self, request: Request) -> Page:
        actor = await request_actor(request)
        edit = actor.can("org.edit")
        view = {"type": "button", "label": "查看", "level": "link", "actionType": "dialog", "dialog": {
            "title": "查看组织", "actions": [], "body": {"type": "property", "column": 1, "items": [
                {"label": "组织名称", "content": "${name}"}, {"label": "组织类别", "content": "${kind_label}"},
                {"label": "层级", "content": "${level_label}"}, {"label": "上级组织", "content": "${parent_name || '-'}"},
                {"label": "培养类型", "content": "${training_type || '-'}"}, {"label": "关联机构", "content": "${institution_names || '-'}"},
                {"label": "书记", "content": "${secretary || '-'}"}, {"label": "状态", "content": "${enabled ? '开启' : '停用'}"},
                {"label": "简介", "content": "${description || '-'}"}, {"label": "创建时间", "content": "${created_at | xftime}"}]}}}
        buttons = [view]
        if edit:
            buttons += [
                dialog_button("编辑", "编辑组织", org_form(None), "put:/api/pc/v1/orgs/${id}", level="link"),
                ajax_button("删除", "delete:/api/pc/v1/orgs/${id}", "确定删除组织“${name}”吗？正在启用的组织不支持删除。",
                            visible_on="!this.builtin"),
            ]
        columns = [
            {"name": "name", "label": "组织名称"},
            {"name": "kind_label", "label": "组织类别"},
            {"name": "parent_name", "label": "上级组织"},
            {"name": "training_type", "label": "培养类型"},
            {"name": "institution_names", "label": "关联机构"},
            status_switch("post:/api/pc/v1/orgs/${id}/status", disabled_on="this.builtin") if edit
            else {"name": "enabled", "label": "状态", "type": "mapping", "map": {"true": "开启", "false": "停用"}},
            operations(*buttons),
        ]
        header = []
        if edit:  # the manual: 新增 → 党组织 or 团组织 (a dropdown would own the dialog and freeze its form)
            header += [dialog_button(f"新增{word}", f"新增{word}", org_form(kind), "post:/api/pc/v1/orgs", icon="fa fa-plus")
                       for kind, word in (("party", "党组织"), ("league", "团组织"))]
        filters = [
            {"type": "input-text", "name": "name", "label": "组织名称", "clearable": True},
            {"type": "select", "name": "kind", "label": "组织类别", "clearable": True,
             "options": [{"label": "党组织", "value": "party"}, {"label": "团组织", "value": "league"}, {"label": "群众", "value": "masses"}]},
        ]
        return Page(title="党群组织管理", body=crud("get:/api/pc/v1/orgs", columns, filters=filters, header=header))


def group_form() -> list[dict]:
    return [
        {"type": "input-text", "name": "name", "label": "党小组名称", "required": True},
        {"type": "select", "name": "branch_id", "label": "所属党支部", "required": True,
         "source": "get:/api/pc/v1/orgs/options?kind=party&level=branch"},
        {"type": "input-text", "name": "leader", "label": "组长"},
        {"type": "textarea", "name": "description", "label": "备注"},
    ]


class PartyGroupPage(XfPage):
    page_schema = PageSchema(label="党小组管理", icon="fa fa-users")
    page_path = "/party_groups"
    permission = "org.group.view"

    async def get_page(self, request: Request) -> Page:
        actor = await request_actor(request)
        columns = [
            {"name": "name", "label": "党小组名称"},
            {"name": "branch_name", "label": "所属党支部"},
            {"name": "leader", "label": "组长"},
            {"name": "description", "label": "备注"},
        ]
        header = []
        if actor.can("org.group.edit"):
            columns.append(operations(
                dialog_button("编辑", "编辑党小组", group_form(), "put:/api/pc/v1/party-groups/${id}", level="link"),
                ajax_button("删除", "delete:/api/pc/v1/party-groups/${id}", "确定删除党小组“${name}”吗？"),
            ))
            header.append(dialog_button("新增", "新增党小组", group_form(), "post:/api/pc/v1/party-groups", icon="fa fa-plus"))
        return Page(title="党小组管理", body=crud("get:/api/pc/v1/party-groups", columns, header=header))


class MemberInfoPage(XfPage):
    page_schema = PageSchema(label="党员基础信息管理", icon="fa fa-address-card")
    page_path = "/members"
    permission = "org.member.view"

    async def get_page(self, request: Request) -> Page:
        actor = await request_actor(request)
        form = profile_form.amis_form_items()
        view_items = [{"label": f["label"], "content": "${" + f["name"] + " || '-'}"} for f in form]
        columns = [
            {"name": "name", "label": "姓名"},
            {"name": "student_no", "label": "学号"},
            {"name": "party_branch_id", "label": "所属党支部", "type": "mapping", "source": "get:/api/pc/v1/orgs/options?kind=party"},
            {"name": "complete", "label": "信息完善", "type": "mapping", "map": {"true": "已完善", "false": "<span class='text-danger'>未完善</span>"}},
            operations(
                {"type": "button", "label": "查看", "level": "link", "actionType": "dialog", "dialog": {
                    "title": "查看基础信息", "actions": [], "body": {"type": "service", "api": "get:/api/pc/v1/members/${id}",
                                                              "body": {"type": "property", "column": 2, "items": view_items}}}},
            ),
        ]
        if actor.can("org.member.edit"):  # the manual: 编辑 → 提交
            columns[-1]["buttons"].append(dialog_button(
                "编辑", "编辑基础信息", form, "put:/api/pc/v1/members/${id}", level="link", size="lg",
                init_api="get:/api/pc/v1/members/${id}", submit_text="提交"))
        filters = [
            {"type": "input-text", "name": "name", "label": "姓名", "clearable": True},
            {"type": "input-text", "name": "student_no", "label": "学号", "clearable": True},
        ]
        return Page(title="党员基础信息管理", body=crud("get:/api/pc/v1/members", columns, filters=filters))


class OrgMgmtApp(XfApp):
    page_schema = PageSchema(label="党务管理", icon="fa fa-flag", sort=80)
    router_prefix = "/org_mgmt"

    def __init__(self, app):
        super().__init__(app)
        self.register_admin(OrganisationPage, PartyGroupPage, MemberInfoPage)
