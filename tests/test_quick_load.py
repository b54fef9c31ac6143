"""The loader's quick way through a model's units (loader._quick_units, which checks and makes
each unit in one pass) must give exactly what the full schema check gives: the same model, or
the same messages at the same lines and columns. Every file here is loaded both ways and the
two compared; a unit value the quick check is unsure of must send the file the full way."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from generate import RandomChooser, model_document, yaml_text
from pathway import loader
from pathway.errors import InputError
from pathway.model import Amount, Rule
from pathway.source import parse_json, parse_yaml

# Values written for a unit field, each as YAML would read it: good ones, and ones the schema
# refuses or reads differently (text where a number goes, null, octal-looking, huge, tagged).
VALUES = [
    "7", "0", "08", "010", "0x1A", "-1", "+5", "1_000", "1.5", "3.0", "1.0e+3", "1e3", "~",
    "null", "NULL", "''", '""', '"5"', "'12'", "!!int 5", "!!str 5", "!!null x", "! 5",
    "99999999999999999999", "9" * 31, "true", "yes", "٣", "x", "U1", '" U1"', '"U1 "',
    '"a\\tb"', '"a\\x07b"', "[1]", "{a: 1}", "2024-01-01", ":", "é", "1000000001", "9", "G1",
    "[a, b]", "A/506/2130",
]  # fmt: skip
FIELDS = ["id", "number", "title", "credit", "level", "glh", "urn", "note", "group", "tags"]


def _full(doc, path):
    """The model built with the quick way turned off."""
    quick = loader._quick_units
    loader._quick_units = lambda doc, model_id: None
    try:
        return loader.build_model(doc, path)
    finally:
        loader._quick_units = quick


def _outcome(build, text: str, path: str):
    read = parse_json if path.endswith(".json") else parse_yaml
    try:
        doc = read(text, path)
    except InputError as exc:
        return ("unreadable", str(exc))
    try:
        q = build(doc, path)
    except InputError as exc:
        return ("refused", str(exc))
    return ("model", q.units, q.groups, [_rule(r) for r in q.rules], q.title, q.level)


def _rule(rule: Rule):
    """A rule's every field, nested rules and scopes included (rules compare by identity)."""
    out = [type(rule).__name__]
    for f in dataclasses.fields(rule):
        value = getattr(rule, f.name)
        if f.name == "rules":
            value = [_rule(r) for r in value]
        elif isinstance(rule, Amount) and f.name == "scopes":
            value = [(s.label, s.units) for s in value]
        out.append((f.name, value))
    return out


def _same_both_ways(text: str, path: str) -> tuple:
    quick = _outcome(loader.build_model, text, path)
    full = _outcome(_full, text, path)
    assert quick == full, text
    return quick


def _unit_lines(n: int, rng: random.Random, field: str, value: str) -> str:
    """A model of n units in flow style, one of which has `field: value` (raw YAML text)."""
    chosen = rng.randrange(2, n)  # not U1 or U2, which the group lists
    lines = ["title: quick and full", "units:"]
    for i in range(n):
        unit = {"id": f"U{i + 1}", "number": str(i + 1), "credit": str(1 + i % 5), "glh": "10"}
        if rng.random() < 0.5:
            unit["title"] = f"Unit {i + 1}"
        if rng.random() < 0.3:
            unit["level"] = str(1 + i % 3)
        if i == chosen:
            unit[field] = value
        lines.append("  - {" + ", ".join(f"{k}: {v}" for k, v in unit.items()) + "}")
    lines += ["groups:", "  - {id: G1, units: [U1, U2]}"]
    lines += ["rules:", "  - {kind: credits, min: 2}", "  - {kind: units, groups: [G1], max: 1}"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("field", FIELDS)
def test_each_value_in_each_unit_field_gives_the_same_result_both_ways(field):
    rng = random.Random(field)
    results = set()
    for value in VALUES:
        text = _unit_lines(6, rng, field, value)
        results.add(_same_both_ways(text, "m.yaml")[0])
    assert "model" in results  # some values are good ones ...
    assert "refused" in results or field in ("title", "note")  # ... and some are refused


def _spy(monkeypatch) -> list:
    """What each call of the quick way gave (None: the file went the full way)."""
    taken: list = []
    quick = loader._quick_units

    def spy(doc, model_id):
        taken.append(quick(doc, model_id))
        return taken[-1]

    monkeypatch.setattr(loader, "_quick_units", spy)
    return taken


def test_a_clean_model_takes_the_quick_way(monkeypatch):
    taken = _spy(monkeypatch)
    text = _unit_lines(20, random.Random(1), "level", "2")
    q = _outcome(loader.build_model, text, "m.yaml")
    assert q[0] == "model" and len(q[1]) == 20
    assert taken and taken[0] is not None and len(taken[0]) == 20


@pytest.mark.parametrize("seed", range(40))
def test_random_models_give_the_same_model_both_ways_in_yaml_and_json(seed, monkeypatch):
    taken = _spy(monkeypatch)
    doc, _ = model_document(RandomChooser(seed))
    for unit in doc["units"]:
        unit.pop("tags", None)  # tags take the full way; without them the quick one is tried
    if seed % 3 == 0:
        doc["units"][seed % len(doc["units"])]["urn"] = "A/506/2130" if seed % 2 else "x/1"
    if seed % 4 == 1:
        doc["units"][0]["group"] = "G0" if doc["groups"] else "nowhere"
    yaml_result = _same_both_ways(yaml_text(doc), "m.yaml")
    json_result = _same_both_ways(json.dumps(doc, indent=1), "m.json")
    assert yaml_result[0] == json_result[0]
    if yaml_result[0] == "model":  # the same units, written on different lines
        assert taken[0] is not None and taken[-1] is not None  # the quick way, YAML and JSON
        assert [u.but(line=0) for u in yaml_result[1]] == [u.but(line=0) for u in json_result[1]]


def test_a_duplicate_unit_is_reported_the_same_both_ways():
    units = ["{id: A, number: 1}", "{id: A, number: 2}", "{id: B, number: 1}"]
    text = "title: t\nunits:\n" + "".join(f"  - {u}\n" for u in units)
    outcome = _same_both_ways(text, "m.yaml")
    assert outcome[0] == "refused"
    assert "m.yaml:4:10: duplicate unit id 'A' (first on line 3)" in outcome[1]
    assert "m.yaml:5:21: unit number '1' is given twice (first on line 3)" in outcome[1]


def _located(value):
    """A value read, with where each part of it was written, as plain data."""
    if isinstance(value, dict):
        items = [(_located(k), _located(v)) for k, v in value.items()]
        return ("mapping", value.line, value.column, items)
    if isinstance(value, list):
        return ("list", value.line, value.column, [_located(v) for v in value])
    return (str(value), value.line, value.column, value.plain, value.tag)


def _json_value(rng: random.Random, depth: int = 0) -> str:
    """JSON text that YAML reads alike: no tabs, escapes or floats, which the two read apart."""
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(
            ['"a"', '"U 1"', '"é"', "7", "-2", "0", "true", "false", "null", '""', '"1"']
        )
    if rng.random() < 0.6:
        keys = rng.sample(['"id"', '"credit"', '"x"', '"é"', '"1"'], rng.randint(0, 4))
        colon = rng.choice([": ", " : ", ":  "])
        sep = rng.choice([", ", ",\n  ", " ,\n"])
        return "{" + sep.join(k + colon + _json_value(rng, depth + 1) for k in keys) + "}"
    sep = rng.choice([", ", ",\n   "])
    return "[" + sep.join(_json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))) + "]"


@pytest.mark.parametrize("seed", range(200))
def test_the_json_and_yaml_readers_agree_on_every_value_and_place(seed):
    rng = random.Random(seed)
    text = "{" + f'"title": "T", "units": {_json_value(rng)}, "rules": {_json_value(rng)}' + "}"
    assert _located(parse_json(text, "m")) == _located(parse_yaml(text, "m"))
