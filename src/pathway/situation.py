"""The question a report answers and the learner's situation, in words: what a reader needs
before the pathway makes sense (Markdown, HTML and the table all say the same)."""

from __future__ import annotations

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
    """The scenario's title, or what solving a model with defaults asks."""
    s = solution.scenario
    q = s.qualification
    if s.title:
        return s.title
    return f"The best pathway through {q.title} for a new learner"


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
    budget = [
        f"{what} {value}"
        for what, value in (
            ("at most GLH still to teach:", s.budget.max_glh),
            ("at most units still to take:", s.budget.max_units),
            ("at most credits still to take:", s.budget.max_credits),
        )
        if value is not None
    ]
    if budget:
        out.append(("Budget", "; ".join(budget)))
    if len(out) == 1:
        out.append(("Learner", "a new learner: nothing held, excluded or required"))
    return out


def _order(q):
    position = {u.id: i for i, u in enumerate(q.units)}
    return lambda item: position.get(item[0], len(position))
