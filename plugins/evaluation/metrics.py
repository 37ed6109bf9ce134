"""Metric definitions of a period: defaults from settings ([evaluation] in settings.toml), validation."""
from __future__ import annotations

import re
from typing import Any

from core.sdk import Settings, fail
from plugins.evaluation.models import MAX_METRICS

BUILTIN_METRICS = [
    {"name": "学习成绩", "weight": 0.3, "higher_better": True},
    {"name": "理论学习", "weight": 0.2, "higher_better": True},
    {"name": "组织生活", "weight": 0.15, "higher_better": True},
    {"name": "志愿服务", "weight": 0.15, "higher_better": True},
    {"name": "民主评议", "weight": 0.2, "higher_better": True},
]
DEFAULT_THRESHOLD = 20.0
# A metric value outside [min, max] is refused by the import and the data edit. Metrics declare
# their own range (``min``/``max`` in ``[[evaluation.metrics]]`` or the 评价指标 form); this one
# holds when they do not — scores out of 100, the usual scale of a college's evaluation sheets.
DEFAULT_MIN, DEFAULT_MAX = 0.0, 100.0


_KEY = re.compile(r"^m([1-9][0-9]?)$")


def _section(settings: Settings) -> dict:
    """The [evaluation] table of settings.toml (``XIANFENG_EVALUATION__TOP_THRESHOLD`` etc. in the env)."""
    return settings.section("evaluation")


def slot(key: str) -> int:
    """The column slot of a metric key: ``m3`` -> 3 (columns ``v3``/``c3``/``b3``)."""
    return int(key[1:])


def default_metrics(settings: Settings) -> list[dict]:
    raw = _section(settings).get("metrics") or BUILTIN_METRICS
    return normalise(raw)


def default_threshold(settings: Settings) -> float:
    try:
        value = float(_section(settings).get("top_threshold", DEFAULT_THRESHOLD))
    except (TypeError, ValueError):
        return DEFAULT_THRESHOLD
    return value if 0 < value <= 100 else DEFAULT_THRESHOLD


def normalise(raw: list[Any]) -> list[dict]:
    """Validate metric definitions; keys are stable ``m1``, ``m2``… so renaming keeps the data."""
    if not isinstance(raw, list) or not raw:
        raise fail(422, "至少需要一个评价指标")
    if len(raw) > MAX_METRICS:
        raise fail(422, f"评价指标最多 {MAX_METRICS} 个")
    out, names = [], set()

    def valid_key(m: Any) -> str | None:
        k = str(m.get("key") or "") if isinstance(m, dict) else ""
        found = _KEY.match(k)
        return k if found and int(found.group(1)) <= MAX_METRICS else None

    used = {k for k in map(valid_key, raw) if k}
    fresh = (f"m{n}" for n in range(1, MAX_METRICS + 1) if f"m{n}" not in used)
    for i, m in enumerate(raw, 1):
        if not isinstance(m, dict):
            raise fail(422, f"第 {i} 个评价指标格式不正确")
        name = str(m.get("name") or "").strip()
        if not name:
            raise fail(422, f"第 {i} 个评价指标缺少名称")
        if name in names or name in ("姓名", "学号", "党支部", "培养类型", "综合"):
            raise fail(422, f"评价指标名称“{name}”重复或与固定列重名")
        names.add(name)
        try:
            weight = float(m.get("weight", 1))
        except (TypeError, ValueError):
            raise fail(422, f"评价指标“{name}”的权重应为数字") from None
        if weight != weight or weight in (float("inf"), float("-inf")):
            raise fail(422, f"评价指标“{name}”的权重应为数字")
        if weight < 0:
            raise fail(422, f"评价指标“{name}”的权重不能为负数")
        hb = m.get("higher_better", True)
        if isinstance(hb, str):
            hb = hb.strip().lower() not in ("false", "0", "否", "越低越好")
        low, high = _bound(m, "min", DEFAULT_MIN, name, "最小值"), _bound(m, "max", DEFAULT_MAX, name, "最大值")
        if not low < high:
            raise fail(422, f"评价指标“{name}”的最小值应小于最大值")
        key = valid_key(m) or next(fresh)
        out.append({"key": key, "name": name, "weight": weight, "higher_better": bool(hb), "min": low, "max": high})
    keys = [m["key"] for m in out]
    if len(set(keys)) != len(keys):
        raise fail(422, "评价指标编号重复")
    return out


def _bound(m: dict, key: str, default: float, name: str, label: str) -> float:
    raw = m.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise fail(422, f"评价指标“{name}”的{label}应为数字") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise fail(422, f"评价指标“{name}”的{label}应为数字")
    return value


def with_range(metrics: list[dict]) -> list[dict]:
    """Metrics stored before ranges existed carry none: they get the default range."""
    return [m if "min" in m and "max" in m else {**m, "min": m.get("min", DEFAULT_MIN), "max": m.get("max", DEFAULT_MAX)}
            for m in metrics]


def out_of_range(m: dict, value: float) -> str | None:
    """Why ``value`` is not allowed for metric ``m`` (None when it is)."""
    low, high = m.get("min", DEFAULT_MIN), m.get("max", DEFAULT_MAX)
    if low <= value <= high:
        return None
    return f"{value:g} 超出“{m['name']}”的取值范围（{low:g}～{high:g}）"


def metric_names(metrics: list[dict]) -> dict[str, str]:
    return {"composite": "综合", **{m["key"]: m["name"] for m in metrics}}
