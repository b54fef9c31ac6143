"""An exact pathway solver with no CP-SAT: the independent judge of the CP-SAT solver in tests.

A pathway is a set S of unit ids of the qualification (the units that count). S is feasible iff
`pathway.auditor.audit(q, S).achieved` (every rule holds, as the auditor reads it), S holds no
excluded unit and every required unit, and the budgets (over *new* units, those not achieved)
hold. An excluded unit that is achieved is not excluded: it is not taught, so it still counts. Objectives, all as the user reads them:

- ``min-glh``: GLH of the new units of S (a ``glh`` override wins; achieved units cost nothing);
- ``max-preference``: sum over S of each unit's weight (its unit weight plus its tags' weights);
- ``min-credits``: credits of the new units of S;
- ``min-units``: number of new units of S.

Two independent methods:

* brute force (:func:`feasible_sets`, :func:`brute_optimum_lex`, :func:`brute_optimal_sets`):
  every subset of the free units (neither excluded nor forced), judged by ``audit`` itself. Small
  models only (2**free audits).
* a dynamic program (:func:`optimum`, :func:`optimum_lex`, :func:`count_optimal`,
  :func:`all_optimal_sets`) over the units in model order. Each amount-rule scope, barred rule and
  budget is a counter in the state; a counter with a max is tracked exactly and the state is
  dropped once it exceeds the max; a counter with only a min saturates at the min. A counter is
  reset to 0 after the last unit that can change it (once its min is checked), and a state is
  dropped as soon as its counter plus everything the remaining units could add falls short of the
  min, so the live state stays small. Rules nested in any-of/all-of become saturating counters
  that are never pruned early; each turns into a truth bit after its last unit, and the whole
  any-of/all-of is evaluated (and its bits reset) after its last unit. Each state keeps the best
  objective vector (lexicographic) and the number of unit sets reaching it, so the number of
  optimal pathways is exact, and optionally back-pointers to list them.

Like ``pathway.solver.check_inputs``, min-glh (or a GLH budget) needs the GLH of every unit that
could be taught (not excluded, not achieved), and min-credits (or a credit budget) needs every such
unit's credit: otherwise ValueError.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pathway.auditor import audit, counted
from pathway.model import AllOf, Amount, AnyOf, Barred, Mandatory, Qualification, Rule

OBJECTIVES = ("min-glh", "max-preference", "min-credits", "min-units")
# The solver's documented tie-break as two more objectives, read from the README: the smallest
# sum of hashed weights (splitmix64 of the position from 0, top 20 bits, plus one; written out
# again here from the README's words, not imported); then the sum of 2**i, i = position from 0
# (so at the latest-listed unit where two sets differ, the set without it wins). Put last in an
# objective list, they pick exactly one of the optimal sets.
TIE_WEIGHTS = "tie-weights"
TIE_BREAK = "tie-break"
TIE_BREAKS = (TIE_WEIGHTS, TIE_BREAK)


def tie_weight(position: int) -> int:
    """splitmix64(position) >> 44, plus one: the README's tie-break weight."""
    mask = 2**64 - 1
    z = (position + 0x9E3779B97F4A7C15) % 2**64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    z = z ^ (z >> 31)
    return (z >> 44) + 1


BRUTE_FORCE_LIMIT = 20  # free units; 2**20 audits is already about a minute


@dataclass
class Problem:
    qualification: Qualification
    achieved: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    glh: dict[str, int] = field(default_factory=dict)
    unit_weights: dict[str, int] = field(default_factory=dict)
    tag_weights: dict[str, int] = field(default_factory=dict)
    max_glh: int | None = None
    max_units: int | None = None
    max_credits: int | None = None

    def __post_init__(self):
        self.achieved = frozenset(self.achieved)
        # A held unit is not taught, so excluding it (the centre cannot teach it) changes
        # nothing: it still counts.
        self.excluded = frozenset(self.excluded) - self.achieved
        self.required = frozenset(self.required)
        known = {u.id for u in self.qualification.units}
        self._positions = {u.id: i for i, u in enumerate(self.qualification.units)}
        for name in ("achieved", "excluded", "required", "glh", "unit_weights"):
            unknown = set(getattr(self, name)) - known
            if unknown:
                raise ValueError(f"{name}: not units of {self.qualification.id}: {sorted(unknown)}")

    def glh_of(self, uid: str) -> int | None:
        if uid in self.glh:
            return self.glh[uid]
        return self.qualification.unit(uid).glh

    def weight_of(self, uid: str) -> int:
        unit = self.qualification.unit(uid)
        return self.unit_weights.get(uid, 0) + sum(self.tag_weights.get(t, 0) for t in unit.tags)

    @classmethod
    def of_scenario(cls, s) -> Problem:
        """The same question as a `pathway.scenario.Scenario` (already resolved to unit ids)."""
        return cls(
            s.qualification,
            achieved=frozenset(s.held),
            excluded=frozenset(s.excluded),
            required=frozenset(s.required),
            glh=dict(s.glh),
            unit_weights=dict(s.unit_weights),
            tag_weights=dict(s.tag_weights),
            max_glh=s.budget.max_glh,
            max_units=s.budget.max_units,
            max_credits=s.budget.max_credits,
        )

    def position(self, uid: str) -> int:
        return self._positions[uid]

    def open_units(self) -> list[str]:
        """Units that could still be taught: neither excluded nor achieved."""
        return [
            u.id
            for u in self.qualification.units
            if u.id not in self.excluded and u.id not in self.achieved
        ]


# -- shared helpers -------------------------------------------------------------------------


def check_inputs(problem: Problem, objectives: Iterable[str] = ()) -> None:
    objectives = list(objectives)
    for name in objectives:
        if name not in OBJECTIVES and name not in TIE_BREAKS:
            raise ValueError(f"unknown objective {name!r}")
    open_units = problem.open_units()
    if "min-glh" in objectives or problem.max_glh is not None:
        missing = [u for u in open_units if problem.glh_of(u) is None]
        if missing:
            raise ValueError(f"no GLH for units that could be taught: {missing}")
    if "min-credits" in objectives or problem.max_credits is not None:
        missing = [u for u in open_units if problem.qualification.unit(u).credit is None]
        if missing:
            raise ValueError(f"no credit for units that could be taught: {missing}")


def unit_cost(problem: Problem, objective: str, uid: str) -> int:
    """What taking `uid` adds to the objective, as a quantity to *minimise*."""
    if objective == TIE_WEIGHTS:
        return tie_weight(problem.position(uid))
    if objective == TIE_BREAK:
        return 1 << problem.position(uid)
    if objective == "max-preference":
        return -problem.weight_of(uid)
    if uid in problem.achieved:
        return 0
    if objective == "min-glh":
        glh = problem.glh_of(uid)
        if glh is None:
            raise ValueError(f"{uid} has no GLH")
        return glh
    if objective == "min-credits":
        return problem.qualification.unit(uid).credit or 0
    if objective == "min-units":
        return 1
    raise ValueError(f"unknown objective {objective!r}")


def objective_value(problem: Problem, objective: str, units: Iterable[str]) -> int:
    """The objective of one unit set, with the user's sign (preference as a positive score)."""
    total = sum(unit_cost(problem, objective, u) for u in units)
    return -total if objective == "max-preference" else total


def _user_sign(objectives: list[str], vector: tuple[int, ...]) -> list[int]:
    return [-v if o == "max-preference" else v for o, v in zip(objectives, vector)]


def forced_units(problem: Problem) -> set[str]:
    """Required units and the units of top-level mandatory rules."""
    out = set(problem.required)
    for rule in problem.qualification.rules:
        if isinstance(rule, Mandatory):
            out.update(rule.units)
    return out


def is_feasible(problem: Problem, units: Iterable[str]) -> bool:
    """The ground truth: the auditor plus the scenario's own constraints."""
    chosen = set(units)
    if chosen & problem.excluded or not problem.required <= chosen:
        return False
    new = [u for u in chosen if u not in problem.achieved]
    q = problem.qualification
    if problem.max_units is not None and len(new) > problem.max_units:
        return False
    if problem.max_glh is not None and sum(problem.glh_of(u) for u in new) > problem.max_glh:
        return False
    if (
        problem.max_credits is not None
        and sum(q.unit(u).credit or 0 for u in new) > problem.max_credits
    ):
        return False
    return audit(q, chosen).achieved


# -- brute force ----------------------------------------------------------------------------


def feasible_sets(problem: Problem, limit: int = BRUTE_FORCE_LIMIT) -> Iterator[frozenset[str]]:
    """Every feasible unit set, by trying every subset of the free units (small models only)."""
    check_inputs(problem)
    forced = forced_units(problem)
    if forced & problem.excluded:
        return
    free = [
        u.id
        for u in problem.qualification.units
        if u.id not in forced and u.id not in problem.excluded
    ]
    if len(free) > limit:
        raise ValueError(f"{len(free)} free units: too many to brute-force (limit {limit})")
    for r in range(len(free) + 1):
        for combo in itertools.combinations(free, r):
            chosen = frozenset(forced.union(combo))
            if is_feasible(problem, chosen):
                yield chosen


def brute_optimal_sets(
    problem: Problem, objectives: list[str] | str, sets: list[frozenset[str]] | None = None
) -> tuple[list[int] | None, list[frozenset[str]]]:
    """(lexicographic optimum with the user's signs, every set reaching it), by brute force."""
    objectives = [objectives] if isinstance(objectives, str) else list(objectives)
    check_inputs(problem, objectives)
    if sets is None:
        sets = list(feasible_sets(problem))
    best: tuple[int, ...] | None = None
    winners: list[frozenset[str]] = []
    for s in sets:
        key = tuple(sum(unit_cost(problem, o, u) for u in s) for o in objectives)
        if best is None or key < best:
            best, winners = key, [s]
        elif key == best:
            winners.append(s)
    if best is None:
        return None, []
    return _user_sign(objectives, best), sorted(winners, key=sorted)


def brute_optimum_lex(problem: Problem, objectives: list[str] | str) -> list[int] | None:
    return brute_optimal_sets(problem, objectives)[0]


# -- dynamic program ------------------------------------------------------------------------


@dataclass
class _Counter:
    lo: int | None
    hi: int | None
    eager: bool  # top-level: prune as soon as it cannot hold; nested: becomes a bit at the end
    add: dict[int, int] = field(default_factory=dict)  # unit index -> amount added when taken

    def holds(self, value: int) -> bool:
        return (self.lo is None or value >= self.lo) and (self.hi is None or value <= self.hi)

    @property
    def cap(self) -> int:
        """Values at or above the cap are all alike for this counter."""
        if self.eager:
            return self.hi if self.hi is not None else (self.lo or 0)
        return self.hi + 1 if self.hi is not None else (self.lo or 0)


class _Compiler:
    """Turns a problem into counters, a formula per top-level any-of/all-of, and forced units."""

    def __init__(self, problem: Problem):
        self.p = problem
        self.q = problem.qualification
        self.index = {u.id: i for i, u in enumerate(self.q.units)}
        self.counters: list[_Counter] = []
        self.formulas: list[tuple] = []  # ("leaf", k) | ("all", [...]) | ("any", [...])
        self.forced: set[str] = set(problem.required)

    def counter(self, lo, hi, eager, amounts: Iterable[tuple[str, int]]) -> int:
        c = _Counter(lo, hi, eager)
        for uid, amount in amounts:
            i = self.index[uid]
            c.add[i] = c.add.get(i, 0) + amount
        self.counters.append(c)
        return len(self.counters) - 1

    def amounts(self, rule: Amount, scope_units) -> list[tuple[str, int]]:
        out = []
        for uid in counted(self.q, rule, scope_units):
            if rule.measure == "credits":
                credit = self.q.unit(uid).credit
                if credit is None:
                    raise ValueError(f"{rule.key} counts credits but {uid} has none")
                out.append((uid, credit))
            else:
                out.append((uid, 1))
        return out

    def top(self, rule: Rule) -> None:
        if isinstance(rule, Mandatory):
            self.forced.update(rule.units)
        elif isinstance(rule, Amount):
            if rule.min is None and rule.max is None:
                return
            for scope in rule.scopes:
                self.counter(rule.min, rule.max, True, self.amounts(rule, scope.units))
        elif isinstance(rule, Barred):
            self.counter(None, 1, True, [(u, 1) for u in rule.units])
        elif isinstance(rule, (AnyOf, AllOf)):
            self.formulas.append(self.nested(rule))
        else:
            raise TypeError(f"unknown rule type {type(rule).__name__}")

    def nested(self, rule: Rule) -> tuple:
        if isinstance(rule, Mandatory):
            units = list(rule.units)
            return ("leaf", self.counter(len(units), None, False, [(u, 1) for u in units]))
        if isinstance(rule, Amount):
            leaves = [
                ("leaf", self.counter(rule.min, rule.max, False, self.amounts(rule, s.units)))
                for s in rule.scopes
            ]
            return ("all", leaves)
        if isinstance(rule, Barred):
            return ("leaf", self.counter(None, 1, False, [(u, 1) for u in rule.units]))
        if isinstance(rule, AnyOf):
            return ("any", [self.nested(r) for r in rule.rules])
        if isinstance(rule, AllOf):
            return ("all", [self.nested(r) for r in rule.rules])
        raise TypeError(f"unknown rule type {type(rule).__name__}")

    def compile(self):
        for rule in self.q.rules:
            self.top(rule)
        p = self.p
        new = [u.id for u in self.q.units if u.id not in p.achieved]
        if p.max_glh is not None:
            self.counter(None, p.max_glh, True, [(u, p.glh_of(u) or 0) for u in new])
        if p.max_units is not None:
            self.counter(None, p.max_units, True, [(u, 1) for u in new])
        if p.max_credits is not None:
            self.counter(None, p.max_credits, True, [(u, self.q.unit(u).credit or 0) for u in new])
        return self


def _leaves(formula) -> list[int]:
    if formula[0] == "leaf":
        return [formula[1]]
    return [k for f in formula[1] for k in _leaves(f)]


def _evaluate(formula, state) -> bool:
    kind, arg = formula
    if kind == "leaf":
        return bool(state[arg])
    if kind == "all":
        return all(_evaluate(f, state) for f in arg)
    return any(_evaluate(f, state) for f in arg)


class _DP:
    """The layered dynamic program. `run` returns the final layer {state: [value, count, preds]}."""

    def __init__(self, problem: Problem, objectives: list[str]):
        check_inputs(problem, objectives)
        self.p = problem
        self.objectives = objectives
        comp = _Compiler(problem).compile()
        q = problem.qualification
        n = len(q.units)
        self.n = n
        self.ids = [u.id for u in q.units]
        self.counters = comp.counters
        self.formulas = comp.formulas
        self.infeasible = bool(comp.forced & problem.excluded)
        self.options = []
        for uid in self.ids:
            if uid in problem.excluded:
                self.options.append((0,))
            elif uid in comp.forced:
                self.options.append((1,))
            else:
                self.options.append((0, 1))
        self.costs = [
            tuple(unit_cost(problem, o, uid) if 1 in self.options[i] else 0 for o in objectives)
            for i, uid in enumerate(self.ids)
        ]
        m = len(self.counters)
        # what can still be added to each counter from unit i onwards (units that can be taken)
        self.rem = [[0] * (n + 1) for _ in range(m)]
        last = [-1] * m
        for k, c in enumerate(self.counters):
            for i in range(n - 1, -1, -1):
                a = c.add.get(i, 0) if 1 in self.options[i] else 0
                self.rem[k][i] = self.rem[k][i + 1] + a
                if a and last[k] < 0:
                    last[k] = i
        # per unit: (slot, amount, cap, prune_above) for each counter the unit moves
        self.updates = [[] for _ in range(n)]
        for k, c in enumerate(self.counters):
            for i, a in c.add.items():
                if a and 1 in self.options[i]:
                    prune = c.hi if (c.eager and c.hi is not None) else None
                    self.updates[i].append((k, a, c.cap, prune))
        # after unit i (i = -1: before any unit): eager min checks, finished counters, formulas
        self.live_min = [
            [k for k, c in enumerate(self.counters) if c.eager and c.lo and last[k] > i]
            for i in range(-1, n)
        ]
        self.finish = [[k for k in range(m) if last[k] == i] for i in range(-1, n)]
        formula_end = [max((last[k] for k in _leaves(f)), default=-1) for f in self.formulas]
        self.formula_end = [[j for j, e in enumerate(formula_end) if e == i] for i in range(-1, n)]

    def after(self, state: list[int], i: int) -> tuple[int, ...] | None:
        """Checks and resets once unit i is decided (i = -1: the empty prefix)."""
        for k in self.live_min[i + 1]:
            if state[k] + self.rem[k][i + 1] < self.counters[k].lo:
                return None
        for k in self.finish[i + 1]:
            c = self.counters[k]
            if c.eager:
                if not c.holds(state[k]):
                    return None
                state[k] = 0
            else:
                state[k] = int(c.holds(state[k]))
        for j in self.formula_end[i + 1]:
            f = self.formulas[j]
            if not _evaluate(f, state):
                return None
            for k in _leaves(f):
                state[k] = 0
        return tuple(state)

    def run(self, keep_preds: bool = False) -> list[dict]:
        """Every layer: layer i maps the state after units 0..i-1 to [best, count, preds]."""
        if self.infeasible:
            return [{}]
        start = self.after([0] * len(self.counters), -1)
        zero = tuple(0 for _ in self.objectives)
        layer = {} if start is None else {start: [zero, 1, []]}
        layers = [layer]
        for i in range(self.n):
            nxt: dict[tuple[int, ...], list] = {}
            cost = self.costs[i]
            updates = self.updates[i]
            for state, (value, count, _) in layer.items():
                for take in self.options[i]:
                    s = list(state)
                    if take:
                        dead = False
                        for k, a, cap, prune in updates:
                            v = s[k] + a
                            if prune is not None and v > prune:
                                dead = True
                                break
                            s[k] = min(cap, v)
                        if dead:
                            continue
                        v2 = tuple(x + y for x, y in zip(value, cost))
                    else:
                        v2 = value
                    s2 = self.after(s, i)
                    if s2 is None:
                        continue
                    entry = nxt.get(s2)
                    pred = [(state, take)] if keep_preds else []
                    if entry is None or v2 < entry[0]:
                        nxt[s2] = [v2, count, pred]
                    elif v2 == entry[0]:
                        entry[1] += count
                        entry[2].extend(pred)
            layer = nxt
            layers.append(layer)
        return layers

    def best(self, final: dict):
        if not final:
            return None, 0, []
        best = min(entry[0] for entry in final.values())
        winners = [s for s, entry in final.items() if entry[0] == best]
        return best, sum(final[s][1] for s in winners), winners


def _as_list(objectives) -> list[str]:
    return [objectives] if isinstance(objectives, str) else list(objectives)


def optimum_lex(problem: Problem, objectives: list[str]) -> list[int] | None:
    """The lexicographic optimum (user's signs), or None when no pathway exists."""
    objectives = _as_list(objectives)
    dp = _DP(problem, objectives)
    best, _, _ = dp.best(dp.run()[-1])
    return None if best is None else _user_sign(objectives, best)


def optimum(problem: Problem, objective: str) -> int | None:
    """The optimum of one objective (preference as a positive score); None = infeasible."""
    result = optimum_lex(problem, [objective])
    return None if result is None else result[0]


def count_optimal(problem: Problem, objectives) -> int:
    """How many distinct unit sets reach the (lexicographic) optimum; 0 when infeasible."""
    dp = _DP(problem, _as_list(objectives))
    return dp.best(dp.run()[-1])[1]


def count_feasible(problem: Problem) -> int:
    """How many feasible unit sets there are (the DP with no objective)."""
    dp = _DP(problem, [])
    return sum(entry[1] for entry in dp.run()[-1].values())


def all_optimal_sets(
    problem: Problem, objectives, limit: int | None = 100_000
) -> list[frozenset[str]]:
    """Every optimal unit set (sorted), from the DP's back-pointers. Raises ValueError when
    there are more than `limit`."""
    dp = _DP(problem, _as_list(objectives))
    layers = dp.run(keep_preds=True)
    _, count, winners = dp.best(layers[-1])
    if limit is not None and count > limit:
        raise ValueError(f"{count} optimal sets, more than the limit {limit}")
    out: list[frozenset[str]] = []

    def back(i: int, state, taken: list[str]):
        # layers[i][state] holds the units 0..i-1 decided; walk back to the empty prefix
        if i == 0:
            out.append(frozenset(taken))
            return
        for prev, take in layers[i][state][2]:
            if take:
                taken.append(dp.ids[i - 1])
            back(i - 1, prev, taken)
            if take:
                taken.pop()

    for state in winners:
        back(dp.n, state, [])
    assert len(out) == count, (len(out), count)
    return sorted(out, key=sorted)


def tie_break_winner(problem: Problem, objectives) -> frozenset[str] | None:
    """The one pathway the solver must print: optimal, then the documented tie-break."""
    winners = all_optimal_sets(problem, [*_as_list(objectives), *TIE_BREAKS])
    assert len(winners) <= 1, winners  # distinct sets have distinct tie-break sums
    return winners[0] if winners else None


def ranked_sets(
    problem: Problem, objectives, sets: list[frozenset[str]] | None = None
) -> list[frozenset[str]]:
    """Every feasible set, best first by (objectives, tie-break): what `--top K` must list.
    Brute force, so small models only."""
    objectives = [*_as_list(objectives), *TIE_BREAKS]
    check_inputs(problem, objectives)
    if sets is None:
        sets = list(feasible_sets(problem))
    return sorted(
        sets, key=lambda s: [sum(unit_cost(problem, o, u) for u in s) for o in objectives]
    )
