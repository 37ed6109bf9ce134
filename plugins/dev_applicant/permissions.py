from core.sdk import Permission

CB = ("committee", "branch_admin")
PERMISSIONS = [
    Permission("dev.applicant", "入党申请人-查看", "pc", "dev", CB),
    Permission("dev.applicant.proxy", "新增入党申请（代理上传）", "pc", "dev.applicant", CB),
    Permission("dev.applicant.review", "审核入党申请", "pc", "dev.applicant", CB),
    Permission("dev.applicant.talk", "指派/上传/确认/审核谈话", "pc", "dev.applicant", CB),
    Permission("dev.applicant.publicity", "申请人公示管理", "pc", "dev.applicant", CB),
    Permission("mp.dev.apply", "我想入党", "mp", "mp.dev", ("student",)),
]
