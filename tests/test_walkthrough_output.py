"""Output defects a user walk-through found in `solve`, `compare`, `validate`, `import` and
`--output`, each held to the intended text or value.

- `--output` is checked before any work (every command with it, batch too): an existing file
  without --force, a folder, a path naming no file (`""`, a trailing `/`), a missing folder or
  one that cannot be reached (EACCES from os.stat) is refused with one line naming the path,
  exit 2, and the command's work (patched here to raise) never starts; `batch --resume`
  expects its file; a write that fails later still exits 74 and names the file.
- JSON `tie_break` states the rule solver.py's docstring and README "Solving" document (the
  three are compared here), its weight formula is checked against an independent splitmix64,
  and the pathway printed is the oracle's tie-break winner.
- Preference weights no objective counts are said to be unused (solve, scenario, batch), and
  the pathway is the one chosen without them.
- The Markdown question, `tie_break_proven` without a pathway, compare's unranked rows (only
  a row with a pathway has a rank),
  import's bad numbers, and plain words (objective values, plurals, unit names, a missing
  file).

Expected values are worked by hand from the seed models (seed 000's cheapest pathway is 245
GLH; seed 003 is 4 mandatory units plus exactly 1 of units 5-8) or come from tests/oracle.py."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import oracle
from pathway.cli import main
from test_reports import CHEAPEST_UNITS  # seed 000's tie-break winner, by printed number

ROOT = Path(__file__).resolve().parents[1]
MODEL = "models/ocr-l2-diploma-customer-service.yaml"
NVQ = "models/ocr-l2-nvq-customer-service.yaml"
COHORT = "examples/cohorts/september-intake.yaml"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("COLUMNS", raising=False)


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input)


# -- 1. --output is checked before any work -----------------------------------------------------


class WorkStarted(Exception):
    """Raised by the patched work of a command: the check came too late."""


TABLE = "Unit No\tUnit title\tURN\tCredit\tLevel\tGLH\n1\tDeliver service\tA/506/2130\t5\t2\t30\n"

# (command line before --output, the function that does the command's work)
COMMANDS = {
    "solve": (["solve", MODEL], "pathway.solver", "solve"),
    "check": (["check", MODEL, "-u", "1"], "pathway.auditor", "audit"),
    "compare": (["compare", "ocr-l2-diploma-customer-service"], "pathway.compare", "compare"),
    "rank": (["rank"], "pathway.rank", "rank"),
    "impact": (["impact", NVQ], "pathway.impact", "impact"),
    "plan": (["plan", COHORT, "--time-limit", "5"], "pathway.cohort_plan", "plan"),
    "models": (["models"], "pathway.catalogue", "catalogue"),
    "import": (["import", "TABLE"], "pathway.importer", "import_file"),
    # batch's first work: reading the --qualification model (then run_batch solves).
    "batch": (
        ["batch", "examples/cohorts/learners.csv", "-q", "ocr-l2-diploma-customer-service"],
        "pathway.learners",
        "qualification_scenario",
    ),
}
NAME_IT = "give a file name for the report (nothing written)"


def _patched(monkeypatch, module: str, name: str) -> None:
    import importlib

    def refuse(*args, **kwargs):
        raise WorkStarted(name)

    monkeypatch.setattr(importlib.import_module(module), name, refuse)


def _args(command: str, tmp_path: Path) -> list[str]:
    args = list(COMMANDS[command][0])
    if "TABLE" in args:
        table = tmp_path / "table.txt"
        table.write_text(TABLE, encoding="utf-8")
        args[args.index("TABLE")] = str(table)
    return args


def _stat_refused_under(monkeypatch, folder: Path) -> None:
    """os.stat raises EACCES for anything under `folder`, as for a folder without search
    permission (Python 3.11's Path.is_dir() and exists() raise it again)."""
    import errno
    import os

    real = os.stat

    def stat(path, *args, **kwargs):
        if os.fspath(path).startswith(f"{folder}{os.sep}"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)


CASES = [
    "exists",
    "folder",
    "no folder",
    "folder with slash",
    "file with slash",
    "nothing with slash",
    "empty",
    "unreachable",
]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", CASES)
def test_a_bad_output_is_refused_before_any_work(command, case, tmp_path, monkeypatch):
    _, module, name = COMMANDS[command]
    _patched(monkeypatch, module, name)
    existing = tmp_path / "exists.txt"
    existing.write_text("mine", encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    target, shown, message = {
        "exists": (
            str(existing),
            str(existing),
            "already exists; give --force to replace it (nothing written)",
        ),
        "folder": (str(folder), str(folder), f"is a folder; {NAME_IT}"),
        "folder with slash": (f"{folder}/", f"{folder}/", f"is a folder; {NAME_IT}"),
        # exists.txt/ would be a folder named exists.txt: there is a file of that name.
        "file with slash": (
            f"{existing}/",
            f"{existing}/",
            f"{existing} is not a folder; {NAME_IT}",
        ),
        "nothing with slash": (
            f"{tmp_path / 'nodir'}/",
            f"{tmp_path / 'nodir'}/",
            f"ends in a slash, so names no file; {NAME_IT}",
        ),
        "empty": ("", "--output", f"no file name; {NAME_IT}"),  # --output "" names nothing
        "no folder": (
            str(tmp_path / "nodir" / "x.txt"),
            str(tmp_path / "nodir" / "x.txt"),
            f"no such folder: {tmp_path / 'nodir'} (nothing written)",
        ),
        "unreachable": (
            str(tmp_path / "locked" / "sub" / "x.txt"),
            str(tmp_path / "locked" / "sub" / "x.txt"),
            f"cannot reach {tmp_path / 'locked' / 'sub'}: Permission denied (nothing written)",
        ),
    }[case]
    if case == "unreachable":
        _stat_refused_under(monkeypatch, tmp_path / "locked")
    result = run([*_args(command, tmp_path), "--output", target])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2
    assert result.stderr == f"{shown}: {message}\n"
    assert result.stdout == ""
    assert existing.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "table.txt") == [
        "exists.txt",
        "reports",
    ]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_force_or_a_new_file_lets_the_work_start(command, tmp_path, monkeypatch):
    _, module, name = COMMANDS[command]
    _patched(monkeypatch, module, name)
    existing = tmp_path / "exists.txt"
    existing.write_text("mine", encoding="utf-8")
    for extra in (["--output", str(existing), "--force"], ["--output", str(tmp_path / "new")]):
        result = run([*_args(command, tmp_path), *extra])
        assert isinstance(result.exception, WorkStarted), (extra, result.stderr)


def test_batch_resume_expects_its_output_but_not_a_missing_folder_or_a_folder(
    tmp_path, monkeypatch
):
    args, module, name = COMMANDS["batch"]
    _patched(monkeypatch, module, name)
    existing = tmp_path / "out.jsonl"
    existing.write_text("", encoding="utf-8")
    result = run([*args, "--output", str(existing), "--resume"])
    assert isinstance(result.exception, WorkStarted), result.stderr  # the file is expected
    for target, message in [
        (tmp_path / "nodir" / "x.jsonl", f"no such folder: {tmp_path / 'nodir'} (nothing written)"),
        (tmp_path, f"is a folder; {NAME_IT}"),
    ]:
        result = run([*args, "--output", str(target), "--resume"])
        assert (result.exit_code, result.stderr) == (2, f"{target}: {message}\n")


def test_the_walkthrough_plan_is_refused_at_once(tmp_path):
    """The user's case: the installed program, a real cohort and a 5 s limit."""
    existing = tmp_path / "exists.txt"
    existing.write_text("x\n", encoding="utf-8")
    import resource

    program = Path(sys.executable).parent / "pathway"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [str(program), "plan", COHORT, "--time-limit", "5", "--output", str(existing)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Refused before planning: start-up only (about 0.2 CPU-s); planning took 2.5 CPU-s here.
    assert (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime) < 1.2
    assert done.returncode == 2
    assert (
        done.stderr == f"{existing}: already exists; give --force to replace it (nothing written)\n"
    )
    assert existing.read_text() == "x\n"


def test_a_write_that_fails_later_exits_74_naming_the_file(tmp_path):
    target = tmp_path / "report.txt"
    code = (
        "import errno, sys\n"
        "import pathway.output as output\n"
        "def full(path, text, force=False, keep_mode=False):\n"
        "    raise output.WriteError(str(path), OSError(errno.ENOSPC, 'No space left on device'))\n"
        "output.write_atomic = full\n"
        f"sys.argv = ['pathway', 'solve', {MODEL!r}, '--output', {str(target)!r}]\n"
        "from pathway.cli import entry; entry()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 74
    assert done.stderr == f"pathway: cannot write {target}: No space left on device\n"
    assert not target.exists()


# -- 2. the tie-break in words is the rule the solver applies -----------------------------------


def _clauses(text: str) -> list[str]:
    """A rule's clauses in order, without parentheses: split at ';', ', then' and the comma
    after 'every objective'."""
    text = " ".join(text.split())
    while re.search(r"\([^()]*\)", text):  # innermost first: "(... splitmix64(i) ...)"
        text = re.sub(r"\s*\([^()]*\)", "", text)
    parts = re.split(r";\s*(?:then\s+)?|,\s*then\s+|(?<=every objective),\s*", text)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def splitmix64(i: int) -> int:
    """Written again here from the published algorithm (Steele, Lea and Flood 2014)."""
    mask = (1 << 64) - 1
    z = (i + 0x9E3779B97F4A7C15) & mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return z ^ (z >> 31)


def test_tie_break_text_names_the_solvers_rule():
    from pathway import solver
    from pathway.report import TIE_BREAK

    doc = " ".join(solver.__doc__.split())
    rule = re.search(r"Tie-break \(documented in README\): (.*?)\. A total order", doc)
    assert rule is not None
    documented = _clauses(rule.group(1))
    assert documented == [
        "among pathways equal on every objective",
        "the smallest sum of hashed weights",
        "the one without the latest-listed unit where two differ",
    ]
    # clause by clause, in the same order: the docstring's words begin the report's
    mine = _clauses(TIE_BREAK)
    assert len(mine) == len(documented)
    for said, meant in zip(mine, documented):
        assert said.startswith(meant), (said, meant)
    assert "sum of positions" not in TIE_BREAK  # the 0.2 development rule is gone
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"\*\*Tie-break\.\*\* (.*?) This is a total order", readme)
    assert said is not None
    assert "smallest sum of hashed weights" in said.group(1)
    assert said.group(1).index("hashed weights") < said.group(1).index("latest-listed unit")


def test_tie_break_weights_are_as_the_text_says():
    from pathway.report import TIE_BREAK
    from pathway.solver import tie_weight

    assert "the unit at position i, counted from 0, weighs splitmix64(i) >> 44, plus 1" in (
        TIE_BREAK
    )
    for i in range(3000):
        assert tie_weight(i) == (splitmix64(i) >> 44) + 1 == oracle.tie_weight(i)


def test_the_walkthrough_json_states_the_rule_and_prints_its_winner():
    from pathway.loader import load_model
    from pathway.report import TIE_BREAK
    from pathway.scenario import scenario_for_model, with_situation

    result = run([
        "solve", MODEL, "--achieved", "1", "--top", "2", "--format", "json"
    ])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["tie_break"] == TIE_BREAK
    q = load_model(ROOT / MODEL)
    s = with_situation(scenario_for_model(q), achieved=["1"])
    winner = oracle.tie_break_winner(oracle.Problem.of_scenario(s), ["min-glh"])
    assert {u["id"] for u in printed["pathway"]["units"]} == winner


# -- 3. preference weights no objective counts ---------------------------------------------------


def _note(given: str, objectives: str) -> str:
    return (
        f"Preference weights given ({given}) but not used: the objective ({objectives}) does "
        "not include max-preference. To use them, give --objective max-preference (or "
        "`objective: max-preference` in a scenario), first or after the others."
    )


def test_unused_preferences_are_said_and_change_nothing():
    plain = json.loads(run(["solve", MODEL, "--format", "json"]).stdout)
    result = run(["solve", MODEL, "--prefer", "7=5", "--format", "json"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed["objective"] == {"name": "min-glh", "value": 245}
    assert printed["notes"] == [_note("unit 7 +5", "min-glh")]
    numbers = [u["number"] for u in printed["pathway"]["units"]]
    assert numbers == CHEAPEST_UNITS == [u["number"] for u in plain["pathway"]["units"]]
    assert "7" not in numbers
    table = run(["solve", MODEL, "--prefer", "7=5"]).stdout
    assert _note("unit 7 +5", "min-glh") in " ".join(table.split())
    markdown = run(["solve", MODEL, "--prefer", "7=5", "--format", "markdown"]).stdout
    assert _note("unit 7 +5", "min-glh") in markdown.replace("\\`", "`").replace("\\_", "_")


def test_used_preferences_have_no_such_note():
    result = run(["solve", MODEL, "--prefer", "7=5", "-o", "max-preference", "-o", "min-glh",
                  "--format", "json"])  # fmt: skip
    printed = json.loads(result.stdout)
    assert printed["notes"] == []
    assert "7" in [u["number"] for u in printed["pathway"]["units"]]


def test_a_scenarios_unused_preferences_are_said(tmp_path):
    scenario = tmp_path / "prefers.yaml"
    scenario.write_text(
        f"qualification: {ROOT / MODEL}\n"
        "objective: [min-units, min-glh]\n"
        "preferences:\n  units: {'7': 5}\n  tags: {sales: 2}\n",
        encoding="utf-8",
    )
    printed = json.loads(run(["solve", str(scenario), "--format", "json"]).stdout)
    assert printed["notes"] == [_note("unit 7 +5, tag sales +2", "min-units, min-glh")]


def test_a_batch_rows_unused_preferences_are_said(tmp_path):
    learners = tmp_path / "learners.csv"
    learners.write_text(f"id,qualification,preferences\nL1,{ROOT / MODEL},7=5\n", encoding="utf-8")
    result = run(["batch", str(learners), "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    assert record["notes"] == [_note("unit 7 +5", "min-glh")]
    assert record["objective"]["value"] == 245


# -- 4. the question for a learner who holds units -------------------------------------------


def test_markdown_asks_for_a_new_learner_only_when_nothing_is_held():
    title = "OCR Level 2 Diploma in Customer Service"
    held = run(["solve", MODEL, "--achieved", "1,2", "--format", "markdown"]).stdout
    assert (
        held.splitlines()[2] == f"**Question:** The best pathway through {title} for this learner"
    )
    assert "new learner" not in held
    html = run(["solve", MODEL, "--achieved", "1,2", "--format", "html"]).stdout
    assert "new learner" not in html and "for this learner" in html
    new = run(["solve", MODEL, "--format", "markdown"]).stdout
    assert (
        new.splitlines()[2] == f"**Question:** The best pathway through {title} for a new learner"
    )


# -- 5. nothing proven without a pathway; compare's unranked rows --------------------------------


def test_tie_break_is_not_proven_without_a_pathway():
    from pathway.loader import load_model
    from pathway.report import solution_json
    from pathway.scenario import scenario_for_model
    from pathway.solver import Solution, Status

    s = scenario_for_model(load_model(ROOT / MODEL))
    printed = solution_json(Solution(s, ["min-glh"], Status.UNKNOWN))
    assert printed["status"] == "unknown" and printed["pathway"] is None
    assert printed["tie_break_proven"] is False
    cut = json.loads(run(["solve", MODEL, "--time-limit", "0.001", "--format", "json"]).stdout)
    if cut["status"] == "unknown":  # a fast machine may find a pathway in the millisecond
        assert cut["tie_break_proven"] is False


def test_compare_leaves_uncounted_rows_unranked():
    # Seed 003 (the NVQ) publishes no GLH: unknown under min-glh, unranked; seed 000 is 245.
    args = ["compare", "ocr-l2-nvq-customer-service", "ocr-l2-diploma-customer-service"]
    rows = list(csv.reader(io.StringIO(run([*args, "--format", "csv"]).stdout)))
    assert [r[:4] for r in rows[1:]] == [
        ["1", "ocr-l2-diploma-customer-service", "OCR Level 2 Diploma in Customer Service",
         "optimal"],
        ["", "ocr-l2-nvq-customer-service", "OCR Level 2 NVQ in Customer Service", "unknown"],
    ]  # fmt: skip
    table = run(args).stdout.splitlines()
    assert table[4].split()[:3] == ["1", "ocr-l2-diploma-customer-service", "optimal"]
    assert table[5].split()[:3] == ["-", "ocr-l2-nvq-customer-service", "unknown"]
    # Unit 1 excluded: the diploma has no pathway (Group A is mandatory) and comes last,
    # unranked too: no row has a pathway, so no row has a number (README: "unranked").
    excluded = [*args, "--exclude", "A/506/2130"]
    table = run(excluded).stdout.splitlines()
    assert [line.split()[:3] for line in table[4:6]] == [
        ["-", "ocr-l2-nvq-customer-service", "unknown"],
        ["-", "ocr-l2-diploma-customer-service", "infeasible"],
    ]
    rows = list(csv.reader(io.StringIO(run([*excluded, "--format", "csv"]).stdout)))
    assert [(r[0], r[3]) for r in rows[1:]] == [("", "unknown"), ("", "infeasible")]
    markdown = run([*excluded, "--format", "markdown"]).stdout.splitlines()
    cells = [line.split(" | ")[:3] for line in markdown if line.startswith("| - ")]
    assert cells == [
        ["| -", "ocr-l2-nvq-customer-service", "unknown"],
        ["| -", "ocr-l2-diploma-customer-service", "infeasible"],
    ]
    # JSON has no rank key: the order is the rank; the keys stay as README lists them.
    printed = json.loads(run([*excluded, "--format", "json"]).stdout)
    assert [r["status"] for r in printed["results"]] == ["unknown", "infeasible"]
    assert all("rank" not in r for r in printed["results"])


def test_rank_numbers_only_rows_with_a_pathway():
    # Seed 000 with unit 1 excluded has no pathway; seed 003's units 1-4 are mandatory and it
    # has no GLH: under min-units (which needs no GLH) it is optimal with 5 units, ranked 1,
    # and the infeasible diploma after it is unranked.
    args = ["compare", "ocr-l2-nvq-customer-service", "ocr-l2-diploma-customer-service"]
    table = run([*args, "-o", "min-units", "--exclude", "A/506/2130"]).stdout.splitlines()
    assert [line.split()[:4] for line in table[4:6]] == [
        ["1", "ocr-l2-nvq-customer-service", "optimal", "5"],
        ["-", "ocr-l2-diploma-customer-service", "infeasible", "-"],
    ]


# -- 6. import names a bad number --------------------------------------------------------------


def test_import_names_a_bad_value_and_its_line(tmp_path):
    table = tmp_path / "units.txt"
    table.write_text(
        "Unit No\tUnit title\tURN\tCredit\tLevel\tGLH\n"
        "Group A: Mandatory units\n"
        "1\tDeliver reliable service\tA/506/2130\t5\t2\t30\n"
        "2\tSecond unit\tF/506/2131\t99999999999999999999\t2\t30\n"
        "3\tThird unit\tJ/506/2132\t4\t2\tabc\n"
        "4\tFourth unit\tnot-a-urn\t4\t2\t20\n"
        "5\tFifth unit\tA/506/1964\t4\t9\t20\n",
        encoding="utf-8",
    )
    result = run(["import", str(table)])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        (
            f"{table}:4: warning: skipped unit 2: credit '99999999999999999999' is not a whole "
            "number from 0 to 999"
        ),
        f"{table}:5: warning: skipped unit 3: GLH 'abc' is not a whole number from 0 to 99,999",
        (
            f"{table}:6: warning: skipped unit 4: URN 'not-a-urn' is not a unit reference "
            "number like A/506/2130"
        ),
        f"{table}:7: warning: skipped unit 5: level '9' is not a whole number from 1 to 8",
    ]
    assert "A/506/2130" in result.stdout and "F/506/2131" not in result.stdout


# -- 7. plain words ---------------------------------------------------------------------------


def test_a_lexicographic_optimum_names_each_objective_with_its_value():
    # README's table, confirmed by the oracle in test_against_oracle.py: optimal (11, 271).
    out = run(["solve", "scenarios/ocr-l2-diploma-sales-preference.yaml"]).stdout
    assert "Optimal (max-preference = 11, then min-glh = 271, proven)." in out.splitlines()
    # Seed 003 by hand: 4 mandatory units and one of 5-8; weights 3, 2, 1 on units 5, 6, 7.
    args = ["solve", NVQ, "-p", "5=3", "-p", "6=2", "-p", "7=1", "-o", "max-preference",
            "-o", "min-units", "--top", "2"]  # fmt: skip
    lines = run(args).stdout.splitlines()
    assert "Optimal (max-preference = 3, then min-units = 5, proven)." in lines
    assert lines[-1] == (
        "  2. max-preference = 2, then min-units = 5 (takes unit 6 instead of unit 5): "
        "1, 2, 3, 4, 6"
    )
    markdown = run([*args, "--format", "markdown"]).stdout
    assert "Optimal (max-preference = 3, then min-units = 5, proven)." in markdown


def test_one_unit_each_is_singular():
    from pathway.auditor import audit
    from pathway.loader import load_model

    # Seed 002: at least one unit from each of Groups B, C, D and E.
    q = load_model(ROOT / "models/ocr-l4-nvq-diploma-customer-service.yaml")
    required = [r.required for r in audit(q, []).results]
    assert ">= 1 unit each" in required and ">= 1 units each" not in required


def test_validate_counts_files_in_words(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: Bad\nunits: []\n", encoding="utf-8")
    one = run(["validate", str(bad)])
    assert one.exit_code == 2
    assert one.stderr.splitlines() == [
        f"{bad}:2:8: units needs at least 1 item, has 0",
        "1 of 1 file has problems",
    ]
    two = run(["validate", str(bad), NVQ])
    assert two.stderr.splitlines()[-1] == "1 of 2 files has problems"


def test_validate_names_a_unit_without_a_number_as_a_unit():
    # Unit 303 of the 3815 award (no printed number: its id is 303) is unit 208 of the L2 award
    # by title, at level 3 against 2 (both files, by hand).
    result = run([
        "validate", "models/cg-3815-l3-award-operational-delivery.yaml",
        "models/cg-l2-award-operational-delivery.yaml",
    ])  # fmt: skip
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        (
            "models/cg-3815-l3-award-operational-delivery.yaml:32: warning: unit 303, title "
            "'Principles of equality and diversity in operational delivery': level 3 here but "
            "2 in cg-l2-award-operational-delivery unit 208"
        )
    ]


def test_compare_says_it_for_one_unit_without_glh():
    # 09629 is units 3, 4 and 5 with no GLH; holding unit 3 (D/502/9654) and unit 4
    # (by its URN in the model) leaves only unit 5 without GLH.
    from pathway.loader import load_model

    q = load_model(ROOT / "models/ocr-09629-l3-certificate-principles-customer-service.yaml")
    held = [u.urn for u in q.units][:2]
    result = run(["compare", q.id, "--achieved", ",".join(held), "--format", "csv"])
    row = list(csv.reader(io.StringIO(result.stdout)))[1]
    assert row[3] == "unknown"
    assert row[-1].startswith("GLH unknown for 1 unit that could be taken (unit 5): supply ")
    assert row[-1].endswith(", exclude it, or choose another objective")


def test_compare_names_a_missing_file_as_a_file():
    result = run(["compare", "models/nosuch.yaml"])
    assert result.exit_code == 2
    assert result.stderr == "models/nosuch.yaml: no such file\n"
    folder = run(["compare", "models/"])
    assert folder.exit_code == 2 and folder.stderr == "models/: a folder, not a model file\n"
