from core.sdk import Permission

C = ("committee",)
CB = ("committee", "branch_admin")
CBS = ("committee", "branch_admin", "student")
PERMISSIONS = [
    Permission("eval", "党员评价", "pc", None, CBS),
    Permission("eval.data", "数据管理", "pc", "eval", C),
    Permission("eval.data.view", "数据管理-查看", "pc", "eval.data", C),
    Permission("eval.data.edit", "数据管理-评价时段/批量导入/编辑/生成评价报告", "pc", "eval.data", C),
    Permission("eval.report", "评价结果", "pc", "eval", CBS),
    Permission("eval.report.view", "评价结果-查看", "pc", "eval.report", CBS),
    Permission("eval.report.export", "评价结果-导出", "pc", "eval.report", CBS),
    Permission("eval.report.publish", "评价结果-发布/撤回（仅学院党委）", "pc", "eval.report", C),
    Permission("mp.eval", "考核评价报告", "mp", None, CBS),
    Permission("mp.eval.college", "评价报告明细-学院党委", "mp", "mp.eval", C),
    Permission("mp.eval.branch", "评价报告明细-二级支部", "mp", "mp.eval", CB),
    Permission("mp.eval.individual", "评价报告明细-党员个人", "mp", "mp.eval", CBS),
]
