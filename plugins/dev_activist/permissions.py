from core.sdk import Permission

CB = ("committee", "branch_admin")
PERMISSIONS = [
    Permission("dev.activist", "积极分子-查看", "pc", "dev", CB),
    Permission("dev.activist.condition", "审核发展条件（积极分子阶段）", "pc", "dev.activist", CB),
    Permission("dev.activist.recommend", "处理推优结果", "pc", "dev.activist", CB),
    Permission("dev.activist.publicity", "积极分子名单公示、积极分子及培养联系人名单公示", "pc", "dev.activist", CB),
    Permission("dev.activist.meeting", "填报支委会议时间（积极分子）", "pc", "dev.activist", CB),
    Permission("dev.activist.filing", "积极分子上级党委备案", "pc", "dev.activist", CB),
    Permission("dev.activist.contact", "指定培养联系人", "pc", "dev.activist", CB),
    Permission("dev.activist.cultivation", "培育考察（审核思想汇报、谈话记录，催交，考察通过）", "pc", "dev.activist", CB),
    Permission("mp.dev.activist", "推优登记表、思想汇报、培育考察", "mp", "mp.dev", ("student",)),
]
