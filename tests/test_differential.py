"""Differential test: hypothesis makes random small qualifications (up to 14 units, random
groups, every rule kind: credit and unit floors and caps, level floors, `each`, barred sets,
mandatory units, nested any-of/all-of) and random learners, and the CP-SAT solver must agree with
brute-force enumeration judged by the plain-Python auditor: status, optimum, the exact pathway
the tie-break picks, `--top K`, and the minimality of every explanation.

Random rules mostly collide, so about half the models are built around a planted pathway (every
rule drawn so that the planted set meets it, the learner's exclusions and budgets too): that
keeps two thirds of the cases feasible, where the optimum and tie-break are what is tested.

CI runs a modest, derandomised number of cases. For a big run:

    PATHWAY_DIFFERENTIAL_CASES=10000 python -m pytest tests/test_differential.py \\
        --hypothesis-show-statistics

(the statistics line says how many cases passed; any mismatch fails and is shrunk).
"""

from __future__ import annotations

import os

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from oracle import OBJECTIVES, Problem, brute_optimal_sets, feasible_sets, is_feasible, ranked_sets
from pathway.load import build_model
from pathway.scenario import Budget, scenario_for_model
from pathway.solve import solve
from pathway.source import parse_yaml
from test_against_oracle import assert_minimal_explanation

CASES = int(os.environ.get("PATHWAY_DIFFERENTIAL_CASES", "150"))
BIG_RUN = "PATHWAY_DIFFERENTIAL_CASES" in os.environ
TAGS = ("red", "blue", "green")


def chance(percent: int):
    return st.integers(0, 99).map(lambda x: x < percent)


def _measure(by_id: dict, ids, measure: str, lo_level, hi_level) -> int:
    return sum(
        (by_id[u]["credit"] if measure == "credits" else 1)
        for u in ids
        if (lo_level is None or by_id[u]["level"] >= lo_level)
        and (hi_level is None or by_id[u]["level"] <= hi_level)
    )


@st.composite
def amount_rule(draw, units: list[dict], groups: list[dict], measure: str, planted=None) -> dict:
    """A floor and/or cap; with `planted` (a unit set), one that the set satisfies."""
    rule: dict = {"kind": measure}
    how = draw(st.sampled_from(["all", "groups", "each", "units"] if groups else ["all", "units"]))
    scopes: list[list[str]]
    if how in ("groups", "each"):
        chosen = draw(st.lists(st.sampled_from(groups), min_size=1, unique_by=lambda g: g["id"]))
        rule[how] = [g["id"] for g in chosen]
        if how == "each":
            scopes = [g["units"] for g in chosen]
        else:
            scopes = [list(dict.fromkeys(u for g in chosen for u in g["units"]))]
    elif how == "units":
        ids = [u["id"] for u in units]
        scopes = [draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))]
        rule["units"] = scopes[0]
    else:
        scopes = [[u["id"] for u in units]]
    lo_level = draw(st.integers(1, 3)) if draw(chance(30)) else None
    hi_level = draw(st.integers(lo_level or 1, 4)) if draw(chance(15)) else None
    by_id = {u["id"]: u for u in units}
    total = min(_measure(by_id, scope, measure, None, None) for scope in scopes)
    if planted is None:
        low = draw(st.none() | st.integers(0, total))
        high = draw(st.none() | st.integers(low or 0, total + 1))
        if low is None and high is None:
            low = draw(st.integers(1, total + 1))
    else:
        got = [
            _measure(by_id, [u for u in scope if u in planted], measure, lo_level, hi_level)
            for scope in scopes
        ]
        low = draw(st.none() | st.integers(0, min(got)))
        high = draw(st.none() | st.integers(max(got), max(max(got), total) + 1))
        if low is None and high is None:
            low = min(got)
    if low is not None:
        rule["min"] = low
    if high is not None:
        rule["max"] = high
    if lo_level is not None:
        rule["min_level"] = lo_level
    if hi_level is not None:
        rule["max_level"] = hi_level
    return rule


@st.composite
def rule(draw, units, groups, credits: bool, depth: int = 0, planted=None) -> dict:
    """A random rule; with `planted` (a unit set), one that the set satisfies."""
    kinds = ["units", "barred", "mandatory"] + (["credits", "credits"] if credits else [])
    if depth < 2:
        kinds += ["any-of", "all-of"]
    kind = draw(st.sampled_from(kinds))
    ids = [u["id"] for u in units]
    if kind in ("credits", "units"):
        return draw(amount_rule(units, groups, kind, planted))
    if kind == "barred":
        if planted is not None:  # at most one unit of the planted set among those barred
            outside = [u for u in ids if u not in planted]
            inside = draw(st.lists(st.sampled_from(sorted(planted)), max_size=1)) if planted else []
            ids = outside + inside
        if len(ids) < 2:
            if planted is None:
                return {"kind": "mandatory", "units": ids}
            return {"kind": "units", "min": 0}  # nothing to bar: a rule that always holds
        barred = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True))
        return {"kind": "barred", "units": barred}
    if kind == "mandatory":
        pool = ids if planted is None else sorted(planted)
        if not pool:
            return {"kind": "units", "max": len(ids)}
        return {
            "kind": "mandatory",
            "units": draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True)),
        }
    if planted is None or kind == "all-of":
        children = draw(
            st.lists(rule(units, groups, credits, depth + 1, planted), min_size=1, max_size=3)
        )
    else:  # any-of: one route the planted set takes, the others random
        held = draw(rule(units, groups, credits, depth + 1, planted))
        others = draw(st.lists(rule(units, groups, credits, depth + 1), max_size=2))
        children = others[:]
        children.insert(draw(st.integers(0, len(others))), held)
    return {"kind": kind, "rules": children}


@st.composite
def model_document(draw) -> dict:
    n = draw(st.integers(1, 14))
    credits = draw(chance(85))
    units = []
    for i in range(1, n + 1):
        unit = {"id": f"u{i}", "number": i, "title": f"Unit {i}", "level": draw(st.integers(1, 4))}
        if credits:
            unit["credit"] = draw(st.integers(0, 6))
        unit["glh"] = draw(st.integers(0, 30))
        tags = draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
        if tags:
            unit["tags"] = tags
        units.append(unit)
    order = draw(st.permutations([u["id"] for u in units]))
    groups = []
    cut = 0
    for g in range(draw(st.integers(0, 3))):
        size = draw(st.integers(1, 4))
        if cut + size > n:
            break
        group = {"id": f"G{g}", "units": order[cut : cut + size]}
        if draw(chance(15)):
            group["mandatory"] = True
        groups.append(group)
        cut += size
    planted = None
    if draw(chance(50)):  # rules built around one pathway, so that at least one exists
        planted = set(draw(st.lists(st.sampled_from(order), unique=True)))
        planted |= {u for g in groups if g.get("mandatory") for u in g["units"]}
    rules = draw(st.lists(rule(units, groups, credits, 0, planted), min_size=1, max_size=4))
    doc = {"title": "random model", "units": units, "groups": groups, "rules": rules}
    return doc, planted


@st.composite
def cases(draw):
    doc, planted = draw(model_document())
    ids = [u["id"] for u in doc["units"]]
    achieved = draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
    if planted is None:
        excludable, requirable = ids, ids
        floor = {"max_glh": 0, "max_units": 0, "max_credits": 0}
    else:  # a learner the planted pathway still suits
        excludable = [u for u in ids if u not in planted]
        requirable = sorted(planted)
        new = [u for u in doc["units"] if u["id"] in planted and u["id"] not in achieved]
        floor = {
            "max_glh": sum(u["glh"] for u in new),
            "max_units": len(new),
            "max_credits": sum(u.get("credit", 0) for u in new),
        }

    def ids_from(pool, most):
        if not pool:
            return st.just([])
        return st.lists(st.sampled_from(pool), unique=True, max_size=most)

    situation = {
        "achieved": achieved,
        "excluded": draw(ids_from(excludable, 3)),
        "required": draw(ids_from(requirable, 2)),
        "unit_weights": draw(st.dictionaries(st.sampled_from(ids), st.integers(-5, 5))),
        "tag_weights": draw(st.dictionaries(st.sampled_from(TAGS), st.integers(-4, 4))),
        "budget": {
            name: draw(st.none() | st.integers(floor[name], floor[name] + most))
            for name, most in (("max_glh", 120), ("max_units", 10), ("max_credits", 30))
        },
    }
    first = draw(st.sampled_from(OBJECTIVES))
    objectives = [first]
    if draw(chance(25)):
        objectives.append(draw(st.sampled_from([o for o in OBJECTIVES if o != first])))
    top = draw(st.sampled_from([1, 1, 2, 3])) if len(objectives) == 1 else 1
    return doc, situation, objectives, top, planted


def scenario(doc: dict, situation: dict):
    q = build_model(parse_yaml(yaml.safe_dump(doc, sort_keys=False), "random.yaml"), "random.yaml")
    s = scenario_for_model(q)
    s.achieved, s.excluded = situation["achieved"], situation["excluded"]
    s.required = situation["required"]
    s.unit_weights, s.tag_weights = situation["unit_weights"], situation["tag_weights"]
    if not all(u.credit is not None for u in q.units):
        situation["budget"]["max_credits"] = None
    s.budget = Budget(**situation["budget"])
    return s


@settings(
    max_examples=CASES,
    deadline=None,
    derandomize=not BIG_RUN,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases())
def test_solver_agrees_with_brute_force(case):
    doc, situation, objectives, top, planted = case
    s = scenario(doc, situation)
    has_credits = all(u.credit is not None for u in s.qualification.units)
    if not has_credits:
        objectives = [o for o in objectives if o != "min-credits"] or ["min-units"]
    problem = Problem.of_scenario(s)
    sets = list(feasible_sets(problem))
    best, winners = brute_optimal_sets(problem, objectives, sets)
    solution = solve(s, objectives=objectives, top=top)
    event(f"status {solution.status}")  # shown by --hypothesis-show-statistics
    event(f"{len(s.qualification.units) // 5 * 5}+ units")
    for kind in ("any-of", "all-of", "barred", "each", "min_level", "max"):
        if kind in yaml.safe_dump(doc):
            event(f"has {kind}")
    if top > 1:
        event("top K")
    if planted is not None:
        event("built around a pathway")
        assert is_feasible(problem, planted), "the generator's planted pathway breaks a rule"
    if best is None:
        assert solution.status == "infeasible"
        assert not solution.pathways
        assert_minimal_explanation(s, solution)
        return
    assert solution.status == "optimal"
    first = solution.pathways[0]
    assert list(first.values) == best
    assert frozenset(first.units) in winners
    for pathway in solution.pathways:
        assert is_feasible(problem, pathway.units)
    ranked = ranked_sets(problem, objectives, sets)
    assert [frozenset(p.units) for p in solution.pathways] == ranked[:top]
