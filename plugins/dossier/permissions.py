"""Permission keys of 一人一档 and 历史数据导入."""
from core.sdk import Permission

CB = ("committee", "branch_admin")
PERMISSIONS = [
    Permission("dev.dossier", "一人一档（下载、批量导出）", "pc", "dev", CB),
    Permission("dev.history_import", "历史数据导入（学院党委）", "pc", "dev", ("committee",)),
    Permission("mp.dev.dossier", "我的入党档案", "mp", "mp.dev", ("student",)),
]
