"""Stages and steps as declared by stage plugins (DEV-4), and the national 25 steps.

The five stages always exist in this order, so a record can enter a stage whose plugin is
not installed yet (it then waits at the stage's start). A stage plugin declares the ordered
steps of its stage with ``xf_stages``; other plugins insert steps with ``xf_extra_steps``.

A step carries everything the engine and the kit need: the outcomes it allows, the tasks
that run inside it, and the configured component objects that bring its routes, pages,
list columns, row actions and to-do items (``core/workflow/kit.py`` mounts them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from core.workflow.outcomes import Outcome, advance, fail, stay

STAGES: list[tuple[str, str]] = [
    ("applicant", "申请入党"),
    ("activist", "入党积极分子的确定和培养教育"),
    ("candidate", "发展对象的确定和考察"),
    ("reception", "预备党员的接收"),
    ("conversion", "预备党员的教育考察和转正"),
]
STAGE_ORDER = [k for k, _ in STAGES]
STAGE_TITLES = dict(STAGES)
STAGE_PEOPLE = {"applicant": "入党申请人", "activist": "入党积极分子", "candidate": "发展对象",
                "reception": "预备党员", "conversion": "预备党员"}
LAST_STAGE = STAGE_ORDER[-1]

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
class TaskSpec:
    """A unit of work inside a step that runs beside the others (thought reports, talks, training).

    ``every="quarter"`` with ``count=4`` makes four periods of three months counted from the
    milestone ``start`` (or from the day the person entered the step when it is missing);
    each period is due at its end. ``when`` limits a task to some records (e.g. the
    reception symposium only for those not filed this semester). A required task left open
    refuses leaving the step, naming the person and what is missing. ``regulation`` lists
    the national step numbers the task completes (⑩ 政治审查, ⑪ 集中培训).
    """

    key: str
    title: str
    every: str = ""  # "" (one task) | "quarter"
    count: int = 1
    start: str = ""  # milestone the periods count from
    required: bool = True
    when: Callable[[Any], bool] | None = None
    regulation: tuple[int, ...] = ()
    due_days: int = 0  # one-off task: due this many days after entering the step (0: no due date)

    def __post_init__(self):
        if self.every not in ("", "quarter"):
            raise ValueError(f"task {self.key!r}: every must be '' or 'quarter'")
        if self.count < 1:
            raise ValueError(f"task {self.key!r}: count must be at least 1")

    @property
    def periods(self) -> int:
        return self.count if self.every else 1


@dataclass(frozen=True, eq=False)
class Step:
    key: str
    title: str
    # A configured component object, several (a tuple), or a plain label for steps driven by custom code.
    component: Any = ""
    # Regulation step numbers this step completes when it is done.
    regulation: tuple[int, ...] = ()
    # PC permission key an actor needs to move a record out of this step.
    permission: str = ""
    failure_code: str = ""  # status of the default "fail" outcome, e.g. 发展条件-不通过
    # The outcomes the step allows, by key. None: "advance" and "fail" (with failure_code).
    outcomes: Mapping[str, Outcome] | None = None
    tasks: tuple[TaskSpec, ...] = ()
    auto_advance: bool = False  # advance by itself when the last required task is done

    def __post_init__(self):
        keys = [t.key for t in self.tasks]
        if len(keys) != len(set(keys)):
            raise ValueError(f"step {self.key!r} declares a task key twice")

    @property
    def components(self) -> tuple:
        c = self.component
        if isinstance(c, str) or c is None:
            return ()
        return tuple(c) if isinstance(c, (tuple, list)) else (c,)

    def allowed(self) -> dict[str, Outcome]:
        if self.outcomes is not None:
            return {"stay": stay(), **dict(self.outcomes)}
        return {"advance": advance(), "fail": fail(self.failure_code or f"{self.title}-不通过"), "stay": stay()}

    def outcome(self, key: str) -> Outcome | None:
        return self.allowed().get(key)

    def revote_target(self, code: str) -> str:
        """The step a non-final failure with visible ``code`` may be re-voted from (重新流转表决), or ""."""
        return next((o.revote_to for o in self.allowed().values() if o.kind == "fail" and o.code == code and o.revote_to), "")

    def failure(self, code: str) -> Outcome | None:
        """The declared failure with this visible code (the default failure when ``code`` is empty)."""
        fails = [o for o in self.allowed().values() if o.kind == "fail"]
        return next((o for o in fails if not code or o.code == code), None)


@dataclass
class StagePage:
    """The generated list page of a stage (入党申请人, 积极分子...): its title, the milestone
    columns it shows besides the standard ones, and its menu icon. Components add their own
    columns, row actions and batch actions."""

    title: str = ""
    milestone_columns: list[tuple[str, str]] = field(default_factory=list)  # (milestone key, label)
    icon: str = "fa fa-users"


@dataclass
class Stage:
    key: str
    steps: list[Step] = field(default_factory=list)
    # URL part of the stage's generated routes and page: /api/pc/v1/development/<slug>, /admin/development/page/<slug>
    slug: str = ""
    view_permission: str = ""  # opens the list page, its detail and read routes
    page: StagePage | None = None

    @property
    def title(self) -> str:
        return STAGE_TITLES[self.key]

    @property
    def people_label(self) -> str:
        return STAGE_PEOPLE[self.key]

    @property
    def api_prefix(self) -> str:
        return f"/api/pc/v1/development/{self.slug or self.key}"

    @property
    def page_url(self) -> str:
        """Where messages to the branch link (the generated list page)."""
        return f"/admin/development/page/{self.slug or self.key}"


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
                raise ValueError(f"unknown stage {stage.key!r}; stages are {STAGE_ORDER}")
            if self.stages[stage.key].steps:
                raise ValueError(f"stage {stage.key!r} declared twice")
            self.stages[stage.key] = Stage(stage.key, list(stage.steps), stage.slug, stage.view_permission, stage.page)
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
            for step in stage.steps:
                for o in step.allowed().values():
                    if o.kind == "reflow" and o.to_step not in keys[:keys.index(step.key) + 1]:
                        raise ValueError(f"step {stage.key}.{step.key}: reflow to {o.to_step!r}, not an earlier step")
                    if o.revote_to and o.revote_to not in keys:
                        raise ValueError(f"step {stage.key}.{step.key}: revote_to {o.revote_to!r} is not a step")
                for component in step.components:
                    component.bind(stage, step)

    def stage(self, key: str) -> Stage:
        return self.stages[key]

    def step(self, stage: str, key: str) -> Step | None:
        return next((s for s in self.stages[stage].steps if s.key == key), None)

    def first_step(self, stage: str) -> str:
        steps = self.stages[stage].steps
        return steps[0].key if steps else ""

    def is_last(self, stage: str, step: str) -> bool:
        """The last step of the last stage: advancing from it finishes the record."""
        steps = self.stages[stage].steps
        return stage == LAST_STAGE and bool(steps) and steps[-1].key == step

    def next_of(self, stage: str, step: str) -> tuple[str, str]:
        """(stage, step) after ``step``: the next step, or the next stage's first step."""
        keys = [s.key for s in self.stages[stage].steps]
        i = keys.index(step)
        if i + 1 < len(keys):
            return stage, keys[i + 1]
        j = STAGE_ORDER.index(stage)
        if j + 1 < len(STAGE_ORDER):
            nxt = STAGE_ORDER[j + 1]
            return nxt, self.first_step(nxt)
        return stage, step

    def step_title(self, stage: str, step: str) -> str:
        s = self.step(stage, step) if step else None
        if s:
            return s.title
        return "待开始" if not step else step

    def components(self):
        """Every configured component with its stage and step, in process order."""
        for key in STAGE_ORDER:
            stage = self.stages[key]
            for step in stage.steps:
                for component in step.components:
                    yield stage, step, component
