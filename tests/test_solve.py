"""The solver against exact answers computed another way: brute force over every unit set,
judged by the plain-Python auditor (no CP-SAT)."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway.api import apply_overrides, load_problem
from pathway.audit import audit, scenario_violations
from pathway.cli import main
from pathway.load import build_model
from pathway.scenario import scenario_for_model
from pathway.solve import objective_value, solve
from pathway.source import parse_yaml

ROOT = Path(__file__).parent.parent
MODELS = ROOT / "models"


def random_model_yaml(rng: random.Random) -> str:
    n = rng.randint(3, 10)
    lines = ["title: random", "units:"]
    for i in range(1, n + 1):
        lines += [
            f"  - id: U{i}",
            f"    number: {i}",
            f"    title: unit {i}",
            f"    credit: {rng.randint(1, 8)}",
            f"    level: {rng.randint(1, 4)}",
            f"    glh: {rng.randint(5, 60)}",
        ]
    ids = list(range(1, n + 1))
    rng.shuffle(ids)
    cut = sorted(rng.sample(range(1, n), k=min(2, n - 1)))
    parts = [ids[: cut[0]], ids[cut[0] : cut[-1]] if len(cut) > 1 else [], ids[cut[-1] :]]
    parts = [p for p in parts if p]
    lines.append("groups:")
    for g, members in zip("ABC", parts):
        lines.append(f"  - id: {g}")
        if g == "A" and rng.random() < 0.5:
            lines.append("    mandatory: true")
        lines.append(f"    units: [{', '.join(map(str, members))}]")
    groups = [g for g, _ in zip("ABC", parts)]
    lines.append("rules:")
    lines += ["  - kind: credits", f"    min: {rng.randint(3, 4 * n)}"]
    g = rng.choice(groups)
    lines += ["  - kind: credits", f"    groups: [{g}]", f"    max: {rng.randint(4, 20)}"]
    lines += ["  - kind: units", f"    each: [{', '.join(groups)}]", "    min: 1"]
    if rng.random() < 0.5:
        lines += ["  - kind: credits", "    min_level: 3", f"    min: {rng.randint(1, 10)}"]
    if n >= 4 and rng.random() < 0.5:
        a, b = rng.sample(range(1, n + 1), 2)
        lines += ["  - kind: barred", f"    units: [{a}, {b}]"]
    if rng.random() < 0.4:
        lines += [
            "  - kind: any-of",
            "    rules:",
            "      - kind: units",
            f"        min: {rng.randint(2, n)}",
            "      - kind: credits",
            f"        groups: [{rng.choice(groups)}]",
            f"        min: {rng.randint(2, 12)}",
        ]
    return "\n".join(lines) + "\n"


def brute_force(scenario, objective):
    """Best objective value over every feasible unit set (user's sign), or None."""
    q = scenario.qualification
    ids = [u.id for u in q.units]
    best = None
    for r in range(len(ids) + 1):
        for combo in itertools.combinations(ids, r):
            if not audit(q, combo).achieved or scenario_violations(scenario, combo):
                continue
            value = objective_value(objective, scenario, combo)
            better = best is None or (
                value > best if objective == "max-preference" else value < best
            )
            if better:
                best = value
    return best


@pytest.mark.parametrize("seed", range(40))
def test_random_small_models_match_brute_force(seed, tmp_path):
    rng = random.Random(seed)
    text = random_model_yaml(rng)
    q = build_model(parse_yaml(text, "m.yaml"), tmp_path / "m.yaml")
    s = scenario_for_model(q)
    units = [u.id for u in q.units]
    if rng.random() < 0.5:
        s.excluded = [rng.choice(units)]
    if rng.random() < 0.3:
        s.achieved = [rng.choice(units)]
    s.unit_weights = {u: rng.randint(-3, 5) for u in units}
    for objective in ("min-glh", "max-preference", "min-credits", "min-units"):
        expected = brute_force(s, objective)
        solution = solve(s, objectives=[objective])
        if expected is None:
            assert solution.status == "infeasible"
            assert solution.explanation.conflicts
        else:
            assert solution.status == "optimal"
            assert solution.best.values == [expected]


def test_top_k_is_distinct_valid_and_non_decreasing():
    s = scenario_for_model(
        build_model(
            parse_yaml((MODELS / "ocr-l2-diploma-customer-service.yaml").read_text(), "m"),
            MODELS / "ocr-l2-diploma-customer-service.yaml",
        )
    )
    solution = solve(s, top=6)
    sets = [p.units for p in solution.pathways]
    assert len(sets) == 6 and len(set(sets)) == 6
    values = [p.values[0] for p in solution.pathways]
    assert values == sorted(values)
    assert values[:2] == [245, 245]  # GUIDE.md: exactly two minimum-GLH sets
    assert values[2] > 245
    for p in solution.pathways:
        assert audit(s.qualification, p.units).achieved


@pytest.mark.parametrize("scenario", ["ocr-l4-nvq-cheapest.yaml", "ocr-l2-diploma-cheapest.yaml"])
def test_json_identical_for_any_worker_count(scenario):
    outputs = set()
    for workers in (1, 2, 4, 1):
        result = CliRunner().invoke(
            main,
            [
                "solve",
                str(ROOT / "scenarios" / scenario),
                "--format",
                "json",
                "--workers",
                str(workers),
            ],
        )
        assert result.exit_code == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_cli_solve_exit_codes_and_json_keys():
    runner = CliRunner()
    ok = runner.invoke(
        main, ["solve", str(MODELS / "ocr-l2-diploma-customer-service.yaml"), "--format", "json"]
    )
    assert ok.exit_code == 0
    data = json.loads(ok.stdout)
    assert {"status", "objective", "pathway", "rules", "alternatives", "explanation"} <= set(data)
    assert data["status"] == "optimal" and data["objective"] == {"name": "min-glh", "value": 245}
    unit = data["pathway"]["units"][0]
    assert set(unit) == {"id", "number", "title", "group", "credit", "level", "glh", "achieved"}
    assert data["pathway"]["credits"] == 45 and data["pathway"]["unit_count"] == 11
    bad = runner.invoke(
        main, ["solve", str(MODELS / "ocr-l2-diploma-customer-service.yaml"), "--exclude", "99"]
    )
    assert bad.exit_code == 2 and "99" in bad.stderr and "Traceback" not in bad.stderr
    none = runner.invoke(main, ["solve", str(ROOT / "scenarios/ocr-l2-diploma-tight-budget.yaml")])
    assert none.exit_code == 1 and "240 GLH" in none.stdout


def test_unknown_glh_under_min_glh_is_bad_input():
    result = CliRunner().invoke(
        main,
        [
            "solve",
            str(MODELS / "cg-5530-02-l2-diploma-customer-service.yaml"),
            "--objective",
            "min-glh",
        ],
    )
    assert result.exit_code == 2 and "unit 235" in result.stderr


def test_holder_of_09628_needs_only_units_4_and_5():
    s = load_problem(ROOT / "scenarios/ocr-09629-after-09628.yaml")
    solution = solve(s)
    best = solution.best
    new = [s.qualification.unit(u).number for u in best.units if u not in s.achieved]
    assert new == ["4", "5"] and best.values == [12]


def test_what_if_flags_override_the_scenario():
    s = apply_overrides(
        load_problem(ROOT / "scenarios/ocr-l2-diploma-cheapest.yaml"), excluded=["37"]
    )
    solution = solve(s, top=1)
    assert "L/503/0394" not in solution.best.units
    assert solution.best.values[0] > 245


def test_table_marks_held_units_and_shows_where_a_title_was_shortened():
    result = CliRunner().invoke(main, ["solve", "scenarios/ocr-09629-after-09628.yaml"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("group"))
    assert header.split() == ["group", "no.", "id", "title", "credit", "level", "glh", "achieved"]
    rows = {line.split()[1]: line for line in lines if line.startswith("Units ")}
    assert rows["3"].split()[-1] == "yes"
    assert rows["4"].split()[-1] == "?" and rows["5"].split()[-1] == "?"
    # Unit 4's title is 66 characters: cut to fit, and marked as cut.
    assert "delivery..." in rows["4"] and "different sectors" not in rows["4"]


def test_markdown_rows_keep_their_cells_when_a_title_holds_a_pipe(tmp_path):
    import re

    model = tmp_path / "piped.yaml"
    model.write_text(
        "title: Piped\n"
        "units:\n"
        "  - {id: U1, number: 1, title: 'Complaints | escalations', credit: 4, level: 2, glh: 9}\n"
        "  - {id: U2, number: 2, title: Sales, credit: 3, level: 2, glh: 5}\n"
        "rules:\n"
        "  - {kind: credits, min: 4, name: 'credits | the floor'}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["solve", str(model), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    width, rows = None, 0
    for line in result.stdout.splitlines():
        if not line.startswith("|"):
            continue
        cells = re.split(r"(?<!\\)\|", line)[1:-1]
        if cells[0].strip() in ("group", "rule"):
            width = len(cells)
        assert len(cells) == width, line
        rows += 1
    assert rows == 3 + 3  # header, rule line and U1 alone (4 credits); the same for the rule
    assert "Complaints \\| escalations" in result.stdout
    assert "credits \\| the floor" in result.stdout


BAD_FLAGS = {
    "unknown objective": (["--objective", "min-cost"], "'min-cost' is not one of"),
    "unknown unit to exclude": (["--exclude", "99"], "has no unit '99'"),
    "unknown unit to require": (["--require", "1,X9"], "has no unit 'X9'"),
    "unknown unit held": (["--achieved", "ZZ"], "has no unit 'ZZ' (give a unit id, number or URN)"),
    "unknown preferred unit": (["--prefer", "99=3"], "has no unit '99'"),
    "weight not a number": (["--prefer", "1=high"], "UNIT=WEIGHT with a whole number"),
    "weight without a unit": (["--prefer", "=3"], "expected UNIT=WEIGHT"),
    "weight too large": (["--prefer", "1=99999999999999999999999"], "between -1,000,000 and"),
    "negative GLH budget": (["--max-glh", "-1"], "not in the range 0<=x<=1000000000"),
    "GLH budget past 64 bits": (["--max-glh", "99999999999999999999999"], "not in the range"),
    "negative unit budget": (["--max-units", "-5"], "not in the range"),
    "negative credit budget": (["--max-credits", "-5"], "not in the range"),
    "top 0": (["--top", "0"], "not in the range 1<=x<=1000"),
    "zero time limit": (["--time-limit", "0"], "not in the range 0<x<=86400"),
    "negative time limit": (["--time-limit", "-1"], "not in the range"),
    "time limit nan": (["--time-limit", "nan"], "nan is not a number"),
    "time limit infinite": (["--time-limit", "inf"], "not in the range"),
    "no workers": (["--workers", "0"], "not in the range 1<=x<=64"),
    "unknown format": (["--format", "csv"], "'csv' is not one of"),
}


@pytest.mark.parametrize("flags,says", BAD_FLAGS.values(), ids=list(BAD_FLAGS))
def test_bad_solve_flag_gets_a_message_and_exit_2(flags, says):
    result = CliRunner().invoke(
        main, ["solve", str(ROOT / "scenarios/ocr-l2-diploma-cheapest.yaml"), *flags]
    )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert says in result.stderr and result.stdout == ""


def test_held_units_this_pathway_does_not_use_are_named_not_dropped():
    scenario = str(ROOT / "scenarios/ocr-09629-after-09628.yaml")
    result = CliRunner().invoke(main, ["solve", scenario, "--achieved", "Q/999/9999"])
    assert result.exit_code == 0, result.output
    # 09628's units 1 and 2 (held through achieved_qualifications) and a URN from elsewhere.
    said = "Held, but not units of this qualification: R/502/9652, Y/502/9653, Q/999/9999."
    assert said in result.stdout.splitlines()
    data = json.loads(
        CliRunner().invoke(main, ["solve", scenario, "-a", "Q/999/9999", "--format", "json"]).stdout
    )
    assert data["pathway"]["held_elsewhere"] == ["R/502/9652", "Y/502/9653", "Q/999/9999"]
