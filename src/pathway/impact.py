"""Impact: what each unit and each rule does to the optimum, for a model's author or a planner.

For every unit, exactly (each figure a proven optimum, or a proof that none exists):
- `in_optimal`: `always` when every optimal pathway takes it, `never` when none does,
  `sometimes` otherwise. A unit of the best pathway is in every optimal one exactly when the
  optimum without it is worse (or does not exist); a unit outside it is in some optimal
  pathway exactly when the optimum with it required is the optimum.
- `without`: the optimum when the unit cannot count (the centre cannot offer it; for a unit
  the learner holds, as if it were not held), `null` and `essential` when no pathway is left.
  For a unit outside the best pathway this is the optimum itself: that pathway avoids it.
- `usable`: whether any valid pathway takes it (a pathway exists with it required).

For every top-level rule: whether any pathway meets it with the learner's own constraints
(`satisfiable`), and whether it is implied by the other rules (no pathway meets them and the
learner's constraints while breaking it: compile.compile_violation), so an author sees dead
rules. `implied` is null when the other rules admit no pathway at all (then it says nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .errors import InternalError
from .scenario import Scenario, with_situation


@dataclass
class UnitImpact:
    id: str
    number: str | None
    title: str
    in_optimal: str  # "always" | "sometimes" | "never"
    without: int | list[int] | None
    delta: int | list[int] | None
    essential: bool
    usable: bool

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "in_optimal": self.in_optimal,
            "without": self.without,
            "delta": self.delta,
            "essential": self.essential,
            "usable": self.usable,
        }


@dataclass
class RuleImpact:
    key: str
    name: str
    text: str | None
    satisfiable: bool  # some pathway meets it and the learner's constraints
    implied: bool | None  # the other rules imply it; None: they admit no pathway themselves

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "text": self.text,
            "satisfiable": self.satisfiable,
            "implied": self.implied,
        }


@dataclass
class Impact:
    scenario: Scenario
    objectives: list[str]
    optimum: int | list[int] | None  # None: no pathway exists
    units: list[UnitImpact]
    rules: list[RuleImpact]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "objective": ",".join(self.objectives),
            "optimum": self.optimum,
            "units": [u.to_dict() for u in self.units],
            "rules": [r.to_dict() for r in self.rules],
            "notes": list(self.notes),
        }


def _shown(values: list[int] | None):
    if values is None:
        return None
    return values[0] if len(values) == 1 else list(values)


def forbid(s: Scenario, unit_id: str) -> Scenario:
    """`s` where `unit_id` cannot count: excluded and, if held, no longer held (a held unit
    beats an exclusion, so excluding it alone would change nothing)."""
    return with_situation(replace(s, held=[u for u in s.held if u != unit_id]), excluded=[unit_id])


def impact(s: Scenario, objectives: list[str] | None = None) -> Impact:
    """Every unit's and every top-level rule's effect on the optimum (module docstring)."""
    from .solver import check_inputs, default_note, default_objectives, solve

    notes: list[str] = []
    objectives = list(objectives or s.objectives or [])
    if not objectives:
        objectives = default_objectives(s)
        notes = default_note(s, objectives)
    check_inputs(s, objectives)

    def optimum(scenario: Scenario) -> list[int] | None:
        solution = solve(scenario, objectives=objectives, explain=False)
        if solution.status not in ("optimal", "infeasible"):  # no time limit is ever set
            raise InternalError(f"impact: a solve ended {solution.status}, not proven")
        return list(solution.best.values) if solution.best else None

    base = solve(s, objectives=objectives, explain=False)
    if base.status not in ("optimal", "infeasible"):
        raise InternalError(f"impact: a solve ended {base.status}, not proven")
    best = base.best
    opt = list(best.values) if best else None
    q = s.qualification
    blocked = set(s.blocked)
    units = []
    for unit in q.units:
        row = UnitImpact(unit.id, unit.number, unit.title, "never", None, None, False, False)
        if best is None:
            pass  # no pathway at all: none takes the unit, and none is left without it
        elif unit.id in best.units:
            without = optimum(forbid(s, unit.id))
            row.usable = True
            row.essential = without is None
            row.in_optimal = "sometimes" if without == opt else "always"
            row.without = _shown(without)
        else:
            row.without = _shown(opt)  # the best pathway avoids it
            if unit.id not in blocked:
                required = optimum(with_situation(s, required=[unit.id]))
                row.usable = required is not None
                row.in_optimal = "sometimes" if required == opt else "never"
        if row.without is not None and opt is not None:
            gone = row.without if isinstance(row.without, list) else [row.without]
            row.delta = _shown([a - b for a, b in zip(gone, opt)])
        units.append(row)
    rules = rule_impacts(s, feasible=best is not None)
    return Impact(s, objectives, _shown(opt), units, rules, notes)


def rule_impacts(s: Scenario, feasible: bool) -> list[RuleImpact]:
    """For each top-level rule: can it hold with the learner's constraints, and do the other
    rules imply it? One CP-SAT feasibility question each (none where a pathway settles it)."""
    from .compile import compile_scenario, compile_violation

    out = []
    for rule in s.qualification.rules:
        c = compile_scenario(s)
        mine = next(g.literal for g in c.guards if g.kind == "rule" and g.key == rule.key)
        others = [g.literal for g in c.guards if g.literal != mine]
        rule_guards = [g.literal for g in c.guards if g.kind == "rule" and g.literal != mine]
        scenario_guards = [g.literal for g in c.guards if g.kind != "rule"]
        # A pathway exists, so it meets every rule; else ask with the other rules left out.
        satisfiable = feasible or _possible(c, [mine, *scenario_guards], leave_out=rule_guards)
        # Implied: nothing meets the others and the learner's constraints but breaks this one.
        broken = c.cp.new_bool(f"{rule.key} broken")
        compile_violation(c.cp, s.qualification, c.take, rule, broken)
        implied: bool | None = not _possible(c, [*others, broken], leave_out=[mine])
        if implied and not feasible and not _possible(c, others, leave_out=[mine, broken]):
            implied = None  # the others admit no pathway: "implied" would say nothing
        out.append(RuleImpact(rule.key, rule.name, rule.text, satisfiable, implied))
    return out


def _possible(c, true_literals, leave_out) -> bool:
    """Whether some choice of units meets every constraint enforced by `true_literals` (those
    enforced by a literal in `leave_out` are left out); proven either way."""
    r = c.cp.solve(
        true_literals=true_literals, leave_out=leave_out, with_objective=False, first_solution=True
    )
    if r.status == "unknown":  # no limit is set, so the search always decides
        raise InternalError("impact: a feasibility question was not decided")
    return r.status in ("feasible", "optimal")
