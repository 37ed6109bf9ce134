"""What resolving a step does to one person (engine v2, docs/workflow.md "Outcome").

A step declares the outcomes it allows, each under a key its components and routes use
(``"pass"``, ``"reject"``, ``"delay_half_year"``...). ``Engine.resolve`` takes one key per
person for a batch and runs one UPDATE per distinct outcome, so a batch costs the same
number of statements for 10 or 1,000 people.

Finality is data: ``fail(code, final=True)`` stores ``failure_final`` on the record and
re-develop refuses it, although the visible status may read exactly like a failure that
can be re-developed (reception's and conversion's ``支部大会-不通过``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OutcomeKind = Literal["advance", "fail", "reflow", "finish", "stay"]


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    label: str = ""  # the Chinese words a person reads (同意接收, 延迟预备期半年...)
    code: str = ""  # fail: the visible status, e.g. 发展条件-不通过
    final: bool = False  # fail: cannot be re-developed
    revote_to: str = ""  # fail: the branch may send the person back to this step (重新流转表决)
    to_step: str = ""  # reflow: the earlier step of the same stage the person goes back to
    extend_months: int = 0  # reflow: months added to the ``probation_end`` milestone

    @property
    def moves(self) -> bool:
        return self.kind != "stay"


def advance(label: str = "通过") -> Outcome:
    """Complete the step: next step, or the next stage's first step (finish after the last step of the last stage)."""
    return Outcome("advance", label)


def fail(code: str, *, final: bool = False, revote_to: str = "", label: str = "不通过") -> Outcome:
    """Stop at this step with the visible status ``code``; ``final`` forbids re-develop."""
    if not code:
        raise ValueError("a failure outcome needs its visible code, e.g. 发展条件-不通过")
    if final and revote_to:
        raise ValueError("a final failure cannot be re-voted")
    return Outcome("fail", label, code=code, final=final, revote_to=revote_to)


def reflow(to_step: str, *, extend_months: int = 0, label: str = "重新流转") -> Outcome:
    """Go back to ``to_step`` of the same stage (its own hook and timeline line)."""
    if not to_step:
        raise ValueError("a reflow outcome names the step it goes back to")
    return Outcome("reflow", label, to_step=to_step, extend_months=extend_months)


def finish(label: str = "完成发展") -> Outcome:
    """The record is done and the person becomes 中共党员; nothing can move it afterwards."""
    return Outcome("finish", label)


def stay(label: str = "退回") -> Outcome:
    """Nothing moves (e.g. a form sent back for correction); only a timeline line is written."""
    return Outcome("stay", label)
