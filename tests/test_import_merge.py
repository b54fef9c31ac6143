"""`pathway import` of a document that describes more than one qualification: a warning at
the second qualification number once units follow it (seed 004 in tests/test_import.py), and
none where another number is only mentioned. Cases from a review of the first version, which
warned at any second number, missed two numbers on one line, and read no number from a
spreadsheet's label/value row."""

from __future__ import annotations

import pytest

TABLE = "Unit No\tUnit title\tCredit\tGLH\n1\tAlpha\t3\t20\n2\tBeta\t4\t30\n"
SECOND = "a second qualification number"


def _merge_warnings(draft) -> list[str]:
    return [str(w) for w in draft.warnings if SECOND in str(w)]


@pytest.mark.parametrize(
    "prose",
    [
        "This qualification replaces 500/1234/5, which closed in 2020.",
        "Learners may progress to the Level 3 Certificate in Things (600/0752/7).",
    ],
)
def test_another_number_only_mentioned_in_prose_is_no_merge(prose):
    from pathway.importer import read_table

    # One qualification's units (1 and 2), by hand; the other number has no unit after it.
    text = "Level 2 Certificate in Things 600/0840/4\n" + TABLE + prose + "\n"
    draft = read_table(text, "doc.txt")
    assert [u.id for u in draft.units()] == ["1", "2"]
    assert _merge_warnings(draft) == []


def test_two_numbers_on_one_line_are_two_qualifications():
    from pathway.importer import read_table

    text = (
        "Certificates in Things: 600/0840/4 and 600/0752/7\n"
        + TABLE
        + "Level 3 Certificate in Things\n3\tGamma\t3\t20\n"
    )
    draft = read_table(text, "doc.txt")
    assert len(_merge_warnings(draft)) == 1


def test_a_workbook_with_a_qualification_per_sheet_is_said_to_be_merged(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from pathway.importer import import_file

    book = openpyxl.Workbook()
    first = book.active
    second = book.create_sheet("L3")
    for sheet, number, unit in [
        (first, "600/0840/4", [1, "Alpha", 3, 20]),
        (second, "600/0752/7", [2, "Gamma", 3, 20]),
    ]:
        sheet.append(["Qualification number", number])  # a label and its value
        sheet.append(["Unit No", "Unit title", "Credit", "GLH"])
        sheet.append(unit)
    path = tmp_path / "two.xlsx"
    book.save(path)
    draft = import_file(path)
    assert [u.id for u in draft.units()] == ["1", "2"]  # both sheets' units, in one draft
    assert len(_merge_warnings(draft)) == 1


def test_a_workbooks_messages_name_the_sheet_where_it_has_several(tmp_path):
    # Row numbers start again on each sheet, so "two.xlsx:2" could be either; by hand: the
    # second number is on row 1 of sheet L3, the stray row on its row 4.
    openpyxl = pytest.importorskip("openpyxl")
    from pathway.importer import import_file

    book = openpyxl.Workbook()
    first = book.active
    first.title = "L2"
    second = book.create_sheet("L3")
    for sheet, number, unit in [
        (first, "600/0840/4", [1, "Alpha", 3, 20]),
        (second, "600/0752/7", [2, "Gamma", 3, 20]),
    ]:
        sheet.append(["Qualification number", number])
        sheet.append(["Unit No", "Unit title", "Credit", "GLH"])
        sheet.append(unit)
    second.append(["Printed 2024", "page 2 of 9"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    draft = import_file(path)
    places = [(w.path, w.line) for w in draft.warnings]
    assert (f"{path} [L3]", 1) in places  # the merge, where the second number is
    assert (f"{path} [L3]", 4) in places  # the stray row
    assert all(p.endswith("[L3]") for p, _ in places), places
