"""Scenario files as regression tests: a wrong expectation must fail loudly, through both
`pathway test` and pytest's collection of scenario files; and the same input must print the same
JSON for any worker count and across processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway.cli import main

ROOT = Path(__file__).parent.parent
CHEAPEST = ROOT / "scenarios" / "ocr-l2-diploma-cheapest.yaml"
MODEL = ROOT / "models" / "ocr-l2-diploma-customer-service.yaml"

# (expect block, the mismatch line `pathway test` must print). The cheapest OCR diploma
# pathway costs 245 GLH: units 1-6, 15, 18, 22, 24 and 37 (tie-break applied).
WRONG = {
    "objective": ("status: optimal\n  objective: 244", "objective: expected 244, got 245"),
    "status": ("status: infeasible", "status: expected infeasible, got optimal"),
    "units": (
        "status: optimal\n  units: [1, 2, 3, 4, 5, 6, 7]",
        (
            "units: expected {1, 2, 3, 4, 5, 6, 7}, got {1, 2, 3, 4, 5, 6, 15, 18, 22, 24, 37}"
            " (missing 7; extra 15, 18, 22, 24, 37)"
        ),
    ),
    "includes": (
        "status: optimal\n  includes: [1, 39]",
        "includes: expected units 39 in the pathway; they are not",
    ),
    "excludes": (
        "status: optimal\n  excludes: [37, 38]",
        "excludes: expected units 37 not in the pathway; they are",
    ),
}


def scenario_text(expect: str, **extra: str) -> str:
    lines = [f"qualification: {MODEL}", "objective: min-glh"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + f"\nexpect:\n  {expect}\n"


@pytest.mark.parametrize("what", sorted(WRONG))
def test_pathway_test_names_the_file_expected_and_actual(what, tmp_path):
    expect, message = WRONG[what]
    (tmp_path / "right.yaml").write_text(scenario_text("status: optimal\n  objective: 245"))
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(scenario_text(expect))
    result = CliRunner().invoke(main, ["test", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert f"FAIL  {wrong}" in result.output
    assert message in result.output
    assert f"ok    {tmp_path / 'right.yaml'}" in result.output
    assert "1 passed, 1 failed" in result.output
    assert "Traceback" not in result.output


def test_missing_explanation_word_is_a_failure(tmp_path):
    path = tmp_path / "budget.yaml"
    path.write_text(
        scenario_text("status: infeasible\n  explanation_mentions: [R4]", budget="{max_glh: 240}")
    )
    result = CliRunner().invoke(main, ["test", str(path)])
    assert result.exit_code == 1
    assert "explanation_mentions: expected 'R4' in the explanation; it says: " in result.output
    assert "max_glh" in result.output  # what it did say


def test_scenarios_without_expectations_are_skipped_and_all_shipped_ones_pass():
    result = CliRunner().invoke(main, ["test"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shipped = sorted((ROOT / "scenarios").glob("*.yaml"))
    assert len(shipped) >= 20
    assert f"{len(shipped)} passed, 0 failed" in result.output


def test_pytest_collects_scenarios_and_reports_a_wrong_one_readably(pytester):
    pytester.makeconftest((ROOT / "conftest.py").read_text())
    folder = pytester.mkdir("scenarios")
    (folder / "right.yaml").write_text(scenario_text("status: optimal\n  objective: 245"))
    (folder / "wrong.yaml").write_text(scenario_text("status: optimal\n  objective: 244"))
    (folder / "no-expect.yaml").write_text(f"qualification: {MODEL}\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*scenario wrong.yaml does not meet its expectation:*",
            "*objective: expected 244, got 245*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


# -- determinism ------------------------------------------------------------------------------

# Seed 002 has 646 cheapest pathways, seed 000 two: the printed one must never depend on the
# worker count or the process.
TIED = ["ocr-l4-nvq-cheapest.yaml", "ocr-l2-diploma-cheapest.yaml", "ocr-l4-nvq-fewest-units.yaml"]


@pytest.mark.parametrize("name", TIED)
def test_same_json_for_any_worker_count_and_across_processes(name):
    args = ["solve", f"scenarios/{name}", "--format", "json", "--top", "3"]
    outputs = {}
    for workers in (1, 2, 3, 8):
        result = CliRunner().invoke(main, [*args, "--workers", str(workers)])
        assert result.exit_code == 0, result.output
        outputs[f"workers {workers}"] = result.stdout
    for run in (1, 2):
        done = subprocess.run(
            [sys.executable, "-m", "pathway", *args, "--workers", "2"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs[f"process {run}"] = done.stdout
    assert len(set(outputs.values())) == 1, sorted(outputs)
    printed = json.loads(outputs["workers 1"])
    assert len(printed["alternatives"]) == 2
