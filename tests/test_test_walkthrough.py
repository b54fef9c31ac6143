"""Defects of `pathway test` found by a user walk-through: a scenario with bad input stopped the
whole run; `--junit-xml` replaced any file, even a scenario under test; a run that tested
nothing passed; `--update` dropped comments inside the list it rewrote; the summary printed a
bare `[245]`.

Expected values come from the oracle (tests/oracle.py: optimum, optimum_lex, tie_break_winner)
or are worked by hand (the line and column of a bad reference, the counts of files)."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from click.testing import CliRunner

from oracle import Problem, optimum, optimum_lex, tie_break_winner
from pathway.api import load
from pathway.cli import main

ROOT = Path(__file__).resolve().parents[1]
CHEAPEST = ROOT / "scenarios" / "ocr-l2-diploma-cheapest.yaml"
OCR = "ocr-l2-diploma-customer-service"
# excluded: [99]: "excluded: [" is 11 characters, so the bad reference is at line 2, column 12.
BAD = f"qualification: {OCR}\nexcluded: [99]\nexpect:\n  status: optimal\n"
WRONG = f"qualification: {OCR}\nexpect:\n  status: optimal\n  objective: 240\n"
NO_EXPECT = f"qualification: {OCR}\n"


@pytest.fixture
def here(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "models", tmp_path / "models")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, ["test", *args])


def cheapest_glh() -> int:
    value = optimum(Problem.of_scenario(load(CHEAPEST)), "min-glh")
    assert value == 245  # the README's table says so too
    return value


# -- 1. bad input no longer stops the run ---------------------------------------------------


def test_a_bad_scenario_is_an_error_and_the_others_still_run(here):
    folder = here / "s"
    folder.mkdir()
    shutil.copy(CHEAPEST, folder)
    (folder / "a-bad.yaml").write_text(BAD, encoding="utf-8")  # sorted first
    result = run("s", "--junit-xml", "r.xml")
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines() == [
        "ERROR s/a-bad.yaml",
        f"ok    s/ocr-l2-diploma-cheapest.yaml  (optimal, min-glh = {cheapest_glh()})",
        "1 passed, 0 failed, 1 error",
    ]
    located = (
        f"s/a-bad.yaml:2:12: excluded: {OCR} has no unit '99' (did you mean '9'?) "
        "(give a unit id or printed number)"
    )
    assert result.stderr.splitlines() == [located]
    root = ET.parse(here / "r.xml").getroot()
    for element in (root, root.find("testsuite")):
        assert (element.get("tests"), element.get("errors"), element.get("failures")) == (
            "2",
            "1",
            "0",
        )
    error = root.find("testsuite/testcase[@name='a-bad']/error")
    assert error is not None and error.get("message").startswith("s/a-bad.yaml:2:12: ")
    ok = root.find("testsuite/testcase[@name='ocr-l2-diploma-cheapest']")
    assert ok is not None and len(list(ok)) == 0  # no failure, error or skipped inside


def test_bad_input_outranks_a_failure(here):
    (here / "bad.yaml").write_text(BAD, encoding="utf-8")
    (here / "wrong.yaml").write_text(WRONG, encoding="utf-8")
    result = run("bad.yaml", "wrong.yaml", "bad.yaml")  # a path given twice runs once
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == "ERROR bad.yaml"
    assert "FAIL  wrong.yaml" in result.stdout
    assert f"objective: expected 240, got {cheapest_glh()}" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 1 failed, 1 error"
    assert "failed: wrong.yaml" in result.stderr.splitlines()


# -- 2. --junit-xml never replaces a file that is not a report ------------------------------


def scenario_folder(here: Path) -> Path:
    folder = here / "sc"
    folder.mkdir()
    shutil.copy(CHEAPEST, folder)
    (folder / "other.yaml").write_text(WRONG, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "target, args",
    [
        ("sc/ocr-l2-diploma-cheapest.yaml", ["sc", "-k", "cheapest"]),
        ("sc/other.yaml", ["sc", "-k", "cheapest"]),  # deselected, still an input file
        ("sc/ocr-l2-diploma-cheapest.yaml", ["sc/ocr-l2-diploma-cheapest.yaml"]),
    ],
)
def test_junit_xml_refuses_a_file_being_tested(here, target, args):
    folder = scenario_folder(here)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run(*args, "--junit-xml", target)
    assert result.exit_code == 2
    assert result.stdout == ""  # refused before anything ran
    assert (
        result.stderr
        == f"{target}: --junit-xml would replace a file being tested; give another file\n"
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_junit_xml_refuses_a_link_to_a_file_being_tested(here):
    scenario_folder(here)
    os.symlink(here / "sc" / "ocr-l2-diploma-cheapest.yaml", here / "link.xml")
    result = run("sc", "-k", "cheapest", "--junit-xml", "link.xml")
    assert result.exit_code == 2 and result.stdout == ""
    assert "link.xml: --junit-xml would replace a file being tested" in result.stderr
    assert (here / "sc" / "ocr-l2-diploma-cheapest.yaml").read_bytes() == CHEAPEST.read_bytes()


@pytest.mark.parametrize(
    "content",
    [
        "my notes\n",
        " ",  # not empty: one space is something the user wrote
        "<html><body>testsuites</body></html>",
        "<?xml version='1.0'?>\n<!-- testsuites -->\n<html/>",  # the root is what counts
        "<testsuitesx/>",
    ],
)
def test_junit_xml_refuses_any_other_existing_file(here, content):
    scenario_folder(here)
    (here / "notes.txt").write_text(content, encoding="utf-8")
    result = run("sc", "-k", "cheapest", "--junit-xml", "notes.txt")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "notes.txt: --junit-xml would replace a file that is not a JUnit report; "
        "remove it or give another file\n"
    )
    assert (here / "notes.txt").read_text(encoding="utf-8") == content


def test_junit_xml_refuses_a_named_pipe_without_blocking(here):
    scenario_folder(here)
    os.mkfifo(here / "pipe.xml")
    result = run("sc", "-k", "cheapest", "--junit-xml", "pipe.xml")
    assert result.exit_code == 2
    assert result.stderr == (
        "pipe.xml: --junit-xml would replace something that is not a regular file\n"
    )


@pytest.mark.parametrize(
    "earlier",
    [
        None,  # pathway's own, from the first run below
        "<testsuites>\n</testsuites>\n",
        '\ufeff<?xml version="1.0"?>\n<testsuite name="pytest" tests="0"></testsuite>',
        "",  # a 0-byte file: CI's `mktemp` made it for the report
        '<?xml version="1.0" encoding="UTF-8"?><testsuites/>',  # no space before />
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!-- generated by jest-junit -->\n'
            '<testsuites name="jest tests"></testsuites>'
        ),
        "<!-- CI report -->\n<testsuites></testsuites>",  # a comment, no declaration
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE testsuites>\n<testsuites></testsuites>',
        '<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n<!ENTITY x "y">\n]>\n<testsuites/>',
        '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="junit.xsl"?>\n<testsuites/>',
    ],
)
def test_junit_xml_replaces_an_earlier_report(here, earlier):
    scenario_folder(here)
    if earlier is None:
        assert run("sc", "--junit-xml", "r.xml").exit_code == 1  # other.yaml fails
    else:
        (here / "r.xml").write_text(earlier, encoding="utf-8")
    result = run("sc", "-k", "cheapest", "--junit-xml", "r.xml")
    assert result.exit_code == 0, result.output
    root = ET.parse(here / "r.xml").getroot()
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


# -- 3. a run that tested nothing does not pass ---------------------------------------------


def shipped_with_expect() -> int:
    count = 0
    for path in sorted((ROOT / "scenarios").rglob("*.y*ml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        count += isinstance(doc, dict) and "qualification" in doc and "expect" in doc
    return count


def test_k_that_matches_nothing_is_a_usage_error(here):
    shutil.copytree(ROOT / "scenarios", here / "scenarios")
    n = shipped_with_expect()
    assert n >= 24
    result = run("-k", "nosuchname", "--junit-xml", "r.xml")
    assert result.exit_code == 2
    assert result.stdout == f"0 passed, 0 failed, {n} deselected\n"
    assert result.stderr == f"no scenario ran: -k 'nosuchname' matched none of {n} scenarios\n"
    assert ET.parse(here / "r.xml").getroot().get("tests") == "0"


def test_an_empty_folder_is_a_usage_error(here):
    (here / "e").mkdir()
    result = run("e")
    assert result.exit_code == 2
    assert result.stdout == "0 passed, 0 failed\n"
    assert result.stderr == "no scenario files in e\n"


def test_a_folder_of_models_alone_is_a_usage_error(here):
    (here / "e").mkdir()
    result = run("models", "e")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "no scenario files in models, e"


def test_scenarios_without_expect_blocks_alone_are_a_usage_error(here):
    (here / "ne").mkdir()
    (here / "ne" / "a.yaml").write_text(NO_EXPECT, encoding="utf-8")
    (here / "ne" / "b.yaml").write_text(NO_EXPECT, encoding="utf-8")
    result = run("ne")
    assert result.exit_code == 2
    assert result.stdout == "0 passed, 0 failed, 2 skipped (skipped: no expect block)\n"
    assert result.stderr == "no scenario ran: the 2 scenario files in ne have no expect: block\n"
    (here / "ne" / "b.yaml").unlink()
    (here / "ne" / "c.yaml").write_text(WRONG, encoding="utf-8")
    result = run("ne", "-k", "a")
    assert result.exit_code == 2
    assert result.stderr == (
        "no scenario ran: -k 'a' matched none of 1 scenario with an expect: block\n"
    )


def test_standard_input_without_an_expect_block_is_named_as_in_messages(here):
    # Standard input is `<stdin>` in every message (source.STDIN), never a bare `-`.
    result = CliRunner().invoke(main, ["test", "-"], input=NO_EXPECT)
    assert result.exit_code == 2
    assert result.stderr == "no scenario ran: the scenario file in <stdin> has no expect: block\n"
    result = CliRunner().invoke(main, ["test", "-", "models"], input=NO_EXPECT)
    assert result.stderr.splitlines()[-1] == (
        "no scenario ran: the scenario file in <stdin>, models has no expect: block"
    )


def test_one_scenario_that_ran_is_enough(here):
    (here / "ne").mkdir()
    (here / "ne" / "a.yaml").write_text(NO_EXPECT, encoding="utf-8")
    shutil.copy(CHEAPEST, here / "ne")
    result = run("ne")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


# -- 4. --update keeps the comments of the list items that stay -----------------------------


def winner_numbers(path: Path) -> list[str]:
    s = load(path)
    chosen = tie_break_winner(Problem.of_scenario(s), s.objectives)
    return [u.number or u.id for u in s.qualification.units if u.id in chosen]


LISTED = f"""\
qualification: {OCR}
excluded: [37, 6]
objective: min-glh
expect:
  status: infeasible
  # the units: 1 and 2 are mandatory
  units:
    - 1  # first
    # the comment lines above 9 go with it
    - 9
    # about unit 2

    - 2   # second
  # after the list, kept
"""


def test_update_keeps_the_comments_of_list_items_that_stay(here):
    path = here / "x.yaml"
    path.write_text(LISTED, encoding="utf-8")
    result = run("x.yaml", "--update")
    assert result.exit_code == 0, result.output
    s = load(path)
    glh = optimum(Problem.of_scenario(s), "min-glh")
    units = winner_numbers(path)
    assert units[:2] == ["1", "2"] and "9" not in units  # so 1 and 2 stay, 9 goes
    rest = "".join(f"    - {n}\n" for n in units[2:])
    assert path.read_text(encoding="utf-8") == (
        f"qualification: {OCR}\n"
        "excluded: [37, 6]\n"
        "objective: min-glh\n"
        "expect:\n"
        "  status: optimal\n"
        "  # the units: 1 and 2 are mandatory\n"
        "  units:\n"
        "    - 1  # first\n"
        "    # about unit 2\n"
        "\n"
        "    - 2   # second\n"
        f"{rest}"
        f"  objective: {glh}\n"
        "  # after the list, kept\n"
    )
    assert glh == 258  # hand check: the README walk-through's figure
    assert "updated x.yaml  (optimal, min-glh = 258)" in result.stdout
    assert run("x.yaml").exit_code == 0


def test_update_keeps_a_unit_as_it_was_spelled_and_a_list_in_the_right_set_untouched(here):
    # The cheapest diploma's units (oracle), listed by URN for unit 1 (A/506/2130, its URN in
    # the model file), in reverse order, with a wrong objective: only the objective changes.
    units = winner_numbers(CHEAPEST)
    assert units[0] == "1"
    listed = "".join(f"    - {n}\n" for n in reversed(units[1:]))
    scenario = (
        f"qualification: {OCR}\nobjective: min-glh\nexpect:\n  status: optimal\n"
        f"  objective: 1  # GLH\n  units:\n{listed}    - A/506/2130  # unit 1, by URN\n"
    )
    path = here / "y.yaml"
    path.write_text(scenario, encoding="utf-8")
    result = run("y.yaml", "--update")
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == scenario.replace(
        "  objective: 1  # GLH\n", f"  objective: {cheapest_glh()}  # GLH\n"
    )
    # and when units must change, unit 1 keeps its URN and its comment
    path.write_text(scenario.replace(f"    - {units[1]}\n", ""), encoding="utf-8")
    assert run("y.yaml", "--update").exit_code == 0
    body = "".join(f"    - {n}\n" for n in units[1:])
    assert path.read_text(encoding="utf-8") == (
        f"qualification: {OCR}\nobjective: min-glh\nexpect:\n  status: optimal\n"
        f"  objective: {cheapest_glh()}  # GLH\n  units:\n"
        f"    - A/506/2130  # unit 1, by URN\n{body}"
    )


def test_update_keeps_each_objectives_comment_in_a_lexicographic_list(here):
    fewest = ROOT / "scenarios" / "ocr-l2-diploma-fewest-units.yaml"
    s = load(fewest)
    assert s.objectives == ["min-units", "min-glh"]
    want = optimum_lex(Problem.of_scenario(s), s.objectives)
    assert want == [11, 245]  # README table
    scenario = (
        f"qualification: {OCR}\nobjective: [min-units, min-glh]\nexpect:\n  status: optimal\n"
        "  objective:\n    - 12  # units\n    - 245  # then GLH\n"
    )
    path = here / "z.yaml"
    path.write_text(scenario, encoding="utf-8")
    result = run("z.yaml", "--update")
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == scenario.replace("- 12  # units", "- 11  # units")
    # the summary names each objective beside its value
    assert "(optimal, min-units = 11, then min-glh = 245)" in result.stdout  # as solve says


def test_update_refuses_a_flow_list_whose_comments_it_would_lose(here):
    text = f"qualification: {OCR}\nexpect:\n  status: optimal\n  units: [1,  # one\n    9]\n"
    path = here / "f.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("f.yaml", "--update")
    assert result.exit_code == 1
    assert (
        "not updated: expect.units has comments inside its [ ], which would be lost; "
        "write it as - lines to keep them, or edit it by hand"
    ) in result.stdout
    assert path.read_text(encoding="utf-8") == text


# -- 5. the summary in words ----------------------------------------------------------------


@pytest.mark.parametrize(
    "status, objectives, values, words",
    [
        ("optimal", ["min-glh"], [245], "optimal, min-glh = 245"),
        (
            "optimal",
            ["max-preference", "min-glh"],
            [11, 271],
            "optimal, max-preference = 11, then min-glh = 271",  # as solve says it
        ),
        ("feasible", ["min-glh"], [250], "feasible, min-glh = 250, not proven optimal"),
        ("infeasible", ["min-glh"], None, "infeasible"),
        ("unknown", ["min-glh"], None, "unknown, time limit reached before any pathway"),
    ],
)
def test_the_summary_names_the_objective(status, objectives, values, words):
    from pathway.expect import summary

    best = SimpleNamespace(values=values) if values else None
    assert summary(SimpleNamespace(status=status, objectives=objectives, best=best)) == words


def test_the_summary_of_a_lexicographic_scenario_says_then_as_solve_does(here):
    fewest = ROOT / "scenarios" / "ocr-l2-diploma-fewest-units.yaml"
    s = load(fewest)
    assert s.objectives == ["min-units", "min-glh"]
    assert optimum_lex(Problem.of_scenario(s), s.objectives) == [11, 245]
    result = run(str(fewest))
    assert result.exit_code == 0, result.output
    words = "optimal, min-units = 11, then min-glh = 245"
    assert result.stdout.splitlines()[0] == f"ok    {fewest}  ({words})"
    solved = CliRunner().invoke(main, ["solve", str(fewest)]).stdout.splitlines()
    assert "Optimal (min-units = 11, then min-glh = 245, proven)." in solved


def test_the_summary_of_an_infeasible_scenario(here):
    tight = ROOT / "scenarios" / "ocr-l2-diploma-tight-budget.yaml"
    assert optimum(Problem.of_scenario(load(tight)), "min-glh") is None
    result = run(str(tight))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"ok    {tight}  (infeasible)"
