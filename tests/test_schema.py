"""The JSON Schemas that `pathway schema` prints are for editors and other tools, so they must say
what the loader says: shipped files current, every shipped model and scenario accepted, and the
same mistakes refused by both an independent validator (jsonschema) and `pathway validate`."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from pathway.cli import main
from pathway.schema import HERE, generated

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("model", "scenario")


@functools.cache
def printed(kind: str) -> dict:
    result = CliRunner().invoke(main, ["schema", kind])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(printed(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_schema_is_the_generated_one(kind):
    # If this fails, run: python -m pathway.schema
    assert (HERE / f"{kind}.schema.json").read_text(encoding="utf-8") == generated()[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_printed_schema_is_a_valid_draft_2020_12_schema(kind):
    schema = printed(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_unknown_schema_kind_is_refused_with_exit_2():
    result = CliRunner().invoke(main, ["schema", "pathway"])
    assert result.exit_code == 2
    assert "'pathway' is not one of 'model', 'scenario'" in result.output


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "models").glob("*.yaml")) + sorted((ROOT / "scenarios").glob("*.yaml")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_shipped_file_satisfies_its_schema(path):
    kind = "model" if path.parent.name == "models" else "scenario"
    errors = list(validator(kind).iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert not errors, [e.message for e in errors]


MODEL = {
    "title": "Small",
    "units": [
        {"id": "U1", "number": "1", "title": "One", "credit": 4, "level": 2, "glh": 30},
        {"id": "U2", "number": "2", "title": "Two", "credit": 3, "level": 3},
        {"id": "U3", "number": "3", "title": "Three", "credit": 5, "level": 3, "tags": ["x"]},
    ],
    "groups": [
        {"id": "A", "mandatory": True, "credits": 4, "units": ["1"]},
        {"id": "B", "units": ["2", "3"]},
    ],
    "rules": [
        {"kind": "credits", "min": 7},
        {"kind": "units", "each": ["B"], "min": 1},
        {"kind": "barred", "units": ["2", "3"]},
        {
            "kind": "any-of",
            "rules": [
                {"kind": "mandatory", "units": ["2"]},
                {
                    "kind": "all-of",
                    "rules": [{"kind": "credits", "groups": ["B"], "min_level": 3, "min": 5}],
                },
            ],
        },
    ],
}
SCENARIO = {
    "qualification": "small.yaml",
    "achieved": ["1"],
    "excluded": ["3"],
    "preferences": {"units": {"2": 5}, "tags": {"x": -1}},
    "budget": {"max_glh": 100, "max_units": 3},
    "objective": ["min-units", "max-preference"],
    "top": 2,
    "time_limit": 0.5,
    "expect": {"status": "optimal", "objective": [1, 5], "units": ["1", "2"]},
}


def _set(doc, path, value):
    doc = copy.deepcopy(doc)
    *parents, last = path
    target = doc
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return doc


DELETE = object()

# Mistakes of form, each refused by both checkers: (name, kind, path in the document, value).
FORM_MISTAKES = [
    ("negative credit", "model", ("units", 0, "credit"), -4),
    ("fractional credit", "model", ("units", 0, "credit"), 2.5),
    ("level 9", "model", ("units", 1, "level"), 9),
    ("level 0", "model", ("units", 1, "level"), 0),
    ("glh as text", "model", ("units", 0, "glh"), "thirty"),
    ("missing title", "model", ("title",), DELETE),
    ("missing unit level", "model", ("units", 2, "level"), DELETE),
    ("no units", "model", ("units",), []),
    ("unknown top-level field", "model", ("titel",), "Small"),
    ("unknown unit field", "model", ("units", 0, "credits"), 4),
    ("units as a mapping", "model", ("units",), {"U1": "One"}),
    ("group without units", "model", ("groups", 1, "units"), []),
    ("mandatory as text", "model", ("groups", 0, "mandatory"), "yes please"),
    ("unknown rule kind", "model", ("rules", 0, "kind"), "credit"),
    ("amount rule without min or max", "model", ("rules", 0), {"kind": "credits"}),
    ("unknown field in a credits rule", "model", ("rules", 0, "minimum"), 7),
    ("barred with one unit", "model", ("rules", 2, "units"), ["2"]),
    ("empty any-of", "model", ("rules", 3, "rules"), []),
    ("min_level 9", "model", ("rules", 3, "rules", 1, "rules", 0, "min_level"), 9),
    ("mandatory rule with nothing named", "model", ("rules", 3, "rules", 0), {"kind": "mandatory"}),
    ("missing qualification", "scenario", ("qualification",), DELETE),
    ("unknown objective", "scenario", ("objective",), "min-cost"),
    ("empty objective list", "scenario", ("objective",), []),
    ("negative budget", "scenario", ("budget", "max_glh"), -1),
    ("unknown budget field", "scenario", ("budget", "max_hours"), 10),
    ("top 0", "scenario", ("top",), 0),
    ("zero time limit", "scenario", ("time_limit",), 0),
    ("weight as text", "scenario", ("preferences", "units", "2"), "high"),
    ("unknown expected status", "scenario", ("expect", "status"), "solved"),
    ("expectation without status", "scenario", ("expect", "status"), DELETE),
    ("achieved as text", "scenario", ("achieved",), "1"),
]


def _write(tmp_path, model, scenario=None) -> Path:
    (tmp_path / "small.yaml").write_text(yaml.safe_dump(model, sort_keys=False), encoding="utf-8")
    if scenario is None:
        return tmp_path / "small.yaml"
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    return tmp_path / "case.yaml"


def test_the_base_documents_are_accepted_by_both(tmp_path):
    assert not list(validator("model").iter_errors(MODEL))
    assert not list(validator("scenario").iter_errors(SCENARIO))
    result = CliRunner().invoke(main, ["validate", str(_write(tmp_path, MODEL, SCENARIO))])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name,kind,path,value", FORM_MISTAKES, ids=[m[0] for m in FORM_MISTAKES])
def test_a_mistake_of_form_is_refused_by_the_schema_and_the_loader(
    tmp_path, name, kind, path, value
):
    if kind == "model":
        model, scenario = _set(MODEL, path, value), None
        doc = model
    else:
        model, scenario = MODEL, _set(SCENARIO, path, value)
        doc = scenario
    assert list(validator(kind).iter_errors(doc)), f"the {kind} schema accepts: {name}"
    result = CliRunner().invoke(main, ["validate", str(_write(tmp_path, model, scenario))])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    problem = result.output.splitlines()[0]
    assert problem.startswith(
        str(tmp_path / ("small.yaml" if kind == "model" else "case.yaml")) + ":"
    )
