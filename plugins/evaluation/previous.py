"""较上期 (change against the previous period, EV-4): which period a report compares with, and the
stored previous ranks that every view reads.

A period's previous period, per training type, is the latest earlier period with a report holding
people of that type. The previous ranks are copied into the period's rows (``prev_college_rank``,
``prev_branch_rank``, the branch's ``prev_rank``) so views read one row. They are facts about
*another* period's report, so whenever that report or the order of periods changes — an earlier
period is (re)generated, a period is deleted or moved to another year — every later report that
compares with it is relinked in the same transaction. College and branch views then always agree,
and no report shows figures of a report that no longer exists.
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from plugins.evaluation.models import EvalBranchResult, EvalPeriod, EvalResult
from plugins.evaluation.periods import ordered_periods


def previous_of(position: int, generated: list[EvalPeriod]) -> dict[str, int]:
    """For each training type of ``generated[position]``, the latest earlier period holding that type."""
    period = generated[position]
    found: dict[str, int] = {}
    for tt in period.summary.get("training_types") or []:
        for earlier in reversed(generated[:position]):
            if tt in (earlier.summary.get("training_types") or []):
                found[tt] = earlier.id
                break
    return found


async def _copy_previous_ranks(session: AsyncSession, period_id: int, training_type: str, previous_id: int | None) -> None:
    """Set the period's previous ranks for one training type from ``previous_id``'s current report
    (NULL where a person or branch was not in it): two UPDATE statements with correlated subqueries."""
    r = EvalResult.__table__
    b = EvalBranchResult.__table__
    if previous_id is None:
        await session.execute(update(r).where(r.c.period_id == period_id, r.c.training_type == training_type)
                              .values(prev_college_rank=None, prev_branch_rank=None))
        await session.execute(update(b).where(b.c.period_id == period_id, b.c.training_type == training_type)
                              .values(prev_rank=None))
        return
    q = aliased(r)
    same_person = (q.c.period_id == previous_id, q.c.user_id == r.c.user_id, q.c.training_type == training_type)
    await session.execute(update(r).where(r.c.period_id == period_id, r.c.training_type == training_type).values(
        prev_college_rank=select(q.c.college_rank).where(*same_person).scalar_subquery(),
        prev_branch_rank=select(q.c.branch_rank).where(*same_person).scalar_subquery()))
    qb = aliased(b)
    await session.execute(update(b).where(b.c.period_id == period_id, b.c.training_type == training_type).values(
        prev_rank=select(qb.c.rank).where(qb.c.period_id == previous_id, qb.c.branch_id == b.c.branch_id,
                                          qb.c.training_type == training_type).scalar_subquery()))


async def link(session: AsyncSession, period: EvalPeriod, previous: dict[str, int], fresh: bool = False) -> None:
    """Store ``previous`` as the period's comparison and copy the previous ranks into its rows
    (``fresh``: the rows were just inserted with empty previous ranks, nothing to clear)."""
    for tt in period.summary.get("training_types") or []:
        if fresh and tt not in previous:
            continue
        await _copy_previous_ranks(session, period.id, tt, previous.get(tt))
    period.summary = {**period.summary, "previous": previous}  # a new dict: JSON columns track assignment
    session.add(period)


async def relink(session: AsyncSession, changed: int | None = None) -> list[tuple[EvalPeriod, str]]:
    """Bring every generated period's 较上期 figures in line with the current reports and order.

    A period is relinked when its previous periods are no longer the ones it stored (a period was
    generated, deleted or moved) or when one of them is ``changed`` (just regenerated). Returns the
    relinked periods with their year names, in time order; the caller commits."""
    rows = [(p, y) for p, y in await ordered_periods(session) if p.generated_at is not None]
    generated = [p for p, _ in rows]
    done = []
    for i, (p, year) in enumerate(rows):
        if p.id == changed:
            continue
        want = previous_of(i, generated)
        have = dict(p.summary.get("previous") or {})
        if want != have or (changed is not None and changed in want.values()):
            await link(session, p, want)
            done.append((p, year))
    return done
