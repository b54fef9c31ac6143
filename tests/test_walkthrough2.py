"""Three defects found walking through the commands, each pinned by exact answers.

- A held `model-id:unit-id` naming a unit of the very model solved is that model's own unit in
  every command (solve, a scenario file, check, impact, batch, the library), as compare and
  rank already read it: the optimum is the oracle's with the unit held (211 GLH, by hand the
  same as holding unit 235 by its number). Another model's id with the same local code is
  still not this unit (codes are reused across bodies).
- `--top K` cut short with status `unknown` (no pathway found) says the list is incomplete,
  and how many of the K were found.
- Ctrl-C on `solve`, standard error not a terminal: exactly one line, `pathway: interrupted`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import oracle
import pathway
from oracle import Problem
from pathway.auditor import audit
from pathway.cli import main
from pathway.loader import load_model
from pathway.scenario import scenario_for_model

ROOT = Path(__file__).resolve().parents[1]
CG = ROOT / "models" / "cg-5530-02-l2-diploma-customer-service.yaml"
CG_ID = "cg-5530-02-l2-diploma-customer-service"
OCR_ID = "ocr-l2-diploma-customer-service"
DELIVER = "A/506/2130"  # URN of C&G unit 201 (and OCR unit 1)
SALES = "CG5530-235"  # C&G unit 235: no URN, no GLH in the model
OWN_REFS = [f"{CG_ID}:{SALES}", f"{CG_ID}:235"]  # by id and by printed number


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def oracle_min_glh() -> int:
    """The exact optimum with 201 and 235 held, by the dynamic program (no CP-SAT)."""
    q = load_model(CG)
    held = {DELIVER, SALES}
    assert held <= {u.id for u in q.units}
    value = oracle.optimum(Problem(q, achieved=held), "min-glh")
    assert value is not None
    return value


def test_the_oracle_gives_the_figure_of_the_defect_report():
    assert oracle_min_glh() == 211  # what `--achieved 235` prints, by the oracle


# -- 1. a held model-id:unit-id of the model being solved ---------------------------------------


@pytest.mark.parametrize("ref", OWN_REFS)
def test_solve_counts_its_own_model_ref_as_held(ref):
    result = run("solve", CG, "--achieved", DELIVER, "--achieved", ref, "--format", "json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["status"] == "optimal"
    assert printed["objective"] == {"name": "min-glh", "value": oracle_min_glh()}
    achieved = {u["id"] for u in printed["pathway"]["units"] if u["achieved"]}
    assert achieved == {DELIVER, SALES}
    assert printed["pathway"]["held_elsewhere"] == []
    assert printed["notes"] == []
    table = run("solve", CG, "--achieved", DELIVER, "--achieved", ref).stdout
    assert "Held, but not units of this qualification" not in table
    assert "Optimal (min-glh = 211, proven)." in table


def test_another_models_id_with_the_same_code_is_not_this_unit():
    ref = f"{OCR_ID}:{SALES}"
    printed = json.loads(
        run("solve", CG, "--achieved", DELIVER, "--achieved", ref, "--format", "json").stdout
    )
    achieved = {u["id"] for u in printed["pathway"]["units"] if u["achieved"]}
    assert achieved == {DELIVER}
    assert printed["pathway"]["held_elsewhere"] == [ref]


def test_a_scenario_file_counts_its_own_model_ref(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        f"qualification: {CG}\nachieved: [{DELIVER!r}, {OWN_REFS[0]!r}]\n", encoding="utf-8"
    )
    s = pathway.load(scenario)
    assert set(s.held) == {DELIVER, SALES}
    printed = json.loads(run("solve", scenario, "--format", "json").stdout)
    assert printed["objective"]["value"] == oracle_min_glh()


def test_the_library_counts_its_own_model_ref():
    q = load_model(CG)
    s = pathway.with_situation(scenario_for_model(q), achieved=[DELIVER, OWN_REFS[1]])
    assert s.held == [DELIVER, SALES]
    solution = pathway.solve(s)
    assert solution.status is pathway.Status.OPTIMAL
    assert solution.best is not None and solution.best.values == [oracle_min_glh()]


def test_impact_counts_its_own_model_ref():
    result = run("impact", CG, "--achieved", DELIVER, "--achieved", OWN_REFS[0], "--format", "json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["objective"] == "min-glh"
    assert printed["optimum"] == oracle_min_glh()


def test_check_takes_its_own_model_ref_as_the_unit():
    q = load_model(CG)
    winner = oracle.tie_break_winner(Problem(q, achieved={DELIVER, SALES}), ["min-glh"])
    assert winner is not None and SALES in winner and audit(q, winner).achieved
    named = [f"{CG_ID}:{u}" if u == SALES else u for u in sorted(winner)]
    result = run("check", CG, "--units", ",".join(named), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["achieved"] is True
    # Without unit 235 the same set falls short (the auditor's own verdict), so 235 was read.
    rest = sorted(winner - {SALES})
    assert not audit(q, rest).achieved
    assert run("check", CG, "--units", ",".join(rest), "--format", "json").exit_code == 1


def test_batch_counts_its_own_model_ref(tmp_path):
    learners = tmp_path / "learners.csv"
    learners.write_text(f"id,achieved\nann,{DELIVER};{OWN_REFS[0]}\n", encoding="utf-8")
    result = run("batch", "-q", CG, "-j", 1, learners)
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["status"] == "optimal"
    assert record["objective"] == {"name": "min-glh", "value": oracle_min_glh()}


# -- 2. --top K cut short before any pathway ----------------------------------------------------


def test_top_k_with_no_pathway_found_is_not_a_complete_list(monkeypatch):
    """Every CP-SAT solve stopped by the clock before any solution (what a limit too short for
    the model gives; forced here so the test does not depend on timing)."""
    from pathway import cpsat

    def out_of_time(self, **options):
        return cpsat.Result("unknown", [], None, None, [], 0.0)

    monkeypatch.setattr(cpsat.CpModel, "solve", out_of_time)
    result = run("solve", CG, "--top", 3, "--time-limit", 60, "--format", "json")
    printed = json.loads(result.stdout)
    assert result.exit_code == 3 and printed["status"] == "unknown"
    assert printed["pathway"] is None and printed["alternatives"] == []
    assert printed["list_complete"] is False
    assert "The time limit stopped the list at 0 of the 3 pathways asked for." in printed["notes"]


@pytest.mark.parametrize("limit", [1e-6, 1e-4, 1e-3, 1e-2, None])
def test_a_list_short_of_k_is_complete_only_when_proven(limit):
    """The invariant at any cut: fewer than K listed and list_complete true only when no more
    pathways exist (the oracle counts them), and a note exactly when it is false."""
    q = load_model(CG)
    top = 3
    solution = pathway.solve(scenario_for_model(q), top=top, time_limit=limit)
    printed = pathway.solution_json(solution)
    listed = len(solution.pathways)
    short = [n for n in printed["notes"] if "stopped the list" in n]
    if printed["list_complete"]:
        assert short == []
        if listed < top:
            assert printed["status"] in ("optimal", "infeasible")
            assert oracle.count_feasible(Problem(q)) == listed
    else:
        assert short == [
            (
                f"The time limit stopped the list at {listed} of the {top} "
                f"pathway{'s' * (top != 1)} asked for."
            )
        ]
    if printed["status"] in ("unknown", "feasible") and listed < top:
        assert printed["list_complete"] is False
    if limit is None:
        assert printed["status"] == "optimal" and listed == top and printed["list_complete"]


# -- 3. Ctrl-C prints one line ------------------------------------------------------------------


def test_ctrl_c_on_solve_prints_exactly_one_line(tmp_path):
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    model = tmp_path / "big.yaml"  # about 40 s to solve here: still running when interrupted
    synthetic.write_yaml(synthetic.synthetic_model(20000, 0), model)
    command = [str(Path(sys.executable).with_name("pathway")), "solve", str(model)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    time.sleep(2.0)
    assert process.poll() is None, "the solve ended before it could be interrupted"
    os.kill(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err == "pathway: interrupted\n"
    assert out == ""


# -- review of the above -------------------------------------------------------------------------

DEMO = """\
title: Demo Level 2 Certificate
units:
  - {id: a, number: 1, title: Alpha, credit: 5, glh: 10}
  - {id: b, number: 2, title: Beta, credit: 5, glh: 20}
  - {id: c, number: 3, title: Gamma, credit: 5, glh: 30}
groups:
  - {id: G, title: Optional, units: [a, b, c]}
rules:
  - {kind: credits, min: 5, text: min 5}
"""


def test_another_file_with_this_models_id_counts_only_by_urn_or_equivalents(tmp_path):
    # A draft or another body's file with the same id: its units b and "1" (no URNs) must not
    # count here by id (b) or as a printed number ("1" is unit a's number). Nothing is held,
    # so the cheapest pathway is unit a alone, 10 GLH (by hand).
    (tmp_path / "models").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "models" / "demo.yaml").write_text(DEMO, encoding="utf-8")
    other = DEMO.replace("Demo Level 2 Certificate", "Another body's certificate")
    other = other.replace("id: a, number: 1,", 'id: "1",').replace("[a, b, c]", '["1", b, c]')
    (tmp_path / "other" / "demo.yaml").write_text(other, encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "qualification: models/demo.yaml\nachieved_qualifications: [other/demo.yaml]\n",
        encoding="utf-8",
    )
    s = pathway.load(scenario)
    assert s.held == []
    doc = json.loads(run("solve", str(scenario), "--format", "json").stdout)
    assert doc["objective"] == {"name": "min-glh", "value": 10}
    assert sorted(doc["pathway"]["held_elsewhere"]) == ["demo:1", "demo:b", "demo:c"]


def test_a_unit_whose_id_looks_like_this_models_reference_is_the_one_named(tmp_path):
    # Unit "demo:a" exists: holding "demo:a" holds that unit, not also unit a.
    path = tmp_path / "demo.yaml"
    path.write_text(
        DEMO.replace(
            "  - {id: c,",
            '  - {id: "demo:a", number: 4, title: Delta, credit: 5, glh: 40}\n  - {id: c,',
        ).replace("[a, b, c]", '[a, b, c, "demo:a"]'),
        encoding="utf-8",
    )
    s = pathway.load(path)
    assert pathway.with_situation(s, achieved=["demo:a"]).held == ["demo:a"]
    assert pathway.with_situation(s, achieved=["demo:b"]).held == ["b"]


def test_a_single_pathway_cut_short_is_said_once(monkeypatch):
    # Status unknown already says no pathway was found: for the one pathway a plain solve asks
    # for, list_complete stays true and no note repeats it. With --top 2 the list is short.
    from pathway import cpsat

    def out_of_time(self, **options):
        return cpsat.Result("unknown", [], None, None, [], 0.0)

    monkeypatch.setattr(cpsat.CpModel, "solve", out_of_time)
    one = json.loads(run("solve", CG, "--time-limit", 60, "--format", "json").stdout)
    assert one["status"] == "unknown" and one["list_complete"] is True
    assert not any("stopped the list" in note for note in one["notes"])
    two = json.loads(run("solve", CG, "--top", 2, "--time-limit", 60, "--format", "json").stdout)
    assert two["status"] == "unknown" and two["list_complete"] is False
