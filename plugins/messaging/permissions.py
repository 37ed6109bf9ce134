from core.sdk import Permission

CB = ("committee", "branch_admin")
EVERYONE = ("committee", "branch_admin", "student")
PERMISSIONS = [
    Permission("msg", "消息中心", "pc", None, CB),
    Permission("msg.urge", "催交提醒", "pc", "msg", CB),
    Permission("mp.messages", "消息", "mp", None, EVERYONE),
    Permission("mp.todos", "待办事项", "mp", None, EVERYONE),
]
