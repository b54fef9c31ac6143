"""Markdown for every command that has it opens with the question and the situation (issue 14),
and standard input (`-`) works for every command that reads a scenario or cohort file.

The expected openings are built here from the inputs each test gives (the units held,
excluded and required, the budgets, the centre's limits), escaped by this file's own
Markdown escaping, so a title or name holding `|` is checked to stay one cell or paragraph.
Figures are worked by hand: the piped model needs 4 credits; a learner holding unit 2
(3 credits) with unit 3 excluded must take unit 1 (4 credits, 9 GLH), and a new learner's
cheapest is unit 3 alone (4 credits, 7 GLH)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pathway.cli import main

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
COHORTS = ROOT / "examples" / "cohorts"
PRIOR = ROOT / "scenarios" / "ocr-l2-diploma-prior-learning.yaml"
PAIR = ["ocr-l2-diploma-customer-service", "cg-5530-02-l2-diploma-customer-service"]
NEW_LEARNER = "- **Learner:** a new learner: nothing held, excluded or required"
FEWEST_GLH = "- **Objective:** fewest guided learning hours (GLH) still to teach"

PIPED_MODEL = """\
title: 'Piped | Diploma'
units:
  - {id: U1, number: 1, title: 'Complaints | escalations', credit: 4, level: 2, glh: 9}
  - {id: U2, number: 2, title: Sales, credit: 3, level: 2, glh: 5}
  - {id: U3, number: 3, title: Service, credit: 4, level: 2, glh: 7}
rules:
  - {kind: credits, min: 4, name: 'credits | the floor'}
"""
PIPED_SCENARIO = """\
title: 'Which unit | matters?'
qualification: piped.yaml
achieved: [2]
excluded: [3]
"""
PIPED_COHORT = """\
cohort: 'Intake | A'
qualification: piped.yaml
centre: {class_size: 4, min_class: 1, max_units: 2, unavailable: [3]}
learners:
  - {id: a, achieved: [2]}
  - {id: b, required: [1]}
  - {id: c, excluded: [3]}
"""


def md(text: str) -> str:
    """Markdown's markup characters escaped with a backslash (CommonMark's rule)."""
    return "".join("\\" + ch if ch in "\\`*_[]<>|" else ch for ch in str(text))


def run(args, input=None, code=0) -> str:
    result = CliRunner(env={"COLUMNS": None}).invoke(main, [str(a) for a in args], input=input)
    assert result.exit_code == code, result.output
    return result.stdout


@pytest.fixture
def piped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, text in (
        ("piped.yaml", PIPED_MODEL),
        ("which.yaml", PIPED_SCENARIO),
        ("intake.yaml", PIPED_COHORT),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def opening(text: str, lines: int) -> list[str]:
    return text.splitlines()[:lines]


# -- Markdown: the question and the situation ------------------------------------------------


def test_compare_markdown_opens_with_the_question_and_the_learner():
    args = ["compare", *PAIR, "--models", MODELS, "--achieved", "A/506/2130"]
    args += ["--exclude", "telephone", "--max-glh", "300", "--format", "markdown"]
    expected = [
        "# Qualifications compared",
        "",
        (
            f"**Question:** Which of these qualifications is best for this learner: "
            f"{md(PAIR[0])}, {md(PAIR[1])}?"
        ),
        "",
        FEWEST_GLH,
        "- **Already achieved:** A/506/2130",
        "- **Cannot be taken:** telephone",
        "- **Budget:** at most GLH still to teach: 300",
        "",
        "Objective: `min-glh` (proven optima; best first)",
    ]
    assert opening(run(args), len(expected)) == expected


def test_compare_markdown_names_the_scenario_and_its_units_by_urn():
    """compare reads a scenario's units by URN (a unit is the same unit wherever its URN is):
    the held units are URNs in the file already; the required unit's number is looked up
    here in the model file."""
    scenario = yaml.safe_load(PRIOR.read_text(encoding="utf-8"))
    model = yaml.safe_load((MODELS / f"{scenario['qualification']}.yaml").read_text())
    urn = {u["number"]: u["id"] for u in model["units"]}
    args = ["compare", *PAIR, "--models", MODELS, "--scenario", PRIOR, "--format", "markdown"]
    situation = run(args).split("**Question:**", 1)[1].split("\n\n")[1].splitlines()
    assert situation == [
        FEWEST_GLH,
        f"- **Learner from:** {md(PRIOR)}",
        f"- **Already achieved:** {', '.join(scenario['achieved'])}",
        f"- **Must be taken:** {', '.join(urn[u] for u in scenario['required'])}",
    ]


def test_rank_markdown_opens_with_the_question_and_the_learner():
    args = ["rank", "--models", MODELS, "--achieved", "D/502/9654", "-o", "min-credits"]
    expected = [
        "# Qualifications ranked",
        "",
        f"**Question:** Which qualifications in {md(MODELS)} are best for this learner?",
        "",
        "- **Objective:** fewest credits still to take",
        "- **Already achieved:** D/502/9654",
        "",
        "Objective: `min-credits` (proven optima; best first)",
    ]
    assert opening(run([*args, "--format", "markdown"]), len(expected)) == expected


def test_a_new_learner_is_said_to_be_one():
    text = run(["compare", *PAIR, "--models", MODELS, "--format", "markdown"])
    assert opening(text, 6)[4:] == [FEWEST_GLH, NEW_LEARNER]


def test_impact_markdown_opens_with_the_question_and_escapes_pipes(piped):
    expected = [
        "# Piped \\| Diploma",
        "",
        "**Question:** Which unit \\| matters?",
        "",
        "Scenario: `which.yaml`",
        "",
        FEWEST_GLH,
        "- **Already achieved:** unit 2",
        "- **Cannot be taken:** unit 3",
        "",
        "Piped \\| Diploma (piped): optimum min-glh = 9 (proven)",
        "",
        "| no. | id | title | in optimal | without | delta | usable |",
    ]
    text = run(["impact", "which.yaml", "--format", "markdown"])
    assert opening(text, len(expected)) == expected
    # Unit 1 is the only unit left that gives the missing credit: in every optimal pathway,
    # and no pathway without it; its title's `|` stays inside its cell (7 cells, 8 bars).
    row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert row == "| 1 | U1 | Complaints \\| escalations | always | no pathway | - | yes |"


def test_impact_of_a_model_asks_about_each_unit_for_a_new_learner(piped):
    expected = [
        "# Piped \\| Diploma",
        "",
        "**Question:** What each unit of Piped \\| Diploma changes for this learner",
        "",
        FEWEST_GLH,
        NEW_LEARNER,
        "",
        "Piped \\| Diploma (piped): optimum min-glh = 7 (proven)",
    ]
    assert opening(run(["impact", "piped.yaml", "--format", "markdown"]), 8) == expected


def test_plan_markdown_opens_with_the_question_and_the_cohort(piped):
    cohort = yaml.safe_load(PIPED_COHORT)
    centre = cohort["centre"]
    ids = [lr["id"] for lr in cohort["learners"]]
    expected = [
        f"# {md(cohort['cohort'])}",
        "",
        (
            "**Question:** Which units should the centre run so that every learner completes, at "
            "the least taught GLH?"
        ),
        "",
        "- **Objective:** least taught GLH (GLH x classes), every learner completing",
        f"- **Learners:** {len(ids)}: {', '.join(ids)}",
        "- **Qualification:** piped",
        (
            f"- **Class size:** at most {centre['class_size']}; a unit runs with "
            f"{centre['min_class']} or more"
        ),
        "- **Units the centre cannot run:** piped:U3",  # no URN: model-id:unit-id
        f"- **At most units run:** {centre['max_units']}",
        "- **Already achieved:** a: 2",
        "- **Cannot be taken:** c: 3",
        "- **Must be taken:** b: 1",
        "- **Cohort file:** intake.yaml",
        "",
        # Every learner takes unit 1 (unit 3 cannot run): one class of 3, 9 GLH.
        "Status: optimal; 9 taught GLH  ",
        "Taught GLH 9 in 1 class of 1 unit; 3 of 3 learners complete  ",
    ]
    text = run(["plan", "intake.yaml", "--format", "markdown"])
    assert opening(text, len(expected)) == expected
    assert "| 1 | piped:U1 | Complaints \\| escalations | 3 | 1 | 9 |" in text.splitlines()


def test_plan_markdown_asks_for_the_most_completing_when_that_is_the_objective():
    path = COHORTS / "small-centre.yaml"
    cohort = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert cohort["objective"] == "max-completing"
    text = run(["plan", path, "--format", "markdown"])
    assert opening(text, 5) == [
        f"# {md(cohort['cohort'])}",
        "",
        (
            "**Question:** Which units should the centre run so that as many learners as possible "
            "complete, at the least taught GLH?"
        ),
        "",
        "- **Objective:** most learners completing, then least taught GLH",
    ]
    assert f"- **At most units run:** {cohort['centre']['max_units']}" in text.splitlines()


def test_models_markdown_opens_with_the_question(piped):
    folder = piped / "catalogue"
    folder.mkdir()
    (folder / "piped.yaml").write_text(PIPED_MODEL, encoding="utf-8")
    expected = [
        "# Catalogue: catalogue",
        "",
        (
            "**Question:** Which qualifications are in catalogue, and what is the fewest GLH a new "
            "learner needs for each?"
        ),
        "",
        FEWEST_GLH,
        NEW_LEARNER,
        "- **Time limit:** 5 seconds per model",
        "",
        "| id | title | awarding body | level | units | min GLH |",
        "| --- | --- | --- | --- | --- | --- |",
        "| piped | Piped \\| Diploma |  |  | 3 | 7 |",
    ]
    text = run(["models", "catalogue", "--time-limit", "5", "--format", "markdown"])
    assert text.splitlines() == expected


# -- standard input ---------------------------------------------------------------------------


def test_validate_reads_a_cohort_on_standard_input(monkeypatch):
    monkeypatch.chdir(COHORTS)  # the cohort names its model relative to its own folder
    text = (COHORTS / "september-intake.yaml").read_text(encoding="utf-8")
    learners = len(yaml.safe_load(text)["learners"])
    out = run(["validate", "-"], input=text)
    assert out == f"<stdin>: ok (cohort of {learners} learners for {PAIR[0]})\n"


def test_a_bad_cohort_on_standard_input_is_named_stdin_with_its_line(monkeypatch):
    monkeypatch.chdir(COHORTS)
    text = (COHORTS / "september-intake.yaml").read_text(encoding="utf-8")
    bad = text.replace("class_size: 8", "class_sise: 8")
    line = bad.splitlines().index(next(x for x in bad.splitlines() if "class_sise" in x)) + 1
    for args in (["validate", "-"], ["plan", "-"]):
        result = CliRunner().invoke(main, args, input=bad)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"<stdin>:{line}:3: unknown field 'class_sise'")
        assert "Traceback" not in result.output and result.stdout == ""
    # A problem only the cohort's reader finds (not the schema): a unit the centre cannot run
    # that no learner's qualification has.
    worse = text.replace("unavailable: [36]", "unavailable: [99]")
    line = worse.splitlines().index(next(x for x in worse.splitlines() if "[99]" in x)) + 1
    result = CliRunner().invoke(main, ["validate", "-"], input=worse)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"<stdin>:{line}:")
    assert "has no unit '99'" in result.stderr


def test_plan_reads_a_cohort_on_standard_input_like_the_file(monkeypatch):
    monkeypatch.chdir(COHORTS)
    path = COHORTS / "small-centre.yaml"
    piped = json.loads(run(["plan", "-", "--format", "json"], input=path.read_text()))
    direct = json.loads(run(["plan", "small-centre.yaml", "--format", "json"]))
    assert piped == direct


def test_impact_compare_and_rank_read_the_scenario_on_standard_input(monkeypatch):
    monkeypatch.chdir(ROOT)
    text = PRIOR.read_text(encoding="utf-8")
    for args in (
        ["impact", "{}"],
        ["compare", *PAIR, "--scenario", "{}"],
        ["rank", "--scenario", "{}"],
    ):
        piped = run([a.replace("{}", "-") for a in args] + ["--format", "json"], input=text)
        direct = run([a.replace("{}", str(PRIOR)) for a in args] + ["--format", "json"])
        assert json.loads(piped) == json.loads(direct), args
    markdown = run(["compare", *PAIR, "--scenario", "-", "--format", "markdown"], input=text)
    assert "- **Learner from:** \\<stdin\\>" in markdown.splitlines()


def test_a_bad_scenario_on_standard_input_is_named_stdin_for_impact_and_compare(monkeypatch):
    monkeypatch.chdir(ROOT)
    bad = f"qualification: {PAIR[0]}\nexcluded: [B9]\n"
    for args in (["impact", "-"], ["compare", *PAIR, "--scenario", "-"]):
        result = CliRunner().invoke(main, args, input=bad)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("<stdin>:2:12: excluded:"), result.stderr


# -- --output for check (solve, the planners' commands and import are tested beside them) ----


def test_check_output_refuses_to_overwrite_without_force(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    target = tmp_path / "audit.csv"
    target.write_text("keep me\n", encoding="utf-8")
    args = ["check", MODELS / f"{PAIR[0]}.yaml", "-u", "1,2", "--format", "csv", "-O", target]
    refused = CliRunner().invoke(main, [str(a) for a in args])
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    # Units 1 and 2 alone do not achieve the diploma: exit 1, the report written all the same.
    forced = CliRunner().invoke(main, [str(a) for a in [*args, "--force"]])
    assert forced.exit_code == 1 and forced.stdout == ""
    assert target.read_bytes().startswith(b"key,name,holds,required,actual,needed\r\n")
    assert [p.name for p in tmp_path.iterdir()] == ["audit.csv"]  # no temporary file left


@pytest.mark.parametrize(
    "text,expected",
    [
        ("# Not a heading\nsecond line", "\\# Not a heading second line"),
        ("- not a list item", "\\- not a list item"),
        ("+ nor this", "\\+ nor this"),
        ("12. nor a numbered one", "12\\. nor a numbered one"),
        ("3) nor this", "3\\) nor this"),
        ("a | b *c*", "a \\| b \\*c\\*"),
        ("one\n\n  two", "one two"),
    ],
)
def test_a_description_stays_one_paragraph_of_plain_text(text, expected):
    """Descriptions come from files: a line break would end a list item, and a leading
    '#', '-', '+' or '1.' would start a heading or a list."""
    from pathway.situation import markdown_paragraph

    assert markdown_paragraph(text) == expected


def test_a_scenario_description_in_markdown_is_one_escaped_paragraph(tmp_path):
    model = ROOT / "models" / "ocr-l2-diploma-customer-service.yaml"
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        f"qualification: {model}\ndescription: |\n  - not a list\n  but one paragraph\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["solve", str(scenario), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "\\- not a list but one paragraph" in result.output.splitlines()
