"""Scenarios: a learner's or planner's situation over one qualification, loaded and resolved
to unit ids (URNs achieved under any model count wherever that URN appears)."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import formats
from .errors import InputError, Problem
from .limits import LARGEST, MAX_WEIGHT
from .loader import check_document, find_model, model_file
from .model import Qualification
from .refs import Held, hold_qualification, hold_refs, unit_ids
from .source import Map, Scalar, load_yaml_file
from .words import did_you_mean

OBJECTIVES = formats.OBJECTIVES
# How with_situation's arguments are named in messages: the command line's flags (its default).
FLAG_NAMES = {
    "achieved": "--achieved",
    "excluded": "--exclude",
    "required": "--require",
    "weights": "--prefer",
    "glh": "--glh",
    "max_glh": "--max-glh",
    "max_units": "--max-units",
    "max_credits": "--max-credits",
}


@dataclass
class Budget:
    """Limits on what is still to be taken (held units are free)."""

    max_glh: int | None = None
    max_units: int | None = None
    max_credits: int | None = None


@dataclass
class Scenario:
    """One learner's (or planner's) situation over one qualification, resolved to unit ids.

    A held unit is not taught, so an exclusion (the centre cannot teach the unit) does not
    apply to it: it still counts, and reports say so (`excluded_but_held`)."""

    qualification: Qualification
    path: str | None = None
    title: str | None = None
    description: str | None = None
    held: list[str] = field(default_factory=list)  # unit ids of this qualification
    held_elsewhere: list[str] = field(default_factory=list)  # URNs (or model:id) not used here
    excluded: list[str] = field(default_factory=list)  # as given, held units included
    required: list[str] = field(default_factory=list)
    unit_weights: dict[str, int] = field(default_factory=dict)
    tag_weights: dict[str, int] = field(default_factory=dict)
    glh: dict[str, int] = field(default_factory=dict)  # GLH supplied for units
    budget: Budget = field(default_factory=Budget)
    objectives: list[str] | None = None  # None: the default for this qualification
    top: int = 1
    time_limit: float | None = None
    workers: int = 1
    expect: Map | None = None

    @property
    def blocked(self) -> list[str]:
        """Units that may not be taken: excluded and not already held."""
        held = set(self.held)
        return [u for u in self.excluded if u not in held]

    @property
    def excluded_but_held(self) -> list[str]:
        held = set(self.held)
        return [u for u in self.excluded if u in held]

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
    held = Held()
    for node in data.get("achieved_qualifications", []):
        hold_qualification(q, _qualification(node, Path(path), "achieved_qualifications"), held)
    hold_refs(q, data.get("achieved", []), "achieved", held, problems)
    s.held, s.held_elsewhere = held.here, held.elsewhere
    s.excluded = unit_ids(q, data.get("excluded", []), "excluded", problems)
    s.required = unit_ids(q, data.get("required", []), "required", problems)
    prefs = data.get("preferences", {})
    s.unit_weights = _per_unit(q, prefs.get("units", {}), "preferences.units", problems)
    known_tags = {t for u in q.units for t in u.tags}
    for tag, weight in prefs.get("tags", {}).items():
        if tag not in known_tags:
            problems.append(
                tag.problem(
                    f"no unit of {q.id} has tag {tag!r}{did_you_mean(tag, known_tags)} "
                    f"(tags: {', '.join(sorted(known_tags)) or 'none'})"
                )
            )
        s.tag_weights[str(tag)] = int(weight)
    s.glh = _per_unit(q, data.get("glh", {}), "glh", problems)
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


def with_situation(
    s: Scenario,
    *,
    achieved=(),
    excluded=(),
    required=(),
    weights=None,
    glh=None,
    max_glh=None,
    max_units=None,
    max_credits=None,
    names: Mapping[str, str] | None = None,
) -> Scenario:
    """A new scenario: `s` with more units held, excluded or required, weights and GLH set, and
    budgets replaced (what-if flags; `s` itself is left as it was). A single string is one
    unit, never its characters. `names` says how each argument is named in messages: the
    command line's flags by default, the Python parameters through `pathway.with_situation`."""
    q = s.qualification
    names = names or FLAG_NAMES
    problems: list[Problem] = []
    held = Held(list(s.held), list(s.held_elsewhere))
    hold_refs(q, one_or_many(achieved), names["achieved"], held, problems)
    new = replace(
        s,
        held=held.here,
        held_elsewhere=held.elsewhere,
        excluded=_more(s.excluded, unit_ids(q, one_or_many(excluded), names["excluded"], problems)),
        required=_more(s.required, unit_ids(q, one_or_many(required), names["required"], problems)),
        unit_weights={
            **s.unit_weights,
            **_per_unit(q, weights, names["weights"], problems, (-MAX_WEIGHT, MAX_WEIGHT)),
        },
        glh={**s.glh, **_per_unit(q, glh, names["glh"], problems, (0, LARGEST))},
        tag_weights=dict(s.tag_weights),
        budget=replace(s.budget),
    )
    for name, value in (
        ("max_glh", max_glh),
        ("max_units", max_units),
        ("max_credits", max_credits),
    ):
        if value is not None and in_range(names[name], value, 0, LARGEST, problems):
            setattr(new.budget, name, value)
    if problems:
        raise InputError(problems)
    return new


def _more(ids: list[str], extra: list[str]) -> list[str]:
    return ids + [u for u in extra if u not in ids]


def one_or_many(refs) -> list:
    """Names given to a parameter that takes a list: a single string is one name (iterating it
    would give its characters: '37' is not units 3 and 7)."""
    if refs is None:
        return []
    return [refs] if isinstance(refs, str) else list(refs)


def in_range(
    name: str, value, low: float, high: float, problems: list[Problem], *, above: bool = False
) -> bool:
    """Whether `value` is a number in the range, as the command line checks its flags (a whole
    number unless `low` is a float); if not, a problem in the command line's words, at `name`."""
    whole = not isinstance(low, float)
    kinds = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        wanted = "a whole number" if whole else "a number"
        problems.append(Problem(name, None, None, f"{value!r} is not {wanted}"))
        return False
    if math.isnan(value):  # every comparison with NaN is false
        problems.append(Problem(name, None, None, f"{value!r} is not a number"))
        return False
    if (value <= low if above else value < low) or value > high:
        shown = f"{_whole(low)}{'<' if above else '<='}x<={_whole(high)}"
        problems.append(Problem(name, None, None, f"{value!r} is not in the range {shown}"))
        return False
    return True


def _whole(x: float) -> str:
    """86400, not 86400.0 or 8.64e+04: a bound as the command line prints it."""
    return str(int(x)) if float(x).is_integer() else str(x)


def _per_unit(
    q: Qualification,
    values,
    where: str,
    problems: list[Problem],
    span: tuple[int, int] | None = None,
) -> dict[str, int]:
    """A mapping from unit references to whole numbers, keyed by unit id; each within `span`
    (low, high) where given (a scenario file's values are checked by the loader, the command
    line's by its flags; a library caller's here)."""
    out: dict[str, int] = {}
    if values is None:
        return out
    if not isinstance(values, Mapping):
        problems.append(
            Problem(
                where,
                None,
                None,
                f"expected a mapping from unit to whole number, got {type(values).__name__} "
                f"{values!r}",
            )
        )
        return out
    for ref, value in values.items():
        ids = unit_ids(q, [ref], where, problems)
        if ids and (span is None or in_range(f"{where} {ref}", value, span[0], span[1], problems)):
            out[ids[0]] = int(value)
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
        found = find_model(folder, ref)
        if found is not None:
            return _load_model_for(node, found, name)
    nearby = sorted(
        {
            p.stem
            for folder in model_search_dirs(scenario_path)
            if folder.is_dir()
            for p in folder.iterdir()
            if p.suffix in (".yaml", ".yml")
        }
    )
    raise InputError(
        node.problem(
            f"{name}: no model {ref!r} found{did_you_mean(ref, nearby)} (looked in the "
            "scenario's folder, its models/ and ../models/, and ./models/)"
        )
    )


def _load_model_for(node: Scalar, path: Path, name: str) -> Qualification:
    try:
        q = model_file(path)
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
