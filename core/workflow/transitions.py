"""The typed values the engine hands to guards and hooks, and returns to its callers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from core.workflow.outcomes import Outcome

if TYPE_CHECKING:
    from core.auth import Actor
    from core.models import User
    from core.settings import Settings
    from core.workflow.models import DevelopmentRecord

Action = Literal["start", "advance", "fail", "reflow", "finish", "stay", "redevelop", "place"]


@dataclass
class GuardResult:
    user_id: int
    level: str  # refuse | warn
    rule: str
    message: str


@dataclass
class Transition:
    """One group of records making the same move, handed to ``xf_guard`` and the after-move hooks.

    ``action``: start | advance | fail | reflow | finish | stay | redevelop | place (a record
    placed on a valid step at start-up). ``stage``/``step`` is where the records were,
    ``to_stage``/``to_step`` where they are now. ``milestones`` are the dates this move sets,
    keyed by **user id**: ``{user_id: {"applied_at": date}}``.
    """

    action: Action
    stage: str
    step: str
    to_stage: str
    to_step: str
    records: list[DevelopmentRecord]
    users: dict[int, User]
    actor: Actor
    now: datetime
    note: str = ""
    failure_code: str = ""
    outcome: Outcome | None = None
    outcome_key: str = ""
    milestones: dict[int, dict[str, date]] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    warnings: list[GuardResult] = field(default_factory=list)
    settings: Settings | None = None

    @property
    def user_ids(self) -> list[int]:
        return [r.user_id for r in self.records]


@dataclass
class Resolution:
    """What one ``Engine.resolve`` call did: a transition per distinct outcome."""

    transitions: list[Transition] = field(default_factory=list)

    @property
    def records(self) -> list[DevelopmentRecord]:
        return [r for t in self.transitions for r in t.records]

    @property
    def warnings(self) -> list[GuardResult]:
        return [w for t in self.transitions for w in t.warnings]

    def of(self, action: str) -> list[DevelopmentRecord]:
        return [r for t in self.transitions if t.action == action for r in t.records]
