"""`pathway plan`: the joint cohort model against exact optima computed another way (brute force
over every combination of the learners' pathways, each judged by the auditor through
tests/oracle.py, no CP-SAT), hand-worked cohorts on the seed certificates, the auditor's
re-check, honest time limits, and bad cohort files (one located message each, exit 2)."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import generate
import oracle
from pathway.cli import main
from pathway.cohort import Centre, Cohort, Learner, load_cohort
from pathway.cohort_plan import plan
from pathway.errors import InternalError
from pathway.scenario import scenario_for_model

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cohorts"
MODELS = ROOT / "models"


# -- the brute-force oracle --------------------------------------------------------------------


def key_of(q, uid: str) -> str:
    """The README's rule: units are one unit for classes by URN, else model-id:unit-id."""
    unit = q.unit(uid)
    return unit.urn or f"{q.id}:{uid}"


def learner_problem(learner: Learner, centre: Centre) -> oracle.Problem:
    """The oracle's question for one learner of the cohort: their own situation, with the
    centre's unavailable units excluded."""
    s = learner.scenario
    q = s.qualification
    off = {u.id for u in q.units if key_of(q, u.id) in centre.unavailable}
    return oracle.Problem(
        q,
        achieved=frozenset(s.held),
        excluded=frozenset(s.excluded) | off,
        required=frozenset(s.required),
    )


def options(learner: Learner, centre: Centre) -> list[frozenset[str]]:
    """Every set of units the learner could be taught on some pathway (held units are never
    taught), by brute force over their unit sets; the centre's unavailable units excluded."""
    problem = learner_problem(learner, centre)
    held = set(learner.scenario.held)
    return sorted(
        {frozenset(u for u in units if u not in held) for units in oracle.feasible_sets(problem)},
        key=sorted,
    )


def glh_of(learner: Learner, centre: Centre, uid: str) -> int:
    q = learner.scenario.qualification
    return centre.glh.get(key_of(q, uid), q.unit(uid).glh)


def taught_glh(cohort: Cohort, pathways) -> int | None:
    """The GLH a centre teaches so that each learner takes the pathway paired with it (None:
    does not complete), in classes of at most class_size; None when that offer breaks a centre
    limit (a class under min_class, more units or GLH than the centre allows)."""
    centre = cohort.centre
    demand: dict[str, int] = {}
    hours: dict[str, int] = {}
    for learner, units in zip(cohort.learners, pathways):
        for uid in units or ():
            key = key_of(learner.scenario.qualification, uid)
            demand[key] = demand.get(key, 0) + 1
            hours[key] = glh_of(learner, centre, uid)
    if any(d < centre.min_class for d in demand.values()):
        return None
    if centre.max_units is not None and len(demand) > centre.max_units:
        return None
    taught = sum(hours[k] * -(-d // centre.class_size) for k, d in demand.items())
    if centre.max_glh is not None and taught > centre.max_glh:
        return None
    return taught


def brute_plan(cohort: Cohort) -> list[int] | None:
    """The exact optimum: [taught GLH] (None when no plan lets all complete), or for
    max-completing [learners completing, taught GLH]; every combination of pathways tried."""
    centre = cohort.centre
    maximise = cohort.objective == "max-completing"
    choices = []
    for learner in cohort.learners:
        found: list[frozenset[str] | None] = list(options(learner, centre))
        if maximise:
            found.append(None)  # does not complete, is taught nothing
        choices.append(found)
    best: tuple[int, int] | None = None
    for combo in itertools.product(*choices):
        taught = taught_glh(cohort, combo)
        if taught is None:
            continue
        completing = sum(units is not None for units in combo)
        score = (-completing, taught)
        if best is None or score < best:
            best = score
    if best is None:
        return None
    return [-best[0], best[1]] if maximise else [best[1]]


def check_plan(result, cohort: Cohort) -> None:
    """The plan printed is a plan: each completing learner's units achieve their qualification
    (judged by the oracle's own feasibility check), and the offer is what those pathways need."""
    centre = cohort.centre
    by_id = {lr.id: lr for lr in cohort.learners}
    demand: dict[str, list[str]] = {}
    for lp in result.learners:
        learner = by_id[lp.id]
        s = learner.scenario
        if not lp.completes:
            assert lp.units == () and lp.to_take == ()
            continue
        problem = oracle.Problem(
            s.qualification,
            achieved=frozenset(s.held),
            excluded=frozenset(s.excluded),
            required=frozenset(s.required),
        )
        assert oracle.is_feasible(problem, lp.units), lp
        assert set(lp.to_take) == set(lp.units) - set(s.held)
        for uid in lp.to_take:
            demand.setdefault(key_of(s.qualification, uid), []).append(lp.id)
        assert lp.glh_to_take == sum(glh_of(learner, centre, u) for u in lp.to_take)
    assert {u.key: sorted(u.learners) for u in result.offer} == {
        k: sorted(v) for k, v in demand.items()
    }
    for u in result.offer:
        assert u.key not in centre.unavailable
        assert u.classes == -(-len(u.learners) // centre.class_size)
        assert len(u.learners) >= centre.min_class


# -- random small cohorts against brute force --------------------------------------------------

SMALL = generate.Options(
    units=(3, 7), credits=0.9, glh=(1, 30), depth=1, held=2, excluded=1, required=1, planted=0.8
)


def random_cohort(seed: int, maximise: bool) -> Cohort:
    choose = generate.RandomChooser(f"cohort-{seed}")
    doc, planted = generate.model_document(choose, SMALL)
    q = generate.build(doc, "random.yaml")
    learners = []
    for i in range(choose.integers(2, 4)):
        situation = generate.situation(choose, doc, planted, SMALL)
        s = scenario_for_model(q)
        s.held, s.excluded = list(situation.held), list(situation.excluded)
        s.required = list(situation.required)
        learners.append(Learner(f"L{i + 1}", s))
    size = choose.integers(1, 3)
    centre = Centre(
        class_size=size,
        min_class=choose.integers(1, size),
        max_units=choose.optional(1, 6) if choose.boolean(0.3) else None,
        max_glh=choose.optional(20, 150) if choose.boolean(0.3) else None,
        unavailable=[f"random:{u}" for u in choose.subset([u.id for u in q.units], 1)],
    )
    objective = "max-completing" if maximise else "min-taught-glh"
    return Cohort("random.yaml", f"random {seed}", centre, learners, objective)


@pytest.mark.parametrize("maximise", [False, True], ids=["min-taught-glh", "max-completing"])
@pytest.mark.parametrize("seed", range(30))
def test_random_cohorts_match_brute_force(seed, maximise):
    cohort = random_cohort(seed, maximise)
    expected = brute_plan(cohort)
    result = plan(cohort, workers=1)
    if expected is None:
        assert result.status == "infeasible"
        assert result.explanation is not None
        return
    assert result.status == "optimal"
    assert result.value == expected
    check_plan(result, cohort)
    if maximise and expected[0] < len(cohort.learners):
        stuck = {e["id"] for e in result.explanation["learners"]}
        assert stuck == {lp.id for lp in result.learners if not lp.completes}


def test_the_random_cohorts_are_not_all_trivial():
    # The brute force must meet each kind of case, or the test above proves little.
    outcomes = []
    for seed in range(30):
        cohort = random_cohort(seed, False)
        outcomes.append(brute_plan(cohort))
    assert sum(o is None for o in outcomes) >= 2
    assert sum(o is not None for o in outcomes) >= 15
    shared = sum(
        1
        for seed in range(30)
        if (c := random_cohort(seed, False)).centre.class_size > 1 and brute_plan(c) is not None
    )
    assert shared >= 8


@pytest.mark.parametrize("seed", range(12))
def test_random_cohorts_across_two_qualifications_sharing_a_unit(seed, tmp_path):
    # 09628 and 09629 share D/502/9654 by URN: brute force over both learners' options. The
    # centre's table gives every unit of both its hours, and one seed in three every learner
    # takes one qualification, so the table (and `unavailable`) names units of the other,
    # which no learner takes: they apply to nobody (one table kept for every intake).
    import random

    rng = random.Random(seed)
    units = {
        "ocr-09628-l2-certificate-principles-customer-service": ["1", "2", "3"],
        "ocr-09629-l3-certificate-principles-customer-service": ["3", "4", "5"],
    }
    urns = {
        "ocr-09628-l2-certificate-principles-customer-service": ["R/502/9652", "Y/502/9653"],
        "ocr-09629-l3-certificate-principles-customer-service": ["H/502/9655", "K/502/9656"],
    }
    lines = []
    one = rng.choice(sorted(units)) if seed % 3 == 0 else None
    taken = set()
    for i in range(rng.randint(2, 4)):
        model = one or rng.choice(sorted(units))
        taken.add(model)
        lines.append(f"  - id: p{i}\n    qualification: {model}\n")
        held = rng.sample(units[model], rng.randint(0, 2))
        if held:
            lines.append(f"    achieved: [{', '.join(held)}]\n")
    untaken = [urn for model in sorted(units) if model not in taken for urn in urns[model]]
    size = rng.randint(1, 3)
    text = (
        f"centre:\n  class_size: {size}\n  min_class: {rng.randint(1, size)}\n"
        "  glh: {R/502/9652: 30, Y/502/9653: 40, D/502/9654: 50, H/502/9655: 60, "
        "K/502/9656: 70}\n"
        f"  unavailable: [{', '.join(untaken)}]\n"
        f"objective: {rng.choice(['min-taught-glh', 'max-completing'])}\nlearners:\n"
        + "".join(lines)
    )
    cohort = load_cohort(write_cohort(tmp_path, text))
    # Every entry kept as written (a URN is its unit's key), those of untaken units too.
    assert cohort.centre.unavailable == untaken
    assert cohort.centre.glh == {
        "R/502/9652": 30,
        "Y/502/9653": 40,
        "D/502/9654": 50,
        "H/502/9655": 60,
        "K/502/9656": 70,
    }
    expected = brute_plan(cohort)
    result = plan(cohort)
    if expected is None:
        assert result.status == "infeasible"
    else:
        assert (result.status, result.value) == ("optimal", expected)
        check_plan(result, cohort)


# -- hand-worked cohorts on the seed certificates ----------------------------------------------

CERTIFICATES = """\
cohort: certificates
centre:
  class_size: {size}
  min_class: {least}
  glh: {{R/502/9652: 30, Y/502/9653: 40, D/502/9654: 50, H/502/9655: 60, K/502/9656: 70}}
learners:
  - id: a
    qualification: ocr-09628-l2-certificate-principles-customer-service
  - id: b
    qualification: ocr-09628-l2-certificate-principles-customer-service
    achieved: [D/502/9654]
  - id: c
    qualification: ocr-09629-l3-certificate-principles-customer-service
  - id: d
    qualification: ocr-09629-l3-certificate-principles-customer-service
"""


def write_cohort(tmp_path: Path, text: str, name: str = "cohort.yaml") -> Path:
    (tmp_path / "models").mkdir(exist_ok=True)
    for model in MODELS.glob("ocr-0962*.yaml"):
        (tmp_path / "models" / model.name).write_text(model.read_text(encoding="utf-8"))
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_units_shared_by_urn_share_classes(tmp_path):
    # Every unit is mandatory. D/502/9654 (50 GLH) is in both certificates: a, c and d take it
    # (b holds it), one class of 3. The other units have 2 learners each: one class each.
    # Taught: 30 + 40 + 50 + 60 + 70 = 250. On their own pathways the same (class size 4).
    result = plan(load_cohort(write_cohort(tmp_path, CERTIFICATES.format(size=4, least=1))))
    assert result.status == "optimal" and result.value == [250]
    offer = {u.key: (sorted(u.learners), u.classes) for u in result.offer}
    assert offer["D/502/9654"] == (["a", "c", "d"], 1)
    assert result.individual_glh == 250


def test_class_size_two_splits_the_shared_unit(tmp_path):
    # Class size 2: D/502/9654 has 3 learners, so 2 classes (100); the rest 1 class each.
    result = plan(load_cohort(write_cohort(tmp_path, CERTIFICATES.format(size=2, least=1))))
    assert result.value == [30 + 40 + 100 + 60 + 70]
    assert result.classes == 6


def test_min_class_three_leaves_no_plan_and_says_why(tmp_path):
    # min_class 3: R/502/9652 has only learners a and b; no plan lets every learner complete.
    path = write_cohort(tmp_path, CERTIFICATES.format(size=4, least=3))
    result = plan(load_cohort(path))
    assert result.status == "infeasible"
    assert result.explanation["centre"] == ["min_class"]
    assert {e["id"] for e in result.explanation["learners"]} == {"a", "b", "c", "d"}
    # Most completing instead: nobody can (each certificate has only two learners, and each
    # has a unit only its own two take).
    maxed = plan(replace(load_cohort(path), objective="max-completing"))
    assert maxed.status == "optimal" and maxed.value == [0, 0]


def test_a_unit_limit_is_blamed_for_the_learners_it_holds_back(tmp_path):
    # Five different units are needed for all four; with max_units 3 either the two 09628
    # learners complete (R, Y, D: 30 + 40 + 50 = 120) or the two 09629 learners (D, H, K: 180):
    # most completing is 2, at 120 taught GLH, and c and d are held back by max_units alone.
    text = CERTIFICATES.format(size=4, least=1).replace("  min_class: 1\n", "  max_units: 3\n")
    cohort = replace(load_cohort(write_cohort(tmp_path, text)), objective="max-completing")
    result = plan(cohort)
    assert result.value == [2, 120]
    assert result.explanation["centre"] == ["max_units"]
    assert [e["id"] for e in result.explanation["learners"]] == ["c", "d"]
    assert [lp.id for lp in result.learners if lp.completes] == ["a", "b"]
    assert brute_plan(cohort) == [2, 120]


def test_a_learner_with_no_pathway_alone_is_named_with_the_reason(tmp_path):
    text = CERTIFICATES.format(size=4, least=1) + "    excluded: [H/502/9655]\n"
    result = plan(replace(load_cohort(write_cohort(tmp_path, text)), objective="max-completing"))
    assert result.value == [3, 30 + 40 + 50 + 60 + 70]
    assert [e["id"] for e in result.explanation["learners"]] == ["d"]
    assert "unit 4 is excluded" in result.explanation["learners"][0]["reason"]  # H/502/9655
    # With min-taught-glh the same cohort has no plan, and the same learner is named.
    strict = plan(load_cohort(write_cohort(tmp_path, text)))
    assert strict.status == "infeasible"
    assert [e["id"] for e in strict.explanation["learners"]] == ["d"]


def test_the_auditor_rejecting_a_pathway_is_an_internal_error(tmp_path, monkeypatch):
    from pathway import cohort_plan

    real = cohort_plan._read

    def broken(joint, types, r):
        learners, offer = real(joint, types, r)
        learners[0].units = learners[0].units[1:]  # drop a mandatory unit
        return learners, offer

    monkeypatch.setattr(cohort_plan, "_read", broken)
    with pytest.raises(InternalError, match="auditor"):
        plan(load_cohort(write_cohort(tmp_path, CERTIFICATES.format(size=4, least=1))))


# -- the shipped examples and the command --------------------------------------------------------

JSON_KEYS = {"status", "objective", "offer", "learners", "totals", "explanation"}


def test_the_example_plans_from_a_list_and_from_csv_agree():
    runner = CliRunner()
    listed = runner.invoke(
        main, ["plan", str(EXAMPLES / "september-intake.yaml"), "--format", "json"]
    )
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert JSON_KEYS <= set(data)
    assert set(data["objective"]) == {"name", "value"}
    assert set(data["offer"][0]) == {"unit", "title", "learners", "classes", "glh"}
    # The keys, plus the ones added since (never renamed): the preferences met.
    learner_keys = {"id", "qualification", "status", "units", "glh_to_take"}
    assert set(data["learners"][0]) == learner_keys | {"preference"}
    totals_keys = {"taught_glh", "units_run", "classes", "learners_completing"}
    assert set(data["totals"]) == totals_keys | {"preference", "preference_proven"}
    assert data["totals"]["taught_glh"] == sum(u["glh"] for u in data["offer"])
    assert data["comparison"]["individual_cheapest_glh"] >= data["totals"]["taught_glh"]
    from_csv = runner.invoke(main, ["plan", str(EXAMPLES / "from-csv.yaml"), "--format", "json"])
    assert from_csv.exit_code == 0, from_csv.output
    other = json.loads(from_csv.stdout)
    assert other["objective"] == data["objective"] and other["totals"] == data["totals"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_every_format_prints(fmt):
    result = CliRunner().invoke(
        main, ["plan", str(EXAMPLES / "september-intake.yaml"), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    assert "A/506/1964" in result.stdout  # unit 4, mandatory, runs in every plan


def test_the_schema_accepts_the_examples_and_refuses_a_typo():
    import jsonschema
    import yaml

    printed = CliRunner().invoke(main, ["schema", "cohort"])
    assert printed.exit_code == 0
    validator = jsonschema.Draft202012Validator(json.loads(printed.stdout))
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assert not list(validator.iter_errors(yaml.safe_load(path.read_text()))), path
    assert list(validator.iter_errors({"centre": {"class_sise": 8}, "learners": "x.csv"}))


def test_a_time_limit_gives_an_honest_bound():
    # 16 learners of the seed diploma (bench/cohort_speed.py's first cohort): HiGHS proves the
    # optimum is 431 taught GLH (bench/cohort_speed.py prints it); CP-SAT takes far longer than
    # a second to prove it, so a 1 s limit must give a plan and a bound either side of 431.
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from cohort_speed import bench_cohort

    result = plan(bench_cohort(16, seed=0), time_limit=1.5, workers=1)
    assert result.status in ("feasible", "optimal", "unknown")
    if result.status == "feasible":
        assert result.bound_on == "taught_glh"
        assert result.bound <= 431 <= result.value[0]
    if result.status == "optimal":
        assert result.value == [431]


# -- bad cohort files ----------------------------------------------------------------------------

Q = "qualification: ocr-09628-l2-certificate-principles-customer-service\n"
CERTIFICATE = "ocr-09628-l2-certificate-principles-customer-service"
L3 = "ocr-09629-l3-certificate-principles-customer-service"
BAD = {
    "unknown field": (
        "centre: {class_size: 8}\nlearners: [{id: a}]\nqualification: q\ncolour: red\n",
        "cohort.yaml:4:1: unknown field 'colour' in a cohort",
    ),
    "no centre": (Q + "learners: [{id: a}]\n", "a cohort is missing required field 'centre'"),
    "unknown unit": (
        Q + "centre: {class_size: 2}\nlearners:\n  - id: a\n    achieved: [9]\n",
        f"cohort.yaml:5:16: achieved: {CERTIFICATE} has no unit '9'",
    ),
    "learner twice": (
        Q + "centre: {class_size: 2}\nlearners:\n  - id: a\n  - id: a\n",
        "cohort.yaml:5:9: learner id 'a' is used twice (first at line 4)",
    ),
    "no qualification": (
        "centre: {class_size: 2}\nlearners:\n  - id: a\n",
        "learner 'a' names no qualification and the cohort gives no default",
    ),
    "unknown model": (
        (
            "qualification: ocr-09999\ncentre: {class_size: 2, unavailable: [3]}\n"
            "learners: [{id: a}, {id: b}]\n"
        ),
        "cohort.yaml:1:16: qualification: no model 'ocr-09999' found",
    ),
    "unavailable unknown": (
        Q + "centre: {class_size: 2, unavailable: [7]}\nlearners: [{id: a}]\n",
        f"cohort.yaml:2:39: centre.unavailable: {CERTIFICATE} has no unit '7'",
    ),
    # `model-id:unit-id` and URNs go through the same resolver as ids: one naming no unit of
    # the cohort is refused where it is written (it was silently ignored).
    "unavailable model ref unknown unit": (
        Q + f'centre: {{class_size: 2, unavailable: ["{CERTIFICATE}:9"]}}\nlearners: [{{id: a}}]\n',
        f"cohort.yaml:2:39: centre.unavailable: {CERTIFICATE} has no unit '9'",
    ),
    "unavailable model no learner takes": (  # a typo of the certificate's id
        Q + f'centre: {{class_size: 2, unavailable: ["{CERTIFICATE[:-1]}:1"]}}\n'
        "learners: [{id: a}]\n",
        (
            "cohort.yaml:2:39: centre.unavailable: no learner's qualification is "
            f"'{CERTIFICATE[:-1]}' (did you mean '{CERTIFICATE}'?)"
        ),
    ),
    # A well-formed URN no learner's qualification has is accepted (it applies to nobody: see
    # test_a_centre_table_naming_units_no_learner_takes_is_accepted); one a character short is
    # no URN, so it is looked up among the cohort qualification's ids and numbers.
    "unavailable urn a character short": (
        Q + "centre: {class_size: 2, unavailable: [R/502/965]}\nlearners: [{id: a}]\n",
        (
            f"cohort.yaml:2:39: centre.unavailable: {CERTIFICATE} has no unit 'R/502/965' "
            "(did you mean 'R/502/9652'?)"
        ),
    ),
    # 09629 is found in models/ though no learner takes it: its own units are checked.
    "glh model no learner takes unknown unit": (
        Q + f'centre: {{class_size: 2, glh: {{"{L3}:9": 5}}}}\nlearners: [{{id: a}}]\n',
        f"cohort.yaml:2:31: centre.glh: {L3} has no unit '9'",
    ),
    "glh model ref typo": (
        Q + "centre:\n  class_size: 2\n  glh:\n    1: 3\n"
        f"    {CERTIFICATE}:R/502/9653: 4\nlearners: [{{id: a}}]\n",
        f"cohort.yaml:6:5: centre.glh: {CERTIFICATE} has no unit 'R/502/9653' (did you mean",
    ),
    "glh given twice": (
        Q + "centre:\n  class_size: 2\n  glh: {1: 3, 2: 4, 3: 5, R/502/9652: 6}\n"
        "learners: [{id: a}]\n",
        (
            "cohort.yaml:4:27: centre.glh: 'R/502/9652' is unit R/502/9652, already given 3 GLH "
            "as '1' (line 4), here 6"
        ),
    ),
    "missing csv": (
        Q + "centre: {class_size: 2}\nlearners: nobody.csv\n",
        "cohort.yaml:3:11: learners: no file 'nobody.csv'",
    ),
    "csv is a folder": (
        Q + "centre: {class_size: 2}\nlearners: .\n",
        "cohort.yaml:3:11: learners: '.' is a folder, not a CSV file",
    ),
    "csv is a device": (
        Q + "centre: {class_size: 2}\nlearners: /dev/zero\n",
        "cohort.yaml:3:11: learners: '/dev/zero' is not a regular file (a device or a pipe)",
    ),
    "no glh": (
        Q + "centre: {class_size: 2}\nlearners: [{id: a}]\n",
        (
            f"learner 'a': taught GLH is counted, but {CERTIFICATE} gives no GLH for unit 1, "
            "unit 2, unit 3"
        ),
    ),
    "bad objective": (
        "qualification: q\ncentre: {class_size: 2}\nobjective: min-glh\nlearners: [{id: a}]\n",
        "cohort.yaml:3:12: objective is 'min-glh'",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_cohort_file_gets_one_located_message_and_exit_2(tmp_path, name):
    text, message = BAD[name]
    path = write_cohort(tmp_path, text)
    result = CliRunner().invoke(main, ["plan", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_centre_table_naming_units_no_learner_takes_is_accepted(tmp_path):
    # One hours table for every intake: this intake takes 09628 only (units R/502/9652,
    # Y/502/9653, D/502/9654, all mandatory), the table and `unavailable` also name 09629's
    # H/502/9655 and K/502/9656, by URN and as `09629-model:4`. Two learners share one class
    # of each of the three units: 30 + 40 + 50 = 120, the same as without those entries.
    text = (
        Q + "centre:\n  class_size: 8\n"
        f'  unavailable: [K/502/9656, "{L3}:4"]\n'
        "  glh: {R/502/9652: 30, Y/502/9653: 40, D/502/9654: 50, H/502/9655: 60, "
        "K/502/9656: 70}\nlearners: [{id: a}, {id: b}]\n"
    )
    path = write_cohort(tmp_path, text)
    for command in ("validate", "plan"):
        result = CliRunner().invoke(main, [command, str(path)])
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
    result = CliRunner().invoke(main, ["plan", str(path), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["status"] == "optimal" and data["totals"]["taught_glh"] == 120
    cohort = load_cohort(path)
    assert brute_plan(cohort) == [120]
    assert cohort.centre.unavailable == ["K/502/9656", "H/502/9655"]  # 09629's unit 4


def test_a_bad_csv_row_is_named_by_its_line(tmp_path):
    (tmp_path / "people.csv").write_text("id,achieved\na,\nb,1;zz\n", encoding="utf-8")
    path = write_cohort(
        tmp_path,
        "qualification: ocr-09628-l2-certificate-principles-customer-service\n"
        "centre: {class_size: 2, glh: {1: 1, 2: 2, 3: 3}}\nlearners: people.csv\n",
    )
    result = CliRunner().invoke(main, ["plan", str(path)])
    assert result.exit_code == 2
    assert "people.csv:3:" in result.stderr and "'zz'" in result.stderr


def test_the_readme_shows_what_the_command_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ pathway plan examples/cohorts/september-intake.yaml\n", 1)[1]
    shown = block.split("...\n", 1)[0].splitlines()
    result = CliRunner().invoke(main, ["plan", str(EXAMPLES / "september-intake.yaml")])
    assert result.stdout.splitlines()[: len(shown)] == shown


def test_the_same_cohort_gives_the_same_plan_every_run():
    # One worker (the default): CP-SAT is repeatable, so the JSON is byte-identical.
    path = str(EXAMPLES / "september-intake.yaml")
    runs = [CliRunner().invoke(main, ["plan", path, "--format", "json"]).stdout for _ in range(2)]
    assert runs[0] == runs[1]


def test_a_time_limit_before_any_plan_exits_3():
    path = str(EXAMPLES / "september-intake.yaml")
    result = CliRunner().invoke(main, ["plan", path, "--time-limit", "0.001", "--format", "json"])
    assert result.exit_code == 3, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "unknown" and data["offer"] == []
    assert {lr["status"] for lr in data["learners"]} == {"not-planned"}


# -- `pathway validate` knows a cohort file ------------------------------------------------------


def test_validate_checks_the_example_cohorts_as_cohorts():
    import csv

    import yaml

    result = CliRunner().invoke(main, ["validate", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    for path in sorted(EXAMPLES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc["learners"], str):  # a CSV file: one learner a row after the header
            with open(path.parent / doc["learners"], encoding="utf-8", newline="") as handle:
                count = sum(1 for _ in csv.DictReader(handle))
        else:
            count = len(doc["learners"])
        line = f"{path}: ok (cohort of {count} learners for ocr-l2-diploma-customer-service)"
        assert line in result.stdout.splitlines(), result.stdout


@pytest.mark.parametrize("name", sorted(BAD))
def test_validate_refuses_a_bad_cohort_as_plan_does(tmp_path, name):
    text, message = BAD[name]
    path = write_cohort(tmp_path, text)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert message in result.output, result.output
    assert "in a scenario" not in result.output  # not mistaken for a scenario with odd fields


# -- preferences: the aim after taught GLH ---------------------------------------------------


def liked_options(learner: Learner, centre: Centre) -> dict[frozenset[str], int]:
    """Each set of units the learner could be taught, with the most a pathway teaching exactly
    those scores on their weights (solve's max-preference: every unit of the pathway, held
    ones too), by brute force over their unit sets."""
    s = learner.scenario
    problem = learner_problem(learner, centre)
    best: dict[frozenset[str], int] = {}
    for units in oracle.feasible_sets(problem):
        taught = frozenset(u for u in units if u not in set(s.held))
        score = sum(s.unit_weights.get(u, 0) for u in units)
        best[taught] = max(best.get(taught, score), score)
    return best


def brute_liked(cohort: Cohort) -> tuple[list[int], int, int] | None:
    """The exact lexicographic optimum with preferences: (value as brute_plan gives it, the
    most preference met among plans of that value, the least), every combination tried."""
    centre = cohort.centre
    maximise = cohort.objective == "max-completing"
    choices = []
    for learner in cohort.learners:
        found: list = list(liked_options(learner, centre).items())
        if maximise:
            found.append((None, 0))  # does not complete: no pathway, nothing scored
        choices.append(found)
    scores = []
    for combo in itertools.product(*choices):
        taught = taught_glh(cohort, [units for units, _ in combo])
        if taught is None:
            continue
        completing = sum(units is not None for units, _ in combo)
        scores.append(((-completing, taught), sum(liked for _, liked in combo)))
    if not scores:
        return None
    first = min(key for key, _ in scores)
    liked = [score for key, score in scores if key == first]
    value = [-first[0], first[1]] if maximise else [first[1]]
    return value, max(liked), min(liked)


def with_weights(cohort: Cohort, seed: int) -> Cohort:
    """The same cohort, its learners (but not all) given random unit weights, some negative."""
    import random

    rng = random.Random(f"weights-{seed}")
    for learner in cohort.learners[1:]:
        q = learner.scenario.qualification
        learner.scenario.unit_weights = {
            u.id: rng.choice([-3, -1, 1, 2, 5]) for u in q.units if rng.random() < 0.6
        }
    return cohort


def liked_cohort(seed: int, maximise: bool, roomy: bool) -> Cohort:
    """A random cohort with weights; roomy: classes of 4 from one learner up and no unit limit,
    so that seats to spare and equally cheap offers leave the weights more to decide."""
    cohort = random_cohort(seed, maximise)
    if roomy:
        centre = replace(cohort.centre, class_size=4, min_class=1, max_units=None)
        cohort = replace(cohort, centre=centre)
    return with_weights(cohort, seed)


@pytest.mark.parametrize("roomy", [False, True], ids=["tight", "roomy"])
@pytest.mark.parametrize("maximise", [False, True], ids=["min-taught-glh", "max-completing"])
@pytest.mark.parametrize("seed", range(30))
def test_preferences_are_best_met_among_the_least_taught_plans(seed, maximise, roomy):
    cohort = liked_cohort(seed, maximise, roomy)
    expected = brute_liked(cohort)
    result = plan(cohort, workers=1)
    if expected is None:
        assert result.status == "infeasible"
        return
    value, most, _ = expected
    assert result.status == "optimal" and result.value == value
    check_plan(result, cohort)
    assert result.preference_proven
    weighted = any(lr.scenario.unit_weights for lr in cohort.learners)
    assert result.preference == (most if weighted else None)
    for lp in result.learners:
        weights = lp.scenario.unit_weights
        if lp.completes and weights:
            assert lp.preference == sum(weights.get(u, 0) for u in lp.units)


def test_the_preference_cohorts_are_not_all_trivial():
    # The weights must decide something in enough cohorts, or the test above proves little.
    decided = 0
    for seed, maximise, roomy in itertools.product(range(30), (False, True), (False, True)):
        expected = brute_liked(liked_cohort(seed, maximise, roomy))
        decided += expected is not None and expected[1] != expected[2]
    assert decided >= 12


def test_learners_with_different_preferences_are_not_merged(tmp_path):
    # b and c are in the same situation but like different units: grouping them as one type
    # would give one of them the other's choice.
    text = CERTIFICATES.format(size=4, least=1)
    cohort = load_cohort(write_cohort(tmp_path, text))
    twins = [lr for lr in cohort.learners if lr.id in ("c", "d")]
    assert twins[0].scenario.held == twins[1].scenario.held
    result = plan(cohort)
    base = result.value
    for learner, liked in zip(twins, (1, 2)):
        learner.scenario.unit_weights = {u.id: liked for u in learner.scenario.qualification.units}
    weighted = plan(cohort)
    assert weighted.value == base
    scores = {lp.id: lp.preference for lp in weighted.learners}
    assert scores["c"] == len(weighted.learners[2].units)
    assert scores["d"] == 2 * len(weighted.learners[3].units)


def test_the_preferences_example_meets_more_wishes_at_the_same_cost():
    # The same intake as september-intake.yaml, with weights: preferences never cost a class,
    # so taught GLH is that plan's; and the plan printed scores at least what the plan chosen
    # without weights scores on them (that plan is one of the least-taught plans).
    liked = load_cohort(EXAMPLES / "preferences.yaml")
    result = plan(liked)
    plain = plan(load_cohort(EXAMPLES / "september-intake.yaml"))
    assert result.status == "optimal" and result.value == plain.value == [408]
    check_plan(result, liked)
    weights = {lr.id: lr.scenario for lr in liked.learners}

    def score(p) -> int:
        return sum(weights[lp.id].weight_of(u) for lp in p.learners for u in lp.units)

    assert result.preference_proven and result.preference == score(result)
    assert score(result) > score(plain)
    # amira likes digital units: a tag weight counts through the unit's tags.
    amira = next(lp for lp in result.learners if lp.id == "amira")
    digital = {u.id for u in liked.learners[0].scenario.qualification.units if "digital" in u.tags}
    assert amira.preference == 3 * len(digital & set(amira.units)) > 0


def test_preferences_out_of_time_are_said_to_be_unproven(monkeypatch):
    # A budget of 0.1 ms for the preferences (and the learners' GLH) cannot prove anything on
    # the diploma: the plan keeps its proven taught GLH, says the preferences are unproven,
    # and what it reports is still what its pathways score.
    from pathway import cohort_plan

    monkeypatch.setattr(cohort_plan, "TIE_FLOOR", 0.0001)
    monkeypatch.setattr(cohort_plan, "TIE_FACTOR", 0.0)
    liked = load_cohort(EXAMPLES / "preferences.yaml")
    result = plan(liked)
    assert result.status == "optimal" and result.value == [408]
    assert not result.preference_proven
    assert any("preferences met" in note and "not proven" in note for note in result.notes)
    weights = {lr.id: lr.scenario for lr in liked.learners}
    assert result.preference == sum(
        weights[lp.id].weight_of(u) for lp in result.learners for u in lp.units
    )
    check_plan(result, liked)


def test_preferences_are_not_weighed_when_the_plan_is_cut_short():
    # bench/cohort_speed.py's first cohort (optimum 431, far more than 1.5 s to prove) with
    # one learner's preference: a plan cut short says its preferences were not weighed.
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from cohort_speed import bench_cohort

    cohort = bench_cohort(16, seed=0)
    cohort.learners[0].scenario.unit_weights = {
        cohort.learners[0].scenario.qualification.units[8].id: 3
    }
    result = plan(cohort, time_limit=1.5, workers=1)
    if result.status == "feasible":
        assert not result.preference_proven
        assert any("not weighed" in note for note in result.notes)
    else:  # unknown (no plan) or, on a very fast machine, optimal
        assert result.status == "unknown" or result.preference_proven


def test_the_reports_give_each_learners_preferences_met_and_the_total():
    """JSON `learners[].preference` is the learner's weights over the units printed for them
    (unit weights, then tag weights through the model's tags), null without weights;
    `totals.preference` their sum; the table says the total."""
    import yaml

    from pathway.loader import load_model

    path = EXAMPLES / "preferences.yaml"
    doc = yaml.safe_load(path.read_text())
    q = load_model(path.parent / doc["qualification"])
    result = CliRunner().invoke(main, ["plan", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    wishes = {lr["id"]: lr.get("preferences") for lr in doc["learners"]}
    expected_total = 0
    for learner in report["learners"]:
        wish = wishes[learner["id"]]
        if wish is None:
            assert learner["preference"] is None
            continue
        by_unit = {str(k): v for k, v in (wish.get("units") or {}).items()}
        by_tag = wish.get("tags") or {}
        met = sum(  # weights name units by number (or id)
            by_unit.get(str(q.unit(uid).number), by_unit.get(uid, 0))
            + sum(by_tag.get(tag, 0) for tag in q.unit(uid).tags)
            for uid in learner["units"]
        )
        assert learner["preference"] == met, learner["id"]
        expected_total += met
    assert report["totals"]["preference"] == expected_total == 6
    assert report["totals"]["preference_proven"] is True
    table = CliRunner().invoke(main, ["plan", str(path)])
    assert f"Learners' preferences met: {expected_total}, summed" in table.output
    plain = CliRunner().invoke(
        main, ["plan", str(EXAMPLES / "september-intake.yaml"), "--format", "json"]
    )
    totals = json.loads(plain.output)["totals"]
    assert totals["preference"] is None and totals["preference_proven"] is None


def test_two_floors_over_one_scope_are_two_rows_not_one(tmp_path):
    # A mandatory group and "exactly 3 units from it": the capacity rows once added the two
    # shortfalls (6 classes of one seat for 3 units a learner needs) and called it infeasible.
    path = tmp_path / "twice.yaml"
    path.write_text(
        "title: Twice\nunits:\n"
        + "".join(
            f"  - {{id: a{i}, number: {i}, title: A{i}, credit: 1, glh: {10 * i}}}\n"
            for i in range(1, 4)
        )
        + "groups:\n  - {id: A, units: [1, 2, 3]}\n"
        "rules:\n  - {kind: mandatory, units: [1, 2, 3]}\n"
        "  - {kind: units, groups: [A], min: 3, max: 3}\n"
    )
    from pathway.loader import load_model

    q = load_model(path)
    learners = [Learner(f"L{i}", scenario_for_model(q)) for i in range(2)]
    cohort = Cohort(str(path), "twice", Centre(1, 1), learners)
    assert brute_plan(cohort) == [120]
    for by_counts in (True, False):
        result = plan(cohort, workers=1, by_counts=by_counts)
        assert result.status == "optimal" and result.value == [120]
        check_plan(result, cohort)
