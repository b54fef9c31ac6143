"""Compare qualifications for one learner, and rank a whole catalogue for them.

The learner is described once, in terms that cross qualifications (a `Learner`): held units
by URN (or `model-id:unit-id` for a unit without one), exclusions, requirements, preference
weights and GLH by URN, `model-id:unit-id` or tag. Each qualification sees the same learner
through its own units (`situate`): a URN counts wherever that unit appears, a tag names every
unit carrying it. A local code or printed number is refused: bodies reuse codes such as `608`
for different units, so it would silently mean different units in different qualifications.

Every row is a full `solver.solve`: a proven optimum (or a proof that none exists, with the
explanation's reason in one line), its pathway re-checked by the auditor.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError, Problem
from .model import Qualification, is_urn
from .refs import is_model_ref
from .scenario import Scenario, scenario_for_model, with_situation
from .words import did_you_mean, plural

DEFAULT_OBJECTIVES = ["min-glh"]
ORDER = {"optimal": 0, "feasible": 0, "unknown": 1, "infeasible": 2}


@dataclass(frozen=True)
class Learner:
    """One learner's situation, applied to every qualification compared (see the module
    docstring). `where` names the source of the references in messages (a file or the flags)."""

    achieved: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    weights: tuple[tuple[str, int], ...] = ()  # (URN, model-id:unit-id or tag, weight)
    glh: tuple[tuple[str, int], ...] = ()
    max_glh: int | None = None
    max_units: int | None = None
    max_credits: int | None = None
    objectives: tuple[str, ...] | None = None
    where: dict[str, str] = field(default_factory=dict)  # flag -> where its refs came from

    def named(self) -> list[tuple[str, str]]:
        """(flag, reference) for every reference that must name a unit somewhere."""
        return (
            [("--exclude", r) for r in self.excluded]
            + [("--require", r) for r in self.required]
            + [("--prefer", r) for r, _ in self.weights]
            + [("--glh", r) for r, _ in self.glh]
        )


def learner_of(s: Scenario, **flags) -> Learner:
    """The learner of a scenario file, with more from the flags (as `Learner` fields): its
    units turned into references that cross qualifications (URN, else `model-id:unit-id`)."""
    q = s.qualification

    def key(uid: str) -> str:
        unit = q.unit(uid)
        return unit.urn or f"{q.id}:{unit.id}"

    where = s.path or q.path
    base = Learner(
        achieved=tuple(key(u) for u in s.held) + tuple(s.held_elsewhere),
        excluded=tuple(key(u) for u in s.excluded),
        required=tuple(key(u) for u in s.required),
        weights=tuple((key(u), w) for u, w in s.unit_weights.items())
        + tuple(s.tag_weights.items()),
        glh=tuple((key(u), h) for u, h in s.glh.items()),
        max_glh=s.budget.max_glh,
        max_units=s.budget.max_units,
        max_credits=s.budget.max_credits,
        objectives=tuple(s.objectives) if s.objectives else None,
        where={f: where for f in ("--achieved", "--exclude", "--require", "--prefer", "--glh")},
    )
    more = {k: v for k, v in flags.items() if v not in (None, ())}
    for name in ("achieved", "excluded", "required", "weights", "glh"):
        if name in more:
            more[name] = getattr(base, name) + tuple(more[name])
    return replace(base, **more)


def check_forms(learner: Learner) -> None:
    """Refuse references that would mean different units in different qualifications."""
    problems = []
    for flag, ref in [("--achieved", r) for r in learner.achieved] + learner.named():
        if is_urn(ref) or is_model_ref(ref):
            continue
        if flag == "--achieved":
            message = (
                f"{ref!r} is not a URN or model-id:unit-id; a held unit is matched across "
                "qualifications only by URN (local codes name different units in different "
                "qualifications)"
            )
        else:
            if not ref.strip() or any(c.isspace() for c in ref):
                message = f"{ref!r} is not a URN, a model-id:unit-id or a tag"
            else:
                continue  # a tag: checked against the qualifications in check_found
        problems.append(Problem(learner.where.get(flag, flag), None, None, message))
    if problems:
        raise InputError(problems)


def units_for(q: Qualification, ref: str) -> list[str]:
    """The units of `q` a reference names: by URN (or an `equivalents` entry), by
    `model-id:unit-id` (this model's own unit, or one listing it as equivalent: the rule is
    Qualification.holders's, as for solve), or by tag."""
    if is_urn(ref) or is_model_ref(ref):
        return [u.id for u in q.holders(ref)]
    return [u.id for u in q.units if ref in u.tags]


def situate(q: Qualification, learner: Learner) -> tuple[Scenario, set[tuple[str, str]]]:
    """The learner as a scenario of `q`, and the (flag, reference) pairs that named a unit
    of `q` (a reference naming none of the qualifications compared is an error)."""
    matched: set[tuple[str, str]] = set()

    def ids(flag: str, refs) -> list[str]:
        out: list[str] = []
        for ref in refs:
            found = units_for(q, ref)
            if found:
                matched.add((flag, ref))
            out += [u for u in found if u not in out]
        return out

    def per_unit(flag: str, pairs) -> dict[str, int]:
        out: dict[str, int] = {}
        for ref, n in pairs:
            for uid in ids(flag, [ref]):
                out[uid] = n
        return out

    held = ids("--achieved", learner.achieved)
    elsewhere = [r for r in learner.achieved if not units_for(q, r)]
    s = with_situation(
        scenario_for_model(q),
        achieved=held,
        excluded=ids("--exclude", learner.excluded),
        required=ids("--require", learner.required),
        glh=per_unit("--glh", learner.glh),
        max_glh=learner.max_glh,
        max_units=learner.max_units,
        max_credits=learner.max_credits,
    )
    # Weights by tag stay tag weights (summed per unit, as in a scenario); by unit, per unit.
    tags = {t for u in q.units for t in u.tags}
    tag_weights = {r: w for r, w in learner.weights if r in tags}
    matched |= {("--prefer", r) for r in tag_weights}
    unit_pairs = [(r, w) for r, w in learner.weights if is_urn(r) or is_model_ref(r)]
    s = replace(
        s,
        held_elsewhere=elsewhere,
        unit_weights=per_unit("--prefer", unit_pairs),
        tag_weights=tag_weights,
    )
    return s, matched


def check_found(learner: Learner, matched: set[tuple[str, str]], what: str) -> None:
    """An exclusion, requirement, weight or GLH that names a unit of none of the
    qualifications is a mistake (a typing error, most likely): say so."""
    problems = [
        Problem(
            learner.where.get(flag, flag),
            None,
            None,
            f"{ref!r} names no unit of {what} (give a URN, a model-id:unit-id or a tag)",
        )
        for flag, ref in learner.named()
        if (flag, ref) not in matched
    ]
    if problems:
        raise InputError(list(dict.fromkeys(problems)))


@dataclass
class Row:
    """One qualification's answer for the learner."""

    qualification: str
    title: str
    path: str
    status: str
    value: int | list[int] | None
    glh: int | None
    glh_unknown: int  # units still to take whose GLH is unknown
    credits: int | None
    units_to_take: int | None
    reused: list[str]
    units: list[str]
    explanation: str | None
    held_count: int  # held units that are units of this qualification
    labels: list[str] = field(default_factory=list)  # units as printed (number, else id)
    objectives: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # units as URN or model:id, to compare

    def sort_key(self) -> tuple:
        """Best first: proven or found pathways by value (user's sense), then those that
        could not be counted, then those with no pathway; ties by id and path."""
        value: tuple = ()
        if self.value is not None:
            values = self.value if isinstance(self.value, list) else [self.value]
            value = tuple(
                -v if o == "max-preference" else v for o, v in zip(self.objectives, values)
            )
        return (ORDER.get(self.status, 3), value, self.qualification, self.path)

    def to_dict(self) -> dict:
        return {
            "qualification": self.qualification,
            "title": self.title,
            "status": self.status,
            "value": self.value,
            "glh": self.glh,
            "credits": self.credits,
            "units_to_take": self.units_to_take,
            "reused": self.reused,
            "units": self.units,
            "explanation": self.explanation,
        }


def assess(s: Scenario, objectives: list[str]) -> Row:
    """One qualification for the learner: solve, and say in one line why not when it fails."""
    from .explain import Explanation
    from .report import pathway_totals
    from .solver import solve

    q = s.qualification
    row = Row(q.id, q.title, q.path, "unknown", None, None, 0, None, None, [], [], None,
              held_count=len(s.held), objectives=objectives)  # fmt: skip
    row.explanation = uncounted(s, objectives)
    if row.explanation is not None:
        return row  # cannot be counted in this objective (GLH unknown, say): a row, not an error
    solution = solve(s, objectives=objectives)
    row.status = str(solution.status)
    best = solution.best
    if best is None:
        if isinstance(solution.explanation, Explanation):
            row.explanation = "; ".join(c.says for c in solution.explanation.conflicts)
        return row
    totals = pathway_totals(solution, best)
    row.value = best.values[0] if len(best.values) == 1 else list(best.values)
    row.glh = totals["glh"]
    row.glh_unknown = totals["glh_unknown_count"]
    row.credits = (
        totals["credits"] if all(q.unit(u).credit is not None for u in best.units) else None
    )
    row.units_to_take = totals["units_to_take"]
    held = set(s.held)
    row.reused = [u for u in best.units if u in held]
    row.units = list(best.units)
    row.keys = [q.unit(u).urn or f"{q.id}:{u}" for u in best.units]
    row.labels = [q.unit(u).number or u for u in best.units]
    return row


def uncounted(s: Scenario, objectives: list[str]) -> str | None:
    """Why this qualification cannot be counted in the objective (or a budget), in one line:
    units that could be taught whose amount is unknown (a missing GLH, most often)."""
    from .measures import BUDGETS, OBJECTIVES, amounts

    for name in objectives:
        if name not in OBJECTIVES:
            raise InputError(Problem("--objective", None, None, f"unknown objective {name!r}"))
    q = s.qualification
    measures = [OBJECTIVES[o][0] for o in objectives]
    measures += [m for b, m in BUDGETS.items() if getattr(s.budget, b) is not None]
    shut = set(s.blocked) | set(s.held)
    open_units = [u.id for u in q.units if u.id not in shut]
    for measure in dict.fromkeys(measures):
        unknown = [u for u, a in zip(open_units, amounts(measure, s, open_units)) if a is None]
        if not unknown:
            continue
        labels = ", ".join(q.unit(u).label for u in unknown[:3])
        labels += f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        first = q.unit(unknown[0])
        key = first.urn or f"{q.id}:{first.id}"
        supply = f"--glh {key}=HOURS, " if measure.name == "glh" else ""
        them = "them" if len(unknown) > 1 else "it"
        return (
            f"{measure.word} unknown for {plural(len(unknown), 'units')} that could be taken "
            f"({labels}): supply {supply}exclude {them}, or choose another objective"
        )
    return None


@dataclass
class Comparison:
    """Rows best first, for one learner, under one objective (list)."""

    objectives: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        name = ",".join(self.objectives)
        return {
            "objective": name,
            "results": [r.to_dict() for r in self.rows],
            "notes": list(self.notes),
        }


def find_qualification(ref: str, models_dir: Path | str) -> Qualification:
    """A model by id in `models_dir`, or by path."""
    from .loader import MODEL_SUFFIXES, find_model, model_file

    folder = Path(models_dir)
    path: Path | None
    if ref.endswith(MODEL_SUFFIXES) or os.sep in ref or "/" in ref:
        path = Path(ref)  # a path: said to be missing as a path, not looked for in the folder
        if not path.is_file():
            what = "a folder, not a model file" if path.is_dir() else "no such file"
            raise InputError(Problem(ref, None, None, what))
    else:
        path = find_model(folder, ref)
    if path is None or not path.is_file():
        known = (
            sorted(p.stem for p in folder.glob("*") if p.suffix in MODEL_SUFFIXES)
            if folder.is_dir()
            else []
        )
        raise InputError(
            Problem(
                ref,
                None,
                None,
                f"no model {ref!r} in {folder}/{did_you_mean(ref, known)} "
                "(give a model id found there, or a path to a model file)",
            )
        )
    q = model_file(path)
    if q is None:
        raise InputError(Problem(str(path), None, None, "a scenario, not a model"))
    return q


def compare(models: list[str], learner: Learner, models_dir: Path | str = "models") -> Comparison:
    """The same learner against each qualification named, best first."""
    check_forms(learner)
    qualifications = [find_qualification(m, models_dir) for m in models]
    situated = [situate(q, learner) for q in qualifications]
    matched = set().union(*(m for _, m in situated)) if situated else set()
    check_found(learner, matched, "the qualifications compared")
    objectives = list(learner.objectives or DEFAULT_OBJECTIVES)
    rows = sorted((assess(s, objectives) for s, _ in situated), key=Row.sort_key)
    return Comparison(objectives, rows)
