"""The truth under every limit (issue 10): at many random cut points, on large and hard
models, whatever a time limit leaves is said honestly. `feasible` always carries a pathway
and a bound on the user's own objective with bound <= optimum <= value (the other way round
for max-preference); `optimal` is the true optimum; `unknown` has no pathway (exit 3); a
top-K list cut short says so; an unfinished tie-break says so; every format prints.

Where the optimum is asserted it is known another way: min-units under one credit floor is
exactly the greedy count (take the largest credits first)."""

from __future__ import annotations

import json
import random

import pytest
import yaml
from click.testing import CliRunner

from pathway.cli import main
from test_time_limit import planted_model

CUTS = random.Random(10).sample([x / 100 for x in range(1, 201)], 8)  # seconds, 0.01-2


def one_floor_model(path, units: int, seed: int) -> int:
    """N units and one credit floor; returns the exact fewest units (greedy is optimal)."""
    rng = random.Random(seed)
    credits = [rng.randint(1, 9) for _ in range(units)]
    floor = sum(credits) // 3
    doc = {
        "title": "Many units, one floor",
        "units": [
            {"id": f"U{i}", "number": i, "title": f"Unit {i}", "credit": c, "level": 2, "glh": 10}
            for i, c in enumerate(credits, start=1)
        ],
        "rules": [{"kind": "credits", "min": floor}],
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False, width=10**6))
    total, count = 0, 0
    for c in sorted(credits, reverse=True):
        if total >= floor:
            break
        total, count = total + c, count + 1
    return count


def solve(args):
    result = CliRunner().invoke(main, ["solve", *map(str, args), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def check_honest(code: int, printed: dict, top: int, optimum: int | None, sense: int) -> None:
    """The invariants; `sense` is +1 to minimise, -1 to maximise (bound <= optimum <= value
    after multiplying by it)."""
    status = printed["status"]
    value = printed["objective"]["value"]
    if status == "unknown":
        assert code == 3 and printed["pathway"] is None and value is None
        return
    assert code == 0 and printed["pathway"] is not None and value is not None
    if status == "optimal":
        assert optimum is None or value == optimum
        assert "bound" not in printed["objective"]
    else:
        assert status == "feasible"
        bound = printed["objective"]["bound"]
        if bound is not None:
            assert sense * bound <= sense * value
            if optimum is not None:
                assert sense * bound <= sense * optimum <= sense * value
        assert printed["tie_break_proven"] is False
    listed = 1 + len(printed["alternatives"])
    assert listed <= top
    if listed < top and status == "optimal" and not printed["list_complete"]:
        assert any("stopped the list" in note for note in printed["notes"])
    if not printed["tie_break_proven"] and status == "optimal":
        assert any("tie-break" in note for note in printed["notes"])


@pytest.mark.parametrize("cut", CUTS)
def test_min_units_on_2000_units_is_honest_at_any_cut(tmp_path, cut):
    path = tmp_path / "big.yaml"
    optimum = one_floor_model(path, 2000, seed=4)
    code, printed = solve([path, "-o", "min-units", "--time-limit", cut, "--top", 3])
    check_honest(code, printed, 3, optimum, +1)


@pytest.mark.parametrize("cut", CUTS[:4])
def test_a_hard_model_is_honest_at_any_cut(tmp_path, cut):
    path = tmp_path / "hard.yaml"
    planted_model(path, seed=6, units=200, rules=4)
    code, printed = solve([path, "-o", "min-glh", "--time-limit", cut])
    check_honest(code, printed, 1, None, +1)


@pytest.mark.parametrize("cut", CUTS[:4])
def test_max_preference_bounds_point_the_users_way(tmp_path, cut):
    path = tmp_path / "hard.yaml"
    planted_model(path, seed=8, units=200, rules=4)
    scenario = tmp_path / "s.yaml"
    weights = {f"U{i}": random.Random(i).randint(-3, 9) for i in range(1, 201)}
    scenario.write_text(
        yaml.safe_dump({"qualification": "hard.yaml", "preferences": {"units": weights}})
    )
    code, printed = solve([scenario, "-o", "max-preference", "--time-limit", cut])
    check_honest(code, printed, 1, None, -1)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_every_format_prints_what_a_cut_left(tmp_path, fmt):
    path = tmp_path / "big.yaml"
    one_floor_model(path, 2000, seed=4)
    args = ["solve", str(path), "-o", "min-units", "--time-limit", "0.01", "--top", "3"]
    result = CliRunner().invoke(main, [*args, "--format", fmt])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 3)
    if result.exit_code == 0:
        assert "stopped" in result.stdout or "Optimal" in result.stdout


def test_a_cut_list_says_how_many_it_has(tmp_path):
    """Twenty units with many tied pathways: at 0.01 s the list of 5 cannot finish."""
    units = [
        {"id": f"U{i}", "number": i, "title": f"Unit {i}", "credit": 2, "level": 2, "glh": 10}
        for i in range(1, 21)
    ]
    path = tmp_path / "twenty.yaml"
    path.write_text(
        yaml.safe_dump(
            {"title": "Twenty", "units": units, "rules": [{"kind": "credits", "min": 10}]},
            sort_keys=False,
        )
    )
    code, printed = solve([path, "--top", "5", "--time-limit", "0.01"])
    check_honest(code, printed, 5, 50, +1)
    code, full = solve([path, "--top", "5"])
    assert len(full["alternatives"]) == 4 and full["list_complete"] is True
