"""The CP-SAT solver against the exact oracle (tests/oracle.py: a dynamic program and brute
force over the plain-Python auditor, no CP-SAT) on the real seed models: every objective, twisted
scenarios, infeasible cases with minimal explanations, every shipped scenario's expectation, and
`--top K` on small models.

The oracle also knows the documented tie-break, so each test checks the exact pathway printed,
not just its cost."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

import generate
from oracle import (
    OBJECTIVES,
    Problem,
    all_optimal_sets,
    count_optimal,
    is_feasible,
    optimum_lex,
    ranked_sets,
    tie_break_winner,
)
from pathway.errors import InputError
from pathway.loader import load_model
from pathway.model import Mandatory
from pathway.scenario import Budget, load_scenario, scenario_for_model
from pathway.solver import solve

ROOT = Path(__file__).parent.parent
MODELS = ROOT / "models"
SEEDS = sorted(p.stem for p in MODELS.glob("*.yaml"))
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def seed_scenario(name: str):
    """A seed model solved with defaults. Units with no GLH get some: City & Guilds unit 235
    the 15 its shipped scenario gives it, the NVQ units (no GLH published) 10-29 by position."""
    s = scenario_for_model(load_model(MODELS / f"{name}.yaml"))
    s.glh = {
        u.id: 15 if u.number == "235" else 10 + 7 * i % 20
        for i, u in enumerate(s.qualification.units)
        if u.glh is None
    }
    return s


def has_credits(name: str) -> bool:
    return all(u.credit is not None for u in load_model(MODELS / f"{name}.yaml").units)


def preferences(s, rng: random.Random) -> None:
    s.unit_weights = {u.id: rng.randint(-3, 6) for u in s.qualification.units if rng.random() < 0.6}
    tags = sorted({t for u in s.qualification.units for t in u.tags})
    s.tag_weights = {t: rng.randint(-2, 4) for t in tags if rng.random() < 0.5}


def assert_same_answer(s, objectives: list[str]) -> None:
    """Status, optimum and the exact (tie-broken) pathway agree with the oracle."""
    problem = Problem.of_scenario(s)
    try:
        expected = optimum_lex(problem, objectives)
    except ValueError:  # credits asked of a model that has none: bad input for both
        with pytest.raises(InputError, match="credit"):
            solve(s, objectives=objectives)
        return
    solution = solve(s, objectives=objectives)
    if expected is None:
        assert solution.status == "infeasible", solution.best and solution.best.units
        assert_minimal_explanation(s, solution)
        return
    assert solution.status == "optimal"
    assert list(solution.best.values) == expected, objectives
    assert set(solution.best.units) == tie_break_winner(problem, objectives)
    assert is_feasible(problem, solution.best.units)


def assert_minimal_explanation(s, solution) -> None:
    """The named conflicts alone admit no pathway, and dropping any one of them admits one."""
    conflicts = solution.explanation.conflicts
    assert conflicts, "infeasible with nothing named"
    keep = blamed(solution)
    assert optimum_lex(only(s, keep), ["min-units"]) is None, keep
    for dropped in keep:
        assert optimum_lex(only(s, keep - {dropped}), ["min-units"]) is not None, dropped
    for c in conflicts:
        assert c.says, c
        if c.kind == "budget":
            assert_least_needed(s, c)


MEASURE = {"max_glh": "min-glh", "max_units": "min-units", "max_credits": "min-credits"}


def assert_least_needed(s, conflict) -> None:
    """A budget conflict quotes what the cheapest pathway needs without that budget."""
    relaxed = dataclasses.replace(s, budget=dataclasses.replace(s.budget))
    setattr(relaxed.budget, conflict.key, None)
    least = optimum_lex(Problem.of_scenario(relaxed), [MEASURE[conflict.key]])
    if least is None:
        assert "otherwise needs" not in conflict.says
    else:
        unit = {"max_glh": " GLH", "max_units": " unit", "max_credits": " credit"}[conflict.key]
        assert f"otherwise needs {least[0]}{unit}" in conflict.says, conflict.says


def blamed(solution) -> set[tuple[str, str]]:
    """(kind, key) of each blamed guard; excluded units are named together, keys joined by ','."""
    return {
        (c.kind, key)
        for c in solution.explanation.conflicts
        for key in (c.key.split(",") if c.kind == "excluded" else [c.key])
    }


def only(s, keep: set[tuple[str, str]]) -> Problem:
    """The scenario reduced to the rules and constraints in `keep`."""
    q = s.qualification
    rules = tuple(r for r in q.rules if ("rule", r.key) in keep)
    reduced = dataclasses.replace(s, qualification=dataclasses.replace(q, rules=rules))
    reduced.excluded = [u for u in s.excluded if ("excluded", u) in keep]
    reduced.required = [u for u in s.required if ("required", u) in keep]
    reduced.budget = Budget(
        **{
            name: getattr(s.budget, name) if ("budget", name) in keep else None
            for name in ("max_glh", "max_units", "max_credits")
        }
    )
    return Problem.of_scenario(reduced)


# -- every seed, every objective ------------------------------------------------------------


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("name", SEEDS)
def test_seed_optimum_and_pathway(name, objective):
    s = seed_scenario(name)
    if objective == "max-preference":
        preferences(s, random.Random(name))
    assert_same_answer(s, [objective])


@pytest.mark.parametrize("name", SEEDS)
def test_seed_lexicographic_pair(name):
    s = seed_scenario(name)
    preferences(s, random.Random(name))
    assert_same_answer(s, ["min-units", "min-glh"])
    assert_same_answer(s, ["max-preference", "min-credits"])


# -- twisted scenarios: exclusions, prior achievement, required units, budgets ---------------


def optional_units(q) -> list[str]:
    forced = {u for r in q.rules if isinstance(r, Mandatory) for u in r.units}
    return [u.id for u in q.units if u.id not in forced]


@pytest.mark.parametrize("case", range(8))
@pytest.mark.parametrize("name", SEEDS)
def test_twisted_seed_scenarios(name, case):
    rng = random.Random(f"{name}/{case}")
    s = seed_scenario(name)
    units = [u.id for u in s.qualification.units]
    # the certificates have only mandatory units: exclude one of those now and then
    optional = optional_units(s.qualification) or units[: (case % 2) * len(units)]
    s.excluded = rng.sample(optional, rng.randint(0, len(optional) // 3))
    s.held = [u for u in units if rng.random() < 0.2]
    s.required = [u for u in rng.sample(units, min(2, len(units))) if u not in s.excluded][
        : rng.randint(0, 2)
    ]
    preferences(s, rng)
    if case % 4 == 3:
        # a credit budget only where every unit has a credit (else it is bad input, tested apart)
        units_cap, credits_cap = rng.randint(1, 12), rng.randint(5, 60)
        s.budget = Budget(
            max_units=units_cap, max_credits=credits_cap if has_credits(name) else None
        )
    objectives = [rng.choice(OBJECTIVES)]
    if case % 3 == 2:
        objectives.append(rng.choice([o for o in OBJECTIVES if o != objectives[0]]))
    assert_same_answer(s, objectives)


# -- an infeasible case per seed, explained minimally ----------------------------------------


@pytest.mark.parametrize("name", SEEDS)
def test_excluding_too_much_is_explained_minimally(name):
    """Exclude optional units in a fixed random order until no pathway is left (the
    certificates, all mandatory, fall at the first unit)."""
    s = seed_scenario(name)
    order = optional_units(s.qualification) or [u.id for u in s.qualification.units]
    random.Random(name).shuffle(order)
    for count in range(1, len(order) + 1):
        s.excluded = order[:count]
        if optimum_lex(Problem.of_scenario(s), ["min-units"]) is None:
            break
    else:
        pytest.fail("excluding every optional unit still left a pathway")
    solution = solve(s, objectives=["min-units"])
    assert solution.status == "infeasible"
    assert_minimal_explanation(s, solution)
    # the unit whose exclusion tipped it over must be among the blamed
    assert ("excluded", order[count - 1]) in blamed(solution)


@pytest.mark.parametrize(
    "name,budget",
    [
        (name, budget)
        for name in SEEDS
        for budget in ("max_units", "max_credits", "max_glh")
        if budget != "max_credits" or has_credits(name)
    ],
)
def test_budget_one_below_the_optimum_is_explained_minimally(name, budget):
    s = seed_scenario(name)
    objective = {"max_units": "min-units", "max_credits": "min-credits", "max_glh": "min-glh"}
    best = optimum_lex(Problem.of_scenario(s), [objective[budget]])[0]
    setattr(s.budget, budget, best)
    assert solve(s, objectives=[objective[budget]]).best.values == [best]
    setattr(s.budget, budget, best - 1)
    solution = solve(s, objectives=[objective[budget]])
    assert solution.status == "infeasible"
    assert_minimal_explanation(s, solution)
    assert ("budget", budget) in blamed(solution)


def test_required_unit_that_is_excluded_is_blamed_alone():
    s = seed_scenario("cg-5530-02-l2-diploma-customer-service")  # has optional units
    unit = optional_units(s.qualification)[0]
    s.excluded, s.required = [unit], [unit]
    solution = solve(s)
    assert solution.status == "infeasible"
    assert blamed(solution) == {
        ("excluded", unit),
        ("required", unit),
    }


# -- every shipped scenario's expectation, checked the other way ------------------------------


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_expectations_agree_with_the_oracle(path):
    s = load_scenario(path)
    assert s.expect is not None, "every shipped scenario carries an expect block"
    from pathway.solver import default_objectives

    objectives = s.objectives or default_objectives(s)
    problem = Problem.of_scenario(s)
    best = optimum_lex(problem, objectives)
    expect = s.expect
    if best is None:
        assert expect["status"] == "infeasible"
        return
    assert expect["status"] == "optimal"
    if "objective" in expect:
        want = expect["objective"]
        want = [int(v) for v in want] if isinstance(want, list) else [int(want)]
        assert want == best
    if "units" in expect:
        q = s.qualification
        assert {q.find(str(r)).id for r in expect["units"]} == tie_break_winner(problem, objectives)


# -- --top K on small models: the exact ranked list ---------------------------------------------


def small_scenario(rng: random.Random, tmp_path: Path):
    """A random small model and learner (tests/generate.py) where every unit has GLH and credit,
    so every objective applies; budgets are left out (--top K lists pathways, not budgets)."""
    choose = generate.RandomChooser(rng)
    options = generate.Options(units=(2, 10), missing_glh=0.0)
    while True:
        doc, planted = generate.model_document(choose, options)
        q = generate.build(doc, generate.write_model(doc, tmp_path / "m.yaml"))
        s = generate.situation(choose, q, planted, options).scenario(q)
        s.budget = Budget()
        if all(u.credit is not None for u in q.units):
            return s


@pytest.mark.parametrize("case", range(25))
def test_top_k_is_the_ranked_list(case, tmp_path):
    rng = random.Random(5000 + case)
    s = small_scenario(rng, tmp_path)
    objective = rng.choice(OBJECTIVES)
    ranked = ranked_sets(Problem.of_scenario(s), [objective])
    k = rng.randint(2, 6)
    solution = solve(s, objectives=[objective], top=k)
    assert [set(p.units) for p in solution.pathways] == ranked[:k]
    values = [p.values[0] for p in solution.pathways]
    assert values == sorted(values, reverse=objective == "max-preference")


def test_top_k_on_seed_002_lists_tied_optima_in_tie_break_order():
    """Seed 002 has 646 cheapest pathways: the top 5 are five of them, in tie-break order."""
    s = seed_scenario("ocr-l4-nvq-diploma-customer-service")
    problem = Problem.of_scenario(s)
    assert count_optimal(problem, ["min-glh"]) == 646
    solution = solve(s, objectives=["min-glh"], top=5)
    first = tie_break_winner(problem, ["min-glh"])
    assert set(solution.pathways[0].units) == first
    assert [p.values for p in solution.pathways] == [[442]] * 5
    # The exact five: the 646 optimal sets ranked by the oracle's reading of the tie-break.
    expected = ranked_sets(problem, ["min-glh"], all_optimal_sets(problem, ["min-glh"]))[:5]
    assert [frozenset(p.units) for p in solution.pathways] == expected


def test_a_rule_that_cannot_hold_on_its_own_says_so_with_its_numbers(tmp_path):
    from pathway.loader import build_model
    from pathway.source import parse_yaml

    text = (
        "title: T\nunits:\n"
        "  - {id: a, title: A, credit: 5, level: 2}\n"
        "  - {id: b, title: B, credit: 7, level: 3}\n"
        "rules:\n  - {kind: credits, min: 20}\n"
        "  - {kind: credits, min_level: 3, min: 8}\n"
    )
    q = build_model(parse_yaml(text, "t.yaml"), tmp_path / "t.yaml")
    solution = solve(scenario_for_model(q), objectives=["min-units"])
    assert solution.status == "infeasible"
    # Deletion tries R1 first: R2 alone (7 credits at Level 3+, needs 8) already fails.
    (conflict,) = solution.explanation.conflicts
    assert conflict.key == "R2"
    assert "at these levels can give at most 7 credits; the rule needs 8" in conflict.says
    assert solution.explanation.summary.startswith("No pathway exists: this constraint")
