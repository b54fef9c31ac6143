"""The planners' commands (`compare`, `rank`, `impact`, `plan`, `models`) as terminal tables
that fit the terminal, as CSV, and written with `--output`/`--force`.

At COLUMNS=60 no line is wider than 60 columns and every figure of the JSON answer is still
there (each row becomes `header: value` lines, or its title moves under it); piped (no
COLUMNS) the table keeps one line per row. The CSV of each command is parsed back with the
csv module and checked against the JSON answer, row by row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway.cli import main
from pathway.terminal import display_width

ROOT = Path(__file__).resolve().parents[1]
MODELS = str(ROOT / "models")
COMMANDS = {
    "compare": [
        "compare",
        "ocr-l2-diploma-customer-service",
        "cg-5530-02-l2-diploma-customer-service",
        "--models",
        MODELS,
        "--achieved",
        "A/506/2130",
        "--exclude",
        "telephone",
    ],
    "rank": ["rank", "--models", MODELS, "--achieved", "D/502/9654", "-o", "min-credits"],
    "impact": ["impact", str(ROOT / "scenarios/ocr-l2-diploma-prior-learning.yaml")],
    "plan": ["plan", str(ROOT / "examples/cohorts/small-centre.yaml")],
    "models": ["models", MODELS],
}


def run(args: list[str], code: int = 0, **env) -> str:
    result = CliRunner(env={"COLUMNS": None, **env}).invoke(main, args)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def answers() -> dict[str, object]:
    return {name: json.loads(run([*args, "--format", "json"])) for name, args in COMMANDS.items()}


def figures(name: str, answer) -> list[str]:
    """Figures of the JSON answer that the table must show."""
    if name in ("compare", "rank"):
        return [str(r["value"]) for r in answer["results"] if r["value"] is not None] + [
            r["qualification"] for r in answer["results"]
        ]
    if name == "impact":
        return [u["id"] for u in answer["units"]] + [
            str(u["without"]) for u in answer["units"] if u["without"] is not None
        ]
    if name == "plan":
        return [o["unit"] for o in answer["offer"]] + [lr["id"] for lr in answer["learners"]]
    return [m["id"] for m in answer["models"]] if isinstance(answer, dict) else []


@pytest.mark.parametrize("width", [40, 60])
@pytest.mark.parametrize("name", COMMANDS)
def test_tables_fit_sixty_columns(answers, name, width):
    text = run(COMMANDS[name], COLUMNS=str(width))
    wide = [line for line in text.splitlines() if display_width(line) > width]
    assert not wide, wide
    flat = " ".join(text.split())
    for figure in figures(name, answers[name]):
        # A long id may be broken across lines: compare without the line breaks.
        assert figure in flat or figure in "".join(text.split()), figure


@pytest.mark.parametrize("name", ["compare", "impact", "plan"])
def test_piped_tables_keep_one_line_per_row(answers, name):
    text = run(COMMANDS[name])
    answer = answers[name]
    key = {"compare": "results", "impact": "units", "plan": "offer"}[name]
    field = {"compare": "qualification", "impact": "id", "plan": "unit"}[name]
    for row in answer[key]:
        assert sum(row[field] in line for line in text.splitlines()) >= 1
    assert max(display_width(line) for line in text.splitlines()) > 60  # not wrapped


def parse(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_of_compare_and_rank(answers):
    for name in ("compare", "rank"):
        rows = parse(run([*COMMANDS[name], "--format", "csv"]))
        results = answers[name]["results"]
        assert [r["qualification"] for r in rows] == [r["qualification"] for r in results]
        assert [r["value"] for r in rows] == [
            "" if r["value"] is None else str(r["value"]) for r in results
        ]
        # Numbered best first; a row that could not be counted (unknown) is unranked (README).
        ranked = [r["status"] != "unknown" for r in results]
        expected = [str(sum(ranked[: i + 1])) if ranked[i] else "" for i in range(len(results))]
        assert [r["rank"] for r in rows] == expected


def test_csv_of_impact(answers):
    rows = parse(run([*COMMANDS["impact"], "--format", "csv"]))
    units = answers["impact"]["units"]
    assert [r["id"] for r in rows] == [u["id"] for u in units]
    assert [r["without"] for r in rows] == [
        "" if u["without"] is None else str(u["without"]) for u in units
    ]
    assert [r["essential"] for r in rows] == ["yes" if u["essential"] else "no" for u in units]


def test_csv_of_plan(answers):
    rows = parse(run([*COMMANDS["plan"], "--format", "csv"]))
    offer = answers["plan"]["offer"]
    assert [r["unit"] for r in rows] == [o["unit"] for o in offer]
    assert [int(r["taught_glh"]) for r in rows] == [o["glh"] for o in offer]
    assert sum(int(r["taught_glh"]) for r in rows) == answers["plan"]["totals"]["taught_glh"]


def test_csv_of_models(answers):
    rows = parse(run([*COMMANDS["models"], "--format", "csv"]))
    models = answers["models"]
    listed = models["models"] if isinstance(models, dict) else models
    assert [r["id"] for r in rows] == [m["id"] for m in listed]


@pytest.mark.parametrize("name", ["compare", "rank", "impact", "plan", "models"])
def test_output_refuses_to_overwrite_without_force(tmp_path, name):
    target = tmp_path / "report.csv"
    target.write_text("keep me\n", encoding="utf-8")
    args = [*COMMANDS[name], "--format", "csv", "--output", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "already exists" in result.output
    assert target.read_text(encoding="utf-8") == "keep me\n"
    run([*args, "--force"])
    data = target.read_bytes()
    # RFC 4180 line ends, as every command's CSV (click's test runner hides them).
    assert data.count(b"\n") == data.count(b"\r\n") > 1
    assert data.decode().replace("\r\n", "\n") == run([*COMMANDS[name], "--format", "csv"])
