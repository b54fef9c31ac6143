"""Reports: tables for people, JSON for scripts, Markdown for documents. Formatting only."""

from __future__ import annotations

from .auditor import Audit, RuleResult
from .measures import GLH, known_total
from .situation import markdown_text, question, question_markdown, situation
from .terminal import table, wrap_lines
from .words import join_labels, plural

UNIT_HEADER = ["group", "no.", "id", "title", "credit", "level", "glh", "achieved"]
RULE_HEADER = ["rule", "description", "required", "actual", "ok"]


def _unit_cells(r: dict, blank: str) -> list:
    """One unit's cells, in the column order of the table, the Markdown and the CSV."""
    return [
        r["group"] or blank,
        r["number"] or "",
        r["id"],
        r["title"],
        r["credit"] if r["credit"] is not None else blank,
        r["level"],
        r["glh"] if r["glh"] is not None else "?",
        "yes" if r["achieved"] else "",
    ]


def _markdown_row(cells) -> str:
    """A Markdown table row; a '|' in a title or rule name would otherwise split its cell."""
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def rule_rows(results: list[RuleResult], depth: int = 0) -> list[list[str]]:
    rows = []
    for r in results:
        rows.append(
            [
                r.rule.key,
                "  " * depth + r.rule.name,
                r.required,
                r.actual,
                "yes" if r.holds else "NO",
            ]
        )
        rows += rule_rows(r.children, depth + 1)
    return rows


def rules_table(results: list[RuleResult], width: int | None = None) -> str:
    """The rules with required and actual amounts; descriptions wrap to fit `width`."""
    return table(rule_rows(results), RULE_HEADER, width, flex=1)


def still_needed(results: list[RuleResult]) -> list[str]:
    return [f"{r.rule.key} {r.rule.name}: {r.needed}" for r in results if not r.holds]


def _size(q, unit_count: int, credits: int) -> str:
    """'5 units, 45 credits'; no credits where the qualification publishes none (NVQs)."""
    words = plural(unit_count, "units")
    if any(u.credit is not None for u in q.units):
        words += f", {plural(credits, 'credits')}"
    return words


def _glh_words(q, totals: dict) -> str:
    unknown = totals["glh_unknown"]
    if not unknown:
        return f"{totals['glh']} GLH to teach"
    labels = ", ".join(q.unit(u).number or u for u in unknown)
    if len(unknown) == totals["units_to_take"]:
        return f"GLH unknown: not published for these units ({labels})"
    return (
        f"GLH unknown: {totals['glh_known']} GLH known, and none published for "
        f"{plural(len(unknown), 'units')} ({labels})"
    )


def audit_table(a: Audit, width: int | None = None) -> str:
    """`pathway check` for people; fitted to `width` columns when one is known."""
    q = a.qualification
    labels = ", ".join(q.unit(u).number or u for u in a.units) or "none"
    out = [
        f"{q.title} ({q.id})",
        f"Units counted: {labels}",
        _size(q, len(a.units), a.credits),
    ]
    out = wrap_lines(out, width) + ["", rules_table(a.results, width), ""]
    if a.achieved:
        out.append("Achieved: every rule holds.")
    else:
        out.append("Not achieved. Still needed:")
        out += wrap_lines([f"  - {line}" for line in still_needed(a.results)], width)
    return "\n".join(out)


def audit_json(a: Audit) -> dict:
    return {
        "qualification": a.qualification.id,
        "achieved": a.achieved,
        "units": list(a.units),
        "credits": a.credits,
        "rules": [r.to_dict() for r in a.results],
        "needed": still_needed(a.results),
    }


# -- solve ------------------------------------------------------------------------------------


def objective_name(objectives: list[str]) -> str:
    return ",".join(objectives)


def _objective_value(values: list[int]):
    return values[0] if len(values) == 1 else list(values)


def objective_names(objectives: list[str]) -> str:
    """'min-glh'; 'max-preference, then min-glh' for a lexicographic list."""
    return ", then ".join(objectives)


def objective_values(objectives: list[str], values: list[int]) -> str:
    """'min-glh = 245'; 'max-preference = 5, then min-glh = 251' for a lexicographic list."""
    return ", then ".join(f"{o} = {v}" for o, v in zip(objectives, values))


def unit_rows(solution, pathway) -> list[dict]:
    s = solution.scenario
    q = s.qualification
    held = set(s.held)
    rows = []
    for uid in pathway.units:
        u = q.unit(uid)
        group = q.group_of(uid)
        rows.append(
            {
                "id": u.id,
                "number": u.number,
                "title": u.title,
                "group": group.id if group else None,
                "credit": u.credit,
                "level": u.level,
                "glh": s.glh_of(uid),
                "achieved": uid in held,
            }
        )
    return rows


def pathway_totals(solution, pathway) -> dict:
    """The pathway's units and totals. `glh` is null when a unit still to take has no known
    GLH (a total that left those hours out would rank the qualification as cheaper than it
    is); `glh_known` is then the part that is known."""
    s = solution.scenario
    rows = unit_rows(solution, pathway)
    taken = set(pathway.units)
    glh_known, unknown = known_total(GLH, s, pathway.units)
    return {
        "units": rows,
        "credits": sum(r["credit"] or 0 for r in rows),
        "glh": None if unknown else glh_known,
        "glh_known": glh_known,
        "unit_count": len(rows),
        "units_to_take": sum(not r["achieved"] for r in rows),
        "glh_unknown": unknown,
        "glh_unknown_count": len(unknown),
        "achieved_not_counted": [u for u in s.held if u not in taken],
        "excluded_but_held": s.excluded_but_held,
        "held_elsewhere": list(s.held_elsewhere),
    }


def _held_but_unused(q, totals) -> list[str]:
    """Say what the learner holds that this pathway does not use, so nothing given is lost."""
    out = []
    if totals["excluded_but_held"]:
        labels = [q.unit(u).label for u in totals["excluded_but_held"]]
        out.append(
            "Excluded but already held (a held unit is not taught, so it still counts): "
            + ", ".join(labels)
            + "."
        )
    if totals["achieved_not_counted"]:
        labels = [q.unit(u).label for u in totals["achieved_not_counted"]]
        out.append("Achieved but not needed: " + ", ".join(labels) + ".")
    if totals["held_elsewhere"]:
        out.append(
            "Held, but not units of this qualification: "
            + ", ".join(totals["held_elsewhere"])
            + "."
        )
    return out


def solution_json(solution, timings: bool = False) -> dict:
    """The JSON report. `timings` adds seconds by phase, which differ from run to run (the rest
    of a proven result is byte-identical across runs and worker counts)."""
    out = _solution_json(solution)
    if timings:
        out["timings"] = {phase: round(t, 3) for phase, t in solution.timings.items()}
    return out


def _solution_json(solution) -> dict:
    s = solution.scenario
    q = s.qualification
    best = solution.best
    objective = {
        "name": objective_name(solution.objectives),
        "value": _objective_value(best.values) if best else None,
    }
    if solution.status == "feasible":
        objective["bound"] = solution.bound
        objective["gap"] = _gap(best.values[0], solution.bound) if best else None
    return {
        "status": solution.status,
        "qualification": {"id": q.id, "title": q.title, "path": q.path},
        "scenario": s.path,
        "objective": objective,
        "tie_break": TIE_BREAK,
        # Nothing is proven of a pathway that was never found (status unknown).
        "tie_break_proven": solution.tie_break_proven and solution.status != "unknown",
        "list_complete": solution.list_complete,
        "pathway": pathway_totals(solution, best) if best else None,
        "rules": [r.to_dict() for r in best.audit.results] if best else [],
        "alternatives": [
            {
                "rank": i,
                "objective": {"name": objective["name"], "value": _objective_value(p.values)},
                "units": [u for u in p.units],
                "adds": differences(solution, p)[0],
                "drops": differences(solution, p)[1],
            }
            for i, p in enumerate(solution.pathways[1:], start=2)
        ],
        "explanation": solution.explanation.to_dict() if solution.explanation else None,
        "notes": list(solution.notes) + _limit_notes(solution),
    }


# The rule solver.py applies (its module docstring, and README "Solving"), in words; tests
# check the three against each other (tests/test_walkthrough_output.py).
TIE_BREAK = (
    "among pathways equal on every objective, the smallest sum of hashed weights of the units "
    "taken (the unit at position i, counted from 0, weighs splitmix64(i) >> 44, plus 1); then "
    "the one without the latest-listed unit where two differ"
)


def _limit_notes(solution) -> list[str]:
    """What a time limit left unfinished, in words (also in JSON, as booleans)."""
    out = []
    if solution.status == "optimal" and not solution.tie_break_proven:
        out.append(
            "The optimum is proven, but not that this is the tie-break's pathway among equally "
            "good ones (the time limit, or the proof's own budget of a few times the solve's "
            "work, ran out): with one worker and no time limit every run prints this one; "
            "with other settings a different pathway of the same value may be printed."
        )
    if not solution.list_complete:
        out.append(
            f"The time limit stopped the list at {len(solution.pathways)} of the "
            f"{plural(solution.requested, 'pathways')} asked for."
        )
    return out


def _gap(value: int, bound: int | None) -> float | None:
    if bound is None:
        return None
    return round(abs(value - bound) / max(1, abs(value)), 6)


def _percent(gap: float | None) -> str:
    return "unknown" if gap is None else f"{gap:.2%}"


def _status_line(solution) -> str:
    best = solution.best
    objectives = solution.objectives
    if solution.status == "optimal":
        return f"Optimal ({objective_values(objectives, best.values)}, proven)."
    if solution.status == "feasible":
        on = "" if len(objectives) == 1 else f" on {objectives[0]}"
        # A lexicographic list stopped on a later objective: the first is proven.
        later = len(objectives) > 1 and solution.bound == best.values[0]
        return (
            f"Feasible, not proven optimal: time limit reached "
            f"({objective_values(objectives, best.values)}, best bound{on} {solution.bound}, "
            f"gap {_percent(_gap(best.values[0], solution.bound))}"
            + (f": {objectives[0]} is proven, a later objective is not" if later else "")
            + ")."
        )
    if solution.status == "unknown":
        return "Unknown: the time limit was reached before any pathway was found."
    return "Infeasible: no pathway exists."


def solution_table(solution, width: int | None = None) -> str:
    """`pathway solve` for people. With `width` (a terminal, or COLUMNS) every line fits it,
    titles wrapped; without (piped, or written to a file), one line a row with titles whole:
    there is no width to fit, and a script gets the stable layout."""
    s = solution.scenario
    q = s.qualification
    out = [f"{q.title} ({q.id})"]
    if s.path:
        out.append(f"Scenario: {s.path}" + (f": {s.title}" if s.title else ""))
    out.append(_status_line(solution))
    out += solution.notes + _limit_notes(solution)
    best = solution.best
    if best is None:
        if solution.explanation:
            out += ["", *solution.explanation.lines()]
        return "\n".join(wrap_lines(out, width))
    out = wrap_lines(out, width)
    totals = pathway_totals(solution, best)
    rows = [_unit_cells(r, blank="-") for r in totals["units"]]
    out += ["", table(rows, UNIT_HEADER, width, flex=3), ""]
    tail = [
        (
            f"Total: {_size(q, totals['unit_count'], totals['credits'])}; "
            f"{totals['units_to_take']} still to take, {_glh_words(q, totals)}."
        )
    ]
    tail += _held_but_unused(q, totals)
    out += wrap_lines(tail, width)
    out += ["", rules_table(best.audit.results, width)]
    if len(solution.pathways) > 1:
        out += ["", "Alternatives:"]
        out += wrap_lines([f"  {line}" for line in alternative_lines(solution)], width)
    return "\n".join(out)


def differences(solution, pathway) -> tuple[list[str], list[str]]:
    """(units this pathway adds, units it drops) compared with the best, in model order."""
    best = set(solution.best.units)
    mine = set(pathway.units)
    q = solution.scenario.qualification
    return (
        [u.id for u in q.units if u.id in mine - best],
        [u.id for u in q.units if u.id in best - mine],
    )


def difference_words(solution, pathway) -> str:
    """'takes unit 38 instead of unit 37': how an alternative differs from the best."""
    q = solution.scenario.qualification
    adds, drops = differences(solution, pathway)
    added = join_labels([q.unit(u).label for u in adds])
    dropped = join_labels([q.unit(u).label for u in drops])
    if adds and drops:
        return f"takes {added} instead of {dropped}"
    if adds:
        return f"also takes {added}"
    if drops:
        return f"leaves out {dropped}"
    return "the same units"


def alternative_lines(solution) -> list[str]:
    """One line per alternative: its rank and value, how it differs, and its units."""
    q = solution.scenario.qualification
    out = []
    for i, p in enumerate(solution.pathways[1:], start=2):
        labels = ", ".join(q.unit(u).number or u for u in p.units)
        out.append(
            f"{i}. {objective_values(solution.objectives, p.values)} "
            f"({difference_words(solution, p)}): {labels}"
        )
    return out


def solution_markdown(solution) -> str:
    s = solution.scenario
    q = s.qualification
    notes = solution.notes + _limit_notes(solution)
    out = [
        f"# {markdown_text(q.title)}",
        "",
        *_question_markdown(solution),
        _status_line(solution),
        "",
        *notes,
    ]
    if notes:
        out.append("")
    best = solution.best
    if best is None:
        if solution.explanation:
            out.append(solution.explanation.summary)
            out += [f"- {c.says}" for c in solution.explanation.conflicts]
        return "\n".join(out) + "\n"
    totals = pathway_totals(solution, best)
    out += [
        "| group | no. | id | title | credit | level | GLH | achieved |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    out += [_markdown_row(_unit_cells(r, blank="")) for r in totals["units"]]
    out += [
        "",
        (
            f"**Total:** {_size(q, totals['unit_count'], totals['credits'])}, "
            f"{_glh_words(q, totals)}."
        ),
        *_held_but_unused(q, totals),
        "",
        "| rule | description | required | actual | ok |",
        "| --- | --- | --- | --- | --- |",
    ]
    out += [_markdown_row(row) for row in rule_rows(best.audit.results)]
    if len(solution.pathways) > 1:
        out += ["", "## Alternatives", ""]
        out += [markdown_text(line) for line in alternative_lines(solution)]
    return "\n".join(out) + "\n"


def _question_markdown(solution) -> list[str]:
    """The question and the situation, before the answer."""
    s = solution.scenario
    return question_markdown(question(solution), situation(solution), s.description, s.path)
