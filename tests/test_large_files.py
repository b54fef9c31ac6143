"""Large models (issue 10, item 4): a 50,000-unit model, in YAML and in JSON, loads whole and
right, and a model written as JSON has the YAML reader's checks and messages, each located.

No timing is asserted here (the machine is shared): `bench/load_speed.py` measures."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generate import flow_yaml_text as yaml_text
from pathway.cli import main
from pathway.errors import InputError
from pathway.loader import expand_paths, find_model, load_model
from pathway.model import Amount, Qualification
from pathway.source import parse_json, parse_yaml

UNITS = 50_000
GROUP_SIZE = 20


def big_model(n: int) -> dict:
    """A model of `n` units U1..Un, groups of 20 (G1, G2, ...), a credits rule over all units
    and a capped one over the first two groups."""
    units = [
        {
            "id": f"U{i}",
            "number": i,
            "title": f"Serve customers {i}",
            "credit": 1 + i % 7,
            "level": 1 + i % 3,
            "glh": 10 + i % 50,
        }
        for i in range(1, n + 1)
    ]
    groups = [
        {"id": f"G{g + 1}", "units": [f"U{i}" for i in range(start, min(n, start + 19) + 1)]}
        for g, start in enumerate(range(1, n + 1, GROUP_SIZE))
    ]
    rules = [
        {"kind": "credits", "min": 40},
        {"kind": "credits", "groups": ["G1", "G2"], "max": 30},
    ]
    return {"title": "A large qualification", "level": 2, "units": units, "groups": groups,
            "rules": rules}  # fmt: skip


@pytest.fixture(scope="module")
def big_files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("large")
    doc = big_model(UNITS)
    as_yaml, as_json = folder / "big-yaml.yaml", folder / "big-json.json"
    as_yaml.write_text(yaml_text(doc), encoding="utf-8")
    as_json.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return as_yaml, as_json


def check_big(q: Qualification) -> None:
    assert len(q.units) == UNITS
    assert len(q.groups) == UNITS // GROUP_SIZE
    u = q.unit("U12345")
    assert (u.number, u.title, u.credit, u.level, u.glh) == (
        "12345",
        "Serve customers 12345",
        1 + 12345 % 7,
        1 + 12345 % 3,
        10 + 12345 % 50,
    )
    assert type(u.credit) is int and type(u.number) is str
    assert q.find("50000") is q.unit("U50000")
    assert q.group_of("U21").id == "G2"
    everything, capped = q.rules
    assert isinstance(everything, Amount) and isinstance(capped, Amount)
    assert everything.min == 40 and len(everything.scopes[0].units) == UNITS
    assert capped.max == 30 and capped.scopes[0].units == tuple(f"U{i}" for i in range(1, 41))


def test_a_50000_unit_yaml_model_loads(big_files):
    q = load_model(big_files[0])
    assert q.id == "big-yaml"
    check_big(q)
    assert q.unit("U3").line == 6  # title, level, units:, then one line per unit


def test_a_50000_unit_json_model_loads(big_files):
    q = load_model(big_files[1])
    assert q.id == "big-json"
    check_big(q)


def plain(value):
    """A rule, scope, group or element as plain values, without its line."""
    if dataclasses.is_dataclass(value):
        return (
            type(value).__name__,
            {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
             if f.name != "line"},
        )  # fmt: skip
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return value


def fields(q: Qualification) -> tuple:
    """Everything a model says, but where it says it (lines, file name)."""
    units = [
        (u.id, u.number, u.title, u.credit, u.level, u.glh, plain(u.elements), u.tags,
         u.equivalents, u.inferred, u.note, u.urn, u.defined_in == q.id)
        for u in q.units
    ]  # fmt: skip
    groups = [plain(g) for g in q.groups]
    return (q.title, q.level, q.awarding_body, q.notes, units, groups, plain(q.rules))


def test_json_and_yaml_versions_of_a_model_are_equal(big_files):
    assert fields(load_model(big_files[0])) == fields(load_model(big_files[1]))


SMALL = {
    "title": "Small",
    "awarding_body": "Example Awards",
    "notes": ["one", "two"],
    "units": [
        {"id": "A/000/0001", "number": 1, "title": "One", "credit": 3.0, "level": 2, "glh": 30,
         "tags": ["digital"], "elements": [{"number": 1.1, "title": "Part"}],
         "inferred": {"glh": "from the handbook"}},
        {"id": "U2", "number": "02", "title": "Two: quoted \"text\" é", "credit": 4, "level": 3,
         "equivalents": ["B/000/0002"], "note": "a note"},
        {"id": "U3", "number": 3, "title": "Three", "credit": 1.0e+1, "level": 2, "glh": 0},
    ],
    "groups": [
        {"id": "A", "mandatory": True, "credits": 3, "units": ["A/000/0001"]},
        {"id": "B", "title": "Optional", "units": ["U2", "U3"]},
    ],
    "rules": [
        {"kind": "credits", "groups": ["B"], "min": 4, "min_level": 2, "text": "four more"},
        {"kind": "any-of", "rules": [{"kind": "units", "units": ["U2"], "min": 1},
                                     {"kind": "mandatory", "units": ["U3"]}]},
        {"kind": "barred", "units": ["U2", "U3"]},
    ],
}  # fmt: skip


def test_a_small_model_in_json_equals_the_same_in_yaml(tmp_path):
    as_json = tmp_path / "small.json"
    as_json.write_text(json.dumps(SMALL, indent=2, ensure_ascii=False), encoding="utf-8")
    as_yaml = tmp_path / "small.yaml"
    # JSON is YAML (flow style), so the same text read as YAML is the reference.
    as_yaml.write_text(json.dumps(SMALL, indent=2, ensure_ascii=False), encoding="utf-8")
    from_json, from_yaml = load_model(as_json), load_model(as_yaml)
    assert fields(from_json) == fields(from_yaml)
    assert from_json.unit("A/000/0001").credit == 3 and from_json.unit("U3").credit == 10
    assert from_json.unit("U2").number == "02"  # text stays text
    assert from_json.unit("A/000/0001").elements[0].number == "1.1"
    assert [u.line for u in from_json.units] == [u.line for u in from_yaml.units]
    assert from_json.id == "small"


def test_json_values_keep_their_lines_and_columns():
    doc = parse_json('{"units": [\n  {"id": "U1", "credit": 3}\n]}\n', "m.json")
    unit = doc["units"][0]
    assert (unit.line, unit.column) == (2, 3)
    assert (unit["id"].line, unit["id"].column) == (2, 10)
    assert (unit["credit"].line, unit["credit"].column) == (2, 26)
    key = next(k for k in unit if k == "credit")
    assert (key.line, key.column) == (2, 16)
    yaml_doc = parse_yaml('{"units": [\n  {"id": "U1", "credit": 3}\n]}\n', "m.yaml")
    assert yaml_doc["units"][0]["credit"].where()[1:] == (2, 26)


def validate(path: Path, text: str) -> list[str]:
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()[:-1]  # the last line counts the files


MISTAKES = {
    "a quoted number": (
        '{"title": "T", "units": [\n {"id": "U1", "title": "One", "credit": "3", "level": 2}\n]}',
        ["2:41: units[1].credit must be a whole number, not the quoted text '3'; remove the quotes"],
    ),
    "a fraction": (
        '{"title": "T", "units": [{"id": "U1", "title": "One", "credit": 2.5, "level": 2}]}',
        ["1:65: units[1].credit must be a whole number, not 2.5"],
    ),
    "a key given twice": (
        '{"title": "T",\n "title": "U", "units": []}',
        ["2:2: duplicate key 'title' (first given on line 1)"],
    ),
    "an unknown field": (
        '{"title": "T", "units": [{"id": "U1", "title": "One", "level": 2, "colour": 1}]}',
        [("1:67: unknown field 'colour' in a unit (known: id, number, urn, title, credit, level, "
         "glh, elements, tags, equivalents, inferred, note, group)")],
    ),
    "a syntax error": (
        '{"title": "T",\n "units": [}\n',
        ["2:12: JSON syntax error: Expecting value"],
    ),
    "a NaN": (
        '{"title": "T", "units": [{"id": "U1", "title": "One", "level": NaN}]}',
        ["1:64: NaN is not JSON"],
    ),
    "nothing": ("  \n", [": file is empty"]),
    "a list at the top": ("[1, 2]", ["1:1: expected a mapping of fields at the top, found a list"]),
    "null text": (
        '{"title": null, "units": [{"id": "U1", "title": "One", "level": 2}]}',
        ["1:11: title must be text, not empty"],
    ),
    "an unknown unit": (
        ('{"title": "T", "units": [{"id": "U1", "title": "One", "level": 2}],\n'
        ' "groups": [{"id": "A", "units": ["U9"]}]}'),
        ["2:35: group A names unknown unit 'U9'"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_json_model_with_mistakes_gets_located_messages(name, tmp_path):
    text, expected = MISTAKES[name]
    path = tmp_path / "model.json"
    got = validate(path, text)
    sep = "" if expected[0].startswith(":") else ":"
    assert got[: len(expected)] == [f"{path}{sep}{e}" for e in expected]


def test_json_mistakes_match_yaml_ones(tmp_path):
    """The same mistake, in the same place, gets the same message from either reader."""
    text = (
        '{"title": "T", "units": [\n'
        ' {"id": "U1", "title": "One", "credit": -1, "level": 9, "glh": "x"},\n'
        ' {"id": "U1", "title": "Two", "level": 2, "tags": ["a", "a"]}\n'
        "]}\n"
    )
    from_json = validate(tmp_path / "m.json", text)
    from_yaml = validate(tmp_path / "m.yaml", text)
    assert len(from_json) == 3
    assert [line.replace("m.json", "m.yaml") for line in from_json] == from_yaml


def test_json_limits_apply(tmp_path, monkeypatch):
    deep = '{"title": "T", "notes": ' + "[" * 70 + "]" * 70 + "}"
    assert validate(tmp_path / "deep.yaml", deep) == [
        f"{tmp_path / 'deep.yaml'}:1:89: nested more than 64 deep"
    ]
    assert validate(tmp_path / "deep.json", deep) == [
        f"{tmp_path / 'deep.json'}:1:89: nested more than 64 deep"
    ]
    very_deep = "[" * 100_000 + "]" * 100_000  # too deep for the standard library's parser
    got = validate(tmp_path / "very.json", very_deep)
    assert got == [f"{tmp_path / 'very.json'}:1:66: nested more than 64 deep"]
    monkeypatch.setattr("pathway.source.MAX_VALUES", 5)
    with pytest.raises(InputError, match="more than 5 values"):
        parse_json('{"title": "T", "units": [1, 2, 3, 4]}', "m.json")


def test_json_models_are_found_by_id(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "one.json").write_text(json.dumps(SMALL), encoding="utf-8")
    imports = {"title": "Imports", "units": [{"from": "one", "id": "U2"}]}
    (folder / "two.yaml").write_text(json.dumps(imports), encoding="utf-8")
    (folder / "notes.txt").write_text("not a model", encoding="utf-8")
    assert find_model(folder, "one") == folder / "one.json"
    assert expand_paths([folder]) == [folder / "one.json", folder / "two.yaml"]
    q = load_model(folder / "two.yaml")
    assert q.unit("U2").title == SMALL["units"][1]["title"] and q.unit("U2").defined_in == "one"
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    solved = CliRunner().invoke(main, ["solve", str(folder / "one.json"), "--format", "json"])
    assert solved.exit_code == 0, solved.output
