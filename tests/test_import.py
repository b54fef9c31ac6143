"""`pathway import`: a specification's unit table -> a draft model.

The judge is the shipped seed models, typed by hand from the same documents: importing each
seed's text must give the same units (number, URN, title, credit, level, GLH, elements) and
the same groups (members, in order; mandatory where the heading says so). Values a model
records under `inferred:` are not in the document (a URN or GLH matched from another body's
unit, a level taken from the qualification's), so the import must leave them out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway.cli import main
from pathway.importer import import_file, read_table
from pathway.loader import load_model

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path("/work/shared/seeds")
MODELS = ROOT / "models"

# seed -> the shipped model(s) typed from it; seed 004 prints two certificates in one table.
SHIPPED = {
    "000": ["ocr-l2-diploma-customer-service"],
    "001": ["cg-5530-02-l2-diploma-customer-service"],
    "002": ["ocr-l4-nvq-diploma-customer-service"],
    "003": ["ocr-l2-nvq-customer-service"],
    "004": [
        "ocr-09628-l2-certificate-principles-customer-service",
        "ocr-09629-l3-certificate-principles-customer-service",
    ],
}


def seed(number: str) -> Path:
    found = sorted(SEEDS.glob(f"{number}_*.txt"))
    if not found:
        pytest.skip(f"seed {number} not present in {SEEDS}")
    return found[0]


def load_draft(text: str, tmp_path: Path, name: str = "draft"):
    """The draft, loaded by pathway's own loader once its TODO rules are cut off: everything
    but the rules must already be a valid model."""
    assert "\nrules:\n" in text
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.split("\nrules:\n")[0] + "\n", encoding="utf-8")
    return load_model(path)


def imported(number: str, tmp_path: Path):
    result = CliRunner().invoke(main, ["import", str(seed(number))])
    assert result.exit_code == 0, result.stderr
    return load_draft(result.stdout, tmp_path), result


def document_values(q, u) -> dict:
    """What the document printed for a unit of a shipped model: inferred values left out."""
    inferred = u.inferred
    return {
        "urn": None if "id" in inferred or "urn" in inferred else u.urn,
        "title": u.title,
        "credit": None if "credit" in inferred else u.credit,
        "level": None if "level" in inferred else u.level,
        "glh": None if "glh" in inferred else u.glh,
        "elements": [(e.number, e.title) for e in u.elements],
    }


def draft_values(u) -> dict:
    return {
        "urn": u.urn,
        "title": u.title,
        "credit": u.credit,
        "level": u.level,
        "glh": u.glh,
        "elements": [(e.number, e.title) for e in u.elements],
    }


def numbers(q, unit_ids) -> list[str]:
    return [q.unit(uid).number or uid for uid in unit_ids]


# Titles the seed text prints differently from the shipped model, where the model corrected an
# obvious slip; none so far (kept as a place to say so, not to hide a difference).
TITLE_FIXES: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("number", ["000", "001", "002", "003"])
def test_import_reproduces_the_shipped_units_and_groups(number, tmp_path):
    draft, _ = imported(number, tmp_path)
    shipped = load_model(MODELS / f"{SHIPPED[number][0]}.yaml")
    # Units: the same numbers, in the same order, each with the values the document printed.
    assert [u.number or u.id for u in draft.units] == [u.number for u in shipped.units]
    for mine, theirs in zip(draft.units, shipped.units):
        assert draft_values(mine) == document_values(shipped, theirs), theirs.number
    # Groups: the same ids, members and mandatory flags, in the same order.
    assert [g.id for g in draft.groups] == [g.id for g in shipped.groups]
    for mine, theirs in zip(draft.groups, shipped.groups):
        assert numbers(draft, mine.units) == numbers(shipped, theirs.units), theirs.id
        assert mine.mandatory == theirs.mandatory, theirs.id


def test_import_of_seed_004_gives_both_certificates_units(tmp_path):
    draft, result = imported("004", tmp_path)
    l2, l3 = (load_model(MODELS / f"{name}.yaml") for name in SHIPPED["004"])
    # One table, two headings ("Level 2 Units", "Level 3 Units"): one group per certificate.
    assert [numbers(draft, g.units) for g in draft.groups] == [
        numbers(l2, l2.groups[0].units),
        numbers(l3, l3.groups[0].units),
    ]
    by_urn = {u.urn: u for u in [*l2.units, *l3.units]}
    assert len(draft.units) == 5  # unit 3, printed under both headings, is one unit
    for u in draft.units:
        assert draft_values(u) == document_values(None, by_urn[u.urn])
    # Unit 3 is defined once and named again by its id under the second heading.
    assert result.stdout.count("D/502/9654") == 2
    assert "      - D/502/9654\n" in result.stdout


def test_stray_rows_of_seed_001_are_skipped_with_a_warning_naming_each_line(tmp_path):
    _, result = imported("001", tmp_path)
    # The City & Guilds document-control rows: lines 54-55 and 74-75 of the seed (by hand).
    path = str(seed("001"))
    warned = [line for line in result.stderr.splitlines() if "warning" in line]
    assert [w.split(": warning:")[0] for w in warned] == [
        f"{path}:54",
        f"{path}:55",
        f"{path}:74",
        f"{path}:75",
    ]
    assert "Location Title Responsibility" in warned[0]
    assert "Doc Control/" in warned[1]


@pytest.mark.parametrize("number", ["000", "002", "003"])
def test_clean_seeds_give_no_warnings(number, tmp_path):
    _, result = imported(number, tmp_path)
    assert result.stderr == ""


def test_a_document_of_two_qualifications_is_said_to_be_merged(tmp_path):
    # Seed 004 describes 09628 (600/0840/4, line 6) and 09629 (600/0752/7, line 9) in one
    # table (by hand); the draft, titled after the first, holds both certificates' units.
    # That used to be silent.
    _, result = imported("004", tmp_path)
    assert result.exit_code == 0
    path = str(seed("004"))
    warned = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warned) == 1
    assert warned[0].startswith(f"{path}:9: warning: a second qualification number, 600/0752/7")
    assert "(the first: 600/0840/4)" in warned[0]
    assert "qualification_number: 600/0840/4" in result.stdout


def test_rule_sentences_become_todo_rules_that_validate_names(tmp_path):
    result = CliRunner().invoke(main, ["import", str(seed("000"))])
    text = result.stdout
    # Seed 000's rule of combination is lines 9-13 (by hand), each a TODO with its sentence.
    for line, sentence in [
        (9, "minimum credit of 45"),
        (10, "credit from mandatory Group A 19"),
        (11, "minimum credit from optional Group B 3"),
        (12, "minimum credit from optional Group C 16"),
        (13, "maximum credit from optional Group D 7"),
    ]:
        assert f"  # line {line}: {sentence}\n  - kind: TODO\n" in text
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    checked = CliRunner().invoke(main, ["validate", str(path)])
    assert checked.exit_code == 2
    problems = [p for p in checked.stderr.splitlines() if p.startswith(str(path))]
    assert len(problems) == 5 and all("unknown rule kind 'TODO'" in p for p in problems)


def test_columns_are_found_from_the_header_in_any_order_and_commas_work(tmp_path):
    text = (
        "Units of the Example Award\n"
        "Level,GLH,Credit,Title,URN,Unit\n"
        "Group A: Mandatory units,,,,,\n"
        '2,20,3,"Communicate, listen and respond",A/000/0001,1\n'
        "3,,4,Resolve problems,,2\n"
        "Optional group B,,,,,\n"
        "2,10,2,Use records,A/000/0003,3\n"
        "Page 4 of 9,,,,,\n"
        "2,5,1,Keep records,,4\n"
        "a total of 9 credits, of which 2 from Group B,,,,,\n"
    )
    draft = read_table(text, "t.csv")
    units = {u.number: u for u in draft.units()}
    assert [(u.urn, u.credit, u.level, u.glh) for u in units.values()] == [
        ("A/000/0001", 3, 2, 20),
        (None, 4, 3, None),
        ("A/000/0003", 2, 2, 10),
        (None, 1, 2, 5),
    ]
    assert units["1"].title == "Communicate, listen and respond"
    assert [(g.id, g.mandatory, [u.number for u in g.units]) for g in draft.groups] == [
        ("A", True, ["1", "2"]),
        ("B", False, ["3", "4"]),  # the page footer is not a heading
    ]
    assert draft.sentences == [(10, "a total of 9 credits, of which 2 from Group B")]
    assert [(w.line, w.message) for w in draft.warnings] == [
        (8, "skipped, not a unit row: Page 4 of 9")
    ]
    q = load_draft(draft.yaml(), tmp_path)
    assert q.unit("2").title == "Resolve problems" and q.unit("2").glh is None


def test_a_unit_listed_twice_with_other_values_is_warned_about():
    text = "Unit\tTitle\tCredit\tLevel\nA\n1\tOne\t3\t2\nB\n1\tOne\t4\t2\n"
    draft = read_table(text, "t.txt")
    assert [(w.line, w.message) for w in draft.warnings] == [
        (5, "unit 1 is listed again with other values (first on line 3); the first is kept")
    ]
    assert [u.credit for u in draft.units()] == [3]


def test_a_file_without_a_unit_table_exits_2(tmp_path):
    path = tmp_path / "prose.txt"
    path.write_text("This qualification is great.\nIt has units.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: no unit table found")
    assert result.stdout == ""


def test_a_missing_file_exits_2():
    result = CliRunner().invoke(main, ["import", "no/such/file.txt"])
    assert result.exit_code == 2
    assert result.stderr == "no/such/file.txt: no such file\n"


def test_output_is_written_atomically_and_not_over_an_existing_file(tmp_path):
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["import", str(seed("000")), "--output", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    printed = CliRunner().invoke(main, ["import", str(seed("000"))]).stdout
    assert out.read_text(encoding="utf-8") == printed
    again = CliRunner().invoke(main, ["import", str(seed("001")), "--output", str(out)])
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert out.read_text(encoding="utf-8") == printed  # untouched
    forced = CliRunner().invoke(main, ["import", str(seed("001")), "--output", str(out), "--force"])
    assert forced.exit_code == 0
    assert "City & Guilds" not in printed and "201" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["draft.yaml"]  # no temporary file left


def test_the_same_input_gives_the_same_draft():
    first = CliRunner().invoke(main, ["import", str(seed("002"))]).stdout
    assert CliRunner().invoke(main, ["import", str(seed("002"))]).stdout == first


def test_spreadsheet_import(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    rows = [
        ["Unit No", "Unit title", "URN", "Credit value", "Level", "GLH"],
        ["Group A - Mandatory Units", None, None, None, None, None],
        ["F5", "Demonstrate understanding", "J/601/1630", 10, 4, 65.0],
        ["Group B - Optional", None, None, None, None, None],
        ["A13", "Deal with customers in writing", "R/601/1226", 6, 3, 40],
    ]
    for row in rows:
        sheet.append(row)
    path = tmp_path / "table.xlsx"
    book.save(path)
    draft = import_file(path)
    assert [(u.number, u.urn, u.credit, u.level, u.glh) for u in draft.units()] == [
        ("F5", "J/601/1630", 10, 4, 65),
        ("A13", "R/601/1226", 6, 3, 40),
    ]
    assert [(g.id, g.mandatory) for g in draft.groups] == [("A", True), ("B", False)]
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip file")
    result = CliRunner().invoke(main, ["import", str(bad)])
    assert result.exit_code == 2 and result.stderr.startswith(f"{bad}: not a readable .xlsx")
    assert os.path.exists(bad)


def test_a_table_on_standard_input_gives_the_files_draft(tmp_path):
    """`pathway import -`: the same draft as from the file (only its name differs), warnings
    and errors named `<stdin>` with the line."""
    text = "Unit No\tUnit title\tCredit\tGLH\n1\tDeliver service\t5\t40\n2\tSay hello\t3\t20\n"
    path = tmp_path / "table.txt"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    from_file = runner.invoke(main, ["import", str(path)])
    piped = runner.invoke(main, ["import", "-"], input=text)
    assert from_file.exit_code == piped.exit_code == 0, piped.output
    # Only the name differs: the draft from `units:` on is the same, byte for byte.
    assert piped.output.split("units:", 1)[1] == from_file.output.split("units:", 1)[1]
    assert "{id: 1, title: Deliver service, credit: 5, glh: 40}" in piped.output
    assert 'source: "<stdin>"' in piped.output and "source: table.txt" in from_file.output
    bad = runner.invoke(main, ["import", "-"], input=b"\xff\xfe")
    assert bad.exit_code == 2
    assert "<stdin>:1:1: not UTF-8 text" in bad.output
    prose = runner.invoke(main, ["import", "-"], input="just prose\n")
    assert prose.exit_code == 2 and "<stdin>: no unit table found" in prose.output


# A table with a URN column and no unit-number column, as some specifications print it; the
# second also has a column import does not read (TQT, total qualification time). Drafts by hand:
# each unit named by its URN with no number (docs/model-format.md: `number` is optional), the
# groups and `mandatory` as the headings say.
URN_TABLE = (
    "Group A: Mandatory units\n"
    "URN\tUnit title\tLevel\tCredit\tGLH{tqt}\n"
    "A/506/2130\tDeliver customer service\t2\t5\t27{a}\n"
    "Group B: Optional\n"
    "D/506/2119\tCommunicate verbally with customers\t2\t3\t14{d}\n"
)
URN_DRAFT = """\
# Draft model imported from {path} by `pathway import`.
# Check every value against the document, then write each TODO rule by hand:
# `pathway validate` names each one that is left.
title: "TODO: the qualification title"
source: {name}
groups:
  - id: A  # line 1
    title: "Group A: Mandatory units"
    mandatory: true
    units:
      - {{id: A/506/2130, title: Deliver customer service, credit: 5, level: 2, glh: 27}}
  - id: B  # line 4
    title: "Group B: Optional"
    units:
      - {{id: D/506/2119, title: Communicate verbally with customers, credit: 3, level: 2, glh: 14}}
rules:
  - kind: TODO
    text: "no rule of combination was found in the document"
"""


@pytest.mark.parametrize("tqt", [False, True], ids=["urn-only", "with-tqt"])
def test_a_table_with_urns_and_no_number_column_gives_units_named_by_urn(tqt, tmp_path):
    text = URN_TABLE.format(
        tqt="\tTQT" if tqt else "", a="\t50" if tqt else "", d="\t30" if tqt else ""
    )
    path = tmp_path / "table.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == URN_DRAFT.format(path=path, name="table.txt")
    # The unknown column is said once, on its header's line, and its values read nowhere.
    expected = (
        f"{path}:2: warning: column 'TQT' is not one import reads (unit number, title, URN, "
        "credit, level, GLH); its values are skipped\n"
        if tqt
        else ""
    )
    assert result.stderr == expected
    q = load_draft(result.stdout, tmp_path)
    assert [(u.id, u.number, u.credit, u.level, u.glh) for u in q.units] == [
        ("A/506/2130", None, 5, 2, 27),
        ("D/506/2119", None, 3, 2, 14),
    ]
    assert [(g.id, g.mandatory, list(g.units)) for g in q.groups] == [
        ("A", True, ["A/506/2130"]),
        ("B", False, ["D/506/2119"]),
    ]


def test_an_unknown_column_is_warned_about_once_and_never_read_as_the_number():
    # The header is repeated after a page break; the TQT column sits between known ones and
    # the table keeps its number column, so numbers come from "Unit No" only.
    text = (
        "Unit No\tTQT\tUnit title\tCredit\n"
        "1\t40\tOne\t3\n"
        "Unit No\tTQT\tUnit title\tCredit\n"
        "2\t20\tTwo\t2\n"
    )
    draft = read_table(text, "t.txt")
    assert [(u.number, u.title, u.credit) for u in draft.units()] == [
        ("1", "One", 3),
        ("2", "Two", 2),
    ]
    assert [(w.line, w.message) for w in draft.warnings] == [
        (
            1,
            (
                "column 'TQT' is not one import reads (unit number, title, URN, credit, "
                "level, GLH); its values are skipped"
            ),
        )
    ]


def test_a_header_naming_neither_a_number_nor_a_urn_says_so(tmp_path):
    result = CliRunner().invoke(
        main, ["import", "-"], input="Unit title\tCredit\tLevel\nOne\t5\t2\n"
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "<stdin>:1: no unit table found: the header names no unit number or URN column, so no "
        "row can be read as a unit\n"
    )


@pytest.mark.parametrize(
    "header",
    [
        "Unit No\tUnit\tCredit\tLevel\tGLH",
        "Unit No\tDescription\tCredit\tLevel\tGLH",
        "Unit number\tUnit\tCredit\tLevel\tGLH",
    ],
)
def test_a_title_column_named_as_the_document_names_it_is_read(header):
    # A title column headed "Unit" or "Description" is not one import names; it was read as
    # the title before 0.2, then refused ('no unit table found'). It is the title again.
    text = f"{header}\n1\tDeliver service\t5\t2\t27\n2\tKnow it\t3\t2\t20\n"
    draft = read_table(text, "t.txt")
    assert [(u.number, u.title, u.credit, u.level, u.glh) for u in draft.units()] == [
        ("1", "Deliver service", 5, 2, 27),
        ("2", "Know it", 3, 2, 20),
    ]
    assert draft.warnings == []
