"""The library entry points planners call from Python (the CLI calls the same ones)."""

from __future__ import annotations

from pathlib import Path

from .loader import build_model, is_scenario
from .scenario import Scenario, build_scenario, scenario_for_model
from .source import load_yaml_file


def load(path: Path | str) -> Scenario:
    """A scenario file, or a model file as a scenario with defaults (nothing held or excluded)."""
    doc = load_yaml_file(path)
    if is_scenario(doc):
        return build_scenario(doc, path)
    return scenario_for_model(build_model(doc, path))
