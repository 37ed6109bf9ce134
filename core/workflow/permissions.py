"""The core's own permission keys: those of the routes every stage shares (timelines,
re-develop and re-flow vote, the talker's list, the committee's filing decisions, the training
class, the branch's organisation life), declared through the same hook as plugins."""
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
            # The filing component (备案 / 预审 / 审批) of every stage: the committee's decision.
            Permission("dev.filing.decide", "确认备案/预审/审批结果（学院党委）", "pc", "dev", ("committee",)),
            # The training class (DEV-9), shared by the activist and candidate stages.
            Permission("dev.training", "培训管理", "pc", "dev", CB),
            Permission("dev.training.manage", "创建、发布、确认培训班（学院党委）", "pc", "dev.training", ("committee",)),
            Permission("dev.training.screen", "筛选培训班报名名单（党支部）", "pc", "dev.training", CB),
            Permission("mp.dev.training", "培训班报名", "mp", "mp.dev", ("student",)),
            # 组织生活 (党员大会 and the other meetings of a branch): managed by the branch, attended on the phone.
            Permission("dev.org_life", "组织生活", "pc", "dev", CB),
            Permission("mp.dev.org_life", "组织生活（参会、签到）", "mp", None, ("student", "branch_admin", "committee"))]
