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
            "units: expected {1, 2, 3, 4, 5, 6, 7}, got {1, 2, 3, 4, 5, 6, 11, 15, 18, 22, 32, 37}"
            " (missing 7; extra 11, 15, 18, 22, 32, 37)"
        ),
    ),
    "includes": (
        "status: optimal\n  includes: [1, 39]",
        "includes: expected unit 39 in the pathway; it is not",
    ),
    "excludes": (
        "status: optimal\n  excludes: [37, 38]",
        "excludes: expected unit 37 not in the pathway; it is",
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


# -- the pytest plugin (src/pathway/pytest_plugin.py, entry point pytest11: pathway) ----------
# Each project below is a temporary folder with NO conftest.py: the installed plugin alone must
# collect its scenarios.


@pytest.fixture
def pytester(pytester):
    """pytester's in-process runs drop from sys.modules what they first imported, and PyYAML's C
    extension cannot be imported twice (a re-imported `yaml` has new event classes that the cached
    `_yaml` does not emit, so parsing never ends): import all a scenario run needs here first."""
    from pathway.expect import run_expectation

    run_expectation(CHEAPEST)
    return pytester


def project(pytester, files: dict[str, str]) -> Path:
    """models/x.yaml (the OCR diploma) plus the given files, keyed by path from the root."""
    assert not (pytester.path / "conftest.py").exists()
    (pytester.mkdir("models") / "x.yaml").write_text(MODEL.read_text())
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return pytester.path


def scenario_of_x(expect: str) -> str:
    return f"qualification: x\nobjective: min-glh\nexpect:\n  {expect}\n"


PASSING = scenario_of_x("status: optimal\n  objective: 245")
FAILING = scenario_of_x("status: optimal\n  objective: 244")


def test_plugin_is_registered_by_the_installed_entry_point():
    from importlib.metadata import entry_points

    found = {e.name: e.value for e in entry_points(group="pytest11")}
    assert found.get("pathway") == "pathway.pytest_plugin"


def test_plugin_imports_only_pytest_and_the_standard_library_at_top_level():
    import ast

    import pathway.pytest_plugin as plugin

    tree = ast.parse(Path(plugin.__file__).read_text(encoding="utf-8"))
    roots = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add((node.module or "").split(".")[0])
    assert roots - {"pytest"} <= set(sys.stdlib_module_names), roots
    # and loading it (with pathway's package __init__) pulls in no YAML parser or solver
    code = (
        "import sys, pathway.pytest_plugin; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'ortools', 'yaml', 'click'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def plain_project(pytester) -> None:
    project(
        pytester,
        {
            "scenarios/a.yaml": PASSING,
            "scenarios/b.yaml": FAILING,
            "scenarios/no-expect.yaml": "qualification: x\n",
        },
    )


def check_one_passed_one_failed(result) -> None:
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*scenario b.yaml does not meet its expectation:*",
            "*objective: expected 244, got 245*",
            "*FAILED scenarios/b.yaml::b*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_plain_pytest_runs_a_projects_scenarios_without_a_conftest(pytester):
    plain_project(pytester)
    check_one_passed_one_failed(pytester.runpytest())


def test_plain_pytest_in_a_subprocess_runs_a_projects_scenarios(pytester):
    plain_project(pytester)
    check_one_passed_one_failed(pytester.runpytest_subprocess())


def test_models_and_scenarios_without_expect_are_not_collected(pytester):
    project(
        pytester,
        {
            "scenarios/a.yaml": PASSING,
            "scenarios/model.yaml": MODEL.read_text(),
            "scenarios/no-expect.yaml": "qualification: x\n",
            "scenarios/notes.yaml": "just: some settings\n",
        },
    )
    result = pytester.runpytest("--collect-only", "-q")
    assert result.stdout.lines[0] == "scenarios/a.yaml::a", result.stdout.str()
    result.stdout.fnmatch_lines(["1 test collected*"])
    assert "model.yaml" not in result.stdout.str()


def test_an_unreadable_or_invalid_scenario_is_a_failed_item_with_the_located_message(pytester):
    from pathway.errors import InputError
    from pathway.source import load_yaml_file

    root = project(
        pytester,
        {
            "scenarios/a.yaml": PASSING,
            "scenarios/broken.yaml": 'title: "never closed\nqualification: x\n',
            "scenarios/unknown.yaml": "qualification: nope\nexpect:\n  status: optimal\n",
        },
    )
    broken = root / "scenarios" / "broken.yaml"
    with pytest.raises(InputError) as raised:
        load_yaml_file(broken)
    located = str(raised.value.problems[0])
    assert located.startswith(f"{broken}:3:1: YAML syntax error")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=2, errors=0)
    out = result.stdout.str()
    assert "scenario broken.yaml is not valid input:" in out
    assert located in out
    assert "scenario unknown.yaml is not valid input:" in out
    assert f"{root / 'scenarios' / 'unknown.yaml'}:1:" in out
    assert "no model 'nope' found" in out
    assert "Traceback" not in out


def test_an_ini_option_widens_collection_beyond_scenarios_folders(pytester):
    project(
        pytester,
        {
            "scenarios/a.yaml": PASSING,
            "examples/deep/c.yaml": PASSING,
            "checks/d.check.yaml": FAILING,
            "examples/ci.yaml": "steps: [build, test]\n",
        },
    )
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["scenarios/a.yaml::a", "1 test collected*"])
    # a pattern with '/' matches the path from the rootdir, one without it the file name
    pytester.makeini("[pytest]\npathway_scenarios = examples/*.yaml *.check.yaml\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*FAILED checks/d.check.yaml::d.check*"])
    assert "ci.yaml" not in result.stdout.str()  # matched, but not a scenario


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
