"""The planners' HTML pages (`compare`, `rank`, `impact`, `plan --format html`) in headless
chromium, as tests/test_html.py checks `solve`'s: each page is shown in an iframe exactly as
wide as the screen tested, and a probe script reports what the browser laid out (the visible
text, each table row's cells by their label, each amount bar's track and filled widths, the
page's scroll and client widths).

Checked: nothing overflows at 375 px, 1280 px or the widths between where tables turn to cards; the numbers a person sees are the right ones,
computed another way: the impact page's optimum and every unit's optimum without it by the
exact oracle (tests/oracle.py); the plan page's taught GLH from the model's own GLH times the
classes, and "every learner's own cheapest pathway" from the oracle's tie-break winners; the
compare page against `compare --format json` and the hand-read README example (218 and 225
GLH); each bar's filled width is its value over the largest in its table. Screenshots are
kept as test artefacts (PATHWAY_TEST_ARTEFACTS, else pytest's temporary folder)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import oracle
from browser import artefact_folder, measure, needs_browser, screenshot
from oracle import Problem
from pathway import load
from pathway.cli import main
from test_progress import COHORT

pytestmark = needs_browser

ROOT = Path(__file__).resolve().parents[1]
DIPLOMA = ROOT / "models/ocr-l2-diploma-customer-service.yaml"
PRIOR = ROOT / "scenarios/ocr-l2-diploma-prior-learning.yaml"
COMPARE = [
    "compare",
    "ocr-l2-diploma-customer-service",
    "cg-5530-02-l2-diploma-customer-service",
    "--models",
    str(ROOT / "models"),
    "--achieved",
    "A/506/2130",
    "--exclude",
    "telephone",
    "--glh",
    "cg-5530-02-l2-diploma-customer-service:CG5530-235=30",
]
RANK = ["rank", "--models", str(ROOT / "models"), "--achieved", "D/502/9654", "-o", "min-credits"]

# A phone, a laptop, and the widths between where a table of many columns overflowed sideways
# before it became cards (compare: 50 px at 660, 10 px at 700; its breakpoint was 640).
WIDTHS = (375, 600, 660, 700, 760, 1280)

# What the browser laid out for each amount bar and table row (see browser.measure for what
# every probe reports).
PROBE = """
function box(el) { return el.getBoundingClientRect(); }
var bars = Array.prototype.map.call(document.querySelectorAll(".amount-bar"), function (bar) {
  var row = bar.closest("tr"), which = bar.closest(".compared");
  return {
    row: row ? (row.getAttribute("data-unit") || row.getAttribute("data-qualification")) : null,
    which: which ? which.getAttribute("data-which") : null,
    value: +bar.getAttribute("data-value"), scale: +bar.getAttribute("data-scale"),
    track: box(bar.querySelector(".track")).width, fill: box(bar.querySelector(".fill")).width,
    words: bar.querySelector(".value").innerText
  };
});
var rows = Array.prototype.map.call(document.querySelectorAll("tbody tr"), function (tr) {
  var cells = {};
  Array.prototype.forEach.call(tr.querySelectorAll("td"), function (td) {
    cells[td.getAttribute("data-label")] = td.innerText.trim();
  });
  return {data: Object.assign({}, tr.dataset), cells: cells};
});
return {bars: bars, rows: rows};
"""


def command(args: list[str], code: int = 0) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    return result.output


def page(folder: Path, args: list[str], name: str) -> Path:
    out = folder / name
    command([*args, "--format", "html", "--output", str(out)])
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("html-planning")


@pytest.fixture(scope="module")
def cohort_file(folder) -> Path:
    path = folder / "cohort.yaml"
    path.write_text(COHORT.format(model=DIPLOMA), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pages(folder, cohort_file) -> dict[str, Path]:
    return {
        "compare": page(folder, COMPARE, "compare.html"),
        "rank": page(folder, RANK, "rank.html"),
        "impact": page(folder, ["impact", str(PRIOR)], "impact.html"),
        "plan": page(folder, ["plan", str(cohort_file)], "plan.html"),
    }


@pytest.fixture(scope="module")
def seen(pages) -> dict[tuple[str, int], dict]:
    return {
        (name, width): measure(path, width, PROBE)
        for name, path in pages.items()
        for width in WIDTHS
    }


def words(layout: dict) -> str:
    return " ".join(layout["text"].split())


def check_bars(layout: dict) -> None:
    """Every bar's filled width is its value over its scale, and its scale is the largest
    value among the bars of the same kind (a table, or the plan's comparison)."""
    for bar in layout["bars"]:
        assert bar["track"] > 40, bar
        assert bar["fill"] == pytest.approx(bar["track"] * bar["value"] / bar["scale"], abs=1.0)


@pytest.mark.parametrize("name", ["compare", "rank", "impact", "plan"])
@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_overflows(seen, name, width):
    layout = seen[(name, width)]
    assert layout["innerWidth"] == width
    assert layout["scrollWidth"] <= layout["clientWidth"], layout["scrollWidth"]
    assert layout["bodyScrollWidth"] <= layout["clientWidth"]
    check_bars(layout)
    assert "Question:" in layout["text"] and "The situation" in layout["text"]


@pytest.mark.parametrize("name", ["compare", "rank", "impact", "plan"])
def test_pages_are_self_contained(pages, name):
    text = pages[name].read_text(encoding="utf-8")
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert not re.search(r"(src|href)=|url\(", text)
    assert "http://" not in text and "https://" not in text


@pytest.mark.parametrize("width", [375, 1280])
def test_compare_shows_each_qualification_side_by_side(seen, width):
    layout = seen[("compare", width)]
    answer = json.loads(command([*COMPARE, "--format", "json"]))
    rows = {r["data"]["qualification"]: r["cells"] for r in layout["rows"]}
    assert list(rows) == [r["qualification"] for r in answer["results"]]  # best first
    for r in answer["results"]:
        cells = rows[r["qualification"]]
        assert cells["Value (min-glh)"] == str(r["value"])
        assert cells["Credits"] == str(r["credits"])
        assert cells["Units to take"] == str(r["units_to_take"])
        assert r["title"] in cells["Qualification"]
    # The README's example, read by hand: 218 GLH against 225 GLH.
    bars = {b["row"]: b for b in layout["bars"]}
    assert bars["ocr-l2-diploma-customer-service"]["words"] == "218 GLH"
    assert bars["cg-5530-02-l2-diploma-customer-service"]["words"] == "225 GLH"
    assert {b["scale"] for b in bars.values()} == {225}
    text = words(layout)
    assert "Already achieved A/506/2130" in text and "Cannot be taken telephone" in text


def test_rank_page_lists_the_catalogue(seen):
    layout = seen[("rank", 1280)]
    answer = json.loads(command([*RANK, "--format", "json"]))
    shown = [
        (r["data"]["qualification"], r["cells"]["Value (min-credits)"]) for r in layout["rows"]
    ]
    assert shown == [(r["qualification"], str(r["value"])) for r in answer["results"]]
    assert "Only qualifications where a held unit counts" in layout["text"]


@pytest.mark.parametrize("width", [375, 1280])
def test_impact_page_against_the_oracle(seen, width):
    layout = seen[("impact", width)]
    s = load(PRIOR)
    p = Problem.of_scenario(s)
    today = oracle.optimum(p, "min-glh")
    assert today == 192
    text = words(layout)
    assert "optimum min-glh = 192 (proven)" in text
    assert "Already achieved units 1, 2 and 6" in text and "Must be taken unit 23" in text
    rows = {r["data"]["unit"]: r["cells"] for r in layout["rows"]}
    assert list(rows) == [u.id for u in s.qualification.units]
    bars = {b["row"]: b for b in layout["bars"]}
    deltas = []
    for u in s.qualification.units:
        without = oracle.optimum(_without(p, u.id), "min-glh")
        cells = rows[u.id]
        if without is None:
            assert cells["Optimum without it"] == "no pathway"
            assert u.id not in bars
            continue
        assert cells["Optimum without it"] == str(without)
        delta = without - today
        deltas.append(delta)
        assert bars[u.id]["value"] == abs(delta)
        assert bars[u.id]["words"] == (f"{delta:+d}" if delta else "0")
    assert {b["scale"] for b in bars.values()} == {max(abs(d) for d in deltas)}
    assert rows["D/506/2119"]["Optimum without it"] == "212"  # unit 6, held: worked in README


def _without(p: Problem, uid: str) -> Problem:
    """The oracle's question with `uid` unable to count: excluded, and not held."""
    from dataclasses import replace

    return replace(p, achieved=p.achieved - {uid}, excluded=p.excluded | {uid})


def _cheapest_offer_glh(cohort: Path) -> int:
    """Taught GLH if every learner took their own cheapest pathway (the oracle's tie-break
    winner, min-glh): per unit, GLH x ceil(learners needing it / class size 3)."""
    from pathway.cohort import load_cohort

    needing: Counter[str] = Counter()
    found = load_cohort(str(cohort))
    q = found.learners[0].scenario.qualification
    for learner in found.learners:
        p = Problem.of_scenario(learner.scenario)
        winner = oracle.tie_break_winner(p, ["min-glh"])
        assert winner is not None
        needing.update(set(winner) - p.achieved)
    return sum(q.unit(u).glh * math.ceil(n / 3) for u, n in needing.items())


@pytest.mark.parametrize("width", [375, 1280])
def test_plan_page_offer_totals_and_comparison(seen, cohort_file, width):
    layout = seen[("plan", width)]
    q = load(DIPLOMA).qualification
    glh = {u.urn: u.glh for u in q.units}
    rows = [r for r in layout["rows"] if "unit" in r["data"]]
    taught = 0
    for r in rows:
        unit, cells = r["data"]["unit"], r["cells"]
        classes = int(cells["Classes"])
        assert 1 <= classes and int(cells["Learners"]) <= 3 * classes  # class size 3
        assert cells["Taught GLH"].startswith(
            f"{glh[unit] * classes} GLH ({classes} x {glh[unit]})"
        )
        taught += glh[unit] * classes
    bars = {b["row"]: b for b in layout["bars"] if b["row"]}
    for r in rows:
        unit = r["data"]["unit"]
        assert bars[unit]["value"] == glh[unit] * int(r["cells"]["Classes"])
    assert {b["scale"] for b in bars.values()} == {max(b["value"] for b in bars.values())}
    text = words(layout)
    assert f"Taught GLH {taught} Classes" in text
    assert "Learners completing 4 of 4" in text
    learners = [r for r in layout["rows"] if "learner" in r["data"]]
    assert [r["data"]["learner"] for r in learners] == ["ann", "bob", "cat", "dan"]
    assert all(r["data"]["status"] == "completes" for r in learners)
    individual = _cheapest_offer_glh(cohort_file)
    compared = {b["which"]: b for b in layout["bars"] if b["which"]}
    assert compared["plan"]["value"] == taught
    assert compared["individual"]["value"] == individual
    assert compared["plan"]["scale"] == compared["individual"]["scale"] == max(taught, individual)
    assert f"The plan saves {individual - taught} taught GLH." in text
    assert individual >= taught  # the plan is proven least; offering each own pathway is a plan


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    return artefact_folder(tmp_path_factory)


@pytest.mark.parametrize("name", ["compare", "impact", "plan"])
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshot_is_kept(pages, artefacts, name, width):
    assert screenshot(pages[name], artefacts / f"{name}-{width}.png", width, 1000) == width


def test_pages_without_an_answer_say_why(folder):
    plan = folder / "no-plan.html"
    command(
        [
            "plan",
            str(ROOT / "examples/cohorts/small-centre.yaml"),
            "-o",
            "min-taught-glh",
            "--format",
            "html",
            "--output",
            str(plan),
        ],
        code=1,
    )
    layout = measure(plan, 375, PROBE)
    assert layout["scrollWidth"] <= layout["clientWidth"]
    text = words(layout)
    assert "Status: infeasible" in text and "Why not every learner completes" in text
    statuses = {r["data"]["learner"]: r["data"]["status"] for r in layout["rows"]}
    # mo needs unit 36, which the centre cannot run; the others are then not planned.
    assert statuses == {
        "kai": "not-planned",
        "lena": "not-planned",
        "mo": "cannot-complete",
        "nia": "not-planned",
        "omar": "not-planned",
    }
    unknown = page(folder, COMPARE[:-2], "compare-unknown.html")  # no GLH for CG5530-235
    text = words(measure(unknown, 1280, PROBE))
    assert "Without a value" in text and "GLH unknown for 1 unit that could be taken" in text
