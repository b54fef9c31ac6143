"""Every kind of bad model input: one located message per problem, exit 2, no traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pathway.cli import main

GOOD_UNIT = "  - {id: U1, number: 1, title: One, credit: 3, level: 2, glh: 10}\n"
HEAD = "title: T\nunits:\n" + GOOD_UNIT

CASES = {
    "broken-yaml": (HEAD + "groups: [\n", 5, "YAML syntax error"),  # reported at end of file
    "tab": ("title: T\nunits:\n\t- id: U1\n", 3, "tab character"),
    "empty": ("", None, "file is empty"),
    "only-comments": ("# nothing\n", None, "file is empty"),
    "top-level-list": ("- a\n- b\n", 1, "expected a mapping"),
    "unknown-field": (HEAD + "colour: red\n", 4, "unknown field 'colour'"),
    "missing-title": ("units:\n" + GOOD_UNIT, 1, "missing required field 'title'"),
    "missing-level": (  # a unit may omit its level, but not where a rule counts by level
        "title: T\nunits:\n  - {id: U1, title: One}\nrules:\n  - {kind: units, min: 1, min_level: 2}\n",
        5,
        "these units have no level: U1",
    ),
    "credit-text": (
        "title: T\nunits:\n  - {id: U1, title: O, credit: five, level: 2}\n",
        3,
        "credit must be a whole number",
    ),
    "negative-credit": (
        "title: T\nunits:\n  - {id: U1, title: O, credit: -3, level: 2}\n",
        3,
        "must be at least 0",
    ),
    "fractional-glh": (
        "title: T\nunits:\n  - {id: U1, title: O, glh: 4.5, level: 2}\n",
        3,
        "glh must be a whole number, not 4.5",
    ),
    "level-9": ("title: T\nunits:\n  - {id: U1, title: O, level: 9}\n", 3, "at most 8"),
    "huge-number": (
        "title: T\nunits:\n  - {id: U1, title: O, level: 2, credit: 99999999999}\n",
        3,
        "at most",
    ),
    "duplicate-unit": (
        HEAD + GOOD_UNIT.replace("number: 1", "number: 2"),
        4,
        "duplicate unit id 'U1'",
    ),
    "duplicate-key": ("title: T\ntitle: U\nunits:\n" + GOOD_UNIT, 2, "duplicate key 'title'"),
    "unknown-unit-in-group": (
        HEAD + "groups:\n  - {id: A, units: [1, 7]}\n",
        5,
        "unknown unit '7'",
    ),
    "unknown-group-in-rule": (
        HEAD + "rules:\n  - {kind: credits, groups: [Z], min: 1}\n",
        5,
        "unknown group 'Z'",
    ),
    "min-above-max": (
        HEAD + "rules:\n  - {kind: credits, min: 5, max: 2}\n",
        5,
        "min 5 is more than max 2",
    ),
    "stated-credits-wrong": (
        HEAD + "groups:\n  - {id: A, mandatory: true, credits: 4, units: [1]}\n",
        5,
        "states 4 credits but its units add up to 3",
    ),
    "unknown-rule-kind": (HEAD + "rules:\n  - {kind: maybe}\n", 5, "unknown rule kind 'maybe'"),
    "object-tag": (HEAD + "note: !!python/object/apply:os.system [ls]\n", 4, "is not allowed"),
    "alias": ("title: &t T\nsource: *t\nunits:\n" + GOOD_UNIT, 1, "aliases"),
    "credits-without-values": (
        "title: T\nunits:\n  - {id: U1, title: O, level: 2}\nrules:\n  - {kind: credits, min: 1}\n",
        5,
        "no credit value",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_model_gets_one_located_message(name, tmp_path):
    text, line, words = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    where = f"{path}:{line}:" if line is not None else f"{path}: "
    assert first.startswith(where), first
    assert words in first, first


def test_non_utf8_names_line_and_column(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"title: T\nsource: caf\xe9\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:2:12: not UTF-8")


def test_oversized_file_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr("pathway.source.MAX_FILE_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text(HEAD + "# " + "x" * 200 + "\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and "the limit is 100" in result.stderr


def test_all_problems_in_one_file_are_reported(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text(
        "title: T\nunits:\n  - {id: U1, title: O, credit: -1, level: 0}\n"
        "  - {id: U2, title: P, level: 2, colour: red}\n"
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    lines = result.stderr.splitlines()[:3]
    assert result.exit_code == 2 and len(lines) == 3
    assert all(line.startswith(str(path)) for line in lines)
    assert [line.split(":")[1] for line in lines] == ["3", "3", "4"]


def test_missing_file(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_seed_models_validate_with_the_credit_clash_warning():
    result = CliRunner().invoke(main, ["validate", "models"])
    assert result.exit_code == 0
    assert "unit 235" in result.stderr and "credit 3 here but 5" in result.stderr
