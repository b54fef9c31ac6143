"""Reports people can send (issue 14): tables that fit the terminal (wide characters measured
as wide), plain output when piped, CSV, Markdown with the question and situation, standard
input as `-`, `--output` written atomically and never over an existing file without
`--force`, `--version` naming OR-Tools, and NO_COLOR.

Expected numbers are worked by hand from the seed models (seed 000's cheapest pathway is
245 GLH over units 1-6, 15, 18, 22, 24 and 37: the shipped scenario's expectation, which
test_against_oracle.py confirms with the oracle) or parsed back with the csv module."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway.cli import main
from pathway.terminal import clip, display_width, table, terminal_width, use_colour, wrap

ROOT = Path(__file__).resolve().parents[1]
CHEAPEST = "scenarios/ocr-l2-diploma-cheapest.yaml"
PRIOR = "scenarios/ocr-l2-diploma-prior-learning.yaml"
MODEL = "models/ocr-l2-diploma-customer-service.yaml"
# Seed 000's tie-break winner among its two 245-GLH sets (tests/test_oracle.py, oracle.py).
CHEAPEST_UNITS = ["1", "2", "3", "4", "5", "6", "11", "15", "18", "22", "32", "37"]


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(args, env=None, input=None):
    return CliRunner().invoke(main, args, env=env, input=input)


# -- widths -----------------------------------------------------------------------------------


def test_wide_characters_are_measured_as_two_columns():
    assert display_width("abc") == 3
    assert display_width("顧客サービス") == 12  # six CJK/katakana characters, each two wide
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert clip("顧客サービス", 7) == "顧客..."  # 4 columns + 3 for the mark
    assert [display_width(x) for x in wrap("顧客 サービス 改善", 8)] == [4, 8, 4]


def test_a_table_fits_every_width_from_narrow_to_wide():
    rows = [["1", "顧客サービスの原則を理解する " * 3, "5"], ["22", "Handle complaints", "4"]]
    for width in (20, 30, 45, 60, 200):
        text = table(rows, ["no.", "title", "credit"], width, flex=1)
        assert max(display_width(line) for line in text.splitlines()) <= width, (width, text)
        # Nothing is lost: every character of every title is still there (a word wider than
        # the column is broken between characters).
        for ch in "顧客サービスの原則を理解する":
            assert text.count(ch) == 3 * "顧客サービスの原則を理解する".count(ch)
        assert "Handle" in text and "complaints" in text


def test_solve_table_fits_columns_60_and_keeps_whole_titles():
    result = run(["solve", PRIOR, "--top", "2"], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(display_width(line) for line in lines) <= 60
    # Unit 37's title (53 characters) is not cut: its words all appear, in order.
    flat = " ".join(" ".join(lines).split())
    assert "Carry out direct sales activities in a contact centre" in flat


def test_wide_terminal_shows_titles_whole_and_piped_output_keeps_the_stable_layout():
    wide = run(["solve", "scenarios/ocr-09629-after-09628.yaml"], env={"COLUMNS": "200"})
    assert "delivery in different sectors" in wide.stdout and "..." not in wide.stdout
    piped = run(["solve", "scenarios/ocr-09629-after-09628.yaml"])
    # No terminal, no COLUMNS: one line a row, titles whole (unit 4's is 75 characters).
    title = "Understand the principles of customer service delivery in different sectors"
    assert any(title in line for line in piped.stdout.splitlines())
    assert "..." not in piped.stdout
    assert "\x1b[" not in piped.stdout


def test_terminal_width_rules():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert terminal_width(io.StringIO(), {}) is None  # piped
    assert terminal_width(io.StringIO(), {"COLUMNS": "72"}) == 72  # asked for, even piped
    assert terminal_width(Tty(), {"COLUMNS": "x"}) is not None


def test_no_color_and_pipes_turn_colour_off():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert use_colour(Tty(), {}) is True
    assert use_colour(Tty(), {"NO_COLOR": "1"}) is False
    assert use_colour(Tty(), {"TERM": "dumb"}) is False
    assert use_colour(io.StringIO(), {}) is False


def test_check_table_fits_the_width():
    result = run(["check", MODEL, "--units", "1,2,3"], env={"COLUMNS": "50"})
    assert result.exit_code == 1
    assert max(display_width(line) for line in result.stdout.splitlines()) <= 50


# -- CSV --------------------------------------------------------------------------------------


def test_solve_csv_lists_every_pathway_unit_by_unit():
    result = run(["solve", CHEAPEST, "--format", "csv", "--top", "2"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    best = [r for r in rows if r["rank"] == "1"]
    assert [r["number"] for r in best] == CHEAPEST_UNITS
    assert {r["value"] for r in best} == {"245"}
    assert sum(int(r["glh"]) for r in best) == 245
    assert sum(int(r["credit"]) for r in best) >= 45
    # Seed 000 has exactly 2 minimum-GLH pathways (README), so rank 2 is also 245.
    assert {r["value"] for r in rows if r["rank"] == "2"} == {"245"}
    from pathway.csv_report import csv_text

    assert csv_text(["a"], [[1]]) == "a\r\n1\r\n"  # RFC 4180 line ends


def test_check_csv_has_a_row_per_rule():
    result = run(["check", MODEL, "--units", "1,2", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["key"] for r in rows] == ["G1", "R1", "R2", "R3", "R4"]
    # Units 1 and 2 give 5 + 2 = 7 credits: 38 short of the 45-credit floor.
    assert rows[1]["actual"] == "7 credits" and rows[1]["needed"] == "38 more credits"
    assert rows[4]["holds"] == "yes" and rows[0]["holds"] == "no"


def test_infeasible_csv_is_a_header_and_the_reason_goes_to_stderr():
    result = run(["solve", "scenarios/ocr-l2-diploma-tight-budget.yaml", "--format", "csv"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "rank,objective,value,group,number,id,title,credit,level,glh,achieved"
    ]
    assert "at most 240 GLH still to take" in result.stderr


def test_a_formula_like_cell_is_defused():
    from pathway.csv_report import csv_text

    text = csv_text(["a", "b"], [["=SUM(A1)", "-3"]])
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=SUM(A1)", "-3"]


# -- Markdown ---------------------------------------------------------------------------------


def test_markdown_states_the_question_and_the_situation():
    result = run(["solve", PRIOR, "--format", "markdown", "--top", "2"])
    assert result.exit_code == 0
    text = result.stdout
    assert "**Question:** Apprentice with prior units who wants unit 23" in text
    assert "- **Already achieved:** units 1, 2 and 6" in text
    assert "- **Must be taken:** unit 23" in text
    assert "- **Objective:** fewest guided learning hours (GLH) still to teach" in text
    assert text.index("**Question:**") < text.index("Optimal")
    assert "2. min-glh = 192 (takes unit" in text


def test_alternatives_say_what_differs_from_the_best():
    data = json.loads(run(["solve", CHEAPEST, "--top", "2", "--format", "json"]).stdout)
    best = {u["id"] for u in data["pathway"]["units"]}
    alt = data["alternatives"][0]
    assert set(alt["adds"]) == set(alt["units"]) - best
    assert set(alt["drops"]) == best - set(alt["units"])
    assert alt["adds"] and alt["drops"]


# -- standard input ---------------------------------------------------------------------------


def test_a_scenario_on_standard_input_solves_like_the_file():
    text = (ROOT / CHEAPEST).read_text(encoding="utf-8")
    piped = run(["solve", "-", "--format", "json"], input=text)
    direct = run(["solve", CHEAPEST, "--format", "json"])
    assert piped.exit_code == 0, piped.output
    a, b = json.loads(piped.stdout), json.loads(direct.stdout)
    assert a["scenario"] == "<stdin>"
    assert a["pathway"] == b["pathway"] and a["objective"]["value"] == 245


def test_errors_on_standard_input_say_stdin():
    bad = "qualification: ocr-l2-diploma-customer-service\nexcluded: [B9]\n"
    for args in (["solve", "-"], ["validate", "-"]):
        result = run(args, input=bad)
        assert result.exit_code == 2
        assert result.stderr.startswith("<stdin>:2:12: excluded:"), result.stderr
        assert "Traceback" not in result.output
    assert run(["solve", "-"], input=b"\xff\xfe").stderr.startswith("<stdin>:1:1: not UTF-8")


def test_validate_and_check_read_standard_input():
    model = (ROOT / MODEL).read_text(encoding="utf-8")
    result = run(["validate", "-", "scenarios/ocr-l2-diploma-cheapest.yaml"], input=model)
    assert result.exit_code == 0
    assert "<stdin>: ok (" in result.stdout
    checked = run(["check", "-", "--units", "1,2", "--format", "json"], input=model)
    assert json.loads(checked.stdout)["credits"] == 7


# -- --output ---------------------------------------------------------------------------------


def test_output_writes_the_report_and_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "report.json"
    first = run(["solve", CHEAPEST, "--format", "json", "--output", str(target)])
    assert first.exit_code == 0 and first.stdout == ""
    assert json.loads(target.read_text())["objective"]["value"] == 245
    target.write_text("mine", encoding="utf-8")
    again = run(["solve", CHEAPEST, "--format", "json", "--output", str(target)])
    assert again.exit_code == 2
    assert (
        again.stderr.strip()
        == f"{target}: already exists; give --force to replace it (nothing written)"
    )
    assert target.read_text() == "mine"
    forced = run(["solve", CHEAPEST, "--format", "json", "--output", str(target), "--force"])
    assert forced.exit_code == 0 and json.loads(target.read_text())["status"] == "optimal"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_output_into_a_missing_folder_is_refused_before_any_work(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "no" / "such" / "file.csv"
    program = Path(sys.executable).parent / "pathway"  # the installed script: cli.entry
    done = subprocess.run(
        [str(program), "check", MODEL, "-u", "1", "--output", str(target)],
        capture_output=True,
        check=False,
        text=True,
        cwd=ROOT,
    )
    # Known before any work: bad usage (2), one line naming the file and the missing folder.
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"{target}: no such folder: {target.parent} (nothing written)\n"


def test_write_atomic_refuses_an_existing_file_even_if_it_appears_late(tmp_path, monkeypatch):
    from pathway.errors import InputError
    from pathway.output import write_atomic

    target = tmp_path / "late.txt"
    real_link = os.link

    def appear_then_link(src, dst):
        Path(dst).write_text("someone else's", encoding="utf-8")
        return real_link(src, dst)

    monkeypatch.setattr(os, "link", appear_then_link)
    with pytest.raises(InputError):
        write_atomic(target, "mine")
    assert target.read_text(encoding="utf-8") == "someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["late.txt"]


# -- --version ------------------------------------------------------------------------------


def test_version_names_pathway_and_ortools():
    from importlib.metadata import version

    result = run(["--version"])
    assert result.exit_code == 0
    assert f"pathway {version('pathway')}" in result.stdout
    assert f"OR-Tools {version('ortools')}" in result.stdout


def test_version_does_not_import_ortools():
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from pathway.cli import main\n"
        "try:\n    main.main(['--version'], standalone_mode=False)\nexcept SystemExit: pass\n"
        "print('ortools' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, check=False, text=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False", done.stdout + done.stderr
