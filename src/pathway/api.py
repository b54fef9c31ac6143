"""The library entry points planners call from Python (the CLI calls the same ones)."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, Problem
from .load import build_model, is_scenario
from .scenario import Scenario, add_achieved, build_scenario, scenario_for_model
from .source import load_yaml_file


def load_problem(path: Path | str) -> Scenario:
    """A scenario file, or a model file solved with defaults."""
    doc = load_yaml_file(path)
    if is_scenario(doc):
        return build_scenario(doc, path)
    return scenario_for_model(build_model(doc, path))


def apply_overrides(
    s: Scenario,
    *,
    achieved=(),
    excluded=(),
    required=(),
    weights=None,
    max_glh=None,
    max_units=None,
    max_credits=None,
) -> Scenario:
    """What-if flags on top of a scenario: units are added, budgets replaced."""
    q = s.qualification
    problems: list[Problem] = []

    def ids(refs, flag):
        out = []
        for ref in refs:
            unit = q.find(ref)
            if unit is None:
                problems.append(
                    Problem(
                        flag, None, None, f"{q.id} has no unit {ref!r} (give a unit id or number)"
                    )
                )
            else:
                out.append(unit.id)
        return out

    for ref in achieved:
        before = len(s.achieved) + len(s.held_elsewhere)
        add_achieved(s, ref, None, problems)
        if len(s.achieved) + len(s.held_elsewhere) == before and q.find(ref) is None:
            problems.append(
                Problem(
                    "--achieved",
                    None,
                    None,
                    f"{q.id} has no unit {ref!r} (give a unit id, number or URN)",
                )
            )
    s.excluded += [u for u in ids(excluded, "--exclude") if u not in s.excluded]
    s.required += [u for u in ids(required, "--require") if u not in s.required]
    for ref, weight in (weights or {}).items():
        for uid in ids([ref], "--prefer"):
            s.unit_weights[uid] = weight
    for name, value in (
        ("max_glh", max_glh),
        ("max_units", max_units),
        ("max_credits", max_credits),
    ):
        if value is not None:
            setattr(s.budget, name, value)
    if problems:
        raise InputError(problems)
    return s
