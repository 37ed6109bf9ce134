from core.sdk import Permission

CB = ("committee", "branch_admin")
C = ("committee",)
PERMISSIONS = [
    Permission("dev.reception", "预备党员接收-查看", "pc", "dev", CB),
    Permission("dev.reception.condition", "审核发展条件（预备党员接收）", "pc", "dev.reception", CB),
    Permission("dev.reception.pre_talk", "流转座谈会及谈话（审核接收前谈话、座谈会）", "pc", "dev.reception", CB),
    Permission("dev.reception.publicity", "预备党员接收公示", "pc", "dev.reception", CB),
    Permission("dev.reception.meeting", "填报支委会议时间（预备党员接收）", "pc", "dev.reception", CB),
    Permission("dev.reception.pre_review", "上级党委预审（预备党员接收）", "pc", "dev.reception", CB),
    Permission("dev.reception.form", "确认入党志愿书提交", "pc", "dev.reception", CB),
    Permission("dev.reception.form_numbers", "分配和下发入党志愿书（学院党委）", "pc", "dev.reception", C),
    Permission("dev.reception.general_meeting", "支部大会讨论（接收预备党员）", "pc", "dev.reception", CB),
    Permission("dev.reception.committee_talk", "上级党委派人谈话（学院党委）", "pc", "dev.reception", C),
    Permission("dev.reception.approval", "上级党委审批（预备党员接收）", "pc", "dev.reception", CB),
    Permission("dev.reception.higher_filing", "再上一级党委组织部门备案", "pc", "dev.reception", CB),
    Permission("dev.conversion", "预备党员转正-查看", "pc", "dev", CB),
    Permission("dev.conversion.party_group", "编入党小组", "pc", "dev.conversion", CB),
    Permission("dev.conversion.oath", "入党宣誓（流转入党宣誓、填写宣誓时间）", "pc", "dev.conversion", CB),
    Permission("dev.conversion.cultivation", "转正教育考察（审核思想汇报、谈话记录，催交，考察通过）", "pc", "dev.conversion", CB),
    Permission("dev.conversion.application", "开放、处理转正申请", "pc", "dev.conversion", CB),
    Permission("dev.conversion.symposium", "座谈会管理（转正）", "pc", "dev.conversion", CB),
    Permission("dev.conversion.publicity", "预备党员转正公示", "pc", "dev.conversion", CB),
    Permission("dev.conversion.pre_review", "上级党委预审（转正）", "pc", "dev.conversion", CB),
    Permission("dev.conversion.general_meeting", "支部大会讨论（预备党员转正）", "pc", "dev.conversion", CB),
    Permission("dev.conversion.approval", "上级党委审批（转正）", "pc", "dev.conversion", CB),
    Permission("dev.conversion.complete", "完成发展流程", "pc", "dev.conversion", CB),
    Permission("mp.dev.probation", "入党志愿书、上级党委派人谈话、思想汇报、转正申请", "mp", "mp.dev", ("student",)),
]
