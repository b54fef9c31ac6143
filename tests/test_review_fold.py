"""Review of the lexicographic fold (solver.py, `_Search._folded`): a defect found.

At 10,000 synthetic units (bench/synthetic.py, seed 1), min-glh then max-preference: solved as
rows (each objective fixed before the next, the code before the fold) every objective solve
is proven in about 0.22 of CP-SAT's deterministic time; folded into one sum, the solve is not
proven in 3.0 (nor in 40 s of wall time under --time-limit 40: status `feasible`, against
`optimal` in 4 s as rows). The fold has no work cap and no way back to rows, unlike the
combined solve of `_best_with_tiebreak` (COMBINED_WORK_*, then `_objective_alone`)."""

from __future__ import annotations

import sys
from pathlib import Path

from pathway import load, solver
from pathway.solver import solve

ROOT = Path(__file__).resolve().parent.parent


def _synthetic(units: int, seed: int, folder: Path):
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import synthetic_model, synthetic_scenario, write_yaml

    write_yaml(synthetic_model(units, seed), folder / "m.yaml")
    return load(write_yaml(synthetic_scenario(units, seed, "m.yaml"), folder / "s.yaml"))


def _capped(monkeypatch, work: float) -> None:
    """Every objective solve stopped at `work` deterministic time (one worker: the same
    point on every run), standing in for --time-limit."""
    original = solver._Search._solve

    def capped(self, phase="tie_break", hint=None, max_conflicts=None, scale=None, **kw):
        if phase == "objective":
            kw["work"] = work if kw.get("work") is None else min(kw["work"], work)
        return original(self, phase, hint, max_conflicts, scale, **kw)

    monkeypatch.setattr(solver._Search, "_solve", capped)


def test_a_weighted_pair_at_10000_units_is_proven_within_what_rows_need(tmp_path, monkeypatch):
    """Rows prove each objective in ~0.22 deterministic time; with 1.0 per objective solve
    (over four times that) the pair must still be proven, with the rows' values (computed
    by the rows path, `_folded` switched off, and by min-glh alone for the first)."""
    s = _synthetic(10000, 1, tmp_path)
    objectives = ["min-glh", "max-preference"]
    _capped(monkeypatch, 1.0)
    first = solve(s, objectives=objectives[:1], explain=False)
    assert first.status == "optimal"
    with monkeypatch.context() as m:
        m.setattr(solver._Search, "_folded", lambda self, index, terms: None)
        rows = solve(s, objectives=objectives, explain=False)
    assert rows.status == "optimal" and rows.best.values[0] == first.best.values[0]
    folded = solve(s, objectives=objectives, explain=False)
    # Now: status feasible, values [55753, 17522] (rows: optimal, [55753, 17538]).
    assert folded.status == "optimal", (folded.status, folded.best and folded.best.values)
    assert list(folded.best.values) == list(rows.best.values)
