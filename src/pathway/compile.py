"""Compile: rules and scenario constraints -> CP-SAT.

One boolean `take[unit]` per unit: the unit counts toward this qualification. Every top-level
rule and every scenario constraint gets its own enforcement literal, so that when no pathway
exists the explainer can ask CP-SAT which of them collide. This module is the only place that
knows how a rule kind becomes constraints: one function per kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cpsat import CpModel
from .measures import BUDGETS, OBJECTIVES, amounts
from .model import AllOf, Amount, AnyOf, Barred, Mandatory, Qualification, Rule
from .scenario import Scenario


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
        terms = []
        for uid in scope.units:
            unit = q.unit(uid)
            if rule.min_level is not None and unit.level < rule.min_level:
                continue
            if rule.max_level is not None and unit.level > rule.max_level:
                continue
            terms.append((take[uid], unit.credit if rule.measure == "credits" else 1))
        cp.add_linear(terms, rule.min, rule.max, [holds], f"{rule.key} {scope.label}")


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
