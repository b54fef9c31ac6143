"""Cohort files: a centre's learners and what it can teach, read for `pathway plan`.

A cohort is a list of learners, each a Scenario of its own (qualification, held, excluded and
required units, resolved as a scenario file's are, with messages at the cohort file's lines),
plus the centre: class size, the fewest learners a unit runs for, units it cannot run, and
limits on units and GLH. Units are shared between qualifications by URN (or an `equivalents`
entry), so learners on two bodies' diplomas can sit in one class of the same unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .limits import LARGEST, MAX_TIME_LIMIT
from .loader import check_document
from .model import Qualification, Unit, is_urn
from .refs import is_model_ref
from .scenario import Scenario, build_scenario
from .source import Map, Scalar, Seq, load_yaml_file
from .spec import INT, Either, Field, Integer, ListOf, MapOf, Number, Record, Text, document_schema

PLAN_OBJECTIVES = ("min-taught-glh", "max-completing")

_UNIT_REF = Text(doc="A unit id or printed number of the learner's qualification, or a URN.")
_UNIT_REFS = ListOf(_UNIT_REF)
_WEIGHT = Integer(-1_000_000, 1_000_000, doc="Preference weight; negative means disliked.")

LEARNER = Record(
    "a learner",
    {
        "id": Field(Text(doc="The learner's id, unique in the cohort.", identifier=True), True),
        "qualification": Field(
            Text(doc="A model id or file; the cohort's `qualification` when left out.")
        ),
        "achieved": Field(ListOf(_UNIT_REF, doc="Units held (ids, numbers or URNs).")),
        "excluded": Field(ListOf(_UNIT_REF, doc="Units this learner will not take.")),
        "required": Field(ListOf(_UNIT_REF, doc="Units this learner must take.")),
        "preferences": Field(
            Record(
                "preferences",
                {"units": Field(MapOf(_WEIGHT)), "tags": Field(MapOf(_WEIGHT))},
                doc="Weights per unit and per tag, as a scenario's: among plans of least "
                "taught GLH, the one whose pathways score most on them (summed over learners).",
            )
        ),
    },
)

CENTRE = Record(
    "a centre",
    {
        "class_size": Field(
            Integer(1, LARGEST, doc="At most this many learners in a class."), True
        ),
        "min_class": Field(
            Integer(1, LARGEST, doc="A unit runs only with at least this many learners (1).")
        ),
        "max_units": Field(Integer(0, LARGEST, doc="At most this many different units run.")),
        "unavailable": Field(
            ListOf(
                Text(
                    doc="A unit the centre cannot run: a URN, model-id:unit-id, or an id or "
                    "number of the cohort's qualification."
                )
            )
        ),
        "max_glh": Field(Integer(0, LARGEST, doc="At most this many GLH taught in all.")),
        "glh": Field(
            MapOf(
                Integer(0, LARGEST),
                doc="GLH of one class, for units the models give none (or to override them), "
                "keyed as `unavailable` is.",
            )
        ),
    },
    doc="What the centre can teach.",
)

COHORT = Record(
    "a cohort",
    {
        "cohort": Field(Text(doc="The cohort's name, shown in reports.")),
        "qualification": Field(
            Text(doc="The learners' qualification where a learner names none: a model id or file.")
        ),
        "centre": Field(CENTRE, True),
        "objective": Field(
            Text(
                PLAN_OBJECTIVES,
                doc="min-taught-glh (every learner completes, least GLH x classes), or "
                "max-completing (most learners completing, then least taught GLH).",
            )
        ),
        "learners": Field(
            Either(
                scalar=Text(doc="A CSV file (relative to this file) with a header row."),
                seq=ListOf(LEARNER, min_items=1),
            ),
            True,
        ),
        "time_limit": Field(Number(None, MAX_TIME_LIMIT, doc="Seconds; more than 0.", above=0)),
        "workers": Field(
            Integer(1, 64, doc="CP-SAT worker threads (default 1: the same plan every run).")
        ),
    },
    doc="A centre's cohort, planned by `pathway plan`.",
)


def cohort_schema() -> dict:
    """The JSON Schema of cohort files, for `pathway schema cohort`."""
    return document_schema(COHORT, "pathway cohort file", "urn:pathway:schema:cohort")


@dataclass
class Centre:
    """What the centre can teach. `unavailable` holds unit keys (see unit_key)."""

    class_size: int
    min_class: int = 1
    max_units: int | None = None
    max_glh: int | None = None
    unavailable: list[str] = field(default_factory=list)
    glh: dict[str, int] = field(default_factory=dict)  # unit key -> GLH of one class


@dataclass
class Learner:
    """One learner of the cohort: an id and their own scenario."""

    id: str
    scenario: Scenario
    line: int | None = None
    path: str | None = None  # the file the learner was read from (the cohort file or a CSV)


@dataclass
class Cohort:
    """A cohort file, resolved: learners as scenarios, the centre, the objective."""

    path: str
    name: str | None
    centre: Centre
    learners: list[Learner]
    objective: str = "min-taught-glh"
    time_limit: float | None = None
    workers: int | None = None


def unit_key(q: Qualification, unit: Unit) -> str:
    """What makes two units one unit for classes: the URN, else `model-id:unit-id`."""
    return unit.urn or f"{q.id}:{unit.id}"


def load_cohort(path: Path | str) -> Cohort:
    """Read, check and resolve a cohort file; every problem found raises one InputError."""
    return cohort_from_document(load_yaml_file(path), path)


def cohort_from_document(doc, path: Path | str) -> Cohort:
    """A cohort from its located document, named `path` in messages (files and model ids it
    names are found from that path's folder): how a cohort on standard input is read."""
    shown = str(path)
    data = check_document(doc, COHORT, shown)
    problems: list[Problem] = []
    default = data.get("qualification")
    learners_node = data["learners"]
    if isinstance(learners_node, Scalar):
        learners = _csv_learners(learners_node, Path(path), default, problems)
    else:
        learners = _listed_learners(learners_node, Path(path), default, problems)
    centre_node = data["centre"]
    centre = Centre(
        class_size=int(centre_node["class_size"]),
        min_class=int(centre_node.get("min_class", 1)),
        max_units=_int_or_none(centre_node.get("max_units")),
        max_glh=_int_or_none(centre_node.get("max_glh")),
    )
    # min_class may exceed class_size: it counts the unit's learners in all, who are then
    # split into several classes (README "Cohort plans").
    every = not problems  # every learner read: a unit no qualification has is then an error
    default_q = _default_qualification(default, Path(path), problems)
    qualifications = [lr.scenario.qualification for lr in learners]
    units = _CentreUnits(Path(path), default_q, default, qualifications, every)
    for ref in centre_node.get("unavailable", []):
        key = units.key(ref, "centre.unavailable", problems)
        if key is not None and key not in centre.unavailable:
            centre.unavailable.append(key)
    given: dict[str, tuple[int, Scalar]] = {}  # unit key -> (hours, the reference giving them)
    for ref, hours in centre_node.get("glh", {}).items():
        key = units.key(ref, "centre.glh", problems)
        if key is None:
            continue
        if key in given and given[key][0] != int(hours):
            first = given[key][1]
            problems.append(
                ref.problem(
                    f"centre.glh: {str(ref)!r} is unit {key}, already given "
                    f"{given[key][0]} GLH as {str(first)!r} (line {first.line}), "
                    f"here {int(hours)}"
                )
            )
            continue
        given[key] = (int(hours), ref)
        centre.glh[key] = int(hours)
    if problems:
        raise InputError(list(dict.fromkeys(problems)))  # the default's problems come once
    return Cohort(
        path=shown,
        name=None if data.get("cohort") is None else str(data["cohort"]),
        centre=centre,
        learners=learners,
        objective=str(data.get("objective", "min-taught-glh")),
        time_limit=None if data.get("time_limit") is None else float(data["time_limit"]),
        workers=_int_or_none(data.get("workers")),
    )


def _int_or_none(value) -> int | None:
    return None if value is None else int(value)


def _listed_learners(nodes: Seq, path: Path, default, problems: list[Problem]) -> list[Learner]:
    """Learners written in the cohort file: each becomes a scenario document (its own fields
    plus the default qualification) read by the scenario reader, so messages keep their lines."""
    learners: list[Learner] = []
    seen: dict[str, int | None] = {}
    for node in nodes:
        lid = str(node["id"])
        if lid in seen:
            problems.append(
                node["id"].problem(f"learner id {lid!r} is used twice (first at line {seen[lid]})")
            )
            continue
        seen[lid] = node["id"].line
        doc = Map()
        doc.path, doc.line, doc.column = node.path, node.line, node.column
        for key, value in node.items():
            if key != "id":
                doc[key] = _as_written(value)
        if "qualification" not in doc:
            if default is None:
                problems.append(
                    node.problem(
                        f"learner {lid!r} names no qualification and the cohort gives no "
                        "default (`qualification:` at the top)"
                    )
                )
                continue
            doc[_key_like(default, "qualification")] = default
        try:
            scenario = build_scenario(doc, path)
        except InputError as error:
            problems += error.problems
            continue
        scenario.title = lid
        learners.append(Learner(lid, scenario, node.line, node.path))
    return learners


def _as_written(node):
    """A checked value as the YAML reader gave it, for the scenario reader to check again:
    the cohort's check turned numbers (preference weights) into ints, which it cannot read."""
    if isinstance(node, Map):
        out = Map((k, _as_written(v)) for k, v in node.items())
    elif isinstance(node, Seq):
        out = Seq(_as_written(v) for v in node)
    elif isinstance(node, int) and not isinstance(node, bool) and not isinstance(node, Scalar):
        out = Scalar(str(int(node)))
        out.plain, out.tag = True, INT
    else:
        return node
    out.path, out.line, out.column = node.path, node.line, node.column
    return out


def _default_qualification(default, path: Path, problems: list[Problem]):
    """The cohort's own `qualification`, resolved as a scenario's is (for `unavailable`)."""
    if default is None:
        return None
    doc = Map()
    doc.path, doc.line, doc.column = default.path, default.line, default.column
    doc[_key_like(default, "qualification")] = default
    try:
        return build_scenario(doc, path).qualification
    except InputError as error:
        problems += [p for p in error.problems if p not in problems]
        return None


def _key_like(node: Scalar, text: str) -> Scalar:
    key = Scalar(text)
    key.path, key.line, key.column = node.path, node.line, node.column
    return key


def _csv_learners(node: Scalar, path: Path, default, problems: list[Problem]) -> list[Learner]:
    """Learners from a CSV file beside the cohort file, read by pathway.learners (the reader
    `pathway batch` uses). A plan needs every learner, so a bad row is a problem here."""
    from .learners import LearnerError, read_learners_csv, scenario_for_learner

    csv_path = path.parent / str(node)
    if not csv_path.is_file():
        if csv_path.is_dir():
            what = f"{str(node)!r} is a folder, not a CSV file"
        elif csv_path.exists():
            what = f"{str(node)!r} is not a regular file (a device or a pipe)"
        else:
            what = f"no file {str(node)!r}"
        problems.append(node.problem(f"learners: {what} (looked at {csv_path})"))
        return []
    try:
        rows = read_learners_csv(csv_path)
    except InputError as error:
        problems += error.problems
        return []
    learners: list[Learner] = []
    seen: dict[str, int] = {}
    for row in rows:
        if isinstance(row, LearnerError):
            problems.append(row.problem)
            continue
        if row.id in seen:
            problems.append(row.problem(f"learner {row.id!r} is already on line {seen[row.id]}"))
            continue
        seen[row.id] = row.line
        try:
            scenario = scenario_for_learner(
                row, None if default is None else str(default), csv_path
            )
        except InputError as error:
            problems += error.problems
            continue
        scenario.title = row.id
        learners.append(Learner(row.id, scenario, row.line, row.path))
    if not learners and not problems:
        problems.append(node.problem(f"learners: {str(node)!r} lists no learners"))
    return learners


class _CentreUnits:
    """Units named under `centre` (`unavailable`, `glh`), each resolved to the one unit key
    classes are made of (see unit_key): an id or number of the cohort's `qualification`; a URN,
    which is that key; `model-id:unit-id`, that model's own unit (by id or number), the model
    being a learner's qualification or one found as a `qualification:` is. `equivalents` are
    not followed: holding Y counts as holding A, but the centre running (or timing) Y says
    nothing about A, which is another class. A well-formed URN no learner's qualification has
    applies to no learner and is accepted (a centre may keep one table for every intake); a
    model or unit that cannot be found is a problem, unless some learner could not be read
    (their qualification may be the one it names)."""

    def __init__(self, path: Path, default_q, default, qualifications, every: bool):
        self.path, self.default_q, self.default, self.every = path, default_q, default, every
        seen: dict[tuple, Qualification] = {}
        for q in ([default_q] if default_q is not None else []) + list(qualifications):
            seen.setdefault((q.path, q.id), q)
        self.qualifications = list(seen.values())

    def key(self, ref, where: str, problems: list[Problem]) -> str | None:
        text = str(ref).strip()
        if is_urn(text):
            return text  # the key of every unit with this URN, in any learner's qualification
        if is_model_ref(text):
            return self._model_unit(ref, text, where, problems)
        return _unit_key_of(ref, where, self.default_q, self.default, problems)

    def _model_unit(self, ref, text: str, where: str, problems: list[Problem]) -> str | None:
        model, _, unit_ref = text.partition(":")
        named = [q for q in self.qualifications if q.id == model]
        if not named:
            other = self._model_of_no_learner(ref, model, where, problems)
            if other is None:
                return None
            named = [other]
        for q in named:
            unit = q.find(unit_ref)
            if unit is not None:
                return unit_key(q, unit)
        problems.append(ref.problem(f"{where}: {_no_unit(named[0], unit_ref)}"))
        return None

    def _model_of_no_learner(self, ref, model: str, where: str, problems: list[Problem]):
        """Model `model`, which no learner takes, found as a `qualification:` id is (so a
        centre's table may name units of other intakes' qualifications); None, with a problem
        when every learner was read, when there is no such model."""
        from .loader import find_model, model_file
        from .scenario import model_search_dirs
        from .words import did_you_mean

        for folder in model_search_dirs(self.path):
            found = find_model(folder, model)
            if found is None:
                continue
            try:
                q = model_file(found)
            except InputError as error:
                first = error.problems[0]
                problems.append(
                    ref.problem(f"{where}: the model {found} has problems; the first is: {first}")
                )
                return None
            if q is not None:
                return q
        if self.every:
            ids = sorted({q.id for q in self.qualifications})
            problems.append(
                ref.problem(
                    f"{where}: no learner's qualification is {model!r}{did_you_mean(model, ids)} "
                    f"(the cohort's: {', '.join(ids)}), and no model {model!r} is found (looked "
                    "beside the cohort file, in its models/ and ../models/, and ./models/)"
                )
            )
        return None


def _no_unit(q: Qualification, text: str) -> str:
    """A reference that names no unit of `q`, in words, with the nearest names."""
    from .words import did_you_mean

    return (
        f"{q.id} has no unit {text!r}{did_you_mean(text, q.unit_names())} "
        "(give a unit id, number or URN)"
    )


def _unit_key_of(ref, where: str, default_q, default, problems) -> str | None:
    """A unit named in `centre` by an id or number of the cohort's qualification, as a unit
    key (when that qualification could not be read, its own problem is reported and this one
    is not)."""
    text = str(ref).strip()
    if default_q is None and default is not None:
        return None
    if default_q is None:
        problems.append(
            ref.problem(
                f"{where}: {text!r} is not a URN or model-id:unit-id, and the cohort "
                "names no `qualification` to look it up in"
            )
        )
        return None
    unit = default_q.find(text)
    if unit is None:
        problems.append(ref.problem(f"{where}: {_no_unit(default_q, text)}"))
        return None
    return unit_key(default_q, unit)
