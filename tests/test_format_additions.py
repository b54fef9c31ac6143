"""The model format's additions for real documents (issue 13): units listed under their group
or given `group:`, `tqt`, `level` and `title` left out, the scopes `optional` and `mandatory`,
barred pairs and stars, `extends`, and operational dates.

Each addition is judged two ways: the model it loads to equals the one written the old way (so
it means what the old form means), and the solver's pathway equals the oracle's (tests/oracle.py,
brute force judged by the auditor) or a value worked out by hand in a comment. Each has its bad
input too: one located message, exit 2."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

import oracle
from pathway.cli import main
from pathway.loader import load_model
from pathway.model import AllOf, Amount, Barred
from pathway.scenario import scenario_for_model
from pathway.solver import solve

UNITS = {
    # id: (number, credit, level, glh)
    "U1": ("1", 3, 2, 10),
    "U2": ("2", 4, 3, 20),
    "U3": ("3", 5, 3, 30),
    "U4": ("4", 2, 2, 5),
    "U5": ("5", 2, 2, 7),
    "U6": ("6", 6, 3, 12),
}


def unit(uid: str, **extra) -> str:
    number, credit, level, glh = UNITS[uid]
    fields = {"id": uid, "number": number, "title": f"Unit {number}", "credit": credit}
    fields.update({"level": level, "glh": glh}, **extra)
    return "{" + ", ".join(f"{k}: {v}" for k, v in fields.items() if v is not None) + "}"


CLASSIC = f"""title: Classic
units:
  - {unit("U1")}
  - {unit("U2")}
  - {unit("U3")}
  - {unit("U4")}
  - {unit("U5")}
  - {unit("U6")}
groups:
  - {{id: A, mandatory: true, units: [1]}}
  - {{id: B, units: [2, 3, 4]}}
  - {{id: C, units: [5, 6]}}
"""

# The same units and groups, each id written once: under its group, or with `group:`.
NESTED = f"""title: Nested
units:
  - {unit("U5", group="C")}
  - {unit("U6", group="C")}
groups:
  - id: A
    mandatory: true
    units:
      - {unit("U1")}
  - id: B
    units:
      - {unit("U2")}
      - {unit("U3")}
      - {unit("U4")}
  - id: C
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def model(tmp_path: Path, name: str, text: str):
    return load_model(write(tmp_path, name, text))


def refused(tmp_path: Path, text: str, name: str = "bad") -> list[str]:
    """`pathway validate` on a bad model: exit 2, and the problem lines (each located)."""
    path = write(tmp_path, name, text)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert lines, result.stderr
    return [line[len(str(path)) :] for line in lines]


def solved_as_oracle(q, objectives=("min-glh",)):
    """The solver's pathway, checked against the oracle's single tie-broken winner."""
    s = scenario_for_model(q)
    expected = oracle.tie_break_winner(oracle.Problem.of_scenario(s), list(objectives))
    solution = solve(s, objectives=list(objectives))
    if expected is None:
        assert solution.status == "infeasible"
        return None
    assert solution.status == "optimal"
    assert frozenset(solution.best.units) == expected
    return sorted(expected)


def shape(q):
    """What a model is, apart from where it was written: units (by value) and groups."""
    units = [
        (u.id, u.number, u.title, u.credit, u.level, u.glh, u.elements, u.tags) for u in q.units
    ]
    groups = [(g.id, g.mandatory, g.units) for g in q.groups]
    return sorted(units), groups


# -- units under their group, and `group:` --------------------------------------------------


def test_units_under_groups_load_as_the_classic_model(tmp_path):
    classic = model(tmp_path, "classic", CLASSIC)
    nested = model(tmp_path, "nested", NESTED)
    assert shape(nested) == shape(classic)
    # Order: the top-level list first, then each group's units in group order.
    assert [u.id for u in nested.units] == ["U5", "U6", "U1", "U2", "U3", "U4"]
    rules = "rules:\n  - {kind: credits, min: 11}\n"
    # By hand: U1 (3 credits, 10 GLH) plus 8 more credits at least GLH: U2+U4+U5 = 8 credits,
    # 32 GLH; U6+U4 = 8 credits, 17 GLH (cheapest); so U1, U4, U6 at 27 GLH.
    assert solved_as_oracle(model(tmp_path, "n2", NESTED + rules)) == ["U1", "U4", "U6"]
    assert solved_as_oracle(model(tmp_path, "c2", CLASSIC + rules)) == ["U1", "U4", "U6"]


def test_a_unit_listed_under_a_second_group_by_reference(tmp_path):
    q = model(tmp_path, "m", NESTED.replace("  - id: C\n", "  - id: C\n    units: [2]\n"))
    assert q.groups[2].units == ("U2", "U5", "U6")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            NESTED.replace('group="C"', "").replace("group: C", "group: Z"),
            ":3:76: unit 5 names unknown group 'Z' (groups: A, B, C)",
        ),
        (NESTED.replace("group: C", "group: B"), ":15:5: group C has no units"),
        (
            NESTED.replace(
                "      - {id: U4",
                "      - {id: U3, number: 9, title: X, level: 2}\n      - {id: U4",
            ),
            ":14:14: duplicate unit id 'U3' (first on line 13)",
        ),
        (
            NESTED.replace("  - id: B\n    units:\n", "  - id: B\n    units:\n      - [U9]\n"),
            ":12:9: groups[2].units[1] must be text, not a list",
        ),
    ],
    ids=["unknown-group", "empty-group", "duplicate-in-group", "list-in-group"],
)
def test_bad_units_under_groups(tmp_path, text, expected):
    assert refused(tmp_path, text)[0].startswith(expected)


# -- tqt, and level and title left out ------------------------------------------------------


def test_tqt_and_units_without_level_or_title(tmp_path):
    text = CLASSIC.replace("title: Classic", "title: Classic\ntqt: 120").replace(
        unit("U3"), unit("U3", level=None, title=None)
    )
    q = model(tmp_path, "m", text)
    assert q.tqt == 120
    u3 = q.unit("U3")
    assert (u3.level, u3.title) == (None, "")
    # A rule that does not count by level still solves: by hand, 8 credits beyond U1 at least
    # GLH is U4+U6 (17 GLH), as above; U3 (no level) is simply not chosen.
    assert solved_as_oracle(model(tmp_path, "r", text + "rules:\n  - {kind: credits, min: 11}\n"))
    # The JSON output says null for the unknown level, "" for the title left out.
    result = CliRunner().invoke(
        main, ["solve", str(write(tmp_path, "s", text)), "-r", "3", "--format", "json"]
    )
    assert result.exit_code == 0
    row = next(r for r in json.loads(result.stdout)["pathway"]["units"] if r["id"] == "U3")
    assert (row["level"], row["title"]) == (None, "")


@pytest.mark.parametrize(
    "rule, expected",
    [
        (
            "{kind: credits, min: 5, min_level: 3}",
            ":14:5: rule R1 (credits) counts by level, but these units have no level: unit 3",
        ),
        (
            "{kind: units, groups: [C, B], max: 2, max_level: 2}",
            ":14:5: rule R1 (units) counts by level, but these units have no level: unit 3",
        ),
    ],
)
def test_a_rule_by_level_over_a_unit_without_one_is_refused(tmp_path, rule, expected):
    text = CLASSIC.replace(unit("U3"), unit("U3", level=None)) + f"rules:\n  - {rule}\n"
    assert refused(tmp_path, text) == [expected]


def test_bad_tqt(tmp_path):
    text = CLASSIC.replace("title: Classic", "title: Classic\ntqt: -5")
    assert refused(tmp_path, text) == [":2:6: tqt must be at least 0, not -5"]


# -- scopes `optional` and `mandatory` ------------------------------------------------------


def test_scopes_optional_and_mandatory_mean_the_groups_of_that_kind(tmp_path):
    words = CLASSIC + (
        "rules:\n"
        "  - {kind: credits, groups: optional, min: 8}\n"
        "  - {kind: units, each: optional, min: 1}\n"
        "  - {kind: credits, groups: mandatory, min: 3}\n"
    )
    listed = CLASSIC + (
        "rules:\n"
        "  - {kind: credits, groups: [B, C], min: 8}\n"
        "  - {kind: units, each: [B, C], min: 1}\n"
        "  - {kind: credits, groups: [A], min: 3}\n"
    )
    a, b = model(tmp_path, "words", words), model(tmp_path, "listed", listed)
    for x, y in zip(a.rules[1:], b.rules[1:]):  # after G1, the mandatory group
        assert isinstance(x, Amount) and isinstance(y, Amount)
        assert [s.units for s in x.scopes] == [s.units for s in y.scopes]
        assert [s.label for s in x.scopes] == [s.label for s in y.scopes]
    # By hand: U1 plus one unit of B and of C, 8 credits from B and C: U4 (2) + U6 (6) is the
    # cheapest (17 GLH).
    assert solved_as_oracle(a) == ["U1", "U4", "U6"] == solved_as_oracle(b)


@pytest.mark.parametrize(
    "rule, expected",
    [
        (
            "{kind: credits, groups: optionl, min: 8}",
            (
                ":14:29: rules[1].groups is 'optionl' (did you mean 'optional'?); expected one "
                "of: optional, mandatory"
            ),
        ),
        (
            "{kind: units, each: 3, min: 1}",
            ":14:25: rules[1].each is '3'; expected one of: optional, mandatory",
        ),
    ],
)
def test_bad_scope_words(tmp_path, rule, expected):
    assert refused(tmp_path, CLASSIC + f"rules:\n  - {rule}\n") == [expected]


def test_a_scope_with_no_group_of_its_kind(tmp_path):
    text = (
        CLASSIC.replace("mandatory: true, ", "")
        + "rules:\n  - {kind: mandatory, groups: mandatory}\n"
    )
    assert refused(tmp_path, text) == [
        ":14:31: rule R1 (mandatory) names the mandatory groups, but no group is mandatory"
    ]


# -- barred pairs and stars -----------------------------------------------------------------

STAR = "rules:\n  - {kind: barred, unit: 2, with: [3, 4, 5]}\n  - {kind: credits, min: 12}\n"
PAIRS = (
    "rules:\n  - {kind: barred, pairs: [[2, 3], [2, 4], [2, 5]]}\n  - {kind: credits, min: 12}\n"
)
ONE_BY_ONE = (
    "rules:\n"
    "  - {kind: barred, units: [2, 3]}\n"
    "  - {kind: barred, units: [2, 4]}\n"
    "  - {kind: barred, units: [2, 5]}\n"
    "  - {kind: credits, min: 12}\n"
)


def test_a_star_and_a_list_of_pairs_mean_one_barred_rule_per_pair(tmp_path):
    star, pairs, single = (
        model(tmp_path, name, CLASSIC + rules)
        for name, rules in (("star", STAR), ("pairs", PAIRS), ("single", ONE_BY_ONE))
    )
    expected = [("U2", "U3"), ("U2", "U4"), ("U2", "U5")]
    for q in (star, pairs):
        rule = q.rules[1]  # after G1, the mandatory group
        assert isinstance(rule, AllOf) and rule.key == "R1"
        assert [c.units for c in rule.rules] == expected
        assert all(isinstance(c, Barred) for c in rule.rules)
        assert [c.key for c in rule.rules] == ["R1.1", "R1.2", "R1.3"]
    assert [r.units for r in single.rules[1:4]] == expected
    # By hand: 12 credits with U1 (3): 9 more, U2 barred with 3, 4 and 5. Without U2:
    # U6+U3 = 11 credits (42 GLH), U6+U4+U5 = 10 (24 GLH, cheapest); with U2: U2+U6 = 10
    # credits (32 GLH). So U1, U4, U5, U6 at 34 GLH.
    assert solved_as_oracle(star) == ["U1", "U4", "U5", "U6"]
    assert solved_as_oracle(pairs) == solved_as_oracle(single) == ["U1", "U4", "U5", "U6"]


def test_barred_pairs_name_the_pair_that_collides(tmp_path):
    rules = "rules:\n  - {kind: barred, pairs: [[2, 3], [4, 5]]}\n  - {kind: mandatory, units: [4, 5]}\n"
    result = CliRunner().invoke(main, ["solve", str(write(tmp_path, "m", CLASSIC + rules))])
    assert result.exit_code == 1
    # The explanation blames the whole barred rule (R1, both pairs named) and R2.
    assert "  - R1 at most one of each of: units 2 and 3; units 4 and 5\n" in result.stdout
    assert "  - R2 all of units 4 and 5\n" in result.stdout
    # `pathway check` reports each pair on its own.
    checked = CliRunner().invoke(main, ["check", str(tmp_path / "m.yaml"), "-u", "1,4,5"])
    assert checked.exit_code == 1
    lines = {line.split()[0]: line for line in checked.stdout.splitlines() if line[:2] == "R1"}
    assert lines["R1.1"].endswith("yes") and lines["R1.2"].endswith("NO")


@pytest.mark.parametrize(
    "rule, expected",
    [
        ("{kind: barred, unit: 2}", ":14:26: unit: needs with: beside it"),
        ("{kind: barred, with: [3]}", ":14:5: a barred rule needs 'units' or 'pairs' or 'unit'"),
        ("{kind: barred, unit: 2, with: [2, 3]}", ":14:35: with: names unit 2 itself"),
        (
            "{kind: barred, pairs: [[2]]}",
            ":14:28: rules[1].pairs[1] needs at least 2 items, has 1",
        ),
        ("{kind: barred, pairs: [[2, 9]]}", ":14:32: rule R1 (barred) names unknown unit '9'"),
        ("{kind: barred, pairs: []}", ":14:27: rules[1].pairs needs at least 1 item, has 0"),
    ],
    ids=["unit-alone", "with-alone", "star-with-itself", "short-pair", "unknown", "no-pairs"],
)
def test_bad_barred_pairs(tmp_path, rule, expected):
    got = refused(tmp_path, CLASSIC + f"rules:\n  - {rule}\n")
    assert got[0].startswith(expected), got


# -- extends --------------------------------------------------------------------------------


def test_a_model_extends_another_s_units_and_groups_with_its_own_rules(tmp_path):
    write(tmp_path, "certificate", CLASSIC + "rules:\n  - {kind: credits, min: 8}\n")
    diploma = model(
        tmp_path,
        "diploma",
        "title: Diploma\nextends: certificate\ntqt: 200\n"
        "rules:\n  - {kind: credits, groups: optional, min: 14}\n",
    )
    base = load_model(tmp_path / "certificate.yaml")
    assert shape(diploma) == shape(base) and diploma.extends == "certificate"
    assert [r.key for r in diploma.rules] == ["G1", "R1"]  # the certificate's R1 is not taken
    # By hand: U1 plus 14 optional credits at least GLH. B and C hold 4, 5, 2, 2, 6 credits:
    # 14 = 6+4+2+2 (U6, U2, U4, U5: 44 GLH), 6+5+4 = 15 (62), 6+5+2+2 = 15 (54), 6+4+5 (62)...
    # the cheapest is U2, U4, U5, U6 (44 GLH).
    assert solved_as_oracle(diploma) == ["U1", "U2", "U4", "U5", "U6"]
    # The certificate, by hand: 8 credits with U1 (3, 10 GLH): U1+U6 = 9 credits at 22 GLH;
    # U1+U4+U5 is 7 credits, too few; U1+U3 (40 GLH), U1+U2+U4 (35) cost more.
    assert solved_as_oracle(base) == ["U1", "U6"]


def test_an_extending_model_may_add_units_and_groups(tmp_path):
    write(tmp_path, "certificate", CLASSIC)
    diploma = model(
        tmp_path,
        "diploma",
        "title: Diploma\nextends: certificate\n"
        "groups:\n  - id: D\n    units:\n      - {id: U7, number: 7, title: Seven, level: 3}\n",
    )
    assert [g.id for g in diploma.groups] == ["A", "B", "C", "D"]
    assert diploma.unit("U7").defined_in == "diploma"


def test_a_holder_of_the_extended_model_holds_its_units_urn_or_not(tmp_path):
    write(tmp_path, "certificate", CLASSIC)  # local ids U1..U6, no URNs
    write(tmp_path, "diploma", "title: Diploma\nextends: certificate\n")
    write(
        tmp_path,
        "scenario",
        "qualification: diploma.yaml\nachieved_qualifications: [certificate]\n",
    )
    result = CliRunner().invoke(
        main, ["solve", str(tmp_path / "scenario.yaml"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    # Every unit held, so the pathway is G1's unit U1, held, and nothing is left to teach.
    assert out["objective"]["value"] == 0
    assert [(u["id"], u["achieved"]) for u in out["pathway"]["units"]] == [("U1", True)]


def test_a_unit_defined_under_a_group_can_be_imported_with_from(tmp_path):
    write(tmp_path, "nested", NESTED)
    q = model(
        tmp_path,
        "importer",
        "title: I\ngroups:\n  - id: X\n    units:\n      - {from: nested, id: U3, number: 30}\n",
    )
    u = q.unit("U3")
    assert (u.number, u.credit, u.level, u.glh, u.defined_in) == ("30", 5, 3, 30, "nested")
    assert q.groups[0].units == ("U3",)


@pytest.mark.parametrize(
    "files, expected",
    [
        ({}, ":2:10: extends: no model 'certificate' next to this file"),
        (
            {"certificate": "title: C\nunits: []\n"},
            ":2:10: cannot extend 'certificate': that model has problems",
        ),
        (
            {"certificate": "title: C\nextends: other\n"},
            ":2:10: extends: 'certificate' itself extends another model",
        ),
        (
            {
                "certificate": CLASSIC,
                "bad": "title: D\nextends: certificate\nunits:\n  - " + unit("U1"),
            },
            ":4:10: duplicate unit id 'U1' (first in certificate, which this model extends)",
        ),
        (
            {
                "certificate": CLASSIC,
                "bad": "title: D\nextends: certificate\ngroups:\n  - {id: B, units: [1]}\n",
            },
            ":4:10: duplicate group id 'B' (first in certificate)",
        ),
        ({"bad": "title: D\nextends: bad\n"}, ":2:10: a model cannot extend itself"),
        ({"bad": "title: D\nextends: ../x\n"}, ":2:10: extends: '../x' is not a model id"),
    ],
    ids=["missing", "broken-base", "chain", "duplicate-unit", "duplicate-group", "self", "path"],
)
def test_bad_extends(tmp_path, files, expected):
    text = files.pop("bad", "title: D\nextends: certificate\n")
    for name, body in files.items():
        write(tmp_path, name, body)
    got = refused(tmp_path, text)
    assert got[0].startswith(expected), got


# -- operational dates ----------------------------------------------------------------------


def dated(end: str, start: str = "2015-09-01") -> str:
    return CLASSIC.replace(
        "title: Classic",
        f"title: Classic\noperational: {{start: {start}, review: 2019-01-01, end: {end}}}",
    )


def test_operational_dates_and_the_warning_for_a_closed_qualification(tmp_path):
    q = model(tmp_path, "m", dated("2020-08-31"))
    assert q.operational.end == datetime.date(2020, 8, 31)
    assert q.date_warnings(datetime.date(2020, 8, 31)) == []  # the end date is the last open day
    assert q.date_warnings(datetime.date(2020, 9, 1)) == [
        "Classic (m) closed on 2020-08-31: no new certificates are issued"
    ]
    assert q.date_warnings(datetime.date(2015, 8, 31)) == ["Classic (m) opens on 2015-09-01"]
    closed = CliRunner().invoke(main, ["solve", str(tmp_path / "m.yaml")])
    assert closed.exit_code == 0  # still solved: a learner registered before may finish
    assert closed.stderr == (
        "warning: Classic (m) closed on 2020-08-31: no new certificates are issued\n"
    )
    open_ = CliRunner().invoke(main, ["solve", str(write(tmp_path, "o", dated("2999-12-31")))])
    assert open_.exit_code == 0 and open_.stderr == ""
    # Quoted (as JSON and YAML 1.2 write them) or not, the same date.
    quoted = model(tmp_path, "q", dated('"2020-08-31"'))
    assert quoted.operational == q.operational


@pytest.mark.parametrize(
    "end, expected",
    [
        ("2020-02-30", "operational.end is not a date in the calendar: 2020-02-30"),
        ("2020/02/01", "operational.end must be a date written YYYY-MM-DD, not '2020/02/01'"),
        ("12", "operational.end must be a date written YYYY-MM-DD, not '12'"),
    ],
)
def test_bad_operational_dates(tmp_path, end, expected):
    got = refused(tmp_path, dated(end))
    assert got == [f":2:59: {expected}"]  # column 59: where the end date is written


def test_an_unknown_operational_field(tmp_path):
    text = CLASSIC.replace("title: Classic", "title: Classic\noperational: {closed: 2020-01-01}")
    got = refused(tmp_path, text)
    assert got[0].startswith(":2:15: unknown field 'closed' in operational dates"), got


# -- the JSON Schema covers every addition --------------------------------------------------


def test_the_schema_accepts_every_addition_and_refuses_their_mistakes():
    schema = json.loads(CliRunner().invoke(main, ["schema", "model"]).stdout)
    check = jsonschema.Draft202012Validator(schema)
    doc = yaml.safe_load(
        NESTED.replace("title: Nested", "title: N\ntqt: 100\nextends: other") + "rules:\n"
        "  - {kind: credits, groups: optional, min: 8}\n"
        "  - {kind: units, each: mandatory, min: 1}\n"
        "  - {kind: barred, unit: 2, with: [3, 4]}\n"
        "  - {kind: barred, pairs: [[2, 3], [4, 5]]}\n"
    )
    doc["operational"] = {"start": "2015-09-01", "end": "2020-08-31"}  # as JSON writes them
    doc["groups"][1]["units"].append({"id": "U9", "number": "9"})  # no title, no level
    assert not list(check.iter_errors(doc))
    for path, value in [
        (("tqt",), -1),
        (("operational", "end"), "31/08/2020"),
        (("rules", 0, "groups"), "optionl"),
        (("rules", 3, "pairs"), [["2"]]),
        (("groups", 1, "units", 0), ["U9"]),
    ]:
        bad = json.loads(json.dumps(doc))
        target = bad
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert list(check.iter_errors(bad)), path
