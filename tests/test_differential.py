"""Differential test: hypothesis makes random small qualifications (up to 14 units, random
groups, every rule kind: credit and unit floors and caps, level floors, `each`, barred sets,
mandatory units, nested any-of/all-of) and random learners, and the CP-SAT solver must agree with
brute-force enumeration judged by the plain-Python auditor: status, optimum, the exact pathway
the tie-break picks, `--top K`, and the minimality of every explanation.

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


@st.composite
def amount_rule(draw, units: list[dict], groups: list[dict], measure: str) -> dict:
    rule: dict = {"kind": measure}
    how = draw(st.sampled_from(["all", "groups", "each", "units"] if groups else ["all", "units"]))
    if how in ("groups", "each"):
        chosen = draw(st.lists(st.sampled_from(groups), min_size=1, unique_by=lambda g: g["id"]))
        rule[how] = [g["id"] for g in chosen]
        scope = [u for g in chosen for u in g["units"]]
        if how == "each":
            scope = min((g["units"] for g in chosen), key=len)
    elif how == "units":
        ids = [u["id"] for u in units]
        scope = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        rule["units"] = scope
    else:
        scope = [u["id"] for u in units]
    by_id = {u["id"]: u for u in units}
    total = sum(by_id[u]["credit"] if measure == "credits" else 1 for u in scope)
    low = draw(st.none() | st.integers(0, total))
    high = draw(st.none() | st.integers(low or 0, total + 1))
    if low is None and high is None:
        low = draw(st.integers(1, total + 1))
    if low is not None:
        rule["min"] = low
    if high is not None:
        rule["max"] = high
    if draw(chance(30)):
        rule["min_level"] = draw(st.integers(1, 3))
    if draw(chance(15)):
        rule["max_level"] = draw(st.integers(rule.get("min_level", 1), 4))
    return rule


@st.composite
def rule(draw, units: list[dict], groups: list[dict], credits: bool, depth: int = 0) -> dict:
    kinds = ["units", "barred", "mandatory"] + (["credits", "credits"] if credits else [])
    if depth < 2:
        kinds += ["any-of", "all-of"]
    kind = draw(st.sampled_from(kinds))
    ids = [u["id"] for u in units]
    if kind in ("credits", "units"):
        return draw(amount_rule(units, groups, kind))
    if kind == "barred":
        if len(ids) < 2:
            return {"kind": "mandatory", "units": ids}
        barred = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True))
        return {"kind": "barred", "units": barred}
    if kind == "mandatory":
        return {
            "kind": "mandatory",
            "units": draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True)),
        }
    children = draw(st.lists(rule(units, groups, credits, depth + 1), min_size=1, max_size=3))
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
    rules = draw(st.lists(rule(units, groups, credits), min_size=1, max_size=4))
    return {"title": "random model", "units": units, "groups": groups, "rules": rules}


@st.composite
def cases(draw):
    doc = draw(model_document())
    ids = [u["id"] for u in doc["units"]]
    some = st.lists(st.sampled_from(ids), unique=True, max_size=3)
    situation = {
        "achieved": draw(some),
        "excluded": draw(some),
        "required": draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)),
        "unit_weights": draw(st.dictionaries(st.sampled_from(ids), st.integers(-5, 5))),
        "tag_weights": draw(st.dictionaries(st.sampled_from(TAGS), st.integers(-4, 4))),
        "budget": {
            "max_glh": draw(st.none() | st.integers(0, 120)),
            "max_units": draw(st.none() | st.integers(0, 10)),
            "max_credits": draw(st.none() | st.integers(0, 30)),
        },
    }
    first = draw(st.sampled_from(OBJECTIVES))
    objectives = [first]
    if draw(chance(25)):
        objectives.append(draw(st.sampled_from([o for o in OBJECTIVES if o != first])))
    top = draw(st.sampled_from([1, 1, 2, 3])) if len(objectives) == 1 else 1
    return doc, situation, objectives, top


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
    doc, situation, objectives, top = case
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
