"""The auditor: what each rule means, in plain Python, with no solver.

`audit` evaluates every rule of a qualification on one set of units (the units that count) and
says, per rule, what it requires, what the set achieves and whether it holds. The solver's
answers are re-checked here before they are printed, and the tests use it as the judge, so it
must stay independent of compile.py: it shares the model classes and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import InputError, Problem
from .measures import BUDGETS, total
from .model import AllOf, Amount, AnyOf, Barred, Mandatory, Qualification, Rule
from .words import did_you_mean, join_labels, noun, plural


@dataclass
class RuleResult:
    """What one rule requires of a set of units, what the set gives, and whether it holds."""

    rule: Rule
    holds: bool
    required: str
    actual: str
    needed: str | None = None  # what would make it hold, in words (None when it holds)
    children: list[RuleResult] = field(default_factory=list)
    amounts: dict[str, int] = field(default_factory=dict)  # scope label -> amount counted

    def to_dict(self) -> dict:
        d = {
            "key": self.rule.key,
            "name": self.rule.name,
            "holds": self.holds,
            "required": self.required,
            "actual": self.actual,
        }
        if self.amounts:
            d["amounts"] = dict(self.amounts)
        if self.needed:
            d["needed"] = self.needed
        if self.rule.text:
            d["text"] = self.rule.text
        if self.children:
            d["rules"] = [c.to_dict() for c in self.children]
        return d


@dataclass
class Audit:
    """Every rule of a qualification checked on one set of units."""

    qualification: Qualification
    units: tuple[str, ...]
    results: list[RuleResult]

    @property
    def achieved(self) -> bool:
        return all(r.holds for r in self.results)

    @property
    def credits(self) -> int:
        return sum(self.qualification.unit(u).credit or 0 for u in self.units)

    @property
    def failures(self) -> list[RuleResult]:
        return [r for r in self.results if not r.holds]


def audit(qualification: Qualification, unit_ids) -> Audit:
    """Evaluate every rule on the units that count. Ids must be units of the qualification
    (InputError if not, as `pathway check` says); a single string is one id."""
    chosen = {unit_ids} if isinstance(unit_ids, str) else set(unit_ids)
    unknown = chosen - {u.id for u in qualification.units}
    if unknown:
        q = qualification
        raise InputError(
            [
                Problem(
                    "unit_ids",
                    None,
                    None,
                    f"{q.id} has no unit {str(ref)!r}{did_you_mean(str(ref), q.unit_names())} "
                    "(give unit ids: q.find(number).id is a printed number's)",
                )
                for ref in sorted(unknown, key=str)
            ]
        )
    ordered = tuple(u.id for u in qualification.units if u.id in chosen)
    results = [evaluate(qualification, rule, chosen) for rule in qualification.rules]
    return Audit(qualification, ordered, results)


def evaluate(q: Qualification, rule: Rule, chosen: set[str]) -> RuleResult:
    if isinstance(rule, Mandatory):
        return _mandatory(q, rule, chosen)
    if isinstance(rule, Amount):
        return _amount(q, rule, chosen)
    if isinstance(rule, Barred):
        return _barred(q, rule, chosen)
    if isinstance(rule, AnyOf):
        children = [evaluate(q, r, chosen) for r in rule.rules]
        holds = any(c.holds for c in children)
        met = sum(c.holds for c in children)
        return RuleResult(
            rule,
            holds,
            f"one of {len(children)} routes",
            f"{met} route(s) met",
            None
            if holds
            else "meet one route: " + "; or ".join(f"{c.rule.name} ({c.needed})" for c in children),
            children,
        )
    if isinstance(rule, AllOf):
        children = [evaluate(q, r, chosen) for r in rule.rules]
        holds = all(c.holds for c in children)
        met = sum(c.holds for c in children)
        return RuleResult(
            rule,
            holds,
            f"all {len(children)} rules",
            f"{met} met",
            None if holds else "; ".join(c.needed or "" for c in children if not c.holds),
            children,
        )
    raise TypeError(f"unknown rule type {type(rule).__name__}")


def _mandatory(q, rule: Mandatory, chosen) -> RuleResult:
    missing = [q.unit(u).label for u in rule.units if u not in chosen]
    have = len(rule.units) - len(missing)
    return RuleResult(
        rule,
        not missing,
        f"all {plural(len(rule.units), 'units')}",
        f"{have} of {len(rule.units)}",
        None if not missing else "take " + join_labels(missing),
    )


def counted(q: Qualification, rule: Amount, scope_units) -> list[str]:
    """The units of a scope that this rule counts, after its level filter."""
    out = []
    for uid in scope_units:
        level = q.unit(uid).level
        if level is None and (rule.min_level is not None or rule.max_level is not None):
            continue  # no level: never counted by level (the loader refuses such a rule)
        if rule.min_level is not None and level < rule.min_level:  # type: ignore[operator]
            continue
        if rule.max_level is not None and level > rule.max_level:  # type: ignore[operator]
            continue
        out.append(uid)
    return out


def _amount(q, rule: Amount, chosen) -> RuleResult:
    unit_word = "credits" if rule.measure == "credits" else "units"
    amounts: dict[str, int] = {}
    shortfalls: list[str] = []
    for scope in rule.scopes:
        taken = [u for u in counted(q, rule, scope.units) if u in chosen]
        value = sum(q.unit(u).credit for u in taken) if rule.measure == "credits" else len(taken)
        amounts[scope.label] = value
        where = "" if scope.label == "all units" else f" from {scope.label}"
        if rule.min is not None and value < rule.min:
            shortfalls.append(_more_or_fewer(rule.min - value, unit_word, "more") + where)
        if rule.max is not None and value > rule.max:
            shortfalls.append(
                _more_or_fewer(value - rule.max, unit_word, "fewer")
                + where
                + f" (at most {rule.max} count)"
            )
    if len(amounts) == 1:
        actual = plural(next(iter(amounts.values())), unit_word)
    else:
        actual = ", ".join(f"{label.removeprefix('Group ')}: {v}" for label, v in amounts.items())
    bounds = []
    if rule.min is not None:
        bounds.append(f">= {rule.min}")
    if rule.max is not None:
        bounds.append(f"<= {rule.max}")
    last = rule.max if rule.max is not None else rule.min  # '>= 1 unit', '>= 2 units'
    word = noun(last, unit_word) if last is not None else unit_word
    required = " and ".join(bounds) + f" {word}" + (" each" if len(rule.scopes) > 1 else "")
    return RuleResult(
        rule, not shortfalls, required, actual, "; ".join(shortfalls) or None, amounts=amounts
    )


def _more_or_fewer(n: int, unit_word: str, how: str) -> str:
    return f"{n} {how} {noun(n, unit_word)}"


def _barred(q, rule: Barred, chosen) -> RuleResult:
    taken = [q.unit(u).label for u in rule.units if u in chosen]
    return RuleResult(
        rule,
        len(taken) <= 1,
        "at most 1 of them",
        f"{len(taken)} taken",
        None if len(taken) <= 1 else f"drop all but one of {join_labels(taken)}",
    )


def out_of_reach(q: Qualification, rule: Rule, excluded: set[str]) -> str | None:
    """Why `rule` cannot hold once the `excluded` units are out, whatever else is taken, in
    words; None when taking every other unit could meet it (it may still collide with other
    rules). The explainer asks this, so a rule kind's meaning stays here and in compile.py."""
    if isinstance(rule, Mandatory):
        gone = [q.unit(u).label for u in rule.units if u in excluded]
        return f"but {join_labels(gone)} cannot be taken" if gone else None
    if not isinstance(rule, Amount) or rule.min is None:
        return None
    word = "credits" if rule.measure == "credits" else "units"
    parts = []
    for scope in rule.scopes:
        units = counted(q, rule, scope.units)
        left = [u for u in units if u not in excluded]
        most = sum((q.unit(u).credit or 0) if word == "credits" else 1 for u in left)
        if rule.max is not None:
            most = min(most, rule.max)
        if most >= rule.min:
            continue
        where = "All units" if scope.label == "all units" else scope.label
        if rule.min_level is not None or rule.max_level is not None:
            where += " at these levels"
        gone = [q.unit(u).label for u in units if u in excluded]
        once = f" once {join_labels(gone)} {'is' if len(gone) == 1 else 'are'} excluded"
        parts.append(
            f"{where} can give at most {plural(most, word)}{once if gone else ''}; "
            f"the rule needs {rule.min}"
        )
    return "; ".join(parts) or None


def scenario_violations(scenario, unit_ids) -> list[str]:
    """What a pathway breaks of the scenario itself (exclusions, requirements, budgets)."""
    chosen = set(unit_ids)
    q = scenario.qualification
    out = [f"{q.unit(u).label} is excluded" for u in scenario.blocked if u in chosen]
    out += [f"{q.unit(u).label} is required" for u in scenario.required if u not in chosen]
    for name, measure in BUDGETS.items():
        limit = getattr(scenario.budget, name)
        if limit is None:
            continue
        spent = total(measure, scenario, sorted(chosen))
        if spent is None:
            out.append(f"{name} {limit} cannot be checked: a unit's {measure.word} is unknown")
        elif spent > limit:
            out.append(f"{name} {limit} exceeded ({spent})")
    return out
