"""HTML pages for the planners' questions (`compare`, `rank`, `impact`, `plan`), built from
html_report's pieces: the same self-contained page (inline CSS, no script, nothing fetched),
the same layout of question, situation, status and results, and tables that become one card
per row on a phone.

An amount is drawn as a bar on a scale shared by its table (the largest amount shown fills
the track), so bars can be compared down a column; `data-value` and `data-scale` carry the
numbers and the width is computed here, so a test can check it. Formatting only: every figure
comes from compare.py, impact.py or cohort_plan.py."""

from __future__ import annotations

from .html_report import WIDE_TABLE, _e, _footer, _page

AMOUNT_CSS = (
    "<style>.amount-bar{min-width:6rem}.amount-bar .track{height:.7rem}"
    ".amount-bar .value{font-variant-numeric:tabular-nums}</style>"
)
# Table cells keep whole words and figures (html_report.CSS: `num` and `fig` cells on one
# line, only `title` cells break anywhere); on a phone each row is a card anyway.


def amount_bar(value: int | None, scale: int, words: str) -> str:
    """`words` above a track filled `value / scale` of its width; nothing drawn for None."""
    if value is None:
        return f'<span class="value">{_e(words)}</span>'
    fill = 100 * value / max(scale, 1)
    return (
        f'<div class="amount-bar" data-value="{value}" data-scale="{scale}">'
        f'<span class="value">{_e(words)}</span>'
        f'<div class="track" role="img" aria-label="{_e(words)}">'
        f'<div class="fill" style="width:{fill:.4f}%"></div></div></div>'
    )


def _table(header: list[tuple[str, str]], rows: list[tuple[dict, list[str]]]) -> list[str]:
    """A table whose cells are HTML already: `header` is (label, class); each row is (data
    attributes, cells). Class `units` makes it one card per row on narrow screens (`wide`, on
    wider ones too)."""
    head = "".join(f'<th scope="col"{f" class={c}" if c else ""}>{_e(h)}</th>' for h, c in header)
    kind = "units wide" if len(header) >= WIDE_TABLE else "units"
    out = [f'<table class="{kind}">', f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for attrs, cells in rows:
        data = "".join(f' data-{k}="{_e(v)}"' for k, v in attrs.items())
        tds = "".join(
            f'<td data-label="{_e(h)}"{f" class={c}" if c else ""}>{cell}</td>'
            for (h, c), cell in zip(header, cells)
        )
        out.append(f"<tr{data}>{tds}</tr>")
    return out + ["</tbody>", "</table>"]


def _head(title: str, question: str, situation: list[tuple[str, str]]) -> list[str]:
    body = [
        AMOUNT_CSS,
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="question"><b>Question:</b> {_e(question)}</p>',
        "</header>",
        '<section id="situation"><h2>The situation</h2><dl class="situation">',
    ]
    body += [f"<dt>{_e(label)}</dt><dd>{_e(words)}</dd>" for label, words in situation]
    return body + ["</dl></section>"]


def _value(value) -> str:
    if value is None:
        return "-"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


# -- compare and rank ------------------------------------------------------------------------


def comparison_html(comparison, question: str, situation, differs: bool = True) -> str:
    """`compare --format html` (and `rank`, with `differs` false): each qualification's
    answer side by side, best first, with a bar of the GLH still to teach."""
    from .plan_report import _blank, _differs, _glh, comparison_title, ranks
    from .report import objective_names

    title = comparison_title(differs)
    body = _head(title, question, situation)
    name = objective_names(comparison.objectives)
    body.append(
        f'<p class="status" id="status">Objective {_e(name)}: proven optima, best first '
        f"({len(comparison.rows)} qualification{'s' * (len(comparison.rows) != 1)}).</p>"
    )
    body += [f'<p class="note">{_e(note)}</p>' for note in comparison.notes]
    other = _differs(comparison) if differs else {}
    scale = max([r.glh for r in comparison.rows if r.glh is not None and r.units] + [1])
    header = [
        ("Rank", "num"),
        ("Qualification", "title"),
        ("Status", ""),
        (f"Value ({name})", "num"),
        ("GLH still to teach", ""),
        ("Credits", "num"),
        ("Units to take", "num"),
        ("Held units reused", ""),
    ]
    if differs:
        header.append(("Units not in every other", ""))
    rows = []
    for rank, r in zip(ranks(comparison), comparison.rows):  # rows without a pathway: "-"
        held = dict(zip(r.units, r.labels))
        glh = r.glh if r.units else None
        cells = [
            _blank(rank),
            f"<b>{_e(r.title)}</b><br><code>{_e(r.qualification)}</code>",
            _e(r.status),
            _e(_value(r.value)),
            amount_bar(glh, scale, f"{glh} GLH" if glh is not None else _glh(r)),
            _e("-" if r.credits is None else r.credits),
            _e("-" if r.units_to_take is None else r.units_to_take),
            _e(" ".join(held[u] for u in r.reused) or "-"),
        ]
        if differs:
            cells.append(_e(" ".join(other.get(id(r), [])) or "-"))
        attrs = {"qualification": r.qualification}
        rows.append((attrs if rank is None else {**attrs, "rank": rank}, cells))
    body.append('<section id="results"><h2>Results</h2>')
    body += _table(header, rows) if rows else ["<p>No qualification to show.</p>"]
    body.append("</section>")
    reasons = [r for r in comparison.rows if r.explanation]
    if reasons:
        body.append('<section id="without"><h2>Without a value</h2><ul class="plain">')
        body += [
            f"<li><b>{_e(r.qualification)}</b> ({_e(r.status)}): {_e(r.explanation)}</li>"
            for r in reasons
        ]
        body.append("</ul></section>")
    return _page(title, body + [_footer()])


# -- impact ----------------------------------------------------------------------------------


def impact_html(result) -> str:
    """`impact --format html`: for every unit, whether optimal pathways take it and what the
    optimum would be without it (with a bar of the difference), then the rules' findings."""
    from .plan_report import _impact_head, _rule_lines
    from .situation import impact_question, situation

    q = result.scenario.qualification
    body = _head(q.title, impact_question(result), situation(result))
    body.append(f'<p class="status" id="status">{_e(_impact_head(result))}</p>')
    body += [f'<p class="note">{_e(note)}</p>' for note in result.notes]
    deltas = [u.delta for u in result.units if isinstance(u.delta, int)]
    scale = max([abs(d) for d in deltas] + [1])
    header = [
        ("No.", "fig"),
        ("Id", "fig"),
        ("Title", "title"),
        ("In optimal pathways", ""),
        ("Optimum without it", "num"),
        ("Change", "fig"),
        ("Usable", ""),
    ]
    rows = []
    for u in result.units:
        if u.essential:
            change = "-"
        elif isinstance(u.delta, int):
            change = amount_bar(abs(u.delta), scale, f"{u.delta:+d}" if u.delta else "0")
        else:
            change = _e(_value(u.delta))
        cells = [
            _e(u.number or ""),
            f"<code>{_e(u.id)}</code>",
            _e(u.title),
            _e(u.in_optimal),
            _e("no pathway" if u.essential else _value(u.without)),
            change,
            _e("yes" if u.usable else "NO"),
        ]
        rows.append(({"unit": u.id}, cells))
    body.append('<section id="units"><h2>Units</h2>')
    body += _table(header, rows)
    body.append('</section><section id="rules"><h2>Rules</h2><ul class="plain">')
    body += [f"<li>{_e(line)}</li>" for line in _rule_lines(result)]
    body.append("</ul></section>")
    return _page(q.title, body + [_footer()])


# -- plan ------------------------------------------------------------------------------------


def plan_html(plan) -> str:
    """`plan --format html`: the offer (classes, a bar of taught GLH each), the learners, the
    totals and the comparison with every learner's own cheapest pathway."""
    from .cohort_report import _headline, _learner_rows, learner_status
    from .situation import cohort_situation, plan_question

    cohort = plan.cohort
    title = cohort.name or cohort.path
    body = _head(title, plan_question(plan), cohort_situation(plan))
    kind = {"optimal": "", "feasible": " warn"}.get(str(plan.status), " bad")
    lines = _headline(plan)[1:]
    body.append(f'<p class="status{kind}" id="status">{_e(lines[0])}</p>')
    body += [f'<p class="note">{_e(note)}</p>' for note in plan.notes]
    planned = plan.value is not None
    if planned:
        body.append('<section id="totals"><h2>Totals</h2><dl class="situation">')
        totals = [
            ("Taught GLH", str(plan.taught_glh)),
            ("Classes", str(plan.classes)),
            ("Units run", str(len(plan.offer))),
            ("Learners completing", f"{plan.completing} of {len(plan.learners)}"),
        ]
        body += [f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in totals]
        body.append("</dl></section>")
        body += _comparison(plan)
    if plan.offer:
        scale = max(u.taught_glh for u in plan.offer)
        header = [
            ("No.", "fig"),
            ("Unit", "fig"),
            ("Title", "title"),
            ("Learners", "num"),
            ("Classes", "num"),
            ("Taught GLH", ""),
        ]
        rows = [
            (
                {"unit": u.key},
                [
                    _e(u.number or ""),
                    f"<code>{_e(u.key)}</code>",
                    _e(u.title),
                    str(len(u.learners)),
                    str(u.classes),
                    amount_bar(
                        u.taught_glh,
                        scale,
                        f"{u.taught_glh} GLH ({u.classes} x {u.glh})",
                    ),
                ],
            )
            for u in plan.offer
        ]
        body.append('<section id="offer"><h2>The offer</h2>')
        body += _table(header, rows)
        body.append("</section>")
    if plan.learners:
        header = [
            ("Learner", "fig"),
            ("Qualification", ""),
            ("Status", ""),
            ("GLH to take", "num"),
            ("Units to take, or why not", ""),
        ]
        # A reason the explanation below gives is not repeated in the table (as in Markdown).
        rows = [
            ({"learner": lp.id, "status": learner_status(lp)}, [_e(c) for c in cells])
            for lp, cells in zip(plan.learners, _learner_rows(plan, False))
        ]
        body.append('<section id="learners"><h2>The learners</h2>')
        body += _table(header, rows)
        body.append("</section>")
    if plan.explanation:
        body.append('<section id="explanation"><h2>Why not every learner completes</h2>')
        body.append(f"<p>{_e(plan.explanation['summary'])}</p><ul>")
        body += [
            f"<li><b>{_e(e['id'])}</b>: {_e(e['reason'])}</li>"
            for e in plan.explanation["learners"]
        ]
        body.append("</ul></section>")
    return _page(title, body + [_footer()])


def _comparison(plan) -> list[str]:
    """This plan's taught GLH beside every learner's own cheapest pathway offered as is."""
    if plan.individual_glh is None:
        return []
    scale = max(plan.taught_glh, plan.individual_glh)
    saving = plan.individual_glh - plan.taught_glh
    mine = amount_bar(plan.taught_glh, scale, f"This plan: {plan.taught_glh} taught GLH")
    theirs = amount_bar(
        plan.individual_glh,
        scale,
        f"Every learner's own cheapest pathway: {plan.individual_glh} taught GLH",
    )
    return [
        '<section id="comparison"><h2>Against every learner\'s own cheapest pathway</h2>',
        f'<div class="compared" data-which="plan">{mine}</div>',
        f'<div class="compared" data-which="individual">{theirs}</div>',
        f'<p id="saving">The plan saves {saving} taught GLH.</p>',
        "</section>",
    ]
