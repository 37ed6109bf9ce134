"""PDF exports (EV-6): the same figures as the API, with reportlab charts and the embedded CJK font."""
from __future__ import annotations

from core.documents import PdfReport
from core.settings import Settings


TOP_ROWS = 100  # the college PDF lists at most this many of the top p % (thousands of rows make an unreadable PDF)


def _chg(v) -> str:
    return "-" if v is None else (f"↑{v}" if v > 0 else (f"↓{-v}" if v < 0 else "0"))


def college_pdf(d: dict, settings: Settings) -> bytes:
    doc = PdfReport("学院党委评价报告", settings.font_path, settings.college_name, d["period"]["label"])
    doc.heading("党总支概况").paragraph(f"{d['overview']['name']}：参与评价党员 {d['overview']['student_count']} 人，"
                                    f"党支部 {d['overview']['branch_count']} 个。")
    doc.heading("评价概要").paragraph(d["summary"])
    t = d["threshold"]
    doc.heading(f"支部排名情况（学院前 {t:g}% 党员人数）")
    doc.bar_chart(f"各支部学院前 {t:g}% 党员人数", [b["name"] for b in d["branch_ranking"]], [b["top_count"] for b in d["branch_ranking"]])
    doc.table(["排名", "党支部", "参评人数", f"前{t:g}%人数", "较上期"],
              [[b["rank"], b["name"], b["member_count"], b["top_count"], _chg(b["change"])] for b in d["branch_ranking"]])
    top = d["top"]
    doc.heading(f"学院内排名前 {t:g}% 的党员（{top['count']} 人）")
    if top["count"] > TOP_ROWS:
        doc.note(f"共 {top['count']} 人，下表列出前 {TOP_ROWS} 名，完整名单见导出（“评价结果”页面的“导出名单”，Excel）。")
    doc.table(["排名", "姓名", "学号", "党支部", "得分"],
              [[x["rank"], x["name"], x["student_no"], x["branch_name"], f"{x['value']:g}"] for x in top["items"][:TOP_ROWS]])
    doc.heading("党员个人排名 TOP10")
    for block in d["top10"]:
        doc.paragraph(f"【{block['name']}】")
        doc.table(["排名", "姓名", "党支部", "得分", "综合排名", "综合较上期"],
                  [[x["rank"], x["name"], x["branch_name"], f"{x['value']:g}", x["composite_rank"], _chg(x["composite_change"])]
                   for x in block["items"]])
    return doc.build()


def branch_pdf(d: dict, settings: Settings) -> bytes:
    o = d["overview"]
    doc = PdfReport(f"{o['name']}评价报告", settings.font_path, settings.college_name, d["period"]["label"])
    doc.heading("党支部概况").paragraph(f"{o['name']}（{o['training_type'] or '-'}）：参与评价党员 {o['student_count']} 人，"
                                    f"学院综合排名第 {o['rank']} 名，较上期 {_chg(o['change'])}。")
    doc.heading("评价概要（各指标在学院中的排名）")
    doc.table(["指标", "学院排名", f"前{d['threshold']:g}%人数", "平均分"],
              [[s["name"], f"{s['rank']}/{s['branch_total']}", s["top_count"], f"{s['average']:g}"] for s in d["summary"]])
    doc.heading("支部历史排名变化")
    doc.line_chart("支部综合排名（学院内）", [h["label"] for h in d["history"]], {"综合排名": [h["rank"] for h in d["history"]]})
    doc.heading(f"学院内前 {d['threshold']:g}% 的党员人数")
    doc.bar_chart("各评价时段人数", [h["label"] for h in d["top_history"]], [h["top_count"] for h in d["top_history"]])
    doc.heading("支部内党员排名")
    doc.table(["支部排名", "姓名", "学号", "得分", "学院排名", "综合较上期"],
              [[m["branch_rank"], m["name"], m["student_no"], f"{m['value']:g}", m["college_rank"], _chg(m["composite_change"])]
               for m in d["members"]])
    return doc.build()


def individual_pdf(d: dict, settings: Settings) -> bytes:
    b = d["basic"]
    doc = PdfReport("党员个人评价报告", settings.font_path, settings.college_name, d["period"]["label"])
    doc.heading("基础信息").table(["姓名", "学号", "所在党支部"], [[b["name"], b["student_no"], b["branch_name"]]])
    doc.heading("评价意见").paragraph(d["opinion"])
    doc.heading("评价指标排名")
    doc.table(["指标", "得分", "学院排名", "支部排名"],
              [[m["name"], "-" if m["value"] is None else f"{m['value']:g}", f"{m['college_rank']}/{d['totals']['college']}",
                f"{m['branch_rank']}/{d['totals']['branch']}"] for m in d["metric_ranks"]])
    doc.heading("排名变化趋势")
    labels = [t["label"] for t in d["trend"]]
    names = list(dict.fromkeys(n for t in d["trend"] for n in t["ranks"]))
    doc.line_chart("学院内排名", labels, {n: [t["ranks"].get(n, {}).get("college") for t in d["trend"]] for n in names})
    doc.line_chart("支部内排名", labels, {n: [t["ranks"].get(n, {}).get("branch") for t in d["trend"]] for n in names})
    return doc.build()
