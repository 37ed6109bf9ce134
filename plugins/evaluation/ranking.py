"""Pure ranking arithmetic: composite score, competition ranks, top-p% cut-off, branch tables."""
from __future__ import annotations

import math
from typing import Iterable, Sequence

COMPOSITE = "composite"
COMPOSITE_NAME = "综合"


def composite(values: dict, metrics: Sequence[dict]) -> float:
    """Weighted sum; a lower-is-better metric counts negatively so a higher composite is always better."""
    total = 0.0
    for m in metrics:
        v = float(values.get(m["key"], 0.0))
        total += m["weight"] * (v if m["higher_better"] else -v)
    return round(total, 4)


def competition_ranks(values: Sequence[float], higher_better: bool = True) -> list[int]:
    """Standard competition ranks (1, 2, 2, 4) for ``values``, in their order."""
    order = sorted(range(len(values)), key=lambda i: values[i], reverse=higher_better)
    ranks = [0] * len(values)
    prev, prev_rank = None, 0
    for pos, i in enumerate(order, 1):
        v = values[i]
        if v != prev:
            prev, prev_rank = v, pos
        ranks[i] = prev_rank
    return ranks


def cutoff(total: int, threshold: float) -> int:
    """Largest rank that is inside the top ``threshold`` % of ``total`` people (at least 1 when total > 0)."""
    if total <= 0:
        return 0
    return max(1, math.ceil(total * threshold / 100 - 1e-9))


def in_top(rank: int, total: int, threshold: float) -> bool:
    return 0 < rank <= cutoff(total, threshold)


def branch_ranks(counts: dict[int, float], higher_better: bool = True) -> dict[int, int]:
    ids = list(counts)
    return dict(zip(ids, competition_ranks([counts[i] for i in ids], higher_better)))


def top_counts(rows: Iterable[tuple[int, int]], total: int, threshold: float, branch_ids: Iterable[int]) -> dict[int, int]:
    """Members of each branch inside the college top ``threshold`` %; rows are (branch_id, college rank)."""
    limit = cutoff(total, threshold)
    counts = {b: 0 for b in branch_ids}
    for branch_id, rank in rows:
        if 0 < rank <= limit:
            counts[branch_id] = counts.get(branch_id, 0) + 1
    return counts
