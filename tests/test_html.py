"""The HTML reports (`--format html`) in a real browser: Debian's `chromium`, headless.

A copy of each report gets a small probe script (the report itself has none) and is shown in
an iframe exactly as wide as the screen tested (headless chromium will not make a window
narrower than 500 px, but an iframe can be any width); the probe writes what the browser laid
out into the outer page: the visible text, each bar's filled and required widths in pixels,
and the page's scroll and client widths. `chromium --dump-dom` returns it. Checked:
the visible text holds the right numbers, each bar's widths match its numbers, nothing
overflows at 375 px and 1280 px wide. Screenshots are kept as test artefacts in the folder
named by PATHWAY_TEST_ARTEFACTS, else in pytest's temporary folder (`html-artefacts0` under
`pytest --basetemp`, or /tmp/pytest-of-$USER/pytest-current/); the path is printed.

The expected amounts are worked by hand from seed 000 (models/ocr-l2-diploma-customer-service):
the prior-learning pathway (units 1-6, 11, 12, 15, 18, 23, 37) counts 45 credits in all, 3 from
Group B (unit 6), 3 + 3 + 5 + 3 + 4 = 18 from Group C and 5 from Group D (unit 37); units 1 and
2 alone give 5 + 2 = 7 credits. Skipped when no chromium is installed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser import artefact_folder, measure, needs_browser, screenshot
from pathway.cli import main

ROOT = Path(__file__).resolve().parents[1]
pytestmark = needs_browser

# What the browser laid out for each bar (see browser.measure for what every probe reports).
PROBE = """
var bars = Array.prototype.map.call(document.querySelectorAll(".bar"), function (bar) {
  var track = bar.querySelector(".track").getBoundingClientRect();
  var fill = bar.querySelector(".fill").getBoundingClientRect();
  var mark = bar.querySelector(".mark").getBoundingClientRect();
  return {
    key: bar.closest(".rule").getAttribute("data-key"),
    required: +bar.getAttribute("data-required"),
    achieved: +bar.getAttribute("data-achieved"),
    track: track.width, fill: fill.width, mark: mark.left + mark.width / 2 - track.left,
    words: bar.querySelector(".words").innerText
  };
});
return {bars: bars};
"""


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    return artefact_folder(tmp_path_factory)


def report(tmp_path: Path, args: list[str], name: str) -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(main, [*args, "--format", "html", "--output", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out


@pytest.fixture(scope="module")
def solve_page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    return report(
        folder,
        ["solve", str(ROOT / "scenarios/ocr-l2-diploma-prior-learning.yaml"), "--top", "3"],
        "solve.html",
    )


def test_the_page_is_self_contained(solve_page):
    text = solve_page.read_text(encoding="utf-8")
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert not re.search(r"(src|href)=|url\(", text)
    assert "http://" not in text and "https://" not in text


def expected_bars_of_prior_learning() -> dict[str, tuple[int, int]]:
    """(required, achieved) per rule, worked by hand (see the module docstring)."""
    return {"G1": (5, 5), "R1": (45, 45), "R2": (3, 3), "R3": (16, 18), "R4": (7, 5)}


@pytest.mark.parametrize("width", [375, 600, 660, 700, 760, 1280])
def test_solve_page_in_the_browser(solve_page, width):
    seen = measure(solve_page, width, PROBE)
    assert seen["innerWidth"] == width
    # Nothing overflows sideways.
    assert seen["scrollWidth"] <= seen["clientWidth"], seen
    assert seen["bodyScrollWidth"] <= seen["clientWidth"], seen
    text = " ".join(seen["text"].split())
    assert "Question: Apprentice with prior units who wants unit 23" in text
    assert "units 1, 2 and 6" in text and "unit 23" in text
    assert "Optimal (min-glh = 192, proven)." in text
    assert "12 units, 45 credits; 9 still to take, 192 GLH to teach." in text
    # The oracle's two best of the 6 optimal sets, in tie-break order, differ so:
    assert "takes unit 12 instead of unit 19" in text
    bars = {b["key"]: b for b in seen["bars"]}
    assert {k: (b["required"], b["achieved"]) for k, b in bars.items()} == (
        expected_bars_of_prior_learning()
    )
    for b in seen["bars"]:
        scale = max(b["required"], b["achieved"])
        assert b["fill"] == pytest.approx(b["track"] * b["achieved"] / scale, abs=1.0), b
        assert b["mark"] == pytest.approx(b["track"] * b["required"] / scale, abs=1.5), b
        assert b["track"] > 100
    assert bars["R3"]["words"] == "18 of at least 16 credits"
    assert bars["R4"]["words"] == "5 of at most 7 credits"


def test_check_page_shows_the_shortfall(tmp_path):
    page = report(
        tmp_path,
        ["check", str(ROOT / "models/ocr-l2-diploma-customer-service.yaml"), "--units", "1,2"],
        "check.html",
    )
    seen = measure(page, 375, PROBE)
    assert seen["scrollWidth"] <= seen["clientWidth"]
    text = " ".join(seen["text"].split())
    assert "Not achieved." in text and "38 more credits" in text
    r1 = next(b for b in seen["bars"] if b["key"] == "R1")
    assert (r1["required"], r1["achieved"]) == (45, 7)
    assert r1["fill"] == pytest.approx(r1["track"] * 7 / 45, abs=1.0)


def test_infeasible_page_gives_the_reason(tmp_path):
    page = report(
        tmp_path, ["solve", str(ROOT / "scenarios/ocr-l2-diploma-tight-budget.yaml")], "no.html"
    )
    seen = measure(page, 1280, PROBE)
    text = " ".join(seen["text"].split())
    assert "Infeasible: no pathway exists." in text
    assert "at most 240 GLH still to take; the cheapest pathway otherwise needs 245 GLH" in text
    assert seen["scrollWidth"] <= seen["clientWidth"]


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshot_is_kept(solve_page, artefacts, width):
    assert screenshot(solve_page, artefacts / f"solve-{width}.png", width, 800) == width
