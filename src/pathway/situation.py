"""The question a report answers and the learner's situation, in words: what a reader needs
before the answer makes sense. Written once here for every command (solve, compare, rank,
impact, plan), so that Markdown and HTML say the same thing."""

from __future__ import annotations

import re

from .words import join_labels

OBJECTIVE_WORDS = {
    "min-glh": "fewest guided learning hours (GLH) still to teach",
    "max-preference": "the units the learner prefers most",
    "min-credits": "fewest credits still to take",
    "min-units": "fewest units still to take",
}


def objective_words(objectives: list[str]) -> str:
    """'fewest units still to take, then fewest GLH still to teach'."""
    return ", then ".join(OBJECTIVE_WORDS.get(o, o) for o in objectives)


def question(solution) -> str:
    """The scenario's title, or what solving a model asks: for a new learner only when the
    learner holds nothing (the situation, listed after it, says what they hold)."""
    s = solution.scenario
    q = s.qualification
    if s.title:
        return s.title
    who = "this learner" if s.held or s.held_elsewhere else "a new learner"
    return f"The best pathway through {q.title} for {who}"


def unused_weights_note(s, objectives: list[str]) -> list[str]:
    """Preference weights were given but no objective counts them: say so (and how to use
    them) rather than drop them without a word. The pathway chosen does not change."""
    if "max-preference" in objectives or not (s.unit_weights or s.tag_weights):
        return []
    q = s.qualification
    given = [f"{q.unit(u).label} {w:+d}" for u, w in sorted(s.unit_weights.items(), key=_order(q))]
    given += [f"tag {t} {w:+d}" for t, w in sorted(s.tag_weights.items())]
    note = (
        f"Preference weights given ({', '.join(given)}) but not used: the objective "
        f"({', '.join(objectives)}) does not include max-preference. To use them, give "
        "--objective max-preference (or `objective: max-preference` in a scenario), first or "
        "after the others."
    )
    return [note]


def situation(solution) -> list[tuple[str, str]]:
    """(label, words) for each part of the situation that was given, in a fixed order; one
    line saying so when nothing was."""
    s = solution.scenario
    q = s.qualification

    def labels(ids) -> str:
        return join_labels([q.unit(u).label for u in ids])

    out: list[tuple[str, str]] = [("Objective", objective_words(solution.objectives))]
    if s.held:
        out.append(("Already achieved", labels(s.held)))
    if s.held_elsewhere:
        out.append(("Held, not units of this qualification", ", ".join(s.held_elsewhere)))
    if s.excluded:
        out.append(("Cannot be taken", labels(s.excluded)))
    if s.required:
        out.append(("Must be taken", labels(s.required)))
    weights = [
        f"{q.unit(u).label} {w:+d}" for u, w in sorted(s.unit_weights.items(), key=_order(q))
    ]
    weights += [f"tag {t} {w:+d}" for t, w in sorted(s.tag_weights.items())]
    if weights:
        out.append(("Preferences", ", ".join(weights)))
    if s.glh:
        hours = [f"{q.unit(u).label} {h} GLH" for u, h in sorted(s.glh.items(), key=_order(q))]
        out.append(("GLH supplied", ", ".join(hours)))
    budget = budget_words(s.budget.max_glh, s.budget.max_units, s.budget.max_credits)
    if budget:
        out.append(("Budget", budget))
    if len(out) == 1:
        out.append(("Learner", "a new learner: nothing held, excluded or required"))
    return out


def budget_words(max_glh, max_units, max_credits) -> str:
    """'at most GLH still to teach: 120; at most units still to take: 9' (empty: no budget)."""
    return "; ".join(
        f"{what} {value}"
        for what, value in (
            ("at most GLH still to teach:", max_glh),
            ("at most units still to take:", max_units),
            ("at most credits still to take:", max_credits),
        )
        if value is not None
    )


# -- the planners' questions ------------------------------------------------------------------


def comparison_question(models) -> str:
    """`pathway compare`'s question: the qualifications named, as given."""
    return f"Which of these qualifications is best for this learner: {', '.join(models)}?"


def rank_question(models_dir) -> str:
    """`pathway rank`'s question: the catalogue's folder, as given."""
    return f"Which qualifications in {models_dir} are best for this learner?"


def impact_question(result) -> str:
    """`pathway impact`'s question: the scenario's title, or what impact asks of a model."""
    s = result.scenario
    return s.title or f"What each unit of {s.qualification.title} changes for this learner"


def plan_question(plan) -> str:
    """`pathway plan`'s question, by its objective."""
    if plan.objective == "max-completing":
        return (
            "Which units should the centre run so that as many learners as possible complete, "
            "at the least taught GLH?"
        )
    return (
        "Which units should the centre run so that every learner completes, at the least "
        "taught GLH?"
    )


def learner_situation(learner, objectives: list[str], scenario: str | None = None):
    """(label, words) for a compare or rank learner (compare.Learner): the units as given
    (URNs, model-id:unit-id or tags), since no one qualification numbers them."""
    out = [("Objective", objective_words(objectives))]
    if scenario:
        out.append(("Learner from", "<stdin>" if scenario == "-" else scenario))
    parts = [
        ("Already achieved", ", ".join(learner.achieved)),
        ("Cannot be taken", ", ".join(learner.excluded)),
        ("Must be taken", ", ".join(learner.required)),
        ("Preferences", ", ".join(f"{r} {w:+d}" for r, w in learner.weights)),
        ("GLH supplied", ", ".join(f"{r} {h} GLH" for r, h in learner.glh)),
        ("Budget", budget_words(learner.max_glh, learner.max_units, learner.max_credits)),
    ]
    out += [(label, words) for label, words in parts if words]
    if len(out) == 1 + bool(scenario):
        out.append(("Learner", "a new learner: nothing held, excluded or required"))
    return out


def catalogue_question(folder) -> str:
    """`pathway models`' question."""
    return (
        f"Which qualifications are in {folder}, and what is the fewest GLH a new learner needs "
        "for each?"
    )


def catalogue_situation(catalogue) -> list[tuple[str, str]]:
    """(label, words) for `pathway models`: the same new learner for every model."""
    seconds = f"{catalogue.time_limit:g}"
    return [
        ("Objective", objective_words(["min-glh"])),
        ("Learner", "a new learner: nothing held, excluded or required"),
        ("Time limit", f"{seconds} second{'s' * (seconds != '1')} per model"),
    ]


PLAN_AIMS = {
    "min-taught-glh": "least taught GLH (GLH x classes), every learner completing",
    "max-completing": "most learners completing, then least taught GLH",
}


def cohort_situation(plan) -> list[tuple[str, str]]:
    """(label, words) for a cohort plan: the learners and their qualifications, the centre's
    class sizes and limits, and what each learner holds, cannot take or must take."""
    cohort = plan.cohort
    centre = cohort.centre
    qualifications = sorted({lr.scenario.qualification.id for lr in cohort.learners})
    ids = ", ".join(lr.id for lr in cohort.learners)
    out = [
        ("Objective", PLAN_AIMS.get(plan.objective, plan.objective)),
        ("Learners", f"{len(cohort.learners)}: {ids}"),
        ("Qualification" + "s" * (len(qualifications) != 1), ", ".join(qualifications)),
        ("Class size", f"at most {centre.class_size}; a unit runs with {centre.min_class} or more"),
    ]
    if centre.unavailable:
        out.append(("Units the centre cannot run", ", ".join(centre.unavailable)))
    if centre.max_units is not None:
        out.append(("At most units run", str(centre.max_units)))
    if centre.max_glh is not None:
        out.append(("At most GLH taught", str(centre.max_glh)))
    if centre.glh:
        out.append(("GLH supplied", ", ".join(f"{k} {h} GLH" for k, h in centre.glh.items())))
    for label, field in (
        ("Already achieved", "held"),
        ("Cannot be taken", "excluded"),
        ("Must be taken", "required"),
    ):
        each = []
        for lr in cohort.learners:
            units = getattr(lr.scenario, field)
            if units:
                q = lr.scenario.qualification
                each.append(f"{lr.id}: " + ", ".join(q.unit(u).number or u for u in units))
        if each:
            out.append((label, "; ".join(each)))
    out.append(("Cohort file", cohort.path))
    return out


# -- Markdown ---------------------------------------------------------------------------------


def markdown_text(text: str) -> str:
    """Text inside a Markdown line (a heading, a list item, a table cell, a paragraph we
    start): on one line (a line break would end a table row or a list item), with characters
    Markdown would read as markup escaped (a `|` would split a table cell, a `*` start
    emphasis)."""
    flat = " ".join(text.split())
    return "".join("\\" + ch if ch in "\\`*_[]<>|" else ch for ch in flat)


def markdown_paragraph(text: str) -> str:
    """A file's own text as a paragraph of its own: as markdown_text, and a leading `#`, `-`,
    `+` or `1.` escaped, which would make it a heading or a list."""
    out = markdown_text(text)
    if out[:1] in ("#", "-", "+"):
        return "\\" + out
    number = re.match(r"\d+(?=[.)])", out)
    return out if number is None else f"{number.group()}\\{out[number.end() :]}"


def question_markdown(
    question: str,
    situation: list[tuple[str, str]],
    description: str | None = None,
    scenario: str | None = None,
) -> list[str]:
    """The question, a description and the scenario file if any, and the situation as a list:
    what goes before the answer (ending in a blank line)."""
    out = [f"**Question:** {markdown_text(question)}", ""]
    if description:
        out += [markdown_paragraph(description), ""]
    if scenario:
        out += [f"Scenario: `{scenario}`", ""]
    out += [f"- **{label}:** {markdown_text(words)}" for label, words in situation]
    return out + [""]


def _order(q):
    position = {u.id: i for i, u in enumerate(q.units)}
    return lambda item: position.get(item[0], len(position))
