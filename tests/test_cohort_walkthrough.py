"""`pathway plan`: defects found by a user walk-through, each against values worked by hand or by
the oracle (tests/oracle.py, no CP-SAT): units named under `centre` by `model-id:unit-id` or URN
(once silently ignored), min_class above class_size, the figures behind a max_glh refusal, and
the plan's words (no internal names, a reason printed once)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import oracle
from pathway.cli import main
from pathway.cohort import load_cohort
from pathway.cohort_plan import Plan, plan
from pathway.loader import load_model
from pathway.solver import Status
from test_cohort import brute_plan, write_cohort

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
DIPLOMA = "ocr-l2-diploma-customer-service"
CG = "cg-5530-02-l2-diploma-customer-service"
# Unit 24 of the OCR diploma: its id is its URN (models/ocr-l2-diploma-customer-service.yaml).
UNIT_24 = "D/506/2170"


def diploma_cohort(tmp_path: Path, centre: str, learners: str, name: str = "u.yaml") -> Path:
    (tmp_path / "models").mkdir(exist_ok=True)
    for model in (DIPLOMA, CG):
        text = (MODELS / f"{model}.yaml").read_text(encoding="utf-8")
        (tmp_path / "models" / f"{model}.yaml").write_text(text, encoding="utf-8")
    path = tmp_path / name
    text = f"cohort: U\nqualification: {DIPLOMA}\ncentre:\n  class_size: 8\n{centre}learners:\n"
    path.write_text(text + learners, encoding="utf-8")
    return path


# -- 1. units named under `centre` by model-id:unit-id or URN ---------------------------------


@pytest.mark.parametrize("ref", ["24", UNIT_24, f"{DIPLOMA}:{UNIT_24}", f"{DIPLOMA}:24"])
def test_every_form_of_a_unit_reference_names_the_same_unit(tmp_path, ref):
    path = diploma_cohort(
        tmp_path, f'  unavailable: ["{ref}"]\n  glh: {{"{ref}": 30}}\n', "  - id: a\n"
    )
    cohort = load_cohort(path)
    assert cohort.centre.unavailable == [UNIT_24]
    assert cohort.centre.glh == {UNIT_24: 30}


def test_a_model_reference_makes_the_unit_unavailable_to_the_plan(tmp_path):
    # The walk-through: b must take unit 24, which the centre says (as model-id:unit-id) it
    # cannot run, so b has no pathway even alone: infeasible, exit 1, as with `[24]`.
    learners = "  - id: a\n  - id: b\n    required: [24]\n"
    for ref in (f"{DIPLOMA}:{UNIT_24}", "24"):
        path = diploma_cohort(tmp_path, f'  unavailable: ["{ref}"]\n', learners)
        result = CliRunner().invoke(main, ["plan", str(path), "--format", "json"])
        assert result.exit_code == 1, result.output
        data = json.loads(result.stdout)
        assert data["status"] == "infeasible"
        assert [e["id"] for e in data["explanation"]["learners"]] == ["b"]
        assert "the centre cannot run unit 24" in data["explanation"]["learners"][0]["reason"]
        validated = CliRunner().invoke(main, ["validate", str(path)])
        assert validated.exit_code == 0, validated.output


def test_a_unit_the_centre_cannot_run_is_never_offered(tmp_path):
    # a alone, unit 37 (L/503/0394, on every cheapest pathway: the oracle's min-glh rises
    # without it) out by model reference: a's cheapest pathway without it is the taught GLH.
    path = diploma_cohort(tmp_path, f'  unavailable: ["{DIPLOMA}:37"]\n', "  - id: a\n")
    q = load_model(MODELS / f"{DIPLOMA}.yaml")
    free = oracle.optimum(oracle.Problem(q), "min-glh")
    expected = oracle.optimum(oracle.Problem(q, excluded=frozenset({"L/503/0394"})), "min-glh")
    assert expected > free  # so a plan that ignored the reference would show it
    result = plan(load_cohort(path))
    assert result.status == "optimal" and result.value == [expected]
    assert "L/503/0394" not in {u.key for u in result.offer}


def test_a_urn_names_the_unit_in_every_learners_qualification(tmp_path):
    # CG 5530's unit 201 is A/506/2130, OCR's unit 1 (both model files give that URN): named
    # as `cg-...:201`, the unit is out for the OCR learner too.
    learners = f"  - id: a\n  - id: c\n    qualification: {CG}\n"
    path = diploma_cohort(tmp_path, f'  unavailable: ["{CG}:201"]\n', learners)
    assert load_cohort(path).centre.unavailable == ["A/506/2130"]


TINY = """\
title: Tiny
units:
  - {id: T1, number: 1, title: One, credit: 4, level: 2, glh: 9, equivalents: ["other:X9"]}
  - {id: T2, number: 2, title: Two, credit: 4, level: 2, glh: 5}
rules:
  - {kind: credits, min: 4, name: floor}
"""


@pytest.mark.parametrize("ref", ["tiny:1", "tiny:T1", "1"])
def test_units_without_a_urn_resolve_too(tmp_path, ref):
    # T1 has no URN: its key is tiny:T1, named as the model's own unit by id or number. With
    # T1 out, a takes T2: 5 GLH.
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    text = f'qualification: tiny.yaml\ncentre: {{class_size: 2, unavailable: ["{ref}"]}}\n'
    path = tmp_path / "c.yaml"
    path.write_text(text + "learners: [{id: a}]\n", encoding="utf-8")
    cohort = load_cohort(path)
    assert cohort.centre.unavailable == ["tiny:T1"]
    assert plan(cohort).value == [5]


OTHER = """\
title: Other
units:
  - {id: X9, number: 9, title: Nine, credit: 4, level: 2, glh: 7}
rules:
  - {kind: credits, min: 4, name: floor}
"""


def test_an_equivalent_names_its_own_unit_not_the_one_listing_it(tmp_path):
    # T1 lists other:X9 among its equivalents (holding X9 counts as holding T1), but X9 is
    # other's unit, another class: the centre giving X9 1 GLH leaves T1 at 9, so a's cheapest
    # is T2 at 5 (T1 at 1 GLH would make it 1). No learner takes `other`, found beside the
    # cohort as a `qualification:` is: the entry applies to nobody.
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(OTHER, encoding="utf-8")
    centre = 'centre: {class_size: 2, unavailable: ["other:9"], glh: {"other:X9": 1}}\n'
    path = tmp_path / "c.yaml"
    path.write_text(f"qualification: tiny.yaml\n{centre}learners: [{{id: a}}]\n", "utf-8")
    cohort = load_cohort(path)
    assert cohort.centre.unavailable == ["other:X9"] and cohort.centre.glh == {"other:X9": 1}
    result = plan(cohort)
    assert result.status == "optimal" and result.value == [5]
    assert [(u.key, u.classes) for u in result.offer] == [("tiny:T2", 1)]
    # Without other.yaml, `other` is no model: a located error for each entry naming it.
    (tmp_path / "other.yaml").unlink()
    result = CliRunner().invoke(main, ["plan", str(path)])
    assert result.exit_code == 2, result.output
    missing = (
        "no learner's qualification is 'other' (the cohort's: tiny), and no model 'other' is "
        "found (looked beside the cohort file, in its models/ and ../models/, and ./models/)"
    )
    assert result.stderr.splitlines() == [
        f"{path}:2:39: centre.unavailable: {missing}",
        f"{path}:2:57: centre.glh: {missing}",
    ]


# A newer version of a unit (A/000/0001) lists the withdrawn one (Y/000/0099) among its
# equivalents; the old qualification still has the withdrawn unit. a takes the new, b the old.
NEWQ = """\
title: New qualification
units:
  - {id: A/000/0001, number: 1, title: Records, credit: 5, level: 2, glh: 30,
     equivalents: [Y/000/0099]}
  - {id: A/000/0002, number: 2, title: Other, credit: 5, level: 2, glh: 20}
groups:
  - {id: A, title: All, mandatory: true, units: [1, 2]}
"""
OLDQ = """\
title: Old qualification
units:
  - {id: Y/000/0099, number: 9, title: Withdrawn records, credit: 5, level: 2, glh: 30}
  - {id: A/000/0002, number: 2, title: Other, credit: 5, level: 2, glh: 20}
groups:
  - {id: A, title: All, mandatory: true, units: [9, 2]}
"""


@pytest.mark.parametrize(
    ("centre", "b", "taught", "offer"),
    [
        # The centre no longer runs Y, which b holds: a takes A1 (30) and A2 (20), b A2 in
        # a's class. 50; A1 is still runnable (before, Y reached it: a could not complete).
        (
            "  unavailable: [Y/000/0099]\n",
            "    achieved: [Y/000/0099]\n",
            50,
            {"A/000/0001": (["a"], 30), "A/000/0002": (["a", "b"], 20)},
        ),
        # Y's hours are Y's: A1 keeps its 30, Y runs for b at 10. 30 + 20 + 10 = 60.
        (
            "  glh: {Y/000/0099: 10}\n",
            "",
            60,
            {
                "A/000/0001": (["a"], 30),
                "A/000/0002": (["a", "b"], 20),
                "Y/000/0099": (["b"], 10),
            },
        ),
        # Both given, each its own unit (not one unit given twice): 40 + 20 + 10 = 70.
        (
            "  glh: {A/000/0001: 40, Y/000/0099: 10}\n",
            "",
            70,
            {
                "A/000/0001": (["a"], 40),
                "A/000/0002": (["a", "b"], 20),
                "Y/000/0099": (["b"], 10),
            },
        ),
    ],
)
def test_the_centre_naming_a_withdrawn_equivalent_leaves_the_new_unit_alone(
    tmp_path, centre, b, taught, offer
):
    (tmp_path / "newq.yaml").write_text(NEWQ, encoding="utf-8")
    (tmp_path / "oldq.yaml").write_text(OLDQ, encoding="utf-8")
    text = (
        f"qualification: newq.yaml\ncentre:\n  class_size: 10\n{centre}learners:\n"
        f"  - id: a\n  - id: b\n    qualification: oldq.yaml\n{b}"
    )
    path = write_cohort(tmp_path, text)
    result = CliRunner().invoke(main, ["plan", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "optimal" and data["totals"]["taught_glh"] == taught
    assert {u["unit"]: (u["learners"], u["glh"]) for u in data["offer"]} == offer
    assert brute_plan(load_cohort(path)) == [taught]


@pytest.mark.parametrize(
    ("entry", "column", "message"),
    [
        (
            f'  unavailable: ["{DIPLOMA}:NOPE"]\n',
            17,
            f"centre.unavailable: {DIPLOMA} has no unit 'NOPE'",
        ),
        (
            f'  glh: {{"{CG}:CG5530-999": 5}}\n',
            9,
            f"centre.glh: {CG} has no unit 'CG5530-999' (did you mean 'CG5530-235'?)",
        ),
        (
            '  unavailable: ["nobody:24"]\n',
            17,
            "centre.unavailable: no learner's qualification is 'nobody'",
        ),
    ],
)
def test_a_reference_to_no_unit_is_bad_input_for_plan_and_validate(
    tmp_path, entry, column, message
):
    # Line 5 is the entry (after cohort, qualification, centre, class_size); the column is
    # where the reference starts in it. CG5530-235 is the CG diploma's unit id nearest.
    learners = f"  - id: a\n  - id: c\n    qualification: {CG}\n"
    path = diploma_cohort(tmp_path, entry, learners)
    located = f"u.yaml:5:{column}: {message}"
    for command in ("plan", "validate"):
        result = CliRunner().invoke(main, [command, str(path)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert located in result.output, result.output
        assert sum(line.count("u.yaml:") for line in result.output.splitlines()) == 1


# -- 2. min_class larger than class_size ----------------------------------------------------

FOUR = """\
qualification: ocr-09628-l2-certificate-principles-customer-service
centre:
  class_size: 3
  min_class: {least}
  glh: {{1: 30, 2: 40, 3: 50}}
learners: [{{id: a}}, {{id: b}}, {{id: c}}, {{id: d}}]
"""


@pytest.mark.parametrize("least", [3, 4])
def test_min_class_above_class_size_counts_the_units_learners_in_all(tmp_path, least):
    # Four learners, every unit of the certificate mandatory: each unit has 4 learners, which
    # is at least min_class (3 or 4), in ceil(4 / 3) = 2 classes: 2 x (30 + 40 + 50) = 240.
    path = write_cohort(tmp_path, FOUR.format(least=least))
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
    cohort = load_cohort(path)
    result = plan(cohort)
    assert result.status == "optimal" and result.value == [240] == brute_plan(cohort)
    assert {u.key: (len(u.learners), u.classes) for u in result.offer} == {
        "R/502/9652": (4, 2),
        "Y/502/9653": (4, 2),
        "D/502/9654": (4, 2),
    }


def test_min_class_above_the_cohort_leaves_no_plan_and_blames_min_class(tmp_path):
    # min_class 5 with 4 learners: no unit can run, so nobody completes, because of min_class.
    path = write_cohort(tmp_path, FOUR.format(least=5))
    cohort = load_cohort(path)
    assert brute_plan(cohort) is None
    result = plan(cohort)
    assert result.status == "infeasible"
    assert result.explanation["centre"] == ["min_class"]
    assert plan(replace(cohort, objective="max-completing")).value == [0, 0]


# -- 3. the figures behind a max_glh refusal --------------------------------------------------


def test_max_glh_refusal_gives_the_allowance_and_the_least_needed(tmp_path):
    # One learner: the least taught GLH is their own cheapest pathway, which the oracle gives.
    q = load_model(MODELS / f"{DIPLOMA}.yaml")
    cheapest = oracle.optimum(oracle.Problem(q), "min-glh")
    assert cheapest == 245  # the walk-through's figure, as `solve --max-glh 100` gives it
    path = diploma_cohort(tmp_path, "  max_glh: 100\n", "  - id: a\n")
    result = CliRunner().invoke(main, ["plan", str(path), "--format", "json"])
    assert result.exit_code == 1
    reason = json.loads(result.stdout)["explanation"]["learners"][0]["reason"]
    assert reason == (
        "has a pathway alone, but not within the centre's max_glh: the centre allows at most "
        f"100 taught GLH; the cheapest plan otherwise needs {cheapest} GLH"
    )
    table = CliRunner().invoke(main, ["plan", str(path)]).stdout
    assert table.splitlines()[0] == "Cohort: U (1 learner)"
    assert f"  a: {reason}" in table.splitlines()


CERTIFICATES = """\
centre:
  class_size: 4
  min_class: {least}
  max_glh: 200
  glh: {{R/502/9652: 30, Y/502/9653: 40, D/502/9654: 50, H/502/9655: 60, K/502/9656: 70}}
learners:
  - {{id: a, qualification: ocr-09628-l2-certificate-principles-customer-service}}
  - {{id: b, qualification: ocr-09628-l2-certificate-principles-customer-service}}
  - {{id: c, qualification: ocr-09629-l3-certificate-principles-customer-service}}
  - {{id: d, qualification: ocr-09629-l3-certificate-principles-customer-service}}
"""


@pytest.mark.parametrize(
    ("least", "blamed", "otherwise"),
    [(1, ["max_glh"], "otherwise"), (3, ["min_class", "max_glh"], "without min_class and max_glh")],
)
def test_max_glh_figures_for_a_cohort(tmp_path, least, blamed, otherwise):
    # Every unit is mandatory; D/502/9654 is in both certificates. In classes of 4 each of the
    # five units runs once: 30 + 40 + 50 + 60 + 70 = 250 > 200. With min_class 3 the two-
    # learner units cannot run either, and 250 is the least with both limits dropped.
    path = write_cohort(tmp_path, CERTIFICATES.format(least=least))
    cohort = load_cohort(path)
    unlimited = replace(cohort, centre=replace(cohort.centre, max_glh=None, min_class=1))
    assert brute_plan(unlimited) == [250]
    result = plan(cohort)
    assert result.status == "infeasible"
    assert result.explanation["centre"] == blamed
    reasons = {e["reason"] for e in result.explanation["learners"]}
    named = " and ".join(blamed)
    assert reasons == {
        (
            f"has a pathway alone, but not within the centre's {named}: the centre allows at "
            f"most 200 taught GLH; the cheapest plan {otherwise} needs 250 GLH"
        )
    }


def test_an_unproven_max_glh_figure_says_at_least(tmp_path, monkeypatch):
    # No time to prove the least: the figure is a bound, and (max_glh alone to blame) more
    # than the allowance; never more than the true least (245, the oracle's above).
    from pathway import cohort_plan

    monkeypatch.setattr(cohort_plan, "_TRIAL_LIMIT", 1e-6)
    path = diploma_cohort(tmp_path, "  max_glh: 100\n", "  - id: a\n")
    reason = plan(load_cohort(path)).explanation["learners"][0]["reason"]
    prefix = "the cheapest plan otherwise needs "
    figure = reason.split(prefix, 1)[1]
    if figure.startswith("at least "):
        least = int(figure.split()[2].replace(",", ""))
        assert 101 <= least <= 245
        assert figure.endswith("GLH (not proven the least: the time for it ran out)")
    else:  # proven even so (presolve alone can settle one learner)
        assert figure == "245 GLH"


def test_one_time_limit_bounds_every_explaining_solve(tmp_path, monkeypatch):
    # With no time for any explaining solve, neither the search for the limits to blame nor
    # the max_glh figure runs: every limit present is blamed, not proven the fewest
    # (minimal false), and the reason gives only the allowance (README, "Who cannot complete").
    from pathway import cohort_plan

    monkeypatch.setattr(cohort_plan, "_TRIAL_LIMIT", 0.0)
    result = plan(load_cohort(write_cohort(tmp_path, CERTIFICATES.format(least=3))))
    assert result.status == "infeasible"
    assert (result.explanation["centre"], result.explanation["minimal"]) == (
        ["min_class", "max_glh"],
        False,
    )
    reason = (
        "has a pathway alone, but not within the centre's min_class and max_glh: the centre "
        "allows at most 200 taught GLH"
    )
    assert {e["reason"] for e in result.explanation["learners"]} == {reason}


# -- 4. the plan in words ---------------------------------------------------------------------


def headline(status, objective: str, value, bound=None, bound_on=None) -> list[str]:
    from pathway.cohort import Centre, Cohort
    from pathway.cohort_report import _headline

    cohort = Cohort("x.yaml", "X", Centre(class_size=4), [], objective)
    shown = Plan(cohort, status, objective, value=value, bound=bound, bound_on=bound_on)
    return _headline(shown)[:3]


def test_the_status_line_says_the_objective_in_words():
    assert headline(Status.OPTIMAL, "max-completing", [7, 490])[1] == (
        "Status: optimal; 7 learners completing, 490 taught GLH"
    )
    assert headline(Status.OPTIMAL, "max-completing", [1, 1065])[1] == (
        "Status: optimal; 1 learner completing, 1,065 taught GLH"
    )
    # gap = (1100 - 1065) / 1100 = 3.18%; (7 - 9) / 7 = 28.57%
    assert headline(Status.FEASIBLE, "min-taught-glh", [1100], 1065, "taught_glh")[2] == (
        "Not proven: the least taught GLH is at least 1,065 (gap 3.18%)"
    )
    assert headline(Status.FEASIBLE, "max-completing", [7, 490], 9, "completing")[2] == (
        "Not proven: at most 9 learners can complete (gap 28.57%)"
    )
    assert headline(Status.INFEASIBLE, "min-taught-glh", None)[0] == "Cohort: X (0 learners)"


def test_a_max_completing_plan_prints_its_value_in_words(tmp_path):
    # test_cohort's max_units case: 2 of 4 complete at 30 + 40 + 50 = 120 taught GLH.
    text = CERTIFICATES.format(least=1).replace("  max_glh: 200\n", "  max_units: 3\n")
    path = write_cohort(tmp_path, text + "objective: max-completing\n")
    assert brute_plan(load_cohort(path)) == [2, 120]
    result = CliRunner().invoke(main, ["plan", str(path)])
    assert result.exit_code == 0, result.output
    assert "Status: optimal; 2 learners completing, 120 taught GLH" in result.stdout.splitlines()
    assert "max-completing =" not in result.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_an_infeasible_plan_gives_each_reason_once(tmp_path, fmt):
    # The walk-through's max_glh cohort: the reason is printed below the learners, not also in
    # their table's "units to take" column (which made 190-character lines).
    path = diploma_cohort(tmp_path, "  max_glh: 100\n", "  - id: a\n  - id: b\n")
    result = CliRunner().invoke(main, ["plan", str(path), "--format", fmt])
    assert result.exit_code == 1, result.output
    reason = "has a pathway alone, but not within the centre's max"  # Markdown escapes _
    assert result.stdout.count(reason) == 2  # a's line and b's line below, nowhere else
    rows = [line for line in result.stdout.splitlines() if line.lstrip("| ").startswith("a ")]
    assert rows and all(reason not in row for row in rows)
