"""The JSON Schemas that `pathway schema` prints are for editors and other tools, so they must say
what the loader says: shipped files current, every shipped model and scenario accepted, and the
same mistakes refused by both an independent validator (jsonschema) and `pathway validate`."""

from __future__ import annotations

import copy
import functools
import json
import re
import shutil
import subprocess
from pathlib import Path
from string import Template

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
    ("unit level 0", "model", ("units", 2, "level"), 0),
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


# -- spellings: each probe is YAML text, so quoting and spelling matter ---------------------------
#
# The reference reading is PyYAML's safe_load (YAML 1.1) and then the JSON Schema; values safe_load
# gives that JSON has no type for (dates) become strings, as a YAML 1.2 editor would see them.
# Each probe changes one or two values of a small valid model or scenario and says whether both
# checkers accept it, both refuse it, or (EXCEPTION) the loader refuses what the schema accepts.

ACCEPT, REFUSE = "accept", "refuse"
# The schema sees only the number YAML 1.1 made of `0x10`, `0b101` or `1:30` (base 60), not how it
# was written, so it cannot refuse them; the loader refuses them and asks for decimal digits.
# `.nan` passes every comparison a JSON Schema can make (and JSON has no NaN); the loader refuses.
EXCEPTION = "loader refuses, schema cannot see why"

PROBE_MODEL = Template(
    """\
title: $title
level: $level
units:
  - id: U1
    number: $number
    title: $unit_title
    credit: $credit
    level: $unit_level
    glh: $glh
    tags: [$tag]
  - id: $id
    number: "2"
    title: Two
    credit: 3
    level: 3
groups:
  - id: $group_id
    mandatory: true
    credits: $group_credits
    units: ["2"]
  - id: B
    mandatory: $mandatory
    units: [$ref]
rules:
  - kind: credits
    min: $min
    max: $max
  - kind: units
    groups: [$group_ref]
    min_level: $min_level
    min: 1
"""
)
MODEL_DEFAULTS = {
    "title": "Probe",
    "level": "2",
    "number": "1",
    "unit_title": "One",
    "credit": "4",
    "unit_level": "2",
    "glh": "30",
    "tag": "x",
    "id": "U2",
    "group_id": "A",
    "group_credits": "3",
    "mandatory": "false",
    "ref": "U1",
    "min": "1",
    "max": "100",
    "group_ref": "B",
    "min_level": "2",
}
PROBE_SCENARIO = Template(
    """\
qualification: small.yaml
title: $title
achieved: [$achieved]
excluded: [$excluded]
preferences:
  units: {U1: $weight}
  tags: {x: $tag_weight}
glh: {"2": $glh}
budget:
  max_glh: $max_glh
  max_units: $max_units
  max_credits: $max_credits
objective: $objective
top: $top
time_limit: $time_limit
workers: $workers
expect:
  status: $status
  objective: $expect_objective
  units: [$expect_unit]
"""
)
SCENARIO_DEFAULTS = {
    "title": "Probe scenario",
    "achieved": '"2"',
    "excluded": "U1",
    "weight": "5",
    "tag_weight": "-1",
    "glh": "20",
    "max_glh": "100",
    "max_units": "3",
    "max_credits": "10",
    "objective": "[min-units, max-preference]",
    "top": "2",
    "time_limit": "0.5",
    "workers": "2",
    "status": "optimal",
    "expect_objective": "[1, 5]",
    "expect_unit": "U2",
}


def probe(name, verdict, says=None, **values):
    return pytest.param(values, verdict, says, id=name)


MODEL_PROBES = [
    probe("the probe model as it is", ACCEPT),
    # whole numbers: int, or a float of whole value, in decimal digits
    probe("credit 1_0 (digit separator)", ACCEPT, credit="1_0"),
    probe("credit 010 (decimal, not octal)", ACCEPT, credit="010"),
    probe("credit +4", ACCEPT, credit="+4"),
    probe("credit 4.0", ACCEPT, credit="4.0"),
    probe("glh 3.0", ACCEPT, glh="3.0"),
    probe("glh 1.0e+3", ACCEPT, glh="1.0e+3"),
    probe("glh 30. (a float)", ACCEPT, glh="30."),
    probe("unit level 2.0", ACCEPT, unit_level="2.0"),
    probe("model level 2.0", ACCEPT, level="2.0"),
    probe("rule min 1_0", ACCEPT, min="1_0"),
    probe("rule max 1.0e+2", ACCEPT, max="1.0e+2"),
    probe("rule min_level 2.0", ACCEPT, min_level="2.0"),
    probe("group credits 3.0", ACCEPT, group_credits="3.0"),
    probe("group credits 0_3", ACCEPT, group_credits="0_3"),
    probe("credit quoted", REFUSE, "not the quoted text '5'; remove the quotes", credit='"5"'),
    probe("credit single-quoted", REFUSE, "remove the quotes", credit="'4'"),
    probe("unit level quoted", REFUSE, "remove the quotes", unit_level="'2'"),
    probe("model level quoted", REFUSE, "remove the quotes", level='"2"'),
    probe("glh quoted", REFUSE, "remove the quotes", glh='"30"'),
    probe("rule min quoted", REFUSE, "remove the quotes", min="'1'"),
    probe("rule min_level quoted", REFUSE, "remove the quotes", min_level='"2"'),
    probe("credit 4.5", REFUSE, "must be a whole number, not 4.5", credit="4.5"),
    probe("credit true", REFUSE, "must be a whole number, not 'true'", credit="true"),
    probe("credit yes", REFUSE, credit="yes"),
    probe("credit 1e3 (text in YAML 1.1)", REFUSE, "only with a dot and a sign", credit="1e3"),
    probe("credit 08 (text in YAML 1.1)", REFUSE, "without the leading zero", credit="08"),
    probe("credit 0o17 (text in YAML 1.1)", REFUSE, credit="0o17"),
    probe("credit .inf", REFUSE, credit=".inf"),
    probe("credit -.inf", REFUSE, credit="-.inf"),
    probe("credit .nan", REFUSE, credit=".nan"),
    probe("credit ~", REFUSE, "not empty", credit="~"),
    probe("credit 1.0e+40", REFUSE, "must be at most 1,000,000,000", credit="1.0e+40"),
    probe("credit a date", REFUSE, credit="2020-01-01"),
    probe("credit 0x10", EXCEPTION, "write it in decimal digits", credit="0x10"),
    probe("credit 0b101", EXCEPTION, "write it in decimal digits", credit="0b101"),
    probe("credit 1:30 (base 60)", EXCEPTION, "write it in decimal digits", credit="1:30"),
    probe("glh 1:30.0 (base 60)", EXCEPTION, "write it in decimal digits", glh="1:30.0"),
    probe("unit level 0x2", EXCEPTION, "write it in decimal digits", unit_level="0x2"),
    # booleans: every spelling YAML 1.1 reads as one
    *(
        probe(f"mandatory {word}", ACCEPT, mandatory=word)
        for word in ("true", "True", "TRUE", "yes", "Yes", "on", "ON", "No", "off", "FALSE")
    ),
    probe("mandatory quoted", REFUSE, "remove the quotes", mandatory='"true"'),
    probe("mandatory 1", REFUSE, mandatory="1"),
    probe("mandatory y", REFUSE, mandatory="y"),
    probe("mandatory yEs", REFUSE, mandatory="yEs"),
    probe("mandatory empty", REFUSE, mandatory="~"),
    # text is kept as written, whatever YAML 1.1 would make of it
    probe("title true", ACCEPT, title="true"),
    probe("title 123", ACCEPT, title="123"),
    probe("unit title no", ACCEPT, unit_title="no"),
    probe("unit title a date", ACCEPT, unit_title="2020-01-01"),
    probe("tag yes", ACCEPT, tag="yes"),
    probe("tag 1.0", ACCEPT, tag="1.0"),
    probe("title ~", REFUSE, "title must be text, not empty", title="~"),
    probe("title null", REFUSE, title="null"),
    probe("title empty", REFUSE, title=""),
    probe("tag ~", REFUSE, tag="~"),
    *(
        probe(f"id {word}", ACCEPT, id=word)
        for word in ("no", "010", "0x1F", "1e3", ".inf", "2020-01-01", "on", "12:30:00", "1.10")
    ),
    probe("id quoted 5", ACCEPT, id='"5"'),
    probe("id with an inner space", ACCEPT, id='"U 2"'),
    probe("id with an inner no-break space", ACCEPT, id='"U\\u00a02"'),
    *(
        probe(f"number {word}", ACCEPT, number=word)
        for word in ("yes", ".nan", "1_000", "'007'", "1.10", "off")
    ),
    probe("number block scalar |- (no newline)", ACCEPT, number="|-\n      1"),
    probe("group id y", ACCEPT, group_id="y"),
    probe("unit reference by number", ACCEPT, ref="1"),
    probe("unit reference quoted", ACCEPT, ref='"U1"'),
    # identifiers: no control characters, no white space at either end
    probe(
        "id block scalar (newline)",
        REFUSE,
        "units[2].id must not contain control characters (U+000A)",
        id="|\n      U2",
    ),
    probe("id NUL", REFUSE, "(U+0000)", id='"U2\\0"'),
    probe("id tab", REFUSE, "(U+0009)", id='"U\\t2"'),
    probe("id DEL", REFUSE, "(U+007F)", id='"U2\\x7f"'),
    probe("id NEL", REFUSE, "(U+0085)", id='"U2\\x85"'),
    probe("id U+009F", REFUSE, "(U+009F)", id='"U2\\x9f"'),
    probe(
        "id leading space", REFUSE, "must not begin or end with white space (U+0020)", id='" U2"'
    ),
    probe("id trailing space", REFUSE, "white space (U+0020)", id="'U2 '"),
    probe("id leading no-break space", REFUSE, "white space (U+00A0)", id='"\\u00a0U2"'),
    probe("id trailing ideographic space", REFUSE, "white space (U+3000)", id='"U2\\u3000"'),
    probe("id trailing line separator", REFUSE, "white space (U+2028)", id='"U2\\u2028"'),
    probe("id leading byte-order mark", REFUSE, "white space (U+FEFF)", id='"\\ufeffU2"'),
    probe("number with a newline", REFUSE, "units[1].number must not contain", number='"1\\n"'),
    probe("number block scalar |", REFUSE, "(U+000A)", number="|\n      1"),
    probe("group id with a newline", REFUSE, "groups[1].id must not contain", group_id='"A\\n"'),
    probe("unit reference with CR", REFUSE, "groups[2].units[1] must not", ref='"U1\\r"'),
    probe("unit reference with NUL", REFUSE, "(U+0000)", ref='"U1\\0"'),
    probe("group reference with tab", REFUSE, "rules[2].groups[1] must not", group_ref='"B\\t"'),
]

SCENARIO_PROBES = [
    probe("the probe scenario as it is", ACCEPT),
    probe("top 2.0", ACCEPT, top="2.0"),
    probe("top 1_0", ACCEPT, top="1_0"),
    probe("top +3", ACCEPT, top="+3"),
    probe("time_limit 30", ACCEPT, time_limit="30"),
    probe("time_limit 1.0e+3", ACCEPT, time_limit="1.0e+3"),
    probe("time_limit 1_0.5", ACCEPT, time_limit="1_0.5"),
    probe("time_limit .5", ACCEPT, time_limit=".5"),
    probe("time_limit 010", ACCEPT, time_limit="010"),
    probe("workers 4.0", ACCEPT, workers="4.0"),
    probe("budget max_glh 1_000", ACCEPT, max_glh="1_000"),
    probe("budget max_units 3.0", ACCEPT, max_units="3.0"),
    probe("budget max_credits 010", ACCEPT, max_credits="010"),
    probe("weight -5", ACCEPT, weight="-5"),
    probe("weight 5.0", ACCEPT, weight="5.0"),
    probe("weight -1.0e+3", ACCEPT, weight="-1.0e+3"),
    probe("tag weight 2_0", ACCEPT, tag_weight="2_0"),
    probe("glh 20.0", ACCEPT, glh="20.0"),
    probe("objective one name", ACCEPT, objective="min-units"),
    probe("objective quoted", ACCEPT, objective='"min-credits"'),
    probe("expect objective 1.0e+3", ACCEPT, expect_objective="1.0e+3"),
    probe("expect objective -5", ACCEPT, expect_objective="-5"),
    probe("expect objective list with 5.0", ACCEPT, expect_objective="[1, 5.0]"),
    probe("achieved by number, plain", ACCEPT, achieved="2"),
    probe("achieved by id", ACCEPT, achieved="U2"),
    probe("title yes", ACCEPT, title="yes"),
    probe("title a date", ACCEPT, title="2020-01-01"),
    probe("top quoted", REFUSE, "top must be a whole number, not the quoted text", top='"2"'),
    probe("top 2.5", REFUSE, top="2.5"),
    probe("top true", REFUSE, top="true"),
    probe(
        "time_limit quoted",
        REFUSE,
        "time_limit must be a number, not the quoted",
        time_limit='"0.5"',
    ),
    probe("time_limit 1e3 (text in YAML 1.1)", REFUSE, "with a dot and a sign", time_limit="1e3"),
    probe("time_limit .inf", REFUSE, "at most 86,400", time_limit=".inf"),
    probe("time_limit -.inf", REFUSE, "more than 0", time_limit="-.inf"),
    probe("time_limit 0", REFUSE, time_limit="0"),
    probe("time_limit true", REFUSE, time_limit="true"),
    probe("time_limit ~", REFUSE, time_limit="~"),
    probe("time_limit 0x10", EXCEPTION, "write it in decimal digits", time_limit="0x10"),
    probe("time_limit 1:30 (base 60)", EXCEPTION, "decimal digits", time_limit="1:30"),
    probe(
        "time_limit .nan", EXCEPTION, "time_limit must be a number, not '.nan'", time_limit=".nan"
    ),
    probe("top 0x2", EXCEPTION, "decimal digits", top="0x2"),
    probe("workers quoted", REFUSE, "remove the quotes", workers="'4'"),
    probe("workers on", REFUSE, workers="on"),
    probe("budget max_glh quoted", REFUSE, "remove the quotes", max_glh='"100"'),
    probe("budget max_glh -1.0", REFUSE, max_glh="-1.0"),
    probe("budget max_units 1.5", REFUSE, max_units="1.5"),
    probe("weight quoted", REFUSE, "remove the quotes", weight='"5"'),
    probe("weight yes", REFUSE, weight="yes"),
    probe("weight 5.5", REFUSE, weight="5.5"),
    probe("tag weight quoted", REFUSE, "remove the quotes", tag_weight="'-1'"),
    probe("glh quoted", REFUSE, "remove the quotes", glh='"20"'),
    probe("objective yes", REFUSE, objective="yes"),
    probe("objective min-GLH", REFUSE, objective="min-GLH"),
    probe("objective empty list", REFUSE, objective="[]"),
    probe("objective list with a boolean", REFUSE, objective="[yes]"),
    probe("expect objective quoted", REFUSE, "remove the quotes", expect_objective='"30"'),
    probe("expect objective true", REFUSE, expect_objective="true"),
    probe("expect objective list with a quoted number", REFUSE, expect_objective='[1, "5"]'),
    probe("expect status yes", REFUSE, status="yes"),
    probe("expect status Optimal", REFUSE, status="Optimal"),
    probe("achieved with a newline", REFUSE, "achieved[1] must not contain", achieved='"2\\n"'),
    probe("achieved with a leading space", REFUSE, "white space", achieved='" U2"'),
    probe("excluded with a tab", REFUSE, "excluded[1] must not contain", excluded='"U1\\t"'),
    probe(
        "expected unit with a newline", REFUSE, "expect.units[1] must not", expect_unit='"U2\\n"'
    ),
]


def _as_json(text: str):
    """What a JSON Schema validator sees: safe_load's values, dates as strings."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def _probe(tmp_path, kind, text, verdict, says):
    path = tmp_path / ("small.yaml" if kind == "model" else "case.yaml")
    path.write_text(text, encoding="utf-8")
    schema_errors = [e.message for e in validator(kind).iter_errors(_as_json(text))]
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 2), result.output
    loader_accepts, schema_accepts = result.exit_code == 0, not schema_errors
    expected = {ACCEPT: (True, True), REFUSE: (False, False), EXCEPTION: (False, True)}[verdict]
    assert (loader_accepts, schema_accepts) == expected, (result.output, schema_errors)
    if not loader_accepts:
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: ", result.output), result.output
        if says is not None:
            assert says in result.output.splitlines()[0], result.output


def test_the_probe_corpus_is_big_enough():
    assert len(MODEL_PROBES) + len(SCENARIO_PROBES) >= 50


@pytest.mark.parametrize("values,verdict,says", MODEL_PROBES)
def test_a_model_spelling_is_read_alike_by_the_schema_and_the_loader(
    tmp_path, values, verdict, says
):
    text = PROBE_MODEL.substitute({**MODEL_DEFAULTS, **values})
    _probe(tmp_path, "model", text, verdict, says)


@pytest.mark.parametrize("values,verdict,says", SCENARIO_PROBES)
def test_a_scenario_spelling_is_read_alike_by_the_schema_and_the_loader(
    tmp_path, values, verdict, says
):
    (tmp_path / "small.yaml").write_text(PROBE_MODEL.substitute(MODEL_DEFAULTS), encoding="utf-8")
    text = PROBE_SCENARIO.substitute({**SCENARIO_DEFAULTS, **values})
    _probe(tmp_path, "scenario", text, verdict, says)


# A model whose ids, numbers and references YAML 1.1 would read as numbers, booleans and dates:
# each is kept exactly as written, and references find the units by that text.
YAML11_ODDITIES = """\
title: YAML 1.1 oddities
units:
  - {id: 010, number: 010, title: Octal-looking, credit: 010, level: 2, glh: 10}
  - {id: 1e3, number: 1e3, title: Float-looking, credit: 3, level: 2, glh: 10}
  - {id: 0x1F, number: 0x1F, title: Hex-looking, credit: 3, level: 2, glh: 10}
  - {id: no, number: yes, title: Bool-looking, credit: 3, level: 2, glh: 10}
  - {id: .inf, number: .nan, title: Inf-looking, credit: 3, level: 2, glh: 10}
  - {id: 2020-01-01, number: 12:30:00, title: Date-looking, credit: 3, level: 2, glh: 10}
  - {id: on, number: off, title: On, credit: 3, level: 2, glh: 10}
  - {id: "~x", number: 1_000, title: Under, credit: 3, level: 2, glh: 10}
groups:
  - {id: null-ish, units: [010, 1e3, 0x1F, no, .inf, 2020-01-01, on, 1_000]}
  - {id: 'y', mandatory: true, units: [yes]}
rules:
  - {kind: credits, units: [010], min: 10}
  - {kind: barred, units: [12:30:00, off]}
"""


def test_ids_that_look_like_numbers_booleans_or_dates_are_kept_as_written(tmp_path):
    from pathway.loader import load_model

    path = tmp_path / "oddities.yaml"
    path.write_text(YAML11_ODDITIES, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert not list(validator("model").iter_errors(_as_json(YAML11_ODDITIES)))
    model = load_model(path)
    assert [(u.id, u.number) for u in model.units] == [
        ("010", "010"),
        ("1e3", "1e3"),
        ("0x1F", "0x1F"),
        ("no", "yes"),
        (".inf", ".nan"),
        ("2020-01-01", "12:30:00"),
        ("on", "off"),
        ("~x", "1_000"),
    ]
    assert model.units[0].credit == 10  # decimal, where YAML 1.1 would read octal 8
    assert [g.id for g in model.groups] == ["null-ish", "y"]
    assert model.groups[1].mandatory is True
    solved = CliRunner().invoke(main, ["solve", str(path)])
    assert solved.exit_code == 0, solved.output


def test_the_identifier_pattern_refuses_exactly_the_control_characters():
    """Unicode category Cc anywhere, white space only at the ends."""
    import unicodedata

    from pathway.spec import IDENTIFIER_PATTERN

    pattern = re.compile(IDENTIFIER_PATTERN)
    for code in range(0x10000):
        c = chr(code)
        control = unicodedata.category(c) == "Cc"
        assert bool(pattern.match(f"a{c}b")) is not control, hex(code)
        if not control and not c.isspace() and c not in "\u200b\ufeff":
            assert pattern.match(f"{c}b") and pattern.match(f"a{c}"), hex(code)
    for text in ("", "U1", "A/506/2130", "U 1", "1.10"):
        assert pattern.match(text), text
    for text in ("U1\n", "\nU1", " U1", "U1 ", "\u00a0U1", "U1\u2028", "\ufeffU1", " "):
        assert not pattern.match(text), repr(text)


IDENTIFIER_SAMPLES = [
    "",
    "U1",
    "U 1",
    "U1\n",
    "U1 ",
    " U1",
    "U\x001",
    "U1\x85",
    "\u3000",
    "a\u00a0b",
]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node for ECMA-262 regexes")
def test_the_identifier_pattern_means_the_same_in_ecma_262():
    """Editors run the schema's patterns as JavaScript regexes: they must agree with Python's."""
    from pathway.spec import IDENTIFIER_PATTERN

    script = (
        "const re = new RegExp(process.argv[1], 'u');"
        "console.log(JSON.stringify(JSON.parse(process.argv[2]).map((s) => re.test(s))));"
    )
    done = subprocess.run(
        ["node", "-e", script, IDENTIFIER_PATTERN, json.dumps(IDENTIFIER_SAMPLES)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    python = [bool(re.search(IDENTIFIER_PATTERN, s)) for s in IDENTIFIER_SAMPLES]
    assert json.loads(done.stdout) == python
