"""Timing rules of the regulation (shared/spec/regulation.md) as configurable checks.

Each rule compares two milestone dates of a record. It is checked when a move sets the
later milestone; ``mode`` decides whether a breach refuses the move or only warns (the
default: warn, shown on the record and in its timeline). Configure in settings.toml:

    [workflow.rules.talk_after_application]
    mode = "refuse"      # or "warn" / "off"
    days = 30
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class TimingRule:
    key: str
    title: str
    start: str  # milestone key
    end: str  # milestone key (checked when this one is set)
    days: int
    kind: str  # max: end ≤ start + days; min: end ≥ start + days
    mode: str = "warn"

    def breach(self, start: date, end: date) -> str | None:
        if self.kind == "max" and end > start + timedelta(days=self.days):
            return f"{self.title}：应在{self.days}天内，实际间隔{(end - start).days}天"
        if self.kind == "min" and end < start + timedelta(days=self.days):
            return f"{self.title}：至少间隔{self.days}天，实际间隔{(end - start).days}天"
        return None


DEFAULT_RULES = [
    TimingRule("talk_after_application", "递交申请书后一个月内派人谈话", "applied_at", "talked_at", 30, "max"),
    TimingRule("application_to_activist", "递交申请书半年后方可确定为入党积极分子", "applied_at", "activist_at", 183, "min"),
    TimingRule("activist_to_candidate", "培养教育一年以上方可确定为发展对象", "activist_at", "candidate_at", 365, "min"),
    TimingRule("cultivation_length", "培养教育考察一年以上方可考察通过", "activist_at", "cultivated_at", 365, "min"),
    # Checked when the record finishes (full_member_at is the probation end) and by 完成发展流程.
    TimingRule("probation_length", "预备期满一年方可转为正式党员", "received_at", "full_member_at", 365, "min", "refuse"),
]

# Other numbers of the regulation the components read (publicity length, probation, ...).
DEFAULT_PERIODS = {"publicity_working_days": 5, "probation_days": 365}


def configured_rules(settings) -> list[TimingRule]:
    conf = settings.section("workflow").get("rules", {}) if settings is not None else {}
    rules = []
    for rule in DEFAULT_RULES:
        override = conf.get(rule.key, {}) or {}
        rule = replace(rule, mode=str(override.get("mode", rule.mode)), days=int(override.get("days", rule.days)))
        if rule.mode != "off":
            rules.append(rule)
    return rules


def period(settings, key: str) -> int:
    conf = settings.section("workflow") if settings is not None else {}
    return int(conf.get(key, DEFAULT_PERIODS[key]))
