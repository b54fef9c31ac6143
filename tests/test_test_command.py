"""`pathway test`'s CI habits (issue 14): `--junit-xml` (parsed back with xml.etree, counts
and messages checked), `-k` expressions over scenario names, and `--update`, which writes the
actual result into a failing `expect:` block, keeping comments and layout, only when proven.

Expected values come from the oracle (tests/oracle.py) or are worked by hand: the prior-learning
scenario's optimum is 192 GLH, and seed 000 with unit 9 excluded cannot meet a 240 GLH budget."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from oracle import Problem, optimum, tie_break_winner
from pathway.api import load
from pathway.cli import main
from pathway.expect import BadKeyword, keyword_matcher

ROOT = Path(__file__).resolve().parents[1]

PASSING = """\
# A comment at the top, kept
title: Apprentice with prior units who wants unit 23
qualification: ocr-l2-diploma-customer-service
achieved: [A/506/2130, F/506/2131, D/506/2119]
required: [23]
objective: min-glh
expect:
  status: optimal
  objective: 192
"""

FAILING = """\
# The learner's situation: keep this comment.
title: Wrong objective and units
qualification: ocr-l2-diploma-customer-service   # the OCR diploma
achieved: [A/506/2130, F/506/2131, D/506/2119]
required: [23]
objective: min-glh
expect:
  status: optimal    # proven, please
  objective: 190
  # the units, one per line
  units:
    - 1
    - 2
top: 1
"""

NO_EXPECT = """\
qualification: ocr-l2-diploma-customer-service
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "models", tmp_path / "models")
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "passing.yaml").write_text(PASSING, encoding="utf-8")
    (folder / "failing.yaml").write_text(FAILING, encoding="utf-8")
    (folder / "no-expect.yaml").write_text(NO_EXPECT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def oracle_units(path: Path) -> list[str]:
    """The printed numbers of the oracle's tie-broken pathway, in model order."""
    s = load(path)
    problem = Problem.of_scenario(s)
    winner = tie_break_winner(problem, s.objectives)
    q = s.qualification
    return [u.number or u.id for u in q.units if u.id in winner]


def test_the_oracle_agrees_with_the_hand_worked_optimum(project):
    s = load(project / "scenarios" / "passing.yaml")
    assert optimum(Problem.of_scenario(s), "min-glh") == 192


def test_junit_xml_counts_each_outcome_and_names_the_failure(project):
    result = CliRunner().invoke(main, ["test", "--junit-xml", "report.xml"])
    assert result.exit_code == 1, result.output
    root = ET.parse(project / "report.xml").getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    for element in (root, suite):
        assert element.get("tests") == "3"
        assert element.get("failures") == "1"
        assert element.get("errors") == "0"
        assert element.get("skipped") == "1"
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"passing", "failing", "no-expect"}
    assert cases["passing"].find("failure") is None and cases["passing"].find("skipped") is None
    failure = cases["failing"].find("failure")
    assert failure is not None
    assert failure.get("message") == "objective: expected 190, got 192"
    assert "units: expected {1, 2}" in failure.text
    assert cases["failing"].get("file") == "scenarios/failing.yaml"
    assert cases["failing"].get("classname") == "scenarios"
    assert float(cases["failing"].get("time")) >= 0
    assert cases["no-expect"].find("skipped").get("message") == "no expect block"


def test_junit_xml_records_bad_input_as_an_error_and_exits_2(project):
    (project / "scenarios" / "zz-bad.yaml").write_text(
        "qualification: ocr-l2-diploma-customer-service\nexcluded: [B9]\nexpect:\n"
        "  status: optimal\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["test", "--junit-xml", "report.xml"])
    assert result.exit_code == 2
    assert "scenarios/zz-bad.yaml:2:12:" in result.stderr
    suite = ET.parse(project / "report.xml").getroot().find("testsuite")
    assert suite.get("errors") == "1"
    error = suite.find("testcase[@name='zz-bad']/error")
    assert error is not None and error.get("message").startswith("scenarios/zz-bad.yaml:2:12:")


def test_junit_xml_survives_characters_xml_cannot_hold(tmp_path):
    from pathway.junit import Case, junit_xml

    text = junit_xml([Case("a\x00b", "x", "f", "failed", message="bad \x1b byte")])
    case = ET.fromstring(text.encode("utf-8")).find("testsuite/testcase")
    assert case.get("name") == "a\ufffdb"
    assert case.find("failure").get("message") == "bad \ufffd byte"


def test_junit_xml_is_replaced_when_it_exists(project):
    # An earlier report (here pytest's own layout) is replaced; any other file is refused
    # (tests/test_test_walkthrough.py).
    (project / "report.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="old" tests="9">'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["test", "scenarios/passing.yaml", "--junit-xml", "report.xml"]
    )
    assert result.exit_code == 0, result.output
    assert ET.parse(project / "report.xml").getroot().get("tests") == "1"


@pytest.mark.parametrize(
    "expression, chosen",
    [
        ("passing", {"passing"}),
        ("PASS", {"passing"}),
        ("ing", {"passing", "failing"}),
        ("not failing", {"passing"}),
        ("ing and not pass", {"failing"}),
        ("fail or pass", {"failing", "passing"}),
        ("not (fail or pass)", set()),
        ("nothing", set()),
    ],
)
def test_k_chooses_scenarios_by_name(project, expression, chosen):
    result = CliRunner().invoke(main, ["test", "-k", expression])
    ran = {
        Path(line.split()[1]).stem
        for line in result.stdout.splitlines()
        if line.startswith(("ok ", "FAIL "))
    }
    assert ran == chosen
    # Nothing chosen is a usage error (exit 2): a typo in -k must not pass CI.
    assert result.exit_code == (1 if "failing" in chosen else 0 if chosen else 2)
    # Two scenarios have an expect block; those not run are counted as deselected.
    deselected = 2 - len(chosen)
    assert (f"{deselected} deselected" in result.stdout) == (deselected > 0)


@pytest.mark.parametrize("expression", ["", "(", "a and", "a)", "or a", "not", "(a or b"])
def test_k_refuses_a_malformed_expression(project, expression):
    with pytest.raises(BadKeyword):
        keyword_matcher(expression)
    result = CliRunner().invoke(main, ["test", "-k", expression])
    assert result.exit_code == 2 and "-k" in result.stderr and "Traceback" not in result.output


def test_update_writes_the_actual_result_keeping_comments_and_layout(project):
    path = project / "scenarios" / "failing.yaml"
    result = CliRunner().invoke(main, ["test", "--update"])
    assert result.exit_code == 0, result.output
    assert "updated scenarios/failing.yaml" in result.stdout
    assert "1 updated" in result.stdout
    want = oracle_units(path)
    assert want[:3] == ["1", "2", "3"] and len(want) == 12
    expected = FAILING.replace("  objective: 190\n", "  objective: 192\n").replace(
        "    - 1\n    - 2\n", "".join(f"    - {n}\n" for n in want)
    )
    assert path.read_text(encoding="utf-8") == expected
    # The untouched files are byte for byte as they were.
    assert (project / "scenarios" / "passing.yaml").read_text(encoding="utf-8") == PASSING
    again = CliRunner().invoke(main, ["test"])
    assert again.exit_code == 0 and "2 passed, 0 failed" in again.stdout


def test_update_keeps_flow_lists_as_flow_lists_and_adds_what_a_status_change_needs(project):
    path = project / "scenarios" / "flow.yaml"
    path.write_text(
        "qualification: ocr-l2-diploma-customer-service  # seed 000\n"
        "excluded: [9]\n"
        "budget: {max_glh: 240}\n"
        "expect:\n"
        "  status: optimal\n"
        "  objective: 245\n"
        "  units: [1, 2]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["test", "scenarios/flow.yaml", "--update"])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    # Seed 000 needs 245 GLH at least (README; the oracle's optimum), so 240 is infeasible.
    assert (
        optimum(
            Problem.of_scenario(load(ROOT / "scenarios/ocr-l2-diploma-cheapest.yaml")), "min-glh"
        )
        == 245
    )
    assert text.startswith(
        "qualification: ocr-l2-diploma-customer-service  # seed 000\n"
        "excluded: [9]\n"
        "budget: {max_glh: 240}\n"
        "expect:\n"
        "  status: infeasible\n"
        "  explanation_mentions: ["
    )
    assert "objective" not in text.split("expect:")[1] and "units" not in text.split("expect:")[1]
    assert "max_glh" in text.split("explanation_mentions:")[1]
    assert CliRunner().invoke(main, ["test", "scenarios/flow.yaml"]).exit_code == 0


def test_update_refuses_a_result_cut_short_by_the_time_limit(project, monkeypatch):
    import pathway.expect as expect_module

    path = project / "scenarios" / "failing.yaml"
    real = expect_module.run_file

    def feasible_only(p):
        outcome = real(p)
        outcome.solution.status = "feasible"  # as a time limit would leave it
        return outcome

    monkeypatch.setattr("pathway.testrun.run_file", feasible_only)
    result = CliRunner().invoke(main, ["test", "scenarios/failing.yaml", "--update"])
    assert result.exit_code == 1
    assert "not updated: the solve is feasible, not proven" in result.stdout
    assert path.read_text(encoding="utf-8") == FAILING


def test_update_refuses_an_includes_list_it_would_have_to_guess(project):
    path = project / "scenarios" / "includes.yaml"
    text = PASSING.replace("  objective: 192\n", "  objective: 190\n  includes: [38]\n")
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["test", "scenarios/includes.yaml", "--update"])
    assert result.exit_code == 1
    assert "edit includes by hand" in result.stdout
    assert path.read_text(encoding="utf-8") == text


def test_update_leaves_passing_files_alone(project):
    before = {p.name: p.stat().st_mtime_ns for p in (project / "scenarios").iterdir()}
    CliRunner().invoke(main, ["test", "scenarios/passing.yaml", "--update"])
    after = {p.name: p.stat().st_mtime_ns for p in (project / "scenarios").iterdir()}
    assert before == after


def test_a_scenario_piped_in_is_run_and_compared(project):
    # `-` reads the scenario from standard input; its model id is found from the current
    # folder. 192 is the hand-worked optimum (and the oracle's, above).
    passed = CliRunner().invoke(main, ["test", "-"], input=PASSING)
    assert passed.exit_code == 0, passed.output
    assert "ok    <stdin>  (optimal, min-glh = 192)" in passed.stdout
    assert "1 passed, 0 failed" in passed.stdout
    failed = CliRunner().invoke(main, ["test", "-", "scenarios/passing.yaml"], input=FAILING)
    assert failed.exit_code == 1
    assert "FAIL  <stdin>" in failed.stdout and "objective: expected 190, got 192" in failed.stdout
    assert "1 passed, 1 failed" in failed.stdout
    assert "failed: <stdin>" in failed.stderr


def test_update_refuses_standard_input_it_cannot_write_back(project):
    result = CliRunner().invoke(main, ["test", "-", "--update"], input=FAILING)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "<stdin>: --update cannot write into standard input"
