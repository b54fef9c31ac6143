"""Review of the lexicographic fold (solver.py, `_Search._folded`): what was checked and held.

Random small models (tests/generate.py: held, excluded and required units, negative weights,
budgets) against the exact oracle: triples and quadruples of objectives, --top 1-5, one or two
workers; the same with amounts large enough that the fold passes COMBINED_LIMIT (rows then)
or comes near it; and every objective solve stopped at deterministic points, where status,
bound (on the first objective, the user's way round), `tie_break_proven` and `list_complete`
must stay honest."""

from __future__ import annotations

import itertools
import random

import generate
import oracle
from pathway import solver
from pathway.solver import solve

OBJECTIVES = ["min-glh", "max-preference", "min-units", "min-credits"]
LONG = [list(p) for p in itertools.permutations(OBJECTIVES, 3)] + [
    list(p) for p in itertools.permutations(OBJECTIVES, 4)
]


def _scenario(name: str, options: generate.Options):
    choose = generate.RandomChooser(name)
    doc, planted = generate.model_document(choose, options)
    sit = generate.situation(choose, doc, planted, options)
    return doc, sit


def _user(objectives, values):
    return [-v if o == "max-preference" else v for o, v in zip(objectives, values)]


def test_triples_and_quadruples_top_k_and_workers_match_the_oracle():
    options = generate.Options(units=(3, 10), credits=1.0)
    pick = random.Random(7)
    checked = 0
    for seed in range(40):
        s = generate.random_scenario(f"review-fold-{seed}", options)
        problem = oracle.Problem.of_scenario(s)
        for objectives in pick.sample(LONG, 6):
            ranked = oracle.ranked_sets(problem, objectives)
            top, workers = pick.randint(1, 5), pick.choice([None, 2])
            solution = solve(s, objectives=objectives, top=top, workers=workers, explain=False)
            if not ranked:
                assert solution.status == "infeasible"
                continue
            assert solution.status == "optimal", (seed, objectives)
            assert solution.tie_break_proven and solution.list_complete
            assert [frozenset(p.units) for p in solution.pathways] == ranked[:top]
            for p in solution.pathways:
                want = [oracle.objective_value(problem, o, p.units) for o in objectives]
                assert list(p.values) == want
            checked += 1
    assert checked >= 150, checked


def test_large_amounts_past_and_near_the_exact_limit_match_the_oracle(monkeypatch):
    """GLH up to 10^7, credits up to 10^4, weights up to +-10^6: the fold's sum passes
    COMBINED_LIMIT (then rows, or a fold from a later objective) or comes within 2**45."""
    seen: dict[str, int] = {}
    original = solver._Search._folded

    def spied(self, index, first):
        out = original(self, index, first)
        size = None if out is None else sum(abs(cf) for _, cf in out)
        kind = "over" if out is None else "near" if size > 2**45 else "small"
        seen[kind] = seen.get(kind, 0) + 1
        return out

    monkeypatch.setattr(solver._Search, "_folded", spied)
    pick = random.Random(5)
    checked = 0
    for seed in range(40):
        glh, credit = pick.choice([10**5, 10**7]), pick.choice([10**3, 10**4])
        options = generate.Options(units=(4, 9), credits=1.0, glh=(0, glh), credit=(0, credit))
        doc, sit = _scenario(f"review-fold-big-{seed}", options)
        sit.max_glh = sit.max_credits = None
        weight = pick.choice([10**5, 10**6])
        sit.unit_weights = {u["id"]: pick.randint(-weight, weight) for u in doc["units"]}
        s = sit.scenario(generate.build(doc))
        problem = oracle.Problem.of_scenario(s)
        for objectives in pick.sample(LONG, 4):
            ranked = oracle.ranked_sets(problem, objectives)
            top = pick.randint(1, 3)
            solution = solve(s, objectives=objectives, top=top, explain=False)
            if not ranked:
                assert solution.status == "infeasible"
                continue
            assert solution.status == "optimal" and solution.tie_break_proven
            assert [frozenset(p.units) for p in solution.pathways] == ranked[:top]
            checked += 1
    assert checked >= 100, checked
    assert seen.get("over", 0) >= 20 and seen.get("near", 0) >= 20, seen


def test_solves_stopped_at_deterministic_points_stay_honest(monkeypatch):
    """Objective (and sometimes tie-break) solves stopped at 0 to 0.003 deterministic time,
    on models of 12-30 units: optimal only with the oracle's values; feasible with a pathway
    no better than the optimum, a bound on the far side of it, `tie_break_proven` false and
    a short list said to be short; unknown only with no pathway."""
    options = generate.Options(units=(12, 30), credits=1.0, planted=1.0)
    pick = random.Random(11)
    lists = [list(p) for p in itertools.permutations(OBJECTIVES, 2)] + LONG[:24]
    original = solver._Search._solve
    cut: dict = {"work": 0.0, "phases": ("objective",)}

    def stopped(self, phase="tie_break", hint=None, max_conflicts=None, scale=None, **kw):
        if phase in cut["phases"]:
            kw["work"] = cut["work"] if kw.get("work") is None else min(kw["work"], cut["work"])
        return original(self, phase, hint, max_conflicts, scale, **kw)

    monkeypatch.setattr(solver._Search, "_solve", stopped)
    counts: dict[str, int] = {}
    for seed in range(25):
        s = generate.random_scenario(f"review-fold-cut-{seed}", options)
        problem = oracle.Problem.of_scenario(s)
        for objectives in pick.sample(lists, 3):
            best = oracle.optimum_lex(problem, objectives)
            sense = -1 if objectives[0] == "max-preference" else 1
            for work in (0.0, 1e-5, 3e-4, 1e-3, 3e-3):
                cut["work"] = work
                cut["phases"] = pick.choice([("objective",), ("objective", "tie_break")])
                top = pick.randint(1, 4)
                solution = solve(s, objectives=objectives, top=top, explain=False)
                status = solution.status.value
                counts[status] = counts.get(status, 0) + 1
                if best is None:
                    assert status in ("infeasible", "unknown")
                elif status == "optimal":
                    assert list(solution.best.values) == list(best)
                elif status == "feasible":
                    values = solution.best.values
                    assert _user(objectives, values) >= _user(objectives, best)
                    if solution.bound is not None:
                        assert sense * solution.bound <= sense * best[0] <= sense * values[0]
                    assert not solution.tie_break_proven
                    if len(solution.pathways) < top:
                        assert not solution.list_complete
                else:
                    assert status == "unknown" and not solution.pathways
                    assert top == 1 or not solution.list_complete
    assert counts.get("feasible", 0) >= 5 and counts.get("unknown", 0) >= 50, counts


def test_progress_while_a_fold_solves_is_in_the_first_objectives_terms(tmp_path, monkeypatch):
    """1,000 synthetic units, folds from index 0, whole and stopped early: every value the
    progress callback gets is a first-objective value no better than its optimum (the
    first objective solved alone), every bound on the far side of it."""
    import sys
    from pathlib import Path

    from pathway import load

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from synthetic import synthetic_model, synthetic_scenario, write_yaml

    write_yaml(synthetic_model(1000, 1), tmp_path / "m.yaml")
    s = load(write_yaml(synthetic_scenario(1000, 1, "m.yaml"), tmp_path / "s.yaml"))
    original = solver._Search._solve
    cut: dict = {"work": None}

    def stopped(self, phase="tie_break", hint=None, max_conflicts=None, scale=None, **kw):
        if phase == "objective" and cut["work"] is not None:
            kw["work"] = cut["work"]
        return original(self, phase, hint, max_conflicts, scale, **kw)

    monkeypatch.setattr(solver._Search, "_solve", stopped)
    reported = 0
    for objectives in (
        ["max-preference", "min-units"],
        ["min-glh", "max-preference", "min-credits", "min-units"],
    ):
        cut["work"] = None
        optimum = solve(s, objectives=objectives[:1], explain=False).best.values[0]
        sense = -1 if objectives[0] == "max-preference" else 1
        for work in (None, 0.005, 0.01, 0.02):
            cut["work"] = work
            calls: list = []

            def record(*args, calls=calls):
                calls.append(args)

            solve(s, objectives=objectives, explain=False, progress=record)
            for phase, value in (c for c in calls if len(c) == 2 and c[1] is not None):
                if phase == "bound":
                    assert sense * value <= sense * optimum, (objectives, work, value)
                else:
                    assert sense * value >= sense * optimum, (objectives, work, value)
                assert abs(value - optimum) <= abs(optimum), (objectives, work, value)
                reported += 1
    assert reported >= 30, reported
