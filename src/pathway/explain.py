"""Explain: when no pathway exists, name a minimal set of rules and scenario constraints that
cannot all hold, each with its numbers.

CP-SAT's assumption cores are neither minimal nor always exact, and solving with assumptions
switches off much of presolve (0.2 s against 4 ms on a seed model). So we shrink by plain
deletion, each trial a fresh one-worker solve with no objective and no hint in which the kept
guards are fixed true and the rest left free; the set left is minimal (no member can be
dropped) and is re-solved to confirm it is infeasible. Rules are tried for deletion before
scenario constraints, so where both would do, the explanation blames the scenario (an
exclusion, a budget) rather than the awarding body's rules.

Under a time limit the shrinking stops when time runs out: a trial that cannot be decided in
time keeps its guard, and the explanation says it may not be minimal rather than pretend.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .auditor import out_of_reach
from .compile import Guard, compile_scenario, objective_terms
from .errors import InternalError
from .measures import BUDGETS
from .scenario import Scenario
from .words import join_labels, plural


@dataclass
class Conflict:
    """One member of a conflicting set, in words."""

    kind: str  # rule | excluded | required | budget
    key: str
    says: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "key": self.key, "says": self.says}


@dataclass
class Explanation:
    """Why no pathway exists: constraints that cannot all hold together."""

    conflicts: list[Conflict]
    minimal: bool = True

    @property
    def summary(self) -> str:
        if len(self.conflicts) == 1 and self.minimal:
            return "No pathway exists: this constraint cannot hold, whatever else is chosen."
        if not self.minimal:
            return (
                f"No pathway exists: these {len(self.conflicts)} constraints cannot all hold "
                "together (the time limit stopped the search for a smaller set, so some of "
                "them may not be needed)."
            )
        return (
            f"No pathway exists: these {len(self.conflicts)} constraints cannot all hold "
            "together (drop or relax any one of them and they can)."
        )

    def to_dict(self) -> dict:
        return {
            "summary": self.summary,
            "minimal": self.minimal,
            "conflicts": [c.to_dict() for c in self.conflicts],
        }

    def lines(self) -> list[str]:
        return [self.summary] + [f"  - {c.says}" for c in self.conflicts]


def minimal_core(s: Scenario, deadline: float | None = None) -> tuple[list[Guard], bool]:
    """(the guards that cannot all hold, whether that set is proven minimal)."""
    c = compile_scenario(s)
    undecided = False

    def status(guards: list[Guard]) -> str:
        # Guards left out are free: their constraints may simply not hold.
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return "unknown"
        r = c.cp.solve(
            workers=1,
            time_limit=left,
            with_objective=False,
            true_literals=[g.literal for g in guards],
        )
        return r.status

    if status(c.guards) not in ("infeasible", "unknown"):
        raise InternalError("asked to explain a scenario that has a pathway")
    # Deletion: drop each guard whose removal keeps the rest infeasible. Rules are tried
    # first, so scenario constraints are the ones kept where both would do.
    order = [g for g in c.guards if g.kind == "rule"] + [g for g in c.guards if g.kind != "rule"]
    core = list(order)
    for guard in order:
        trial = [g for g in core if g is not guard]
        if not trial:
            continue
        verdict = status(trial)
        if verdict == "infeasible":
            core = trial
        elif verdict == "unknown":
            undecided = True  # kept without proof that it is needed
    verdict = status(core)
    if verdict == "unknown":
        undecided = True
    elif verdict != "infeasible":
        raise InternalError("the shrunk conflict set is not infeasible")
    return core, not undecided


def explain(s: Scenario, deadline: float | None = None) -> Explanation:
    core, minimal = minimal_core(s, deadline)
    excluded_in_core = {g.key for g in core if g.kind == "excluded"}
    conflicts = []
    q = s.qualification
    excluded = [g.key for g in core if g.kind == "excluded"]
    for g in core:
        if g.kind == "rule":
            rule = next(r for r in q.rules if r.key == g.key)
            conflicts.append(Conflict("rule", g.key, _rule_words(s, rule, excluded_in_core)))
        elif g.kind == "required":
            u = q.unit(g.key)
            group = q.group_of(u.id)
            facts = [plural(u.credit, "credits")] if u.credit is not None else []
            facts += [group.label] if group else []
            detail = f" ({', '.join(facts)})" if facts else ""
            conflicts.append(
                Conflict("required", g.key, f"{u.label} ({u.title}) is required{detail}")
            )
        elif g.kind == "budget":
            says = f"the budget allows at most {_amount(g.key, getattr(s.budget, g.key))} still to take"
            least = _least_needed(s, g.key, deadline)
            if least is not None:
                says += f"; the cheapest pathway otherwise needs {_amount(g.key, least)}"
            conflicts.append(Conflict("budget", g.key, says))
    if excluded:
        labels = [q.unit(u).label for u in excluded]
        verb = "is" if len(labels) == 1 else "are"
        conflicts.append(
            Conflict("excluded", ",".join(excluded), f"{join_labels(labels)} {verb} excluded")
        )
    return Explanation(conflicts, minimal)


def _amount(budget: str, n: int) -> str:
    return f"{n} GLH" if budget == "max_glh" else plural(n, budget.removeprefix("max_"))


BUDGET_OBJECTIVE = {measure: f"min-{measure.name}" for measure in BUDGETS.values()}


def _least_needed(s: Scenario, budget: str, deadline: float | None) -> int | None:
    """What the cheapest pathway spends of a budget when every other constraint holds: the
    number a planner needs to raise the budget to. None when that is not proven in time or no
    pathway exists even without this budget."""
    c = compile_scenario(s)
    for g in c.guards:
        if not (g.kind == "budget" and g.key == budget):
            c.cp.add_linear([(g.literal, 1)], 1, 1)
    c.cp.minimize(objective_terms(BUDGET_OBJECTIVE[BUDGETS[budget]], s, c))
    left = None if deadline is None else deadline - time.monotonic()
    if left is not None and left <= 0:
        return None
    r = c.cp.solve(workers=1, time_limit=left)
    return r.objective if r.status == "optimal" else None


def _rule_words(s: Scenario, rule, excluded: set[str]) -> str:
    head = f"{rule.key} {rule.name}"
    why = out_of_reach(s.qualification, rule, excluded)
    if why is None:
        return head + (f' ("{rule.text}")' if rule.text else "")
    return f"{head}, {why}" if why.startswith("but ") else f"{head}: {why}"
