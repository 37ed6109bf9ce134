"""The core's own permission keys: those of the routes every stage shares (timelines,
re-develop and re-flow vote, the talker's list, the branch's organisation life), declared
through the same hook as plugins."""
from core.hookspecs import hookimpl
from core.permissions import Permission

CB = ("committee", "branch_admin")


@hookimpl
def xf_permissions():
    return [Permission("dev", "党员发展", "pc", None, CB),
            Permission("dev.redevelop", "重新发展 / 重新流转表决", "pc", "dev", CB),
            Permission("mp.dev", "入党管理", "mp", None, ("student",)),
            Permission("mp.dev.timeline", "时间轴", "mp", "mp.dev", ("student",)),
            Permission("mp.dev.talks", "谈话任务（谈话人）", "mp", None, ("student", "branch_admin", "committee")),
            # 组织生活 (党员大会 and the other meetings of a branch): managed by the branch, attended on the phone.
            Permission("dev.org_life", "组织生活", "pc", "dev", CB),
            Permission("mp.dev.org_life", "组织生活（参会、签到）", "mp", None, ("student", "branch_admin", "committee"))]
