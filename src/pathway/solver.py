"""Solve: objectives, the tie-break that makes answers unique, top-K and time limits.

Every pathway returned has been re-checked by the auditor (auditor.py), which knows nothing of
CP-SAT; a disagreement is an InternalError, never printed as an answer.

Tie-break (documented in README): among pathways equal on every objective, prefer the one that
avoids later-listed units: compare the two pathways' latest-listed unit where they differ, and
the pathway without it wins. This is a total order, so the answer is unique whatever the worker
count, and it never adds a unit that is not needed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum

from .auditor import Audit, audit, scenario_violations
from .compile import compile_scenario, objective_terms
from .errors import InputError, InternalError, Problem
from .measures import BUDGETS, OBJECTIVES, amount, objective_value
from .scenario import Scenario

COMBINED_LIMIT = 2**52  # objective values must stay exact in CP-SAT's double-valued report
TIE_CHUNK = 40


class Status(str, Enum):
    """How far a solve got. `optimal` and `infeasible` are proven; `feasible` carries a pathway
    and a bound; `unknown` means the time limit came before any pathway."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


@dataclass
class Pathway:
    """One pathway found, with its objective values and the auditor's check."""

    units: tuple[str, ...]
    values: list[int]  # one per objective, in the user's sense (max-preference positive)
    audit: Audit


@dataclass
class Solution:
    """The outcome of a solve: its status, the pathways found, and the explanation."""

    scenario: Scenario
    objectives: list[str]
    status: Status
    pathways: list[Pathway] = field(default_factory=list)
    bound: int | None = None  # best proven bound on the first objective when not optimal
    explanation: object | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # what the reader should know: defaults taken

    @property
    def best(self) -> Pathway | None:
        return self.pathways[0] if self.pathways else None


def _open_units(s: Scenario) -> list[str]:
    """Units that could still be taught: neither held nor blocked."""
    blocked = set(s.blocked)
    return [u.id for u in s.qualification.units if u.id not in blocked and u.id not in s.held]


def _unknown(s: Scenario, objective: str) -> list[str]:
    measure, _ = OBJECTIVES[objective]
    return [u for u in _open_units(s) if amount(measure, s, u) is None]


def default_objectives(s: Scenario) -> list[str]:
    """min-glh where every unit that could be taught has GLH, else min-credits, else
    min-units."""
    if not _unknown(s, "min-glh"):
        return ["min-glh"]
    return ["min-credits"] if not _unknown(s, "min-credits") else ["min-units"]


def default_note(s: Scenario, chosen: list[str]) -> list[str]:
    """Why the default objective is not min-glh, so the fall-back is never silent."""
    missing = _unknown(s, "min-glh")
    if chosen == ["min-glh"] or not missing:
        return []
    q = s.qualification
    labels = [q.unit(u).label for u in missing]
    first = q.unit(missing[0]).number or missing[0]
    note = (
        f"Objective {chosen[0]}, not min-glh: {q.id} gives no GLH for {_listed(labels)} "
        f"(supply hours with --glh {first}=HOURS or `glh:` in a scenario)."
    )
    return [note]


def _listed(labels: list[str], most: int = 10) -> str:
    shown = ", ".join(labels[:most])
    return shown + (f" and {len(labels) - most} more" if len(labels) > most else "")


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
    wanted = {OBJECTIVES[name][0] for name in objectives}
    wanted |= {m for b, m in BUDGETS.items() if getattr(s.budget, b) is not None}
    for measure in sorted(wanted, key=lambda m: m.name):
        missing = [q.unit(u).label for u in _open_units(s) if amount(measure, s, u) is None]
        if not missing:
            continue
        if measure.name == "glh":
            advice = (
                "supply them with --glh UNIT=HOURS or under `glh:` in the scenario, exclude "
                "those units, or choose another objective"
            )
        else:
            advice = "exclude those units or choose another objective"
        raise InputError(
            Problem(
                where,
                None,
                None,
                f"{measure.word} is counted (objective or budget), but {q.id} gives none for "
                f"{_listed(missing)}: {advice}",
            )
        )


def solve(
    s: Scenario,
    objectives: list[str] | None = None,
    top: int | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
) -> Solution:
    """The provably best pathway (or the `top` best) for a scenario, each re-checked by the
    auditor; when none exists, a minimal explanation."""
    started = time.monotonic()
    notes: list[str] = []
    objectives = objectives or s.objectives
    if not objectives:
        objectives = default_objectives(s)
        notes = default_note(s, objectives)
    top = top or s.top
    workers = workers or s.workers
    time_limit = time_limit if time_limit is not None else s.time_limit
    check_inputs(s, objectives)
    deadline = None if time_limit is None else started + time_limit
    c = compile_scenario(s)
    for guard in c.guards:
        c.cp.add_linear([(guard.literal, 1)], 1, 1)
    search = _Search(s, c, objectives, workers, deadline)
    solution = search.run(top)
    solution.notes = notes
    if solution.status == Status.INFEASIBLE:
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
        solution = Solution(self.s, self.objectives, Status.OPTIMAL)
        # Fix every objective but the last at its optimum, in order.
        for name in self.objectives[:-1]:
            terms = objective_terms(name, self.s, self.c)
            self.c.cp.minimize(terms)
            r = self._solve()
            if r.status in ("infeasible", "unknown"):
                solution.status = Status(r.status)
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
            solution.status = Status.INFEASIBLE
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
                    solution.status = Status(r.status)
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
                solution.status = Status(r.status)
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
        solution.status = Status.FEASIBLE
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
