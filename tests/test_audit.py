"""The auditor on its own: each rule kind on a small model worked by hand, hand-checked pathways
(achieving and failing) from every seed, and `pathway check` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway.auditor import audit
from pathway.cli import main
from pathway.errors import InputError
from pathway.loader import build_model, load_model
from pathway.source import parse_yaml

MODELS = Path(__file__).parent.parent / "models"

# Units 1-6: credits 3, 4, 5, 6, 2, 8; levels 1, 2, 3, 3, 2, 4. Group A = 1, 2; B = 3, 4; C = 5, 6.
TOY_UNITS = """\
title: Toy
units:
  - {id: u1, number: 1, title: One, credit: 3, level: 1}
  - {id: u2, number: 2, title: Two, credit: 4, level: 2}
  - {id: u3, number: 3, title: Three, credit: 5, level: 3}
  - {id: u4, number: 4, title: Four, credit: 6, level: 3}
  - {id: u5, number: 5, title: Five, credit: 2, level: 2}
  - {id: u6, number: 6, title: Six, credit: 8, level: 4}
groups:
  - {id: A, units: [1, 2]}
  - {id: B, units: [3, 4]}
  - {id: C, units: [5, 6]}
rules:
"""


def toy(rule: str):
    text = TOY_UNITS + "  - " + rule + "\n"
    return build_model(parse_yaml(text, "toy.yaml"), "toy.yaml")


def verdict(rule: str, numbers: list[int]):
    q = toy(rule)
    result = audit(q, [f"u{n}" for n in numbers])
    (only,) = result.results
    assert result.achieved == only.holds
    return only


# (rule, units, holds, required, actual, needed) -- each worked out by hand from the toy above.
CASES = [
    # mandatory
    ("{kind: mandatory, units: [1, 3]}", [1, 3, 5], True, "all 2 units", "2 of 2", None),
    ("{kind: mandatory, units: [1, 3]}", [1, 5], False, "all 2 units", "1 of 2", "unit 3"),
    # credit floor over everything: 3 + 5 + 2 = 10
    ("{kind: credits, min: 10}", [1, 3, 5], True, ">= 10 credits", "10 credits", None),
    ("{kind: credits, min: 11}", [1, 3, 5], False, ">= 11 credits", "10 credits", "1 more credit"),
    # credit cap over one group: B gives 5 + 6 = 11
    ("{kind: credits, groups: [B], max: 10}", [3, 4], False, "<= 10 credits", "11 credits", None),
    ("{kind: credits, groups: [B], max: 11}", [3, 4, 6], True, "<= 11 credits", "11 credits", None),
    # credit floor over a set of groups: A and C give 4 + 8 = 12 (unit 3 is in B)
    (
        "{kind: credits, groups: [A, C], min: 12}",
        [2, 3, 6],
        True,
        ">= 12 credits",
        "12 credits",
        None,
    ),
    # credits at Level 3 or above: units 3 (L3) and 6 (L4) = 13; unit 2 (L2) does not count
    (
        "{kind: credits, min_level: 3, min: 13}",
        [2, 3, 6],
        True,
        ">= 13 credits",
        "13 credits",
        None,
    ),
    (
        "{kind: credits, min_level: 3, min: 14}",
        [2, 3, 6],
        False,
        ">= 14 credits",
        "13 credits",
        None,
    ),
    # credits at Level 3 or above from groups A and B only: unit 3 = 5 (6 is in C)
    (
        "{kind: credits, min_level: 3, groups: [A, B], min: 5}",
        [2, 3, 6],
        True,
        ">= 5 credits",
        "5 credits",
        None,
    ),
    # credits at or below Level 2: units 1 and 2 = 7
    ("{kind: credits, max_level: 2, max: 6}", [1, 2, 3], False, "<= 6 credits", "7 credits", None),
    # unit counts: total, per group, window
    ("{kind: units, min: 3}", [1, 2], False, ">= 3 units", "2 units", "1 more unit"),
    (
        "{kind: units, groups: [C], min: 1, max: 1}",
        [5, 6],
        False,
        ">= 1 and <= 1 unit",
        "2 units",
        None,
    ),
    (
        "{kind: units, groups: [C], min: 1, max: 1}",
        [1, 6],
        True,
        ">= 1 and <= 1 unit",
        "1 unit",
        None,
    ),
    # at least one unit from each of A, B and C
    (
        "{kind: units, each: [A, B, C], min: 1}",
        [1, 3, 5],
        True,
        ">= 1 unit each",
        "A: 1, B: 1, C: 1",
        None,
    ),
    (
        "{kind: units, each: [A, B, C], min: 1}",
        [1, 2, 5],
        False,
        ">= 1 unit each",
        "A: 2, B: 0, C: 1",
        None,
    ),
    # barred combinations
    ("{kind: barred, units: [1, 2]}", [1, 3], True, None, None, None),
    ("{kind: barred, units: [1, 2]}", [1, 2], False, None, None, None),
    # alternative routes
    (
        "{kind: any-of, rules: [{kind: mandatory, units: [6]}, {kind: credits, groups: [B], min: 11}]}",
        [3, 4],
        True,
        None,
        None,
        None,
    ),
    (
        "{kind: any-of, rules: [{kind: mandatory, units: [6]}, {kind: credits, groups: [B], min: 11}]}",
        [3, 5],
        False,
        None,
        None,
        None,
    ),
    (
        "{kind: all-of, rules: [{kind: mandatory, units: [6]}, {kind: units, max: 2}]}",
        [6, 1],
        True,
        None,
        None,
        None,
    ),
    (
        "{kind: all-of, rules: [{kind: mandatory, units: [6]}, {kind: units, max: 2}]}",
        [6, 1, 2],
        False,
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize("rule,units,holds,required,actual,needed", CASES)
def test_each_rule_kind_by_hand(rule, units, holds, required, actual, needed):
    result = verdict(rule, units)
    assert result.holds is holds
    if required is not None:
        assert result.required == required
    if actual is not None:
        assert result.actual == actual
    if needed is not None:
        assert needed in result.needed
    if holds:
        assert result.needed is None
    else:
        assert result.needed  # a failing rule always says what would fix it


def test_nested_any_of_reports_each_route():
    rule = (
        "{kind: any-of, rules: [{kind: mandatory, units: [6]}, "
        "{kind: all-of, rules: [{kind: units, groups: [A], min: 2}, {kind: barred, units: [3, 4]}]}]}"
    )
    result = verdict(rule, [1, 2, 3])  # route 2: both of A, and not 3 with 4
    assert result.holds
    assert [c.holds for c in result.children] == [False, True]
    assert [c.holds for c in result.children[1].children] == [True, True]
    failing = verdict(rule, [1, 3, 4])
    assert not failing.holds
    assert "unit 6" in failing.needed


def test_equivalent_units_are_not_double_counted_by_id():
    q = toy("{kind: credits, min: 3}")
    assert audit(q, ["u1", "u1"]).achieved  # a set: the same unit twice counts once
    assert audit(q, ["u1"]).results[0].actual == "3 credits"


def test_unknown_unit_is_refused():
    with pytest.raises(InputError, match="has no unit 'u9'"):
        audit(toy("{kind: credits, min: 3}"), ["u9"])


# -- hand-checked pathways from every seed -----------------------------------------------------


def seed(name):
    return load_model(MODELS / f"{name}.yaml")


def check(q, numbers):
    return audit(q, [q.find(str(n)).id for n in numbers])


def test_city_and_guilds_diploma_by_hand():
    q = seed("cg-5530-02-l2-diploma-customer-service")
    # A: 201-205 = 5+2+4+4+4 = 19; B: 206 = 3; C: 211 3, 213 4, 215 5, 222 5 = 17;
    # D: 234 = 7. Total 46, all at Level 2 or above.
    good = [201, 202, 203, 204, 205, 206, 211, 213, 215, 222, 234]
    result = check(q, good)
    assert result.achieved, [(r.rule.key, r.needed) for r in result.failures]
    assert {r.rule.key: r.actual for r in result.results}["R1"] == "46 credits"
    # Add 232 (3 credits, Group D): D = 10 > 7, only the cap fails.
    result = check(q, good + [232])
    assert [r.rule.key for r in result.failures] == ["R4"]
    # Drop 211: C = 14 < 16 and the total 43 < 45 (and so the Level 2 rule too).
    result = check(q, [u for u in good if u != 211])
    assert [r.rule.key for r in result.failures] == ["R1", "R3", "R5"]
    assert "2 more credits" in result.failures[1].needed
    # Without 203 the mandatory group fails.
    result = check(q, [u for u in good if u != 203])
    assert "G1" in [r.rule.key for r in result.failures]


def test_level_4_nvq_diploma_by_hand():
    q = seed("ocr-l4-nvq-diploma-customer-service")
    # F5+F6 = 20 (A); A17 10 and A13 6 (B); B13 10 (C); C5 6 (D); D8 8 and D16 11 (E).
    # Total 71 >= 67; B-E 51 >= 47; one from each; Level 4 in B-E: A17+B13+D16 = 31 >= 15.
    good = ["F5", "F6", "A17", "A13", "B13", "C5", "D8", "D16"]
    assert check(q, good).achieved
    # Only Level 3 options: B 28 (A13-A16), C 6 (B9), D 6 (C5), E 8 (D8) = 48 >= 47, total 68,
    # but no Level 4 credits from B-E: only R4 fails.
    level3 = ["F5", "F6", "A13", "A14", "A15", "A16", "B9", "C5", "D8"]
    result = check(q, level3)
    assert [r.rule.key for r in result.failures] == ["R4"]
    assert result.failures[0].actual == "0 credits"
    # Nothing from Group D: the each-group rule fails and says which group.
    no_d = ["F5", "F6", "A17", "A13", "B13", "B9", "D8", "D16"]
    result = check(q, no_d)
    assert [r.rule.key for r in result.failures] == ["R3"]
    assert "D" in result.failures[0].needed


def test_level_2_nvq_by_hand():
    q = seed("ocr-l2-nvq-customer-service")
    assert check(q, [1, 2, 3, 4, 7]).achieved  # four mandatory plus one optional
    assert [r.rule.key for r in check(q, [1, 2, 3, 4, 5, 6]).failures] == ["R1", "R2"]
    assert [r.rule.key for r in check(q, [1, 2, 3, 4]).failures] == ["R1", "R2"]
    assert [r.rule.key for r in check(q, [1, 2, 3, 5]).failures] == ["G1", "R2"]


def test_certificates_by_hand():
    l2 = seed("ocr-09628-l2-certificate-principles-customer-service")
    l3 = seed("ocr-09629-l3-certificate-principles-customer-service")
    assert check(l2, [1, 2, 3]).achieved
    assert [r.rule.key for r in check(l2, [1, 3]).failures] == ["G1"]
    assert check(l3, [3, 4, 5]).achieved
    assert not check(l3, [4, 5]).achieved
    # unit 3 is the same unit (D/502/9654) in both
    assert l2.find("3").id == l3.find("3").id == "D/502/9654"


def test_ocr_diploma_by_hand():
    q = seed("ocr-l2-diploma-customer-service")
    # A 19; B: 6 = 3; C: 8, 9, 11, 12, 14 = 15 and 10 = 2, so 17; D: 25 = 2 and 37 = 5, so 7.
    # Total 46.
    good = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 14, 25, 37]
    assert check(q, good).achieved
    result = check(q, good + [26])  # D: 9 > 7
    assert [r.rule.key for r in result.failures] == ["R4"]


# -- pathway check through the command line ----------------------------------------------------

CG = str(MODELS / "cg-5530-02-l2-diploma-customer-service.yaml")
GOOD_CG = "201,202,203,204,205,206,211,213,215,222,234"


def test_check_exit_0_when_achieved_with_a_table():
    result = CliRunner().invoke(main, ["check", CG, "--units", GOOD_CG])
    assert result.exit_code == 0, result.output
    assert "Achieved: every rule holds." in result.output
    for key in ("G1", "R1", "R2", "R3", "R4", "R5"):
        assert f"\n{key} " in result.output


def test_check_exit_1_says_what_is_still_needed():
    units = GOOD_CG.replace("211,", "")
    result = CliRunner().invoke(main, ["check", CG, "--units", units])
    assert result.exit_code == 1
    assert "2 more credits from Group C" in result.output


def test_check_json_keys_and_units_by_id_or_number():
    by_number = CliRunner().invoke(main, ["check", CG, "--units", GOOD_CG, "--format", "json"])
    q = load_model(CG)
    ids = ",".join(q.find(n).id for n in GOOD_CG.split(","))
    by_id = CliRunner().invoke(main, ["check", CG, "--units", ids, "--format", "json"])
    assert by_number.stdout == by_id.stdout
    printed = json.loads(by_number.stdout)
    assert {"qualification", "achieved", "units", "credits", "rules", "needed"} <= set(printed)
    assert printed["achieved"] is True and printed["credits"] == 46
    assert [r["key"] for r in printed["rules"]] == ["G1", "R1", "R2", "R3", "R4", "R5"]
    for rule in printed["rules"]:
        assert {"key", "name", "holds", "required", "actual"} <= set(rule)


@pytest.mark.parametrize(
    "args,message",
    [
        (["--units", "201,999"], "999"),
        (["--units", "201,F5"], "F5"),  # a unit of another qualification
        (["--units", "201", "--format", "xml"], "xml"),
    ],
)
def test_check_bad_input_exits_2(args, message):
    result = CliRunner().invoke(main, ["check", CG, *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_check_a_broken_model_names_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("title: T\nunits:\n  - {id: U1, title: One, level: 12}\n")
    result = CliRunner().invoke(main, ["check", str(path), "--units", "U1"])
    assert result.exit_code == 2
    assert f"{path}:3:" in result.output
