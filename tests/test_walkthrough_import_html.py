"""Two walkthroughs, as a person met them.

`pathway import` of a table with a URN column, no unit-number column and a column it does not
read (TQT): run as the command a person types (the draft's exact text for this and the table
without TQT is in tests/test_import.py).

The HTML reports (solve, check, compare, rank, impact, plan) in headless chromium, shown as
tests/browser.py shows them (an iframe exactly as wide as the screen tested), at a phone's
375 px (each row a card), 660 px (just wider than the cards' breakpoint of 40rem, the most
squeezed table), 800 px and 1280 px. The page's CSS once said `overflow-wrap:anywhere` for
the whole body, so a squeezed table broke "J/601/1630" into "J/601/1" over "630", "Credit"
into "Cre" over "dit" and a GLH of 27 into "2" over "7". Checked in the browser's layout, not
in the CSS: every figure or id cell (No., Id, Credit, Level, GLH, Rank, Value, Credits, Units
to take, Optimum without it, Change, Unit, Learners, Classes, GLH to take) has its text on one
line; no header and no word of a rule's amounts is broken inside (a break after a hyphen is a
break between words); and a long title still wraps onto several lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser import measure, needs_browser
from pathway.cli import main
from test_progress import COHORT

ROOT = Path(__file__).resolve().parents[1]
L4 = ROOT / "models/ocr-l4-nvq-diploma-customer-service.yaml"
DIPLOMA = ROOT / "models/ocr-l2-diploma-customer-service.yaml"
PRIOR = ROOT / "scenarios/ocr-l2-diploma-prior-learning.yaml"

TQT_TABLE = (
    "Group A: Mandatory units\n"
    "URN\tUnit title\tLevel\tCredit\tGLH\tTQT\n"
    "A/506/2130\tDeliver customer service\t2\t5\t27\t50\n"
    "Group B: Optional\n"
    "D/506/2119\tCommunicate verbally with customers\t2\t3\t14\t30\n"
)


def test_import_walkthrough_with_an_unknown_column(tmp_path):
    """The command as typed: units named by URN, TQT warned about once and read nowhere."""
    (tmp_path / "v1.txt").write_text(TQT_TABLE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pathway", "import", "v1.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "v1.txt:2: warning: column 'TQT' is not one import reads (unit number, title, URN, "
        "credit, level, GLH); its values are skipped\n"
    )
    out = done.stdout
    assert (
        '  - id: A  # line 1\n    title: "Group A: Mandatory units"\n    mandatory: true\n' in out
    )
    assert '  - id: B  # line 4\n    title: "Group B: Optional"\n    units:\n' in out
    assert "{id: A/506/2130, title: Deliver customer service, credit: 5, level: 2, glh: 27}" in out
    assert "TQT" not in out and ": 50" not in out and ": 30" not in out and "number:" not in out


# -- HTML --------------------------------------------------------------------------------------

FIGURES = {
    "No.",
    "Id",
    "Credit",
    "Level",
    "GLH",
    "Rank",
    "Credits",
    "Units to take",
    "Optimum without it",
    "Change",
    "Unit",
    "Learners",
    "Classes",
    "GLH to take",
}

# Lines are told apart by where the browser put each piece of text: `lines` counts the distinct
# line tops of a node's text; `broken` lists the words (split at spaces and after hyphens)
# whose letters the browser laid out on more than one line.
PROBE = """
function tops(range, seen) {
  Array.prototype.forEach.call(range.getClientRects(), function (b) {
    if (b.width > 0 && !seen.some(function (y) { return Math.abs(y - b.top) < 4; })) {
      seen.push(b.top);
    }
  });
  return seen;
}
function texts(node) {
  var out = [], walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT), t;
  while ((t = walker.nextNode())) { if (t.data.trim()) out.push(t); }
  return out;
}
function lines(node) {
  var seen = [];
  texts(node).forEach(function (t) {
    var r = document.createRange(); r.selectNodeContents(t); tops(r, seen);
  });
  return seen.length;
}
function broken(node) {
  var out = [];
  texts(node).forEach(function (t) {
    var re = /[^\\s-]+-?/g, m;
    while ((m = re.exec(t.data))) {
      var r = document.createRange();
      r.setStart(t, m.index); r.setEnd(t, m.index + m[0].length);
      if (tops(r, []).length > 1) out.push(m[0]);
    }
  });
  return out;
}
var cells = [], words = [];
document.querySelectorAll("table.units").forEach(function (table) {
  table.querySelectorAll("thead th").forEach(function (th) {
    cells.push({head: true, label: th.innerText.trim(), text: th.innerText.trim(),
                lines: lines(th), broken: broken(th)});
  });
  table.querySelectorAll("tbody td").forEach(function (td) {
    cells.push({head: false, label: td.getAttribute("data-label"), text: td.innerText.trim(),
                lines: lines(td), broken: broken(td)});
  });
});
document.querySelectorAll(".rule .head, .bar .words, .amount-bar .value").forEach(function (el) {
  words.push({text: el.innerText.trim(), broken: broken(el)});
});
return {cells: cells, words: words};
"""

LONG_TITLE = (
    "Demonstrate understanding of customer service management in every channel the "
    "organisation uses, by letter, e-mail, web chat, social media and telephone, following its "
    "house style, its complaints procedure and the law on data protection and consumer rights"
)


def html(folder: Path, args: list[str], name: str) -> Path:
    out = folder / name
    result = CliRunner().invoke(main, [*args, "--format", "html", "--output", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html-figures")
    text = L4.read_text(encoding="utf-8")
    short = "title: Demonstrate understanding of customer service management\n"
    assert text.count(short) == 1
    long_model = folder / "long-title.yaml"
    long_model.write_text(text.replace(short, f'title: "{LONG_TITLE}"\n'), encoding="utf-8")
    cohort = folder / "cohort.yaml"
    cohort.write_text(COHORT.format(model=DIPLOMA), encoding="utf-8")
    models = str(ROOT / "models")
    return {
        "solve": html(folder, ["solve", str(L4)], "solve.html"),
        "long": html(folder, ["solve", str(long_model)], "long.html"),
        "check": html(folder, ["check", str(L4), "--units", "F5,A14"], "check.html"),
        "compare": html(
            folder,
            [
                "compare",
                "ocr-l2-diploma-customer-service",
                "cg-5530-02-l2-diploma-customer-service",
                "--models",
                models,
                "--achieved",
                "A/506/2130",
            ],
            "compare.html",
        ),
        "rank": html(
            folder,
            ["rank", "--models", models, "--achieved", "D/502/9654", "-o", "min-credits"],
            "rank.html",
        ),
        "impact": html(folder, ["impact", str(PRIOR)], "impact.html"),
        "plan": html(folder, ["plan", str(cohort)], "plan.html"),
    }


def figure(label: str) -> bool:
    return label in FIGURES or label.startswith("Value (")


@needs_browser
@pytest.mark.parametrize("width", [375, 660, 800, 1280])
@pytest.mark.parametrize("name", ["solve", "long", "check", "compare", "rank", "impact", "plan"])
def test_figures_and_ids_never_break_inside(pages, name, width):
    seen = measure(pages[name], width, PROBE)
    assert seen["innerWidth"] == width
    cells = seen["cells"]
    assert cells or name == "check", "no table to check"
    figures = [c for c in cells if not c["head"] and figure(c["label"]) and c["text"]]
    if name in ("solve", "long", "impact", "plan"):
        assert len(figures) >= 20  # the unit tables: every unit's number, id, amounts
    on_two_lines = [(c["label"], c["text"], c["lines"]) for c in figures if c["lines"] != 1]
    assert on_two_lines == []
    headers = [(c["text"], c["broken"]) for c in cells if c["head"] and c["broken"]]
    assert headers == []
    # The rules' amounts ("required 45 credits; achieved 7") and the bars' words, whole.
    assert [(w["text"], w["broken"]) for w in seen["words"] if w["broken"]] == []
    if name in ("solve", "long", "check"):
        assert seen["words"], "no rule amounts to check"


@needs_browser
@pytest.mark.parametrize("width", [660, 800, 1280])
def test_a_long_title_still_wraps(pages, width):
    seen = measure(pages["long"], width, PROBE)
    titles = {c["text"]: c["lines"] for c in seen["cells"] if c["label"] == "Title"}
    assert titles[LONG_TITLE] > 1
    assert seen["scrollWidth"] <= seen["clientWidth"]  # wrapped, not pushed off the side
    # Its row's figures, beside it, stay whole (mandatory unit F5 in the model: 10 credits,
    # level 4, 65 GLH).
    row = [c for c in seen["cells"] if not c["head"]]
    at = next(i for i, c in enumerate(row) if c["text"] == LONG_TITLE)
    beside = {c["label"]: (c["text"], c["lines"]) for c in row[at - 3 : at + 4]}
    assert {k: beside[k] for k in ("No.", "Id", "Credit", "Level", "GLH")} == {
        "No.": ("F5", 1),
        "Id": ("J/601/1630", 1),
        "Credit": ("10", 1),
        "Level": ("4", 1),
        "GLH": ("65", 1),
    }
