"""Minimal count vectors: each learner of a cohort as counts of interchangeable units.

A *kind* is a set of units with the same amount in every rule row of every learner. A learner's
rows only see how many units of each kind they count, so a learner is described by their
minimal count vectors: units taken per kind such that some choice of their held units meets
every row, and no count can be lowered by one. cohort_counts.py plans a cohort over them.
The rows are the compiler's (compile.learner_rows), so a rule means here what `solve` makes of
it; a rule that is not one row over units (any_of) is NotCovered.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from .cohort import unit_key
from .compile import learner_rows

_NONE = 10**9  # a missing floor or cap, in the vector arithmetic
# Beyond these a cohort is left to the joint model: the vectors would cost more than they save.
MAX_CANDIDATES = 400_000  # count vectors considered for one learner type
MAX_HELD_CHOICES = 20_000  # ways to count a learner's held units


class NotCovered(Exception):
    """The cohort has something counts do not handle."""


class OutOfTime(Exception):
    """The deadline came while counting."""


class NoPlan(Exception):
    """No plan lets every learner complete (some learner needs a unit that cannot run)."""


@dataclass
class CountedLearner:
    """One learner as rows over unit keys (units shared by URN are one key)."""

    open: list[str]  # unit keys they may be taught
    held: list[str]  # unit keys they hold and may count
    rows: list[tuple[tuple[tuple[str, int], ...], int | None, int | None]]
    vectors: list[tuple[int, ...]] = field(default_factory=list)
    kinds: list[list[str]] = field(default_factory=list)  # open units by kind, kinds sorted


def counted_learners(types) -> list[CountedLearner]:
    """Every learner of the plan's learner types (cohort_plan._Type), type by type, copies in
    order."""
    out = []
    for learner_type in types:
        s = learner_type.scenario
        q = s.qualification
        rows = learner_rows(s)
        if rows is None:
            raise NotCovered("a rule that is not one row over units (any_of)")
        key = {u.id: unit_key(q, u) for u in q.units}
        if len(set(key.values())) < len(key):
            raise NotCovered(f"two units of {q.id} share one URN")
        unusable: set[str] = set()
        kept = []
        for terms, lo, hi in rows:
            if any(c < 0 for c in terms.values()):
                raise NotCovered("a rule with a negative amount")
            if len(terms) == 1 and hi is not None and hi <= 0 and (lo is None or lo <= 0):
                unusable.update(terms)  # excluded: never counted
                continue
            kept.append((tuple(sorted((key[u], c) for u, c in terms.items())), lo, hi))
        held = [key[u] for u in s.held if u not in unusable and u not in set(s.blocked)]
        open_units = [key[u] for u in learner_type.open_units if u not in unusable]
        for _ in learner_type.learners:
            out.append(CountedLearner(open_units, held, kept))
    return out


def kinds(learners: list[CountedLearner], glh: dict[str, int]) -> dict[str, tuple]:
    """Each unit key's signature: its amount in every distinct row. Units with one signature
    are interchangeable for every learner's rules."""
    distinct, seen = [], set()
    for learner in learners:
        for row in learner.rows:
            if row not in seen:
                seen.add(row)
                distinct.append(dict(row[0]))
    units = set(glh) | {u for learner in learners for u in learner.held + learner.open}
    return {u: tuple(row.get(u, 0) for row in distinct) for u in sorted(units)}


def _by_kind(units, signature) -> dict[tuple, list[str]]:
    out: dict[tuple, list[str]] = {}
    for u in units:
        out.setdefault(signature[u], []).append(u)
    return out


def all_vectors(
    learners: list[CountedLearner],
    signature: dict[str, tuple],
    deadline: float | None = None,
    most: int | None = None,
) -> int:
    """Every learner's kinds and minimal vectors (learners with one profile share one
    enumeration); the number of vectors in all. OutOfTime once the deadline passes, NotCovered
    once there are more than `most`."""
    memo: dict[tuple, list[tuple[int, ...]]] = {}
    total = 0
    for learner in learners:
        groups, held = _by_kind(learner.open, signature), _by_kind(learner.held, signature)
        profile = (
            tuple(sorted((k, len(g)) for k, g in groups.items())),
            tuple(sorted((k, len(g)) for k, g in held.items())),
            tuple(learner.rows),
        )
        if profile not in memo:
            memo[profile] = _count_vectors(learner, groups, held, deadline)
        learner.vectors = memo[profile]
        learner.kinds = [groups[k] for k in sorted(groups)]
        if not learner.vectors:
            raise NoPlan
        total += len(learner.vectors)
        if most is not None and total > most:
            raise NotCovered(f"over {most:,} count vectors")
    return total


def _out_of_time(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise OutOfTime


def _count_vectors(
    learner: CountedLearner, groups: dict, held_groups: dict, deadline: float | None
) -> list[tuple[int, ...]]:
    """A learner's minimal count vectors over their kinds (sorted signatures). Candidates kind
    by kind (at most what a floor can use, caps pruned on the way), then feasibility and
    minimality for all at once."""
    import numpy as np

    _out_of_time(deadline)
    kinds, held_kinds = sorted(groups), sorted(held_groups)
    rows = [(dict(terms), lo, hi) for terms, lo, hi in learner.rows]
    n_rows = len(rows)
    amount = np.array(
        [[terms.get(groups[k][0], 0) for terms, _, _ in rows] for k in kinds], dtype=np.int64
    ).reshape(len(kinds), n_rows)
    held_amount = np.array(
        [[terms.get(held_groups[k][0], 0) for terms, _, _ in rows] for k in held_kinds],
        dtype=np.int64,
    ).reshape(len(held_kinds), n_rows)
    lo = np.array([-_NONE if low is None else low for _, low, _ in rows], dtype=np.int64)
    hi = np.array([_NONE if high is None else high for _, _, high in rows], dtype=np.int64)
    # Every way to count held units, as row sums (deduplicated).
    ways = 1
    for k in held_kinds:
        ways *= len(held_groups[k]) + 1
    if ways > MAX_HELD_CHOICES:
        raise NotCovered(f"{ways:,} ways to count one learner's held units")
    choices = itertools.product(*[range(len(held_groups[k]) + 1) for k in held_kinds])
    sums_held = {tuple(np.array(c, dtype=np.int64) @ held_amount) for c in choices}
    held = np.array(sorted(sums_held), dtype=np.int64).reshape(-1, n_rows)
    # Keep the held choices no other beats: more on floor-only rows, less on cap-only rows,
    # the same on rows with both. Exact: whatever vector a beaten choice completes, the choice
    # that beats it completes too (a floor met with less is met with more, a cap likewise).
    sign = np.array([1 if h >= _NONE else (-1 if low <= -_NONE else 0) for low, h in zip(lo, hi)])
    keep = []
    for j in range(len(held)):
        better = (held - held[j]) * sign
        same = (held[:, sign == 0] == held[j, sign == 0]).all(axis=1)
        if not (same & (better >= 0).all(axis=1) & (better > 0).any(axis=1)).any():
            keep.append(j)
    held = held[keep]
    most = []
    for j, k in enumerate(kinds):
        need = 0
        for r in range(n_rows):
            if amount[j, r] > 0 and lo[r] > 0:
                need = max(need, -(-int(lo[r]) // int(amount[j, r])))
        most.append(min(len(groups[k]), need))
    caps = [r for r in range(n_rows) if hi[r] < _NONE]
    candidates = np.zeros((1, 0), dtype=np.int64)
    sums = np.zeros((1, n_rows), dtype=np.int64)
    for j in range(len(kinds)):
        _out_of_time(deadline)
        n = np.arange(most[j] + 1)
        if len(candidates) * len(n) > MAX_CANDIDATES:
            raise NotCovered("too many count vectors for one learner")
        candidates = np.concatenate(
            [np.repeat(candidates, len(n), axis=0), np.tile(n, len(candidates))[:, None]], axis=1
        )
        sums = np.repeat(sums, len(n), axis=0) + np.tile(n, len(sums))[:, None] * amount[j]
        if caps:
            fits = (sums[:, caps] <= hi[caps]).all(axis=1)
            candidates, sums = candidates[fits], sums[fits]

    def feasible(s):  # row sums, N x R -> N booleans: some held choice meets every row
        total = s[:, None, :] + held[None, :, :]
        return ((total >= lo) & (total <= hi)).all(axis=2).any(axis=1)

    best = np.where(sign > 0, held.max(axis=0), np.where(sign < 0, held.min(axis=0), 0))
    floor = np.where(sign == 0, -_NONE, lo)
    rough = ((sums + best >= floor) & (sums + held.min(axis=0) <= hi)).all(axis=1)
    candidates, sums = candidates[rough], sums[rough]
    ok = feasible(sums)
    candidates, sums = candidates[ok], sums[ok]
    minimal = np.ones(len(candidates), dtype=bool)
    for j in range(len(kinds)):
        lowered = np.nonzero((candidates[:, j] > 0) & minimal)[0]
        if len(lowered):
            minimal[lowered[feasible(sums[lowered] - amount[j])]] = False
    return [tuple(int(x) for x in v) for v in candidates[minimal]]
