"""Scenarios: a learner's or planner's situation over one qualification, loaded and resolved
to unit ids (URNs achieved under any model count wherever that URN appears)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import formats
from .errors import InputError, Problem
from .load import _sibling_model, build_model, check_document, is_scenario
from .model import Qualification
from .source import Map, Scalar, load_yaml_file

URN = re.compile(r"[A-Z]/\d{3}/\d{4}\Z")
OBJECTIVES = formats.OBJECTIVES


@dataclass
class Budget:
    max_glh: int | None = None
    max_units: int | None = None
    max_credits: int | None = None


@dataclass
class Scenario:
    qualification: Qualification
    path: str | None = None
    title: str | None = None
    description: str | None = None
    achieved: list[str] = field(default_factory=list)  # unit ids of this qualification
    held_elsewhere: list[str] = field(default_factory=list)  # URNs not in this qualification
    excluded: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    unit_weights: dict[str, int] = field(default_factory=dict)
    tag_weights: dict[str, int] = field(default_factory=dict)
    glh: dict[str, int] = field(default_factory=dict)  # GLH supplied for units the model lacks
    budget: Budget = field(default_factory=Budget)
    objectives: list[str] | None = None  # None: the default for this qualification
    top: int = 1
    time_limit: float | None = None
    workers: int = 1
    expect: Map | None = None

    def glh_of(self, unit_id: str) -> int | None:
        if unit_id in self.glh:
            return self.glh[unit_id]
        return self.qualification.unit(unit_id).glh

    def weight_of(self, unit_id: str) -> int:
        unit = self.qualification.unit(unit_id)
        return self.unit_weights.get(unit_id, 0) + sum(
            self.tag_weights.get(t, 0) for t in unit.tags
        )


def load_scenario(path: Path | str) -> Scenario:
    return build_scenario(load_yaml_file(path), path)


def scenario_for_model(q: Qualification) -> Scenario:
    """A model solved with defaults: no prior achievement, nothing excluded."""
    return Scenario(qualification=q)


def build_scenario(doc, path: Path | str) -> Scenario:
    shown = str(path)
    data = check_document(doc, formats.SCENARIO, shown)
    q = _qualification(data["qualification"], Path(path))
    problems: list[Problem] = []
    s = Scenario(
        qualification=q,
        path=shown,
        title=_text(data.get("title")),
        description=_text(data.get("description")),
    )
    for node in data.get("achieved_qualifications", []):
        other = _qualification(node, Path(path), "achieved_qualifications")
        for unit in other.units:
            add_achieved(s, unit.id, node, problems)
    for ref in data.get("achieved", []):
        add_achieved(s, ref, ref, problems)
    s.excluded = _ids(q, data.get("excluded", []), "excluded", problems)
    s.required = _ids(q, data.get("required", []), "required", problems)
    prefs = data.get("preferences", {})
    for ref, weight in prefs.get("units", {}).items():
        ids = _ids(q, [ref], "preferences.units", problems)
        if ids:
            s.unit_weights[ids[0]] = int(weight)
    known_tags = {t for u in q.units for t in u.tags}
    for tag, weight in prefs.get("tags", {}).items():
        if tag not in known_tags:
            problems.append(
                tag.problem(
                    f"no unit of {q.id} has tag {tag!r} "
                    f"(tags: {', '.join(sorted(known_tags)) or 'none'})"
                )
            )
        s.tag_weights[str(tag)] = int(weight)
    for ref, hours in data.get("glh", {}).items():
        ids = _ids(q, [ref], "glh", problems)
        if ids:
            s.glh[ids[0]] = int(hours)
    b = data.get("budget", {})
    s.budget = Budget(b.get("max_glh"), b.get("max_units"), b.get("max_credits"))
    objective = data.get("objective")
    if objective is not None:
        s.objectives = (
            [str(objective)] if isinstance(objective, Scalar) else [str(o) for o in objective]
        )
    s.top = int(data.get("top", 1))
    s.time_limit = data.get("time_limit")
    s.workers = int(data.get("workers", 1))
    s.expect = data.get("expect")
    if problems:
        raise InputError(problems)
    return s


def add_achieved(s: Scenario, ref, where, problems: list[Problem]) -> None:
    """Count a held unit: by id or number here, by URN, or through a unit's equivalents."""
    q = s.qualification
    unit = q.find(str(ref))
    matched = [unit.id] if unit else []
    matched += [u.id for u in q.units if str(ref) in u.equivalents and u.id not in matched]
    for uid in matched:
        if uid not in s.achieved:
            s.achieved.append(uid)
    if matched:
        return
    if URN.match(str(ref)):
        if str(ref) not in s.held_elsewhere:
            s.held_elsewhere.append(str(ref))
        return
    if hasattr(where, "problem") and where is ref:
        problems.append(
            where.problem(
                f"achieved: {q.id} has no unit {str(ref)!r} (give a unit id, number or URN)"
            )
        )


def _ids(q: Qualification, refs, field_name: str, problems: list[Problem]) -> list[str]:
    out = []
    for ref in refs:
        unit = q.find(str(ref))
        if unit is None:
            problems.append(
                ref.problem(
                    f"{field_name}: {q.id} has no unit {str(ref)!r} "
                    "(give a unit id or printed number)"
                )
            )
        elif unit.id not in out:
            out.append(unit.id)
    return out


def _text(value) -> str | None:
    return None if value is None else str(value)


def model_search_dirs(scenario_path: Path) -> list[Path]:
    """Where a model id is looked up: beside the scenario, its parent's models/, ./models."""
    here = scenario_path.parent
    # Not here.parent: for a scenario given as a bare file name, here is "." and so is its parent.
    above = Path(os.path.normpath(here / ".."))
    return [here, here / "models", above / "models", Path.cwd() / "models"]


def _qualification(node: Scalar, scenario_path: Path, name: str = "qualification") -> Qualification:
    ref = str(node)
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        path = scenario_path.parent / ref
        if not path.is_file():
            raise InputError(node.problem(f"{name}: no model file {ref!r} (looked at {path})"))
        return _load_model_for(node, path, name)
    for folder in model_search_dirs(scenario_path):
        found = _sibling_model(folder / "x.yaml", ref)
        if found is not None:
            return _load_model_for(node, found, name)
    raise InputError(
        node.problem(
            f"{name}: no model {ref!r} found (looked in the scenario's folder, its models/ "
            "and ../models/, and ./models/)"
        )
    )


def _load_model_for(node: Scalar, path: Path, name: str) -> Qualification:
    try:
        doc = load_yaml_file(path)
        # A scenario (this one, or another) named as the model: its model errors would confuse.
        q = None if is_scenario(doc) else build_model(doc, path)
    except InputError as error:
        first = error.problems[0]
        raise InputError(
            [
                node.problem(f"{name}: the model {path} has problems; the first is: {first}"),
                *error.problems,
            ]
        ) from None
    if q is None:
        raise InputError(node.problem(f"{name}: {path} is a scenario, not a model"))
    return q
