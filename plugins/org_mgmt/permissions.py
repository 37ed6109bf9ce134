from core.sdk import Permission

C = ("committee",)
CB = ("committee", "branch_admin")
PERMISSIONS = [
    Permission("org", "党务管理", "pc", None, CB),
    Permission("org.view", "党群组织管理-查看", "pc", "org", C),
    Permission("org.edit", "党群组织管理-新增/编辑/启停/删除", "pc", "org", C),
    Permission("org.group.view", "党小组管理-查看", "pc", "org", C),
    Permission("org.group.edit", "党小组管理-新增/编辑/删除", "pc", "org", C),
    Permission("org.member.view", "党员基础信息管理-查看", "pc", "org", CB),
    Permission("org.member.edit", "党员基础信息管理-编辑", "pc", "org", CB),
]
