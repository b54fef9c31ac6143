"""The planners' reports (compare, rank, impact) as a table, Markdown or CSV; JSON is each
result's own `to_dict`. Formatting only: every figure comes from compare.py or impact.py, and
the question and situation that Markdown opens with from situation.py (as HTML's do)."""

from __future__ import annotations

from .situation import impact_question, markdown_text, question_markdown, situation


def comparison_title(differs: bool) -> str:
    """The heading of compare's report (`differs`) and rank's, in Markdown and HTML."""
    return "Qualifications compared" if differs else "Qualifications ranked"


RESULT_HEADER = [
    "rank",
    "qualification",
    "status",
    "value",
    "glh",
    "credits",
    "to take",
    "reused",
]
CSV_RESULT_HEADER = [
    "rank",
    "qualification",
    "title",
    "status",
    "value",
    "glh",
    "credits",
    "units_to_take",
    "reused",
    "units",
    "explanation",
]
UNIT_HEADER = ["no.", "id", "title", "in optimal", "without", "delta", "usable"]
CSV_UNIT_HEADER = ["id", "number", "title", "in_optimal", "without", "delta", "essential", "usable"]


def _grid(rows: list[list[str]], header: list[str], width: int | None, flex: int) -> str:
    """Columns padded to their widest cell; on a terminal (`width`), fitted to it by wrapping
    column `flex` or, where that is not enough, one `header: value` block per row
    (terminal.table). Without a width: plain and stable for scripts and diffs."""
    from .terminal import table

    return table(rows, header, width=width, flex=flex)


def _markdown(rows: list[list[str]], header: list[str]) -> str:
    def line(cells) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(header), line(["---"] * len(header)), *map(line, rows)])


def _csv(rows: list[list], header: list[str]) -> str:
    """As every command's CSV is written (csv_report: RFC 4180 line ends, formula guard)."""
    from .csv_report import csv_text

    return csv_text(header, rows)


def _value(value) -> str:
    if value is None:
        return "-"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _glh(row) -> str:
    if row.glh is not None:
        return str(row.glh)
    if row.glh_unknown:
        return f"unknown for {row.glh_unknown} unit{'s' * (row.glh_unknown != 1)}"
    return "-"


def _blank(value) -> str:
    return "-" if value is None else str(value)


def _differs(comparison) -> dict[int, list[str]]:
    """Per row with a pathway, its units (as printed) that not every other pathway has; units
    are the same across qualifications by URN (or model-id:unit-id)."""
    with_units = [r for r in comparison.rows if r.units]
    if len(with_units) < 2:
        return {}
    common = set.intersection(*(set(r.keys) for r in with_units))
    return {
        id(r): [label for key, label in zip(r.keys, r.labels) if key not in common]
        for r in with_units
    }


RANKED = ("optimal", "feasible")  # statuses that carry a pathway, and so a value to rank by


def ranks(comparison) -> list[int | None]:
    """Each row's rank: rows with a pathway (optimal or feasible) best first, numbered 1, 2,
    ...; a row without one is listed unranked (None), as README says: one that could not be
    counted (unknown: a GLH missing, say) and one with no pathway (infeasible)."""
    out: list[int | None] = []
    n = 0
    for r in comparison.rows:
        n += r.status in RANKED
        out.append(n if r.status in RANKED else None)
    return out


def _result_cells(comparison, differs: bool) -> tuple[list[str], list[list[str]]]:
    header = RESULT_HEADER + (["units not in every other"] if differs else [])
    other = _differs(comparison) if differs else {}
    rows = []
    for rank, r in zip(ranks(comparison), comparison.rows):
        held = {u: label for u, label in zip(r.units, r.labels)}
        cells = [
            _blank(rank),
            r.qualification,
            r.status,
            _value(r.value),
            _glh(r) if r.units else "-",
            _blank(r.credits),
            _blank(r.units_to_take),
            " ".join(held[u] for u in r.reused) or "-",
        ]
        if differs:
            cells.append(" ".join(other.get(id(r), [])) or "-")
        rows.append(cells)
    return header, rows


def _reasons(comparison) -> list[str]:
    return [
        f"- {r.qualification} ({r.status}): {r.explanation}"
        for r in comparison.rows
        if r.explanation
    ]


def comparison_table(comparison, differs: bool = True, width: int | None = None) -> str:
    """compare and rank for a terminal `width` columns wide (None: not a terminal)."""
    from .report import objective_names
    from .terminal import wrap_lines

    header, rows = _result_cells(comparison, differs)
    head = f"Objective: {objective_names(comparison.objectives)} (proven optima; best first)"
    out = [*wrap_lines([head], width), ""]
    out.append(_grid(rows, header, width, 1) if rows else "No qualification to show.")
    reasons = _reasons(comparison)
    if reasons:
        out += ["", "Without a value:", *wrap_lines(reasons, width)]
    if comparison.notes:
        out += ["", *wrap_lines(comparison.notes, width)]
    return "\n".join(out)


def comparison_markdown(
    comparison, question: str, situation: list[tuple[str, str]], differs: bool = True
) -> str:
    """compare (and rank, `differs` false) as Markdown: the question and the learner's
    situation (situation.comparison_question or rank_question, learner_situation), then the
    table."""
    from .report import objective_names

    header, rows = _result_cells(comparison, differs)
    out = [f"# {comparison_title(differs)}", "", *question_markdown(question, situation)]
    names = objective_names([f"`{o}`" for o in comparison.objectives])
    out += [f"Objective: {names} (proven optima; best first)", ""]
    out.append(_markdown(rows, header) if rows else "No qualification to show.")
    reasons = _reasons(comparison)
    if reasons:
        out += ["", *map(markdown_text, reasons)]
    if comparison.notes:
        out += ["", *map(markdown_text, comparison.notes)]
    return "\n".join(out) + "\n"


def comparison_csv(comparison) -> str:
    rows = [
        [
            "" if i is None else i,
            r.qualification,
            r.title,
            r.status,
            _value(r.value) if r.value is not None else "",
            "" if r.glh is None else r.glh,
            "" if r.credits is None else r.credits,
            "" if r.units_to_take is None else r.units_to_take,
            " ".join(r.reused),
            " ".join(r.units),
            r.explanation or "",
        ]
        for i, r in zip(ranks(comparison), comparison.rows)
    ]
    return _csv(rows, CSV_RESULT_HEADER)


def _unit_cells(result) -> list[list[str]]:
    return [
        [
            u.number or "",
            u.id,
            u.title,
            u.in_optimal,
            "no pathway" if u.essential else _value(u.without),
            "-" if u.delta is None else _value(u.delta),
            "yes" if u.usable else "NO",
        ]
        for u in result.units
    ]


def _rule_lines(result) -> list[str]:
    dead = [r for r in result.rules if not r.satisfiable]
    implied = [r for r in result.rules if r.implied]
    out = []
    if dead:
        out.append("Rules no pathway can satisfy: " + "; ".join(f"{r.key} {r.name}" for r in dead))
    if implied:
        out.append(
            "Rules implied by the others (dropping one alone changes nothing): "
            + "; ".join(f"{r.key} {r.name}" for r in implied)
        )
    if not dead and not implied:
        out.append("Every rule can be satisfied, and none is implied by the others.")
    return out


def _impact_head(result) -> str:
    """'optimum min-glh = 245 (proven)'; each objective of a lexicographic list beside its
    value, in solve's words (report.objective_values)."""
    from .report import objective_names, objective_values

    q = result.scenario.qualification
    if result.optimum is None:
        name = objective_names(result.objectives)
        return f"{q.title} ({q.id}): no pathway exists ({name}); every unit is unusable."
    optimum = result.optimum if isinstance(result.optimum, list) else [result.optimum]
    values = objective_values(result.objectives, optimum)
    return f"{q.title} ({q.id}): optimum {values} (proven)"


def impact_table(result, width: int | None = None) -> str:
    """impact for a terminal `width` columns wide (None: not a terminal)."""
    from .terminal import wrap_lines

    out = wrap_lines([_impact_head(result), *result.notes], width)
    out += ["", _grid(_unit_cells(result), UNIT_HEADER, width, 2)]
    return "\n".join([*out, "", *wrap_lines(_rule_lines(result), width)])


def impact_markdown(result) -> str:
    """impact as Markdown: the question and the learner's situation, the optimum, then every
    unit's row and the rules' findings."""
    s = result.scenario
    out = [f"# {markdown_text(s.qualification.title)}", ""]
    out += question_markdown(impact_question(result), situation(result), s.description, s.path)
    out += [markdown_text(_impact_head(result)), ""]
    out += [*map(markdown_text, result.notes), *[""] * bool(result.notes)]
    out += [_markdown(_unit_cells(result), UNIT_HEADER), ""]
    rules = (f"- {markdown_text(line)}" for line in _rule_lines(result))
    return "\n".join([*out, *rules]) + "\n"


def impact_csv(result) -> str:
    rows = [
        [
            u.id,
            u.number or "",
            u.title,
            u.in_optimal,
            "" if u.without is None else _value(u.without),
            "" if u.delta is None else _value(u.delta),
            "yes" if u.essential else "no",
            "yes" if u.usable else "no",
        ]
        for u in result.units
    ]
    return _csv(rows, CSV_UNIT_HEADER)
