from core.sdk import Permission

CB = ("committee", "branch_admin")
PERMISSIONS = [
    Permission("dev.candidate", "发展对象-查看", "pc", "dev", CB),
    Permission("dev.candidate.condition", "审核发展条件（发展对象阶段）", "pc", "dev.candidate", CB),
    Permission("dev.candidate.recommend", "处理推优结果（发展对象阶段）", "pc", "dev.candidate", CB),
    Permission("dev.candidate.symposium", "入党重点发展对象座谈会", "pc", "dev.candidate", CB),
    Permission("dev.candidate.meeting", "支委会议（确定发展对象）", "pc", "dev.candidate", CB),
    Permission("dev.candidate.filing", "发展对象上级党委备案", "pc", "dev.candidate", CB),
    Permission("dev.candidate.publicity", "确定入党重点发展对象名单的公示", "pc", "dev.candidate", ("committee",)),
    Permission("dev.candidate.introducer", "确定入党介绍人", "pc", "dev.candidate", CB),
    Permission("dev.candidate.cultivation", "入党教育培育考察（审核思想汇报、谈话记录、自传，催交，考察通过）", "pc",
               "dev.candidate", CB),
    Permission("dev.candidate.political", "政审管理（学院党委组织政审，党支部填写政审意见）", "pc", "dev.candidate", CB),
    Permission("mp.dev.candidate", "推优登记表、思想汇报、自传撰写、政治审查（发展对象）", "mp", "mp.dev", ("student",)),
]
