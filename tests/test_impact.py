"""`pathway impact` (issue 11) against the exact oracle, never against its own output.

- Seed models and shipped scenarios: every unit's `without` is the oracle's optimum with that
  unit unable to count (excluded, and no longer held), `usable` is whether the oracle finds a
  pathway with it required, and `in_optimal` follows from those two optima and today's.
- Random small models (tests/generate.py): `in_optimal` and `usable` checked against the
  brute-force list of every optimal and every feasible unit set; each rule's `satisfiable` and
  `implied` against brute force over every unit set, judged by the auditor rule by rule.
- The command through click's CliRunner: every format, exit statuses, bad input.

PATHWAY_IMPACT_CASES (default 30) sets how many random models are drawn.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import random
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import oracle
from generate import Options, RandomChooser, build, model_document, situation
from oracle import Problem
from pathway.api import load
from pathway.auditor import evaluate
from pathway.impact import impact
from pathway.scenario import scenario_for_model
from seeds import SEEDS

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = [
    "ocr-l2-diploma-prior-learning",
    "ocr-l2-diploma-no-telephony",
    "ocr-l4-nvq-employer-required",
    "ocr-09629-after-09628",
    "ocr-l2-nvq-two-optionals-required",  # infeasible
]
CASES = int(os.environ.get("PATHWAY_IMPACT_CASES", "30"))


def shown(values):
    return None if values is None else (values[0] if len(values) == 1 else list(values))


def without_unit(p: Problem, uid: str) -> Problem:
    """The oracle's question with `uid` unable to count: excluded, and not held."""
    return replace(p, achieved=p.achieved - {uid}, excluded=p.excluded | {uid})


def check_units_by_optima(s, result) -> None:
    """Every unit's figures against the oracle's dynamic program."""
    p = Problem.of_scenario(s)
    objectives = result.objectives
    today = oracle.optimum_lex(p, objectives)
    assert result.optimum == shown(today)
    assert [u.id for u in result.units] == [u.id for u in s.qualification.units]
    for row in result.units:
        without = oracle.optimum_lex(without_unit(p, row.id), objectives)
        required = oracle.optimum_lex(replace(p, required=p.required | {row.id}), objectives)
        assert row.usable == (required is not None), row
        if today is None:
            assert (row.without, row.delta, row.in_optimal) == (None, None, "never"), row
            continue
        assert row.without == shown(without), row
        assert row.essential == (without is None), row
        if without is None:
            assert row.delta is None
        else:
            assert row.delta == shown([a - b for a, b in zip(without, today)]), row
        if without != today:
            expected = "always"  # every pathway as good as today's takes it
        elif required == today:
            expected = "sometimes"
        else:
            expected = "never"
        assert row.in_optimal == expected, row


@pytest.mark.parametrize("model", SEEDS)
def test_every_unit_of_every_seed_model_matches_the_oracle(model):
    s = load(ROOT / "models" / f"{model}.yaml")
    check_units_by_optima(s, impact(s))


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_unit_of_shipped_scenarios_matches_the_oracle(name):
    s = load(ROOT / "scenarios" / f"{name}.yaml")
    check_units_by_optima(s, impact(s))


def test_hand_checked_figures_of_the_ocr_diploma():
    """Seed 000, min-glh: 245 today. Unit 37 (L/503/0394, 5 credits in Group D, 28 GLH) is in
    both minimum-GLH pathways (README: exactly 2); the next cheapest Group D credits cost 7
    more hours. Mandatory unit 1 leaves no pathway without it."""
    s = load(ROOT / "models" / "ocr-l2-diploma-customer-service.yaml")
    result = impact(s)
    assert result.optimum == 245
    by_number = {u.number: u for u in result.units}
    assert (by_number["37"].in_optimal, by_number["37"].without) == ("always", 252)
    assert by_number["37"].delta == 7
    assert by_number["1"].essential and by_number["1"].without is None
    assert sum(u.in_optimal == "sometimes" for u in result.units) >= 2  # two optima differ


# -- random small models, by brute force ------------------------------------------------------

SMALL = Options(units=(1, 9), held=2, excluded=2, required=1)


def rule_truths(s, p: Problem):
    """Per top-level rule: (satisfiable, implied) by brute force over every unit set."""
    q = s.qualification
    ids = [u.id for u in q.units]
    sets = [frozenset(c) for r in range(len(ids) + 1) for c in itertools.combinations(ids, r)]
    out = []
    for rule in q.rules:
        others = replace(q, rules=tuple(r for r in q.rules if r is not rule))
        alone = replace(q, rules=(rule,))
        satisfiable = any(oracle.is_feasible(replace(p, qualification=alone), c) for c in sets)
        meet_others = [c for c in sets if oracle.is_feasible(replace(p, qualification=others), c)]
        implied = all(evaluate(q, rule, set(c)).holds for c in meet_others)
        out.append((rule.key, satisfiable, implied if meet_others else None))
    return out


def objective_for(p: Problem, rng: random.Random) -> list[str]:
    for name in rng.sample(list(oracle.OBJECTIVES), 4):
        try:
            oracle.check_inputs(p, [name])
        except ValueError:
            continue
        return [name]
    raise AssertionError("min-units is always known")


@pytest.mark.parametrize("seed", range(CASES))
def test_random_models_against_brute_force(seed):
    choose = RandomChooser(f"impact-{seed}")
    doc, planted = model_document(choose, SMALL)
    q = build(doc)
    learner = situation(choose, doc, planted, SMALL)
    s = learner.scenario(q)
    p = learner.problem(q)
    try:
        oracle.check_inputs(p)  # budgets need their amounts known
    except ValueError:
        pytest.skip("the learner's budget counts an unknown amount")
    objectives = objective_for(p, random.Random(seed))
    result = impact(s, objectives=objectives)
    best, optimal_sets = oracle.brute_optimal_sets(p, objectives)
    feasible = list(oracle.feasible_sets(p))
    assert result.optimum == shown(best)
    for row in result.units:
        holding = [row.id in t for t in optimal_sets]
        expected = (
            "always" if holding and all(holding) else "sometimes" if any(holding) else "never"
        )
        assert row.in_optimal == expected, (seed, row)
        assert row.usable == any(row.id in t for t in feasible), (seed, row)
        rest = [t for t in feasible if row.id not in t]
        without = oracle.brute_optimum_lex(without_unit(p, row.id), objectives)
        if best is not None:
            assert row.without == shown(without), (seed, row)
            assert row.essential == (not rest and without is None), (seed, row)
    truths = rule_truths(s, p)
    assert [(r.key, r.satisfiable, r.implied) for r in result.rules] == truths, seed


def test_a_rule_implied_by_the_others_and_one_no_pathway_can_meet(tmp_path):
    """Hand-made: R2 (at least 1 unit) follows from R1 (at least 2 units); with both units of
    group B excluded, R3 (a unit from B) can never hold."""
    doc = {
        "title": "hand-made",
        "units": [
            {"id": f"u{i}", "title": f"Unit {i}", "level": 2, "credit": 1, "glh": 10}
            for i in range(1, 5)
        ],
        "groups": [{"id": "A", "units": ["u1", "u2"]}, {"id": "B", "units": ["u3", "u4"]}],
        "rules": [
            {"kind": "units", "min": 2},
            {"kind": "units", "min": 1},
            {"kind": "units", "groups": ["B"], "min": 1},
        ],
    }
    q = build(doc)
    result = impact(scenario_for_model(q), objectives=["min-glh"])
    assert [(r.key, r.satisfiable, r.implied) for r in result.rules] == [
        ("R1", True, False),
        ("R2", True, True),
        ("R3", True, False),
    ]
    s = scenario_for_model(q)
    s.excluded = ["u3", "u4"]
    stuck = impact(s, objectives=["min-glh"])
    assert stuck.optimum is None
    assert [(r.key, r.satisfiable) for r in stuck.rules] == [
        ("R1", True),
        ("R2", True),
        ("R3", False),
    ]
    # Beside R3 (which cannot hold) no pathway exists, so R1 and R2 say nothing there; R1
    # and R2 alone admit {u1, u2}, which breaks R3: R3 is not implied.
    assert [r.implied for r in stuck.rules] == [None, None, False]
    assert all(not u.usable and u.in_optimal == "never" for u in stuck.units)


# -- the command -------------------------------------------------------------------------------


def run(*args):
    from pathway.cli import main

    return CliRunner().invoke(main, ["impact", *args])


MODEL = str(ROOT / "models" / "ocr-l2-nvq-customer-service.yaml")


def test_json_keys_are_the_issues():
    result = run(MODEL, "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {"objective", "optimum", "units", "rules"} <= set(out)
    assert out["objective"] == "min-units" and out["optimum"] == 5  # 4 mandatory + 1 optional
    keys = {"id", "number", "title", "in_optimal", "without", "delta", "essential", "usable"}
    assert all(set(u) == keys for u in out["units"])
    mandatory = [u for u in out["units"] if u["number"] in ("1", "2", "3", "4")]
    assert all(u["essential"] and u["without"] is None and u["delta"] is None for u in mandatory)
    options = [u for u in out["units"] if u["number"] not in ("1", "2", "3", "4")]
    assert options and all(u["in_optimal"] == "sometimes" and u["delta"] == 0 for u in options)


def test_table_markdown_and_csv():
    table = run(MODEL)
    assert table.exit_code == 0 and "optimum min-units = 5 (proven)" in table.stdout
    assert "no pathway" in table.stdout  # the essential mandatory units
    markdown = run(MODEL, "--format", "markdown")
    assert markdown.exit_code == 0 and "| no. | id | title |" in markdown.stdout
    rows = list(csv.reader(io.StringIO(run(MODEL, "--format", "csv").stdout)))
    assert rows[0] == [
        "id",
        "number",
        "title",
        "in_optimal",
        "without",
        "delta",
        "essential",
        "usable",
    ]
    assert len(rows) == 1 + 8  # every unit of the Level 2 NVQ


def test_the_situation_flags_apply():
    """Requiring two optional units of the NVQ (exactly one may be taken) leaves no pathway:
    exit 0 (an answer), optimum null, every unit unusable."""
    result = run(MODEL, "-r", "5", "-r", "6", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["optimum"] is None and not any(u["usable"] for u in out["units"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-file.yaml"], "no-such-file.yaml: no such file"),
        ([MODEL, "-x", "99"], "has no unit '99'"),
        ([MODEL, "--max-glh", "10"], "gives none for"),
        ([MODEL, "--prefer", "1=x"], "expected UNIT=WEIGHT"),
    ],
)
def test_bad_input_exits_2_with_a_located_message(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
