"""Review of max-preference with two or more workers (solver.py, `search_parameters`): CP-SAT's
full-problem search is then the one-worker search as a named subsolver (`pathway`), not
`max_lp`. Checked here: CP-SAT accepts the parameters and really runs that subsolver; random
small models against the exact oracle, max-preference anywhere in lists of one to four
objectives, top 1-4, two and three workers, the JSON the same as with one worker; and time
limits on a synthetic model with two workers (an `optimal` is the optimum, a `feasible`
carries a pathway and a bound on the optimum's side)."""

from __future__ import annotations

import itertools
import json
import random
import sys
from pathlib import Path

import generate
import oracle
from honesty import check_against_best
from pathway import load, solution_json, solver
from pathway.solver import search_parameters, solve

NAMES = list(oracle.OBJECTIVES)
LISTS = [
    list(p) for r in (1, 2, 3, 4) for p in itertools.permutations(NAMES, r) if "max-preference" in p
]


def test_parameters_are_accepted_for_every_worker_count():
    from ortools.sat.python import cp_model_helper as helper

    for units in (10, 5_000):
        for workers in (None, 1, 2, 3, 8):
            for objective in NAMES:
                params = helper.SatParameters()
                text = f"num_workers: {workers or 1} " + search_parameters(
                    objective, units, workers
                )
                assert params.parse_text_format(text), text


def test_the_named_subsolver_is_the_one_cp_sat_runs(monkeypatch, capfd):
    """An unknown subsolver name would be dropped by CP-SAT, leaving no full-problem search:
    its log must list `pathway` as the one full-problem subsolver of every max-preference
    solve with two workers."""
    s = generate.random_scenario("review-workers-log", generate.Options(units=(6, 8)))
    plain = solver.search_parameters
    monkeypatch.setattr(
        solver,
        "search_parameters",
        lambda o, u, w=None: plain(o, u, w) + " log_search_progress: true",
    )
    solve(s, objectives=["max-preference"], workers=2, explain=False)
    log = capfd.readouterr().out
    starts = log.count("Starting search")
    assert starts >= 1
    assert log.count("1 full problem subsolver: [pathway]") == starts, log[-3000:]


def test_max_preference_anywhere_matches_the_oracle_with_two_and_three_workers():
    rng = random.Random("review-workers")
    checked = 0
    for seed in range(100):
        s = generate.random_scenario(
            f"review-workers-{seed}", generate.Options(units=(3, 9), credits=1.0)
        )
        problem = oracle.Problem.of_scenario(s)
        for objectives in rng.sample(LISTS, 3):
            try:
                ranked = oracle.ranked_sets(problem, objectives)
            except ValueError:  # credits or GLH unknown: not a question for this model
                continue
            top = rng.randint(1, 4)
            printed = set()
            for workers in (1, 2, 3):
                where = (seed, objectives, top, workers)
                got = solve(s, objectives=objectives, top=top, workers=workers, explain=False)
                if not ranked:
                    assert got.status == "infeasible", where
                    continue
                assert got.status == "optimal", where
                assert got.tie_break_proven and got.list_complete, where
                assert [frozenset(p.units) for p in got.pathways] == ranked[:top], where
                for p in got.pathways:
                    want = [oracle.objective_value(problem, o, p.units) for o in objectives]
                    assert list(p.values) == want, where
                printed.add(json.dumps(solution_json(got), sort_keys=True))
                checked += workers > 1
            assert len(printed) <= 1, (seed, objectives, top)
    assert checked >= 300, checked


def test_time_limits_are_honest_with_two_workers(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from synthetic import synthetic_model, synthetic_scenario, write_yaml

    model = write_yaml(synthetic_model(1000, 3), tmp_path / "m.yaml")
    s = load(write_yaml(synthetic_scenario(1000, 3, model.name), tmp_path / "s.yaml"))
    rng = random.Random("review-workers-limits")
    statuses: set[str] = set()
    for objectives in (["max-preference"], ["min-units", "max-preference"]):
        free = solve(s, objectives=objectives, workers=1, explain=False)
        assert free.status == "optimal" and free.tie_break_proven
        best = free.pathways[0]
        sign = -1 if objectives[0] == "max-preference" else 1
        for limit in [rng.uniform(0.01, 0.3) for _ in range(6)] + [None]:
            got = solve(s, objectives=objectives, time_limit=limit, workers=2, explain=False)
            where = (objectives, limit, got.status, got.bound)
            statuses.add(str(got.status))
            if got.status != "optimal":
                assert limit is not None, where
            check_against_best(got, best, sign, where)
    assert "optimal" in statuses, statuses
