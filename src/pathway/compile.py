"""Compile: rules and scenario constraints -> CP-SAT.

One boolean `take[unit]` per unit: the unit counts toward this qualification. Every top-level
rule and every scenario constraint gets its own enforcement literal, so that when no pathway
exists the explainer can ask CP-SAT which of them collide. This module is the only place that
knows how a rule kind becomes constraints: one function per kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cpsat import INT_MAX, INT_MIN, CpModel, Relaxation, Result, max_flow
from .measures import BUDGETS, OBJECTIVES, amounts
from .model import AllOf, Amount, AnyOf, Barred, Mandatory, Qualification, Rule
from .scenario import Scenario

# How CP-SAT searches the models built here (the solver's and the explainer's optimisations).
# Cuts in CP-SAT's linear relaxation: a 10,000-unit rule of combination is proven optimal in
# about 5 s with them against 75 s without (one worker); seed models do not notice.
# CP-SAT's presolve is off: on rules of combination it costs more than it saves at every size
# measured. From 2,000 units it adds hundreds of thousands of dominance implications: one
# worker proved a 50,000-unit max-preference model in 39 s without it and found no pathway in
# 60 s with it; 10,000 units min-glh 1.4 s against 6.6 s. On small models it is about half of
# the objective's solve: a 40-unit model's answer takes 3.7 ms against 5.3 ms (bench/rank_speed.py),
# the seed models' 1.3 against 1.6 ms, 300 units' (three objectives) 130 against 195 ms.
# Without presolve the level-2 linearization is essential (level 1 took seconds on some
# 40-unit models), and so are the cuts (without them, 20 s on 300 units against 30 ms).
SEARCH = "linearization_level: 2 cp_model_presolve: false"

__all__ = [
    "SEARCH",
    "Compiled",
    "Guard",
    "Relaxation",
    "Result",
    "compile_scenario",
    "max_flow",
    "objective_terms",
]


@dataclass(frozen=True)
class Guard:
    """One thing that can be blamed: a rule of the qualification or a scenario constraint."""

    kind: str  # "rule", "excluded", "required", "budget"
    key: str  # rule key, unit id, or budget name
    literal: int


@dataclass
class Compiled:
    """A scenario as a CP-SAT model: the take[unit] variables and the guards."""

    cp: CpModel
    take: dict[str, int]
    guards: list[Guard] = field(default_factory=list)


def compile_scenario(scenario: Scenario) -> Compiled:
    q = scenario.qualification
    cp = CpModel()
    # Variables in model order, so the same file always gives the same proto.
    take = {u.id: cp.new_bool(f"take[{u.id}]") for u in q.units}
    compiled = Compiled(cp, take)
    for rule in q.rules:
        holds = cp.new_bool(f"holds[{rule.key}]")
        compile_rule(cp, q, take, rule, holds)
        compiled.guards.append(Guard("rule", rule.key, holds))
    _compile_scenario(compiled, scenario)
    return compiled


def new_model() -> CpModel:
    """An empty CP-SAT model, for a caller that builds one model over many learners
    (cohort planning: see compile_learner)."""
    return CpModel()


def compile_learner(cp: CpModel, s: Scenario, prefix: str, holds: int) -> dict[str, int]:
    """One learner's take[unit] variables, the qualification's rules and the learner's own
    exclusions and requirements, added to a shared model (a cohort's) with every variable name
    starting `prefix`. All of them are enforced by `holds` (the learner completes); budgets
    are the caller's. Returns take, by unit id."""
    q = s.qualification
    take = {u.id: cp.new_bool(f"{prefix}take[{u.id}]") for u in q.units}
    for rule in q.rules:
        compile_rule(cp, q, take, rule, holds)
    for uid in s.blocked:
        cp.add_linear([(take[uid], 1)], 0, 0, [holds], f"{prefix}excluded {uid}")
    for uid in s.required:
        cp.add_linear([(take[uid], 1)], 1, 1, [holds], f"{prefix}required {uid}")
    return take


def learner_rows(s: Scenario) -> list[tuple[dict[str, int], int | None, int | None]] | None:
    """What compile_learner asks of one learner, as rows `lo <= sum(coeff x take[unit]) <= hi`
    over unit ids (None: no bound), or None when some rule is not one such row (an any_of
    needs literals of its own). For methods that reason about the rows themselves (cohort
    counts), so that a rule still means only what this module compiles it to."""
    cp = CpModel()
    holds = cp.new_bool("holds")
    take = compile_learner(cp, s, "", holds)
    unit_of = {v: u for u, v in take.items()}
    rows = []
    for enforce, body in zip(cp.enforcement, cp.bodies):
        if enforce != (holds,) or body[0] != "linear":
            return None
        if any(v not in unit_of for v, _ in body[1]):
            return None
        lo = None if body[2] == INT_MIN else body[2]
        hi = None if body[3] == INT_MAX else body[3]
        rows.append(({unit_of[v]: c for v, c in body[1]}, lo, hi))
    return rows


def floors(q: Qualification) -> list[tuple[int, tuple[str, ...], str]]:
    """What every pathway must contain, as (least amount, units counted, "credits" or
    "units"): each top-level amount rule's floor, scope by scope, and each mandatory rule (a
    floor of all its units). For bounds over many learners (cohort planning)."""
    out: list[tuple[int, tuple[str, ...], str]] = []
    for rule in q.rules:
        if isinstance(rule, Mandatory):
            out.append((len(rule.units), tuple(rule.units), "units"))
        elif isinstance(rule, Amount) and rule.min:
            for scope in rule.scopes:
                units = tuple(
                    uid
                    for uid in scope.units
                    # A unit without a level is never in a level-filtered scope (the loader).
                    if (rule.min_level is None or (q.unit(uid).level or 0) >= rule.min_level)
                    and (rule.max_level is None or (q.unit(uid).level or 9) <= rule.max_level)
                )
                out.append((rule.min, units, rule.measure))
    return out


def compile_rule(cp: CpModel, q: Qualification, take, rule: Rule, holds: int) -> None:
    if isinstance(rule, Mandatory):
        _mandatory(cp, take, rule, holds)
    elif isinstance(rule, Amount):
        _amount(cp, q, take, rule, holds)
    elif isinstance(rule, Barred):
        _barred(cp, take, rule, holds)
    elif isinstance(rule, AnyOf):
        _any_of(cp, q, take, rule, holds)
    elif isinstance(rule, AllOf):
        _all_of(cp, q, take, rule, holds)
    else:
        raise TypeError(f"no translation for rule type {type(rule).__name__}")


def _mandatory(cp, take, rule: Mandatory, holds):
    # "All of these units": each take[u] = 1.
    terms = [(take[u], 1) for u in rule.units]
    cp.add_linear(terms, len(terms), len(terms), [holds], rule.key)


def _amount(cp, q, take, rule: Amount, holds):
    # "min <= credits (or units) counted from the scope <= max", once per scope (`each`).
    for scope in rule.scopes:
        terms = _scope_terms(q, take, rule, scope)
        cp.add_linear(terms, rule.min, rule.max, [holds], f"{rule.key} {scope.label}")


def _scope_terms(q, take, rule: Amount, scope) -> list[tuple[int, int]]:
    """What an amount rule counts over one scope: credits (or 1) of units within its levels."""
    terms = []
    for uid in scope.units:
        unit = q.unit(uid)
        if rule.min_level is not None and unit.level < rule.min_level:
            continue
        if rule.max_level is not None and unit.level > rule.max_level:
            continue
        terms.append((take[uid], unit.credit if rule.measure == "credits" else 1))
    return terms


def _barred(cp, take, rule: Barred, holds):
    # "These units may not be counted together": at most one of them.
    cp.add_linear([(take[u], 1) for u in rule.units], None, 1, [holds], rule.key)


def _any_of(cp, q, take, rule: AnyOf, holds):
    # At least one route holds: route[i] -> its rule; holds -> OR(route).
    routes = []
    for child in rule.rules:
        route = cp.new_bool(f"holds[{child.key}]")
        compile_rule(cp, q, take, child, route)
        routes.append(route)
    cp.add_bool_or(routes, [holds], rule.key)


def _all_of(cp, q, take, rule: AllOf, holds):
    # Every nested rule holds whenever this one must.
    for child in rule.rules:
        compile_rule(cp, q, take, child, holds)


def compile_violation(cp: CpModel, q: Qualification, take, rule: Rule, broken: int) -> None:
    """Where `broken` is true, `rule` does not hold: compile_rule's negation, so that a caller
    (impact.py) can ask whether any pathway meets every other rule but breaks this one; if
    none does, the rule is implied by the others."""
    name = f"{rule.key} broken"
    if isinstance(rule, Mandatory):
        # Some unit listed is not taken.
        terms = [(take[u], 1) for u in rule.units]
        cp.add_linear(terms, None, len(terms) - 1, [broken], name)
    elif isinstance(rule, Amount):
        # Some scope falls below its min or rises above its max.
        sides = []
        for scope in rule.scopes:
            terms = _scope_terms(q, take, rule, scope)
            if rule.min is not None:  # below the floor
                low = cp.new_bool(f"{name} {scope.label} low")
                cp.add_linear(terms, None, rule.min - 1, [low], name)
                sides.append(low)
            if rule.max is not None:  # above the cap
                high = cp.new_bool(f"{name} {scope.label} high")
                cp.add_linear(terms, rule.max + 1, None, [high], name)
                sides.append(high)
        cp.add_bool_or(sides, [broken], name)
    elif isinstance(rule, Barred):
        # Two or more of the barred units are taken.
        cp.add_linear([(take[u], 1) for u in rule.units], 2, None, [broken], name)
    elif isinstance(rule, AnyOf):
        # Every route fails.
        for child in rule.rules:
            compile_violation(cp, q, take, child, broken)
    elif isinstance(rule, AllOf):
        # Some nested rule fails.
        routes = []
        for child in rule.rules:
            route = cp.new_bool(f"{child.key} broken")
            compile_violation(cp, q, take, child, route)
            routes.append(route)
        cp.add_bool_or(routes, [broken], name)
    else:
        raise TypeError(f"no translation for rule type {type(rule).__name__}")


def _compile_scenario(compiled: Compiled, s: Scenario) -> None:
    cp, take = compiled.cp, compiled.take
    for uid in s.blocked:
        lit = cp.new_bool(f"excluded[{uid}]")
        cp.add_linear([(take[uid], 1)], 0, 0, [lit], f"excluded {uid}")
        compiled.guards.append(Guard("excluded", uid, lit))
    for uid in s.required:
        lit = cp.new_bool(f"required[{uid}]")
        cp.add_linear([(take[uid], 1)], 1, 1, [lit], f"required {uid}")
        compiled.guards.append(Guard("required", uid, lit))
    for name, measure in BUDGETS.items():
        limit = getattr(s.budget, name)
        if limit is None:
            continue
        lit = cp.new_bool(f"budget[{name}]")
        terms = []
        units = s.qualification.units
        for u, cost in zip(units, amounts(measure, s, [u.id for u in units])):
            if cost is None:
                # Under this budget a unit whose amount is unknown cannot be taken: what it
                # would spend cannot be counted.
                cp.add_linear([(take[u.id], 1)], 0, 0, [lit], f"{name} {u.id} unknown")
            else:
                terms.append((take[u.id], cost))
        cp.add_linear(terms, None, limit, [lit], name)
        compiled.guards.append(Guard("budget", name, lit))


def objective_terms(name: str, s: Scenario, c: Compiled) -> list[tuple[int, int]]:
    """An objective as terms to minimise. Units that may not be taken count 0 (they are fixed
    out, and their amount may be unknown)."""
    measure, sense = OBJECTIVES[name]
    blocked = set(s.blocked)
    units = s.qualification.units
    terms = []
    for u, cost in zip(units, amounts(measure, s, [u.id for u in units])):
        if u.id in blocked:
            continue
        if cost is None:
            raise ValueError(f"{name}: amount of {u.id} unknown; check_inputs first")
        terms.append((c.take[u.id], sense * cost))
    return terms
