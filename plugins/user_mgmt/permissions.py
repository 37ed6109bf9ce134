from core.sdk import Permission

ALL = ("committee",)
PERMISSIONS = [
    Permission("um", "用户管理", "pc", None, ("committee", "branch_admin")),
    Permission("um.user.view", "用户管理-查看", "pc", "um", ("committee", "branch_admin")),
    Permission("um.user.edit", "用户管理-新增/编辑", "pc", "um", ALL),
    Permission("um.user.delete", "用户管理-删除", "pc", "um", ALL),
    Permission("um.institution.view", "机构管理-查看", "pc", "um", ALL),
    Permission("um.institution.edit", "机构管理-新增/编辑/启停/删除", "pc", "um", ALL),
    Permission("um.role.view", "角色管理-查看", "pc", "um", ALL),
    Permission("um.role.edit", "角色管理-新增/编辑/删除/设置权限", "pc", "um", ALL),
    Permission("mp.profile", "个人信息完善", "mp", None, ("student",)),
]
