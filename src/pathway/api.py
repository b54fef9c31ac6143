"""The library entry points planners call from Python (the CLI calls the same ones)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from . import scenario
from .loader import build_model, is_scenario
from .scenario import Scenario, build_scenario, scenario_for_model
from .source import load_yaml_file

# with_situation's messages name the Python parameter (`achieved: ...`), not the flag.
PARAMETER_NAMES = {name: name for name in scenario.FLAG_NAMES}


def load(path: Path | str) -> Scenario:
    """A scenario file, or a model file as a scenario with defaults (nothing held or excluded)."""
    doc = load_yaml_file(path)
    if is_scenario(doc):
        return build_scenario(doc, path)
    return scenario_for_model(build_model(doc, path))


def with_situation(
    s: Scenario,
    *,
    achieved: Iterable[str] | str = (),
    excluded: Iterable[str] | str = (),
    required: Iterable[str] | str = (),
    weights: Mapping[str, int] | None = None,
    glh: Mapping[str, int] | None = None,
    max_glh: int | None = None,
    max_units: int | None = None,
    max_credits: int | None = None,
) -> Scenario:
    """A new scenario: `s` with more units held, excluded or required, weights and GLH set, and
    budgets replaced (`s` is left as it was). A single string is one unit. Bad input raises
    InputError naming the parameter; the command line's own call names its flags instead."""
    return scenario.with_situation(
        s,
        achieved=achieved,
        excluded=excluded,
        required=required,
        weights=weights,
        glh=glh,
        max_glh=max_glh,
        max_units=max_units,
        max_credits=max_credits,
        names=PARAMETER_NAMES,
    )
