"""ECharts options for the amis ``chart`` component on the PC report pages."""
from __future__ import annotations


def bars(title: str, labels: list[str], values: list[float], name: str) -> dict:
    return {"title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "axis"}, "grid": {"bottom": 80},
            "xAxis": {"type": "category", "data": labels, "axisLabel": {"rotate": 30, "interval": 0}},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "name": name, "data": values, "itemStyle": {"color": "#c0392b"},
                        "label": {"show": True, "position": "top"}}]}


def rank_lines(title: str, labels: list[str], series: dict[str, list]) -> dict:
    return {"title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
            "tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
            "xAxis": {"type": "category", "data": labels},
            "yAxis": {"type": "value", "inverse": True, "minInterval": 1, "min": 1, "name": "名次"},
            "series": [{"type": "line", "name": n, "data": v, "connectNulls": True} for n, v in series.items()]}
