"""HTML reports a planner can e-mail: one self-contained page (inline CSS, no scripts, no
fonts, images or links to fetch), readable from 320 px phones to wide screens.

Each rule is drawn as a bar: the track is the larger of what the rule requires and what the
pathway achieves, the filled part is what is achieved and a mark shows what is required. The
widths are computed here and written as inline percentages (`data-required` and
`data-achieved` carry the numbers), so the page needs no script and a test can check them."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

CSS = """
*{box-sizing:border-box}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;
background:#fff;margin:0 auto;padding:1rem;max-width:64rem;overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;
border-bottom:1px solid #ccc}
.status{padding:.5rem .75rem;border-radius:.3rem;background:#eef5ee;border-left:.3rem solid #2e7d32}
.status.bad{background:#fbeeee;border-left-color:#c62828}
.status.warn{background:#fff7e6;border-left-color:#b26a00}
dl.situation{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.situation dt{font-weight:600}dl.situation dd{margin:0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.3rem .45rem;border-bottom:1px solid #e2e2e2;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.units th,table.units td{overflow-wrap:break-word}table.units td.title{overflow-wrap:anywhere}
table.units td.title code{overflow-wrap:break-word}
td.num,td.fig{white-space:nowrap}
.rule{margin:.7rem 0}.rule .head{display:flex;flex-wrap:wrap;gap:.2rem .8rem;
justify-content:space-between}.rule .ok{color:#2e7d32;font-weight:600}
.rule .no{color:#c62828;font-weight:600}.rule .head span,.bar .amount{overflow-wrap:break-word}
.track{position:relative;height:1rem;background:#e9e9e9;border-radius:.2rem;margin-top:.2rem;
overflow:hidden}
.fill{position:absolute;left:0;top:0;bottom:0;background:#4f8fd6}
.fill.short{background:#d66a4f}
.mark{position:absolute;top:0;bottom:0;width:2px;margin-left:-1px;background:#1b1b1b}
.scope{font-size:.9rem;color:#444}
ul.plain{padding-left:1.2rem}
footer{margin-top:2rem;font-size:.85rem;color:#555}
@media (max-width:40rem){
 body{padding:.6rem}
 dl.situation{grid-template-columns:1fr}dl.situation dd{margin-bottom:.4rem}
"""
# One card per row: every table on a phone, and from a wider screen a table of many columns
# (compare's nine overflowed sideways between 640 and 720 px).
CARDS = """ TABLE thead{display:none}
 TABLE,TABLE tbody,TABLE tr,TABLE td{display:block;width:100%}
 TABLE tr{border-bottom:1px solid #ccc;padding:.3rem 0}
 TABLE td{border:0;padding:.1rem 0;text-align:left}
 TABLE td.num,TABLE td.fig{white-space:normal}
 TABLE td::before{content:attr(data-label) ": ";font-weight:600}
"""
CSS += CARDS.replace("TABLE", "table.units") + "}\n@media (max-width:48rem){\n"
CSS += CARDS.replace("TABLE", "table.units.wide") + "}\n"
WIDE_TABLE = 8  # columns from which a table becomes cards at 48rem, not 40rem


@dataclass
class Bar:
    """One measured amount of a rule: what is required and what is achieved."""

    label: str  # the scope ("Group C") or "" for a rule with one amount
    required: int
    achieved: int
    word: str  # "credits" or "units"
    at_most: bool = False  # a cap: achieved must not exceed required

    def widths(self) -> tuple[float, float]:
        """(filled %, required mark %) of the track, the track being the larger of the two."""
        scale = max(self.required, self.achieved, 1)
        return 100 * self.achieved / scale, 100 * self.required / scale


def bars(result, chosen: set[str]) -> list[Bar]:
    """The bars of one rule result: one per scope of a credits or units rule (against its
    minimum, or its maximum when it has only a cap), one for mandatory units; none for rules
    without an amount (barred sets, routes)."""
    rule = result.rule
    measure = getattr(rule, "measure", None)
    if measure is not None:
        low, high = getattr(rule, "min", None), getattr(rule, "max", None)
        target, cap = (low, False) if low is not None else (high, True)
        if target is None:  # pragma: no cover - an amount rule has a min or a max
            return []
        word = "credits" if measure == "credits" else "units"
        several = len(result.amounts) > 1
        return [
            Bar(label if several else "", target, value, word, cap)
            for label, value in result.amounts.items()
        ]
    units = getattr(rule, "units", None)
    if units is not None and str(result.required).startswith("all "):
        have = sum(u in chosen for u in units)
        return [Bar("", len(units), have, "units")]
    return []


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _page(title: str, body: list[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _bar_html(bar: Bar) -> str:
    fill, mark = bar.widths()
    short = bar.achieved > bar.required if bar.at_most else bar.achieved < bar.required
    relation = "at most" if bar.at_most else "at least"
    words = f"{bar.achieved} of {relation} {bar.required} {bar.word}"
    label = f'<span class="scope">{_e(bar.label)}: </span>' if bar.label else ""
    return (
        f'<div class="bar" data-required="{bar.required}" data-achieved="{bar.achieved}" '
        f'data-at-most="{str(bar.at_most).lower()}">'
        f'<div class="amount">{label}<span class="words">{_e(words)}</span></div>'
        f'<div class="track" role="img" aria-label="{_e(words)}">'
        f'<div class="fill{" short" if short else ""}" style="width:{fill:.4f}%"></div>'
        f'<div class="mark" style="left:{mark:.4f}%"></div></div></div>'
    )


def rules_html(results, chosen: set[str], depth: int = 0) -> list[str]:
    """Each rule: key, description, verdict, then its bars (nested rules indented)."""
    out = []
    for r in results:
        verdict = '<span class="ok">holds</span>' if r.holds else '<span class="no">fails</span>'
        style = f' style="margin-left:{depth * 1.2}rem"' if depth else ""
        out.append(
            f'<div class="rule" data-key="{_e(r.rule.key)}" data-holds="{str(r.holds).lower()}"'
            f"{style}>"
        )
        out.append(
            f'<div class="head"><span><b>{_e(r.rule.key)}</b> {_e(r.rule.name)}</span>'
            f"<span>required {_e(r.required)}; achieved {_e(r.actual)} {verdict}</span></div>"
        )
        out += [_bar_html(b) for b in bars(r, chosen)]
        if r.needed:
            out.append(f'<div class="needed">Still needed: {_e(r.needed)}</div>')
        out.append("</div>")
        out += rules_html(r.children, chosen, depth + 1)
    return out


# Classes: `num` a figure (right-aligned) and `fig` an id or number, both kept whole on one line
# (never "J/601/1" over "630"); `title` the one column that may break anywhere to fit, so on
# a narrow screen the titles wrap and nothing else does.
UNIT_COLUMNS = [
    ("group", "Group", "fig"),
    ("number", "No.", "fig"),
    ("id", "Id", "fig"),
    ("title", "Title", "title"),
    ("credit", "Credit", "num"),
    ("level", "Level", "num"),
    ("glh", "GLH", "num"),
    ("achieved", "Achieved", ""),
]


def units_table(rows: list[dict]) -> list[str]:
    head = "".join(
        f'<th scope="col"{f" class={c}" if c else ""}>{_e(h)}</th>' for _, h, c in UNIT_COLUMNS
    )
    out = ['<table class="units">', f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for r in rows:
        cells = []
        for key, header, cls in UNIT_COLUMNS:
            value = r[key]
            if key == "achieved":
                value = "yes" if value else ""
            elif key == "glh" and value is None:
                value = "unknown"
            cls_attr = f' class="{cls}"' if cls else ""
            cells.append(f'<td data-label="{_e(header)}"{cls_attr}>{_e(value)}</td>')
        out.append(f'<tr data-unit="{_e(r["id"])}">' + "".join(cells) + "</tr>")
    return out + ["</tbody>", "</table>"]


def solution_html(solution) -> str:
    """`pathway solve --format html`."""
    from .report import (
        _glh_words,
        _held_but_unused,
        _limit_notes,
        _size,
        _status_line,
        difference_words,
        objective_name,
        pathway_totals,
    )
    from .situation import question, situation

    s = solution.scenario
    q = s.qualification
    best = solution.best
    kind = {"optimal": "", "feasible": " warn"}.get(solution.status, " bad")
    body = [
        "<header>",
        f"<h1>{_e(q.title)}</h1>",
        f'<p class="question"><b>Question:</b> {_e(question(solution))}</p>',
    ]
    if s.description:
        body.append(f"<p>{_e(s.description)}</p>")
    body.append("</header>")
    body.append('<section id="situation"><h2>The situation</h2><dl class="situation">')
    for label, words in situation(solution):
        body.append(f"<dt>{_e(label)}</dt><dd>{_e(words)}</dd>")
    if s.path:
        body.append(f"<dt>Scenario file</dt><dd><code>{_e(s.path)}</code></dd>")
    body.append(f"<dt>Model</dt><dd><code>{_e(q.id)}</code></dd></dl></section>")
    body.append(f'<p class="status{kind}" id="status">{_e(_status_line(solution))}</p>')
    for note in list(solution.notes) + _limit_notes(solution):
        body.append(f'<p class="note">{_e(note)}</p>')
    if best is None:
        if solution.explanation:
            body.append('<section id="explanation"><h2>Why no pathway exists</h2>')
            body.append(f"<p>{_e(solution.explanation.summary)}</p><ul>")
            body += [f"<li>{_e(c.says)}</li>" for c in solution.explanation.conflicts]
            body.append("</ul></section>")
        return _page(q.title, body + [_footer()])
    totals = pathway_totals(solution, best)
    body.append('<section id="pathway"><h2>The pathway</h2>')
    body += units_table(totals["units"])
    body.append(
        f'<p id="totals"><b>Total:</b> {_e(_size(q, totals["unit_count"], totals["credits"]))}'
        f"; {totals['units_to_take']} still to take, {_e(_glh_words(q, totals))}.</p>"
    )
    body += [f"<p>{_e(line)}</p>" for line in _held_but_unused(q, totals)]
    body.append("</section>")
    body.append('<section id="rules"><h2>Rules: required and achieved</h2>')
    body += rules_html(best.audit.results, set(best.units))
    body.append("</section>")
    if len(solution.pathways) > 1:
        body.append('<section id="alternatives"><h2>Alternatives</h2><ol start="2">')
        name = objective_name(solution.objectives)
        for i, p in enumerate(solution.pathways[1:], start=2):
            value = p.values[0] if len(p.values) == 1 else list(p.values)
            labels = ", ".join(q.unit(u).number or u for u in p.units)
            body.append(
                f'<li data-rank="{i}"><b>{_e(name)} = {_e(value)}</b>: '
                f'<span class="differs">{_e(difference_words(solution, p))}</span>'
                f'<br><span class="scope">units {_e(labels)}</span></li>'
            )
        body.append("</ol></section>")
    return _page(q.title, body + [_footer()])


def audit_html(a) -> str:
    """`pathway check --format html`."""
    from .report import _size, still_needed

    q = a.qualification
    labels = ", ".join(q.unit(u).number or u for u in a.units) or "none"
    verdict = "Achieved: every rule holds." if a.achieved else "Not achieved."
    body = [
        "<header>",
        f"<h1>{_e(q.title)}</h1>",
        f'<p class="question"><b>Question:</b> do units {_e(labels)} achieve {_e(q.title)}?</p>',
        "</header>",
        f'<p id="units">Units counted: {_e(labels)} ({_e(_size(q, len(a.units), a.credits))})</p>',
        f'<p class="status{"" if a.achieved else " bad"}" id="status">{_e(verdict)}</p>',
    ]
    if not a.achieved:
        body.append('<section id="needed"><h2>Still needed</h2><ul class="plain">')
        body += [f"<li>{_e(line)}</li>" for line in still_needed(a.results)]
        body.append("</ul></section>")
    body.append('<section id="rules"><h2>Rules: required and achieved</h2>')
    body += rules_html(a.results, set(a.units))
    body.append("</section>")
    return _page(q.title, body + [_footer()])


def _footer() -> str:
    return (
        "<footer>Made by pathway; every pathway shown was re-checked, rule by rule, by an "
        "independent auditor.</footer>"
    )
