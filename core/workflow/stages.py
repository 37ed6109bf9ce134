"""Stages and steps as declared by stage plugins (DEV-4), and the national 25 steps.

The five stages always exist in this order, so a record can enter a stage whose plugin is
not installed yet (it then waits at the stage's start). A stage plugin declares the ordered
steps of its stage with ``xf_stages``; other plugins insert steps with ``xf_extra_steps``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

STAGES: list[tuple[str, str]] = [
    ("applicant", "申请入党"),
    ("activist", "入党积极分子的确定和培养教育"),
    ("candidate", "发展对象的确定和考察"),
    ("reception", "预备党员的接收"),
    ("conversion", "预备党员的教育考察和转正"),
]
STAGE_TITLES = dict(STAGES)
STAGE_PEOPLE = {"applicant": "入党申请人", "activist": "入党积极分子", "candidate": "发展对象",
                "reception": "预备党员", "conversion": "预备党员"}

# 《中国共产党发展党员工作细则》: number → (stage key, title)
REGULATION_STEPS: list[tuple[int, str, str]] = [
    (1, "applicant", "递交入党申请书"), (2, "applicant", "党组织派人谈话"),
    (3, "activist", "推荐和确定入党积极分子"), (4, "activist", "上级党委备案"), (5, "activist", "指定培养联系人"),
    (6, "activist", "培养教育考察"),
    (7, "candidate", "确定发展对象"), (8, "candidate", "报上级党委备案"), (9, "candidate", "确定入党介绍人"),
    (10, "candidate", "政治审查"), (11, "candidate", "集中培训"),
    (12, "reception", "支部委员会审查"), (13, "reception", "上级党委预审"), (14, "reception", "填写入党志愿书"),
    (15, "reception", "支部大会讨论"), (16, "reception", "上级党委派人谈话"), (17, "reception", "上级党委审批"),
    (18, "reception", "再上一级党委组织部门备案"),
    (19, "conversion", "编入党支部和党小组"), (20, "conversion", "入党宣誓"), (21, "conversion", "继续教育考察"),
    (22, "conversion", "提出转正申请"), (23, "conversion", "支部大会讨论"), (24, "conversion", "上级党委审批"),
    (25, "conversion", "材料归档"),
]


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    component: str = ""  # review | talk | publicity | custom
    # Regulation step numbers this step completes when it is done.
    regulation: tuple[int, ...] = ()
    # PC permission key an actor needs to move a record out of this step.
    permission: str = ""
    failure_code: str = ""  # status shown when this step fails, e.g. 发展条件-不通过


@dataclass
class Stage:
    key: str
    steps: list[Step] = field(default_factory=list)

    @property
    def title(self) -> str:
        return STAGE_TITLES[self.key]


@dataclass(frozen=True)
class StepInsert:
    """Insert ``step`` into ``stage`` right after the step ``after`` (DEV-4, third parties)."""

    stage: str
    after: str
    step: Step


class StageRegistry:
    def __init__(self, declared: list[Stage], inserts: list[StepInsert]):
        self.stages: dict[str, Stage] = {key: Stage(key) for key, _ in STAGES}
        for stage in declared:
            if stage.key not in self.stages:
                raise ValueError(f"unknown stage {stage.key!r}; stages are {[k for k, _ in STAGES]}")
            if self.stages[stage.key].steps:
                raise ValueError(f"stage {stage.key!r} declared twice")
            self.stages[stage.key].steps = list(stage.steps)
        for ins in inserts:
            steps = self.stages[ins.stage].steps
            keys = [s.key for s in steps]
            if ins.after not in keys:
                raise ValueError(f"cannot insert step {ins.step.key!r} after unknown step {ins.after!r} of {ins.stage!r}")
            steps.insert(keys.index(ins.after) + 1, ins.step)
        for stage in self.stages.values():
            keys = [s.key for s in stage.steps]
            if len(keys) != len(set(keys)):
                raise ValueError(f"stage {stage.key!r} has duplicate step keys")

    def stage(self, key: str) -> Stage:
        return self.stages[key]

    def step(self, stage: str, key: str) -> Step | None:
        return next((s for s in self.stages[stage].steps if s.key == key), None)

    def first_step(self, stage: str) -> str:
        steps = self.stages[stage].steps
        return steps[0].key if steps else ""

    def next_of(self, stage: str, step: str) -> tuple[str, str]:
        """(stage, step) after ``step``: the next step, or the next stage's first step."""
        keys = [s.key for s in self.stages[stage].steps]
        i = keys.index(step)
        if i + 1 < len(keys):
            return stage, keys[i + 1]
        order = [k for k, _ in STAGES]
        j = order.index(stage)
        if j + 1 < len(order):
            nxt = order[j + 1]
            return nxt, self.first_step(nxt)
        return stage, ""

    def step_title(self, stage: str, step: str) -> str:
        s = self.step(stage, step) if step else None
        if s:
            return s.title
        return "待开始" if not step else step
