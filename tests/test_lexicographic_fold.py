"""Lexicographic objectives folded into one solve from the first objective that weighs units
differently (solver.py, `_Search._folded`): the same pathway as before (the oracle's, with the
tie-break), the first objective's bound read back from the fold on the right side of its
optimum, and counts still solved alone as rows."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import generate
import oracle
from pathway import load, solver
from pathway.solver import solve

MODELS = generate.Options(units=(3, 9), credits=1.0)
OBJECTIVES = ["min-glh", "max-preference", "min-units", "min-credits"]
LISTS = [list(p) for p in itertools.permutations(OBJECTIVES, 2)] + [
    ["max-preference", "min-glh", "min-units"],
    ["min-units", "max-preference", "min-glh"],
    ["min-credits", "max-preference", "min-units"],
]


def _spy(monkeypatch) -> list[int]:
    """Records the index from which each solve folded the objectives."""
    seen: list[int] = []
    original = solver._Search._best_folded

    def spied(self, index, folded, solution):
        seen.append(index)
        return original(self, index, folded, solution)

    monkeypatch.setattr(solver._Search, "_best_folded", spied)
    return seen


def test_folded_objectives_give_the_oracles_pathway(monkeypatch):
    """Random small models, every ordered pair of objectives and three triples, top 1 and 3:
    each pathway listed is the oracle's, in its order, tie-break included."""
    folds = _spy(monkeypatch)
    checked = 0
    for seed in range(30):
        s = generate.random_scenario(f"fold-{seed}", MODELS)
        problem = oracle.Problem.of_scenario(s)
        for objectives in LISTS:
            ranked = oracle.ranked_sets(problem, objectives)
            for top in (1, 3):
                solution = solve(s, objectives=objectives, top=top, explain=False)
                if not ranked:
                    assert solution.status == "infeasible", (seed, objectives)
                    continue
                assert solution.status == "optimal", (seed, objectives)
                assert solution.tie_break_proven, (seed, objectives)
                listed = [frozenset(p.units) for p in solution.pathways]
                assert listed == ranked[:top], (seed, objectives, top)
                checked += 1
    assert checked >= 400, checked
    assert folds.count(0) >= 200 and folds.count(1) >= 20, (folds.count(0), folds.count(1))


def test_a_fold_past_its_work_falls_back_to_rows_with_the_oracles_pathway(monkeypatch):
    """The fold's cap on work forced to 0 (and the combined tie-break solve's too): every fold
    stops at once, its first objective is proven alone from its pathway and fixed, and the
    next objectives are tried the same way. The pathways listed must still be the oracle's."""
    monkeypatch.setattr(solver, "FOLD_WORK_PER_UNIT", 0.0)
    monkeypatch.setattr(solver, "COMBINED_WORK_FLOOR", 0.0)
    fell_back: list[int] = []
    original = solver._Search._as_first

    def spied(self, together):
        fell_back.append(self.solving)
        return original(self, together)

    monkeypatch.setattr(solver._Search, "_as_first", spied)
    checked = 0
    for seed in range(20):
        s = generate.random_scenario(f"fold-back-{seed}", MODELS)
        problem = oracle.Problem.of_scenario(s)
        for objectives in LISTS:
            ranked = oracle.ranked_sets(problem, objectives)
            solution = solve(s, objectives=objectives, top=2, explain=False)
            if not ranked:
                assert solution.status == "infeasible", (seed, objectives)
                continue
            assert solution.status == "optimal", (seed, objectives)
            listed = [frozenset(p.units) for p in solution.pathways]
            assert listed == ranked[:2], (seed, objectives)
            checked += 1
    assert checked >= 150 and len(fell_back) >= 100, (checked, len(fell_back))


def test_a_count_first_is_solved_alone_then_the_rest_folded(monkeypatch):
    """min-units counts every unit the same: it is fixed as a row, and the fold starts at
    the next objective (3,000 units: folded with it, not proven in 20 of CP-SAT's
    deterministic time; as a row, 0.35 s)."""
    folds = _spy(monkeypatch)
    s = load(Path(__file__).resolve().parent.parent / "scenarios/ocr-l2-diploma-cheapest.yaml")
    solution = solve(s, objectives=["min-units", "min-glh", "min-credits"], top=1, explain=False)
    assert solution.status == "optimal"
    assert folds == [1]
    want = oracle.optimum_lex(
        oracle.Problem.of_scenario(s), ["min-units", "min-glh", "min-credits"]
    )
    assert list(solution.best.values) == list(want)


def _synthetic_preferences(units: int, seed: int, folder: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from synthetic import synthetic_model, synthetic_scenario, write_yaml

    write_yaml(synthetic_model(units, seed), folder / "m.yaml")
    return write_yaml(synthetic_scenario(units, seed, "m.yaml"), folder / "s.yaml")


def test_a_fold_stopped_early_bounds_the_first_objective(tmp_path, monkeypatch):
    """3,000 synthetic units: the fold's solve stopped at several points of its work (standing
    in for the clock; the same point on every run). Where min-glh's fold stops with a pathway
    unproven, the bound printed is on the first objective (bound <= optimum <= value). Where
    max-preference's stops, its first objective is proven alone and fixed, and a later one is
    stopped: the value printed is the optimum, and so is the bound. (Its fold is found and proven at once here, so
    no cut leaves its own bound; that bound's direction, value <= optimum <= bound, is checked
    on small models by tests/test_review_fold_checks.py.) The optimum is the first objective's
    alone, proven by a solve of it by itself (the fold must reach the same)."""
    s = load(_synthetic_preferences(3000, 0, tmp_path))
    original = solver._Search._solve
    cut = {"work": 0.0}

    def stopped(self, phase="tie_break", hint=None, max_conflicts=None, scale=None, **kw):
        if phase == "objective":
            kw["work"] = cut["work"]
        return original(self, phase, hint, max_conflicts, scale, **kw)

    unproven = first_only = 0
    # Cut points where these folds stop unproven (max-preference's fold is found and proven
    # almost at once here; its bound's direction is checked on small models by
    # tests/test_review_fold_checks.py).
    for objectives, sense, works in (
        (["max-preference", "min-units"], -1, (0.016, 0.018, 0.02)),
        (["min-glh", "max-preference"], +1, (0.0225, 0.025, 0.03, 0.035, 0.04, 0.045)),
    ):
        optimum = solve(s, objectives=objectives[:1], explain=False).best.values[0]
        whole = solve(s, objectives=objectives, explain=False)
        assert whole.status == "optimal" and whole.best.values[0] == optimum
        with monkeypatch.context() as m:
            m.setattr(solver._Search, "_solve", stopped)
            for work in works:
                cut["work"] = work
                solution = solve(s, objectives=objectives, explain=False)
                if solution.status == "optimal":
                    assert solution.best.values[0] == optimum, (objectives, work)
                    continue
                if solution.status == "unknown":  # stopped before any pathway: none printed
                    assert solution.best is None
                    continue
                assert solution.status == "feasible" and solution.best is not None
                value = solution.best.values[0]
                assert solution.bound is not None, (objectives, work)
                assert sense * solution.bound <= sense * optimum <= sense * value
                if solution.bound == value:
                    # The first objective proven (the fold stopped on its work, the first was
                    # proven alone and fixed, and a later one stopped): its optimum the bound.
                    assert value == optimum, (objectives, work)
                    first_only += 1
                    continue
                # and in the first objective's own terms, not the fold's (its scale is 10^4+)
                assert abs(solution.bound - optimum) <= abs(optimum) // 2, solution.bound
                assert not solution.tie_break_proven
                unproven += 1
    assert unproven >= 4 and first_only >= 1, (unproven, first_only)
