"""Solve: objectives, the tie-break that makes answers unique, top-K and time limits.

Every pathway returned has been re-checked by the auditor (audit.py), which knows nothing of
CP-SAT; a disagreement is an InternalError, never printed as an answer.

Tie-break (documented in README): among pathways equal on every objective, prefer the one that
avoids later-listed units: compare the two pathways' latest-listed unit where they differ, and
the pathway without it wins. This is a total order, so the answer is unique whatever the worker
count, and it never adds a unit that is not needed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .audit import Audit, audit, scenario_violations
from .compile import Compiled, compile_problem
from .errors import InputError, InternalError, Problem
from .scenario import OBJECTIVES, Scenario

COMBINED_LIMIT = 2**52  # objective values must stay exact in CP-SAT's double-valued report
TIE_CHUNK = 40


@dataclass
class Pathway:
    units: tuple[str, ...]
    values: list[int]  # one per objective, in the user's sense (max-preference positive)
    audit: Audit


@dataclass
class Solution:
    scenario: Scenario
    objectives: list[str]
    status: str  # optimal | feasible | infeasible | unknown
    pathways: list[Pathway] = field(default_factory=list)
    bound: int | None = None  # best proven bound on the first objective when not optimal
    explanation: object | None = None
    seconds: float = 0.0

    @property
    def best(self) -> Pathway | None:
        return self.pathways[0] if self.pathways else None


def default_objectives(s: Scenario) -> list[str]:
    """min-glh where every unit that could be taught has GLH; else credits; else units."""
    candidates = [u for u in s.qualification.units if u.id not in s.excluded]
    if all(s.glh_of(u.id) is not None for u in candidates if u.id not in s.achieved):
        return ["min-glh"]
    if all(u.credit is not None for u in candidates):
        return ["min-credits"]
    return ["min-units"]


def check_inputs(s: Scenario, objectives: list[str]) -> None:
    q = s.qualification
    where = s.path or q.path
    for name in objectives:
        if name not in OBJECTIVES:
            raise InputError(
                Problem(
                    where,
                    None,
                    None,
                    f"unknown objective {name!r} (known: {', '.join(OBJECTIVES)})",
                )
            )
    open_units = [u for u in q.units if u.id not in s.excluded and u.id not in s.achieved]
    if "min-glh" in objectives or s.budget.max_glh is not None:
        missing = [u.label for u in open_units if s.glh_of(u.id) is None]
        if missing:
            raise InputError(
                Problem(
                    where,
                    None,
                    None,
                    "min-glh and max_glh need GLH for every unit that could be taught; "
                    f"{q.id} gives none for {', '.join(missing)}: supply them under `glh:` in the "
                    "scenario, exclude those units, or choose another objective",
                )
            )
    if "min-credits" in objectives or s.budget.max_credits is not None:
        missing = [u.label for u in open_units if u.credit is None]
        if missing:
            raise InputError(
                Problem(
                    where,
                    None,
                    None,
                    f"min-credits and max_credits need credit values; {q.id} gives none for "
                    f"{', '.join(missing)}",
                )
            )


def objective_terms(name: str, s: Scenario, c: Compiled) -> list[tuple[int, int]]:
    """The objective as terms to *minimise*."""
    q = s.qualification
    new = [u for u in q.units if u.id not in s.achieved]
    if name == "min-glh":
        return [(c.take[u.id], s.glh_of(u.id)) for u in new]
    if name == "min-credits":
        return [(c.take[u.id], u.credit or 0) for u in new]
    if name == "min-units":
        return [(c.take[u.id], 1) for u in new]
    if name == "max-preference":
        return [(c.take[u.id], -s.weight_of(u.id)) for u in q.units]
    raise ValueError(name)


def objective_value(name: str, s: Scenario, units) -> int:
    """The same objective computed in plain Python from a unit set (user's sign)."""
    q = s.qualification
    new = [u for u in units if u not in s.achieved]
    if name == "min-glh":
        return sum(s.glh_of(u) for u in new)
    if name == "min-credits":
        return sum(q.unit(u).credit or 0 for u in new)
    if name == "min-units":
        return len(new)
    return sum(s.weight_of(u) for u in units)


def solve(
    s: Scenario,
    objectives: list[str] | None = None,
    top: int | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
) -> Solution:
    started = time.monotonic()
    objectives = objectives or s.objectives or default_objectives(s)
    top = top or s.top
    workers = workers or s.workers
    time_limit = time_limit if time_limit is not None else s.time_limit
    check_inputs(s, objectives)
    deadline = None if time_limit is None else started + time_limit
    c = compile_problem(s)
    for guard in c.guards:
        c.cp.add_linear([(guard.literal, 1)], 1, 1)
    search = _Search(s, c, objectives, workers, deadline)
    solution = search.run(top)
    if solution.status == "infeasible":
        from .explain import explain

        solution.explanation = explain(s, deadline)
    solution.seconds = time.monotonic() - started
    return solution


class _Search:
    def __init__(self, s, c, objectives, workers, deadline):
        self.s, self.c, self.objectives = s, c, objectives
        self.workers, self.deadline = workers, deadline
        self.units = [u.id for u in s.qualification.units]
        self.hint: dict[int, int] | None = None

    def remaining(self) -> float | None:
        return None if self.deadline is None else max(self.deadline - time.monotonic(), 0.001)

    def _solve(self):
        return self.c.cp.solve(workers=self.workers, time_limit=self.remaining(), hint=self.hint)

    def run(self, top: int) -> Solution:
        solution = Solution(self.s, self.objectives, "optimal")
        # Fix every objective but the last at its optimum, in order.
        for name in self.objectives[:-1]:
            terms = objective_terms(name, self.s, self.c)
            self.c.cp.minimize(terms)
            r = self._solve()
            if r.status in ("infeasible", "unknown"):
                solution.status = r.status
                return solution
            if r.status == "feasible":
                self._unproven(solution, r, terms, scale=1)
                solution.pathways.append(self._verified(self._chosen(r)))
                return solution
            self.hint = {v: r.value(v) for v in self.c.take.values()}
            self.c.cp.add_linear(terms, r.objective, r.objective, (), f"fix {name}")
        last = objective_terms(self.objectives[-1], self.s, self.c)
        for rank in range(top):
            found = self._best_with_tiebreak(last, solution)
            if found is None:
                break
            solution.pathways.append(self._verified(found))
            if solution.status != "optimal":
                break
            self._forbid(found)
        if not solution.pathways and solution.status == "optimal":
            solution.status = "infeasible"
        return solution

    def _best_with_tiebreak(self, terms, solution) -> tuple[str, ...] | None:
        take = self.c.take
        k = len(self.units)
        tie = [(take[u], 1 << i) for i, u in enumerate(self.units)]
        span = max(sum(abs(cf) for _, cf in terms), 1)
        if (span + 1) << k < COMBINED_LIMIT:
            # One solve: the objective scaled above every tie-break sum.
            self.c.cp.minimize([(v, cf << k) for v, cf in terms] + tie)
            r = self._solve()
            if r.status in ("infeasible", "unknown"):
                if not solution.pathways:
                    solution.status = r.status
                return None
            if r.status == "feasible":
                self._unproven(solution, r, terms, scale=1 << k)
                return self._chosen(r)
            self.hint = {v: r.value(v) for v in take.values()}
            return self._chosen(r)
        # Too many units for one scaled objective: fix the optimum, then decide the
        # tie-break in chunks, latest-listed units first.
        self.c.cp.minimize(terms)
        r = self._solve()
        if r.status in ("infeasible", "unknown"):
            if not solution.pathways:
                solution.status = r.status
            return None
        if r.status == "feasible":
            self._unproven(solution, r, terms, scale=1)
            return self._chosen(r)
        marker = len(self.c.cp.constraints)
        self.c.cp.add_linear(terms, r.objective, r.objective)
        self.hint = {v: r.value(v) for v in take.values()}
        for end in range(k, 0, -TIE_CHUNK):
            chunk = self.units[max(end - TIE_CHUNK, 0) : end]
            chunk_terms = [(take[u], 1 << i) for i, u in enumerate(chunk)]
            self.c.cp.minimize(chunk_terms)
            r = self._solve()
            if r.status != "optimal":
                del self.c.cp.constraints[marker:]
                self._unproven(solution, r, terms, scale=1)
                return self._chosen(r) if r.values else None
            value = sum(cf * r.value(v) for v, cf in chunk_terms)
            self.c.cp.add_linear(chunk_terms, value, value)
            self.hint = {v: r.value(v) for v in take.values()}
        del self.c.cp.constraints[marker:]  # later ranks must be free to differ
        return self._chosen(r)

    def _unproven(self, solution, r, terms, scale):
        solution.status = "feasible"
        if r.bound is not None:
            slack = scale - 1
            bound = -((-(r.bound - slack)) // scale)  # ceil: the tie-break adds < scale
            solution.bound = -bound if self.objectives[0] == "max-preference" else bound
        if len(self.objectives) > 1:
            solution.bound = None  # a bound on a later objective says little; be silent
        return solution

    def _chosen(self, r) -> tuple[str, ...]:
        return tuple(u for u in self.units if r.value(self.c.take[u]))

    def _forbid(self, units: tuple[str, ...]):
        # No-good: at least one unit must differ from this exact set.
        chosen = set(units)
        terms = [(self.c.take[u], -1 if u in chosen else 1) for u in self.units]
        self.c.cp.add_linear(terms, 1 - len(chosen), None, (), "forbid found set")

    def _verified(self, units) -> Pathway:
        result = audit(self.s.qualification, units)
        broken = scenario_violations(self.s, units)
        if not result.achieved or broken:
            failed = [f"{r.rule.key} {r.rule.name}" for r in result.failures] + broken
            raise InternalError(f"solver returned a pathway the auditor rejects: {failed}")
        values = [objective_value(n, self.s, units) for n in self.objectives]
        return Pathway(units, values, result)
