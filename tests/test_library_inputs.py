"""The Python library checks its inputs as the command line checks its flags: a single string
is one name (never its characters), values out of the CLI's ranges raise pathway.InputError,
and every message names the Python parameter, while the CLI's messages keep its flag names.

Expected values are read off models/ocr-l2-diploma-customer-service.yaml by hand: unit 1 is
A/506/2130, unit 3 J/506/2132, unit 7 T/506/2126, unit 37 L/503/0394."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner

import pathway
from pathway.cli import main

ROOT = Path(__file__).resolve().parents[1]
MODEL = str(ROOT / "models" / "ocr-l2-diploma-customer-service.yaml")
QID = "ocr-l2-diploma-customer-service"


@pytest.fixture(scope="module")
def base():
    return pathway.load(MODEL)


# -- 1. a single string is one name ------------------------------------------------------------


def test_a_single_string_achieved_is_one_unit_not_its_characters(base):
    # Before: '37' was split into units 3 and 7 (J/506/2132, T/506/2126).
    assert pathway.with_situation(base, achieved="37").held == ["L/503/0394"]
    assert pathway.with_situation(base, achieved="A/506/2130").held == ["A/506/2130"]


def test_a_single_string_excluded_or_required_is_one_unit(base):
    assert pathway.with_situation(base, excluded="37").excluded == ["L/503/0394"]
    assert pathway.with_situation(base, required="1").required == ["A/506/2130"]


def test_a_single_string_objective_is_one_objective():
    cheapest = pathway.load(ROOT / "scenarios" / "ocr-l2-diploma-cheapest.yaml")
    solution = pathway.solve(cheapest, objectives="min-units")
    assert solution.objectives == ["min-units"]
    assert solution.best is not None and solution.best.values == [11]  # as in docs/library.md


def test_a_single_string_to_audit_is_one_unit(base):
    assert pathway.audit(base.qualification, "L/503/0394").units == ("L/503/0394",)


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("weights", "37", "weights: expected a mapping from unit to whole number, got str '37'"),
        ("glh", ["1"], "glh: expected a mapping from unit to whole number, got list ['1']"),
    ],
)
def test_a_mapping_parameter_refuses_a_string_or_list(base, keyword, value, message):
    with pytest.raises(pathway.InputError) as caught:
        pathway.with_situation(base, **{keyword: value})
    assert [str(p) for p in caught.value.problems] == [message]


# -- 2. the CLI's ranges, named as the Python parameters ---------------------------------------


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("top", 0, "top: 0 is not in the range 1<=x<=1000"),
        ("top", 1001, "top: 1001 is not in the range 1<=x<=1000"),
        ("top", "2", "top: '2' is not a whole number"),
        ("top", True, "top: True is not a whole number"),
        ("workers", 0, "workers: 0 is not in the range 1<=x<=64"),
        ("workers", 65, "workers: 65 is not in the range 1<=x<=64"),
        ("time_limit", -1, "time_limit: -1 is not in the range 0<x<=86400"),
        ("time_limit", 0, "time_limit: 0 is not in the range 0<x<=86400"),
        ("time_limit", 86401, "time_limit: 86401 is not in the range 0<x<=86400"),
        ("time_limit", math.nan, "time_limit: nan is not a number"),
    ],
)
def test_solve_refuses_what_the_command_line_refuses(base, keyword, value, message):
    with pytest.raises(pathway.InputError) as caught:
        pathway.solve(base, **{keyword: value})
    assert [str(p) for p in caught.value.problems] == [message]


def test_solve_accepts_the_ends_of_each_range(base):
    solution = pathway.solve(base, top=1, workers=1, time_limit=86400)
    assert solution.status is pathway.Status.OPTIMAL
    assert solution.objectives == ["min-glh"]


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("max_glh", -5, "max_glh: -5 is not in the range 0<=x<=1000000000"),
        ("max_units", 10**9 + 1, "max_units: 1000000001 is not in the range 0<=x<=1000000000"),
        ("max_credits", 2.5, "max_credits: 2.5 is not a whole number"),
    ],
)
def test_with_situation_refuses_budgets_the_command_line_refuses(base, keyword, value, message):
    # Before: max_glh=-5 was taken as a budget, and the solve said infeasible.
    with pytest.raises(pathway.InputError) as caught:
        pathway.with_situation(base, **{keyword: value})
    assert [str(p) for p in caught.value.problems] == [message]


def test_a_budget_of_zero_is_allowed(base):
    assert pathway.with_situation(base, max_glh=0).budget.max_glh == 0


# -- messages name the parameter from Python, the flag from the command line --------------------


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("achieved", ["nope"], f"achieved: {QID} has no unit 'nope' (give a unit id, number or URN)"),
        ("excluded", ["nope"], f"excluded: {QID} has no unit 'nope' (give a unit id or printed number)"),
        ("required", ["nope"], f"required: {QID} has no unit 'nope' (give a unit id or printed number)"),
        ("weights", {"nope": 3}, f"weights: {QID} has no unit 'nope' (give a unit id or printed number)"),
        ("glh", {"nope": 3}, f"glh: {QID} has no unit 'nope' (give a unit id or printed number)"),
    ],
)  # fmt: skip
def test_with_situation_names_the_python_parameter(base, keyword, value, message):
    with pytest.raises(pathway.InputError) as caught:
        pathway.with_situation(base, **{keyword: value})
    assert [str(p) for p in caught.value.problems] == [message]


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("--achieved", f"--achieved: {QID} has no unit 'nope' (give a unit id, number or URN)"),
        ("--exclude", f"--exclude: {QID} has no unit 'nope' (give a unit id or printed number)"),
        ("--require", f"--require: {QID} has no unit 'nope' (give a unit id or printed number)"),
    ],
)
def test_the_command_line_still_names_its_flags(flag, message):
    result = CliRunner().invoke(main, ["solve", MODEL, flag, "nope"])
    assert result.exit_code == 2
    assert message in result.output


# -- 3. audit ------------------------------------------------------------------------------------


def test_audit_of_an_unknown_unit_is_an_input_error_like_pathway_check(base):
    q = base.qualification
    with pytest.raises(pathway.InputError) as caught:
        pathway.audit(q, ["nope"])
    (problem,) = caught.value.problems
    assert problem.path == "unit_ids"
    assert problem.message.startswith(f"{QID} has no unit 'nope' ")
    # pathway check says the same of the same unit, at its flag
    result = CliRunner().invoke(main, ["check", MODEL, "--units", "nope"])
    assert result.exit_code == 2
    assert f"--units: {QID} has no unit 'nope' " in result.output


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("weights", {"1": "abc"}, "weights 1: 'abc' is not a whole number"),
        ("weights", {"1": 10**7}, "weights 1: 10000000 is not in the range -1000000<=x<=1000000"),
        ("glh", {"1": -3}, "glh 1: -3 is not in the range 0<=x<=1000000000"),
    ],
)
def test_values_in_a_mapping_are_checked_as_the_command_line_checks_them(
    base, keyword, value, message
):
    # --prefer takes weights of either sign up to a million, --glh whole hours from 0; a
    # library caller's mapping got int() (a bare ValueError for 'abc') and no range.
    with pytest.raises(pathway.InputError) as raised:
        pathway.with_situation(base, **{keyword: value})
    assert str(raised.value) == message


def test_values_in_range_are_kept(base):
    s = pathway.with_situation(base, weights={"1": -1_000_000, "2": 1_000_000}, glh={"3": 0})
    assert s.unit_weights == {"A/506/2130": -1_000_000, "F/506/2131": 1_000_000}
    assert s.glh == {"J/506/2132": 0}
