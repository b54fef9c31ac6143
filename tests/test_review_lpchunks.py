"""Review of SHORT_LP_CHUNKS (solver.py, `search_parameters`): max-preference solves with
`root_lp_iterations: 200`. Checked here against the exact oracle: random small models,
max-preference alone and first or later in lexicographic lists, --top 1-3, one to three
workers; the printed JSON the same whatever the worker count."""

from __future__ import annotations

import json
import random

import generate
import oracle
from pathway import solution_json
from pathway.solver import SHORT_LP_CHUNKS, search_parameters, solve

LISTS = [
    ["max-preference"],
    ["max-preference", "min-glh"],
    ["max-preference", "min-units"],
    ["max-preference", "min-credits"],
    ["min-units", "max-preference"],
    ["min-glh", "max-preference", "min-credits"],
]


def test_short_chunks_only_for_max_preference():
    for units in (10, 4_999, 5_000):
        for workers in (None, 1, 2):
            assert SHORT_LP_CHUNKS in search_parameters("max-preference", units, workers)
            for other in ("min-glh", "min-units", "min-credits"):
                assert SHORT_LP_CHUNKS not in search_parameters(other, units, workers)


def test_max_preference_lists_match_the_oracle_for_any_worker_count():
    options = generate.Options(units=(3, 10), credits=1.0)
    pick = random.Random(11)
    checked = 0
    for seed in range(30):
        s = generate.random_scenario(f"review-lpchunks-{seed}", options)
        problem = oracle.Problem.of_scenario(s)
        for objectives in pick.sample(LISTS, 3):
            ranked = oracle.ranked_sets(problem, objectives)
            winner = oracle.tie_break_winner(problem, objectives)
            top = pick.randint(1, 3)
            printed = set()
            for workers in (None, 2, 3):
                solution = solve(s, objectives=objectives, top=top, workers=workers, explain=False)
                if not ranked:
                    assert solution.status == "infeasible"
                    assert winner is None
                    continue
                assert solution.status == "optimal", (seed, objectives, workers)
                assert solution.tie_break_proven and solution.list_complete
                assert frozenset(solution.pathways[0].units) == winner
                assert [frozenset(p.units) for p in solution.pathways] == ranked[:top]
                for p in solution.pathways:
                    want = [oracle.objective_value(problem, o, p.units) for o in objectives]
                    assert list(p.values) == want
                printed.add(json.dumps(solution_json(solution), sort_keys=True))
                checked += 1
            assert len(printed) <= 1, (seed, objectives)
    assert checked >= 150, checked
