"""`pathway plan`'s reports: JSON, a table, Markdown and CSV. Formatting only: every figure
comes from cohort_plan.Plan."""

from __future__ import annotations

from .words import plural


def plan_json(plan) -> dict:
    """The JSON report (keys documented in the README)."""
    value = plan.value
    objective: dict = {
        "name": plan.objective,
        "value": None if value is None else (value[0] if len(value) == 1 else list(value)),
    }
    if plan.status == "feasible":
        objective["bound"] = plan.bound
        objective["bound_on"] = plan.bound_on
        objective["gap"] = _gap(plan)
    planned = plan.value is not None
    return {
        "status": str(plan.status),
        "cohort": plan.cohort.name,
        "objective": objective,
        "offer": [
            {
                "unit": u.key,
                "title": u.title,
                "learners": list(u.learners),
                "classes": u.classes,
                "glh": u.taught_glh,
            }
            for u in plan.offer
        ],
        "learners": [
            {
                "id": lp.id,
                "qualification": lp.scenario.qualification.id,
                "status": learner_status(lp),
                "units": list(lp.units),
                "glh_to_take": lp.glh_to_take,
                "preference": lp.preference,
            }
            for lp in plan.learners
        ],
        "totals": {
            "taught_glh": plan.taught_glh if planned else None,
            "units_run": len(plan.offer) if planned else None,
            "classes": plan.classes if planned else None,
            "learners_completing": plan.completing if planned else 0,
            "preference": plan.preference,
            "preference_proven": plan.preference_proven if plan.preference is not None else None,
        },
        "comparison": {
            "individual_cheapest_glh": plan.individual_glh,
            "saving_glh": (
                plan.individual_glh - plan.taught_glh
                if planned and plan.individual_glh is not None
                else None
            ),
        },
        "explanation": plan.explanation,
        "notes": list(plan.notes),
    }


def learner_status(lp) -> str:
    """completes; cannot-complete (the explanation says why); not-planned (no plan was found,
    though this learner has a pathway of their own)."""
    if lp.completes:
        return "completes"
    return "cannot-complete" if lp.reason else "not-planned"


def _gap(plan) -> float | None:
    """The relative gap on the objective the bound is for, as solve reports it."""
    if plan.value is None or plan.bound is None:
        return None
    value = plan.value[0] if plan.bound_on == "completing" else plan.value[-1]
    if value == 0:
        return 0.0
    return round(abs(value - plan.bound) / abs(value), 6)


def _headline(plan) -> list[str]:
    name = plan.cohort.name or plan.cohort.path
    lines = [f"Cohort: {name} ({plural(len(plan.cohort.learners), 'learners')})"]
    status = str(plan.status)
    if plan.value is not None and len(plan.value) == 2:  # max-completing, in words
        completing, taught = plan.value
        lines.append(
            f"Status: {status}; {plural(completing, 'learners')} completing, {taught:,} taught GLH"
        )
    elif plan.value is not None:  # min-taught-glh, in the same words
        lines.append(f"Status: {status}; {plan.value[0]:,} taught GLH")
    else:
        lines.append(f"Status: {status}")
    if plan.status == "feasible" and plan.bound is not None:
        if plan.bound_on == "completing":
            bound = f"at most {plural(plan.bound, 'learners')} can complete"
        else:
            bound = f"the least taught GLH is at least {plan.bound:,}"
        lines.append(f"Not proven: {bound} (gap {_gap(plan):.2%})")
    if plan.value is not None:
        lines.append(
            f"Taught GLH {plan.taught_glh} in {plan.classes} class{'es' * (plan.classes != 1)} of "
            f"{plural(len(plan.offer), 'units')}; "
            f"{plan.completing} of {len(plan.learners)} learners complete"
        )
        if plan.preference is not None:
            proven = "" if plan.preference_proven else " (not proven the most)"
            lines.append(f"Learners' preferences met: {plan.preference}, summed{proven}")
        if plan.individual_glh is not None:
            saving = plan.individual_glh - plan.taught_glh
            lines.append(
                f"Every learner's own cheapest pathway would need {plan.individual_glh} taught "
                f"GLH: this plan saves {saving}"
            )
    return lines


def _offer_rows(plan) -> list[list[str]]:
    return [
        [
            u.number or "",
            u.key,
            u.title,
            str(len(u.learners)),
            str(u.classes),
            str(u.taught_glh),
        ]
        for u in plan.offer
    ]


def _learner_rows(plan, reasons: bool = True) -> list[list[str]]:
    """One row a learner. A learner who cannot complete has the reason in the last column,
    unless `reasons` is False and the explanation printed below the table gives it."""
    explained = set() if reasons or not plan.explanation else _explained(plan)
    rows = []
    for lp in plan.learners:
        q = lp.scenario.qualification
        if lp.completes:
            take = ", ".join(q.unit(u).number or u for u in lp.to_take) or "(nothing new)"
            rows.append([lp.id, q.id, "completes", str(lp.glh_to_take), take])
        else:
            status = learner_status(lp).replace("-", " ")
            why = "" if lp.id in explained else lp.reason or ""
            rows.append([lp.id, q.id, status, "", why])
    return rows


def _explained(plan) -> set[str]:
    """The learners the explanation names (with their reason)."""
    return {e["id"] for e in plan.explanation["learners"]}


OFFER_HEADER = ["no.", "unit", "title", "learners", "classes", "taught GLH"]
LEARNER_HEADER = ["learner", "qualification", "status", "GLH to take", "units to take"]


def plan_table(plan, width: int | None = None) -> str:
    """The plan for a terminal `width` columns wide (None: not a terminal, plain columns)."""
    from .terminal import table, wrap_lines

    out = wrap_lines(_headline(plan), width)
    if plan.offer:
        offer = table(_offer_rows(plan), OFFER_HEADER, width=width, flex=2)
        out += ["", "Offer:", offer]
    if plan.learners:
        learners = table(_learner_rows(plan, False), LEARNER_HEADER, width=width, flex=4)
        out += ["", "Learners:", learners]
    notes = [f"Note: {note}" for note in plan.notes]
    if plan.explanation:
        notes += ["", plan.explanation["summary"]]
        notes += [f"  {e['id']}: {e['reason']}" for e in plan.explanation["learners"]]
    return "\n".join(out + wrap_lines(notes, width))


def plan_markdown(plan) -> str:
    """The plan as Markdown, for a report or an issue: the question and the cohort's situation
    (situation.py, as the HTML page says them), then the answer."""
    from .situation import cohort_situation, markdown_text, plan_question, question_markdown

    lines = _headline(plan)
    out = [f"# {markdown_text(plan.cohort.name or plan.cohort.path)}", ""]
    out += question_markdown(plan_question(plan), cohort_situation(plan))
    out += [f"{markdown_text(line)}  " for line in lines[1:]]
    if plan.offer:
        out += ["", "## Offer", "", *_md(OFFER_HEADER, _offer_rows(plan))]
    if plan.learners:
        out += ["", "## Learners", "", *_md(LEARNER_HEADER, _learner_rows(plan, False))]
    if plan.notes:
        out += ["", *[f"Note: {markdown_text(note)}" for note in plan.notes]]
    if plan.explanation:
        summary = markdown_text(plan.explanation["summary"])
        out += ["", "## Why not every learner completes", "", summary, ""]
        out += [
            f"- {markdown_text(e['id'])}: {markdown_text(e['reason'])}"
            for e in plan.explanation["learners"]
        ]
    return "\n".join(out) + "\n"


def _md(header: list[str], rows: list[list[str]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *["| " + " | ".join(cell(c) for c in row) + " |" for row in rows],
    ]


CSV_HEADER = ["unit", "number", "title", "learners", "classes", "glh", "taught_glh", "taken_by"]


def plan_csv(plan) -> str:
    """The offer, one row per unit run, for a spreadsheet (each learner's pathway is in the
    JSON): `glh` is one class's, `taught_glh` all its classes', `taken_by` the learners' ids
    separated by `;`. Written as the other commands' CSV is (csv_report)."""
    from .csv_report import csv_text

    rows = [
        [
            u.key,
            u.number or "",
            u.title,
            len(u.learners),
            u.classes,
            u.glh,
            u.taught_glh,
            ";".join(u.learners),
        ]
        for u in plan.offer
    ]
    return csv_text(CSV_HEADER, rows)
