"""Differential test: hypothesis makes random small qualifications (up to 14 units, random
groups, every rule kind: credit and unit floors and caps, level floors, `each`, barred sets,
mandatory units, nested any-of/all-of) and random learners, and the CP-SAT solver must agree with
brute-force enumeration judged by the plain-Python auditor: status, optimum, the exact pathway
the tie-break picks, `--top K`, and the minimality of every explanation.

The models and learners come from tests/generate.py, drawn through hypothesis (`DrawChooser`),
so a failing case is shrunk. Random rules mostly collide, so about half the models are built
around a planted pathway (every rule drawn so that the planted set meets it, the learner's
exclusions and budgets too): that keeps two thirds of the cases feasible, where the optimum and
tie-break are what is tested.

CI runs a modest, derandomised number of cases. For a big run:

    PATHWAY_DIFFERENTIAL_CASES=10000 python -m pytest tests/test_differential.py \\
        --hypothesis-show-statistics

(the statistics line says how many cases passed; any mismatch fails and is shrunk).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import generate
from oracle import OBJECTIVES, Problem, brute_optimal_sets, feasible_sets, is_feasible, ranked_sets
from pathway.solver import solve
from test_against_oracle import assert_minimal_explanation

CASES = int(os.environ.get("PATHWAY_DIFFERENTIAL_CASES", "150"))
BIG_RUN = "PATHWAY_DIFFERENTIAL_CASES" in os.environ


@st.composite
def cases(draw):
    choose = generate.DrawChooser(draw)
    doc, planted = generate.model_document(choose)
    situation = generate.situation(choose, doc, planted)
    first = choose.sample(OBJECTIVES)
    objectives = [first]
    if choose.boolean(0.25):
        objectives.append(choose.sample([o for o in OBJECTIVES if o != first]))
    # --top K lists the K best in lexicographic order, for one objective or several.
    top = choose.sample([1, 1, 2, 3])
    return doc, situation, objectives, top, planted


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
    s = situation.scenario(generate.build(doc))
    has_credits = all(u.credit is not None for u in s.qualification.units)
    if not has_credits:
        objectives = [o for o in objectives if o != "min-credits"] or ["min-units"]
    problem = Problem.of_scenario(s)
    sets = list(feasible_sets(problem))
    best, winners = brute_optimal_sets(problem, objectives, sets)
    solution = solve(s, objectives=objectives, top=top)
    event(f"status {solution.status}")  # shown by --hypothesis-show-statistics
    event(f"{len(s.qualification.units) // 5 * 5}+ units")
    text = generate.yaml_text(doc)
    for kind in ("any-of", "all-of", "barred", "each", "min_level", "max"):
        if kind in text:
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
