"""`pathway models`: a catalogue of the models in a folder, with each one's minimum GLH.

A planner choosing what to offer wants the list at a glance: which qualifications, whose, at
what level, how many units, and the fewest guided learning hours a new learner needs. That
minimum is solved (min-glh, nothing held), not added up, since optional units and floors make
it a choice; it is "unknown" where a unit lacks GLH, because any number then would be a guess.
Nothing is cached: the models are read and solved afresh, each within its own time limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .words import plural

DEFAULT_TIME_LIMIT = 10.0  # seconds per model; the catalogue's seed-sized models need ~0.01 s
FORMATS = ("table", "json", "markdown", "csv")
COLUMNS = ("id", "title", "awarding body", "level", "units", "min GLH")

# What the minimum GLH column can say, beside a number proven optimal.
OPTIMAL = "optimal"  # min_glh is the proven minimum
UNKNOWN = "unknown"  # some units have no GLH: no minimum can be stated
FEASIBLE = "feasible"  # the time limit ran out: min_glh is a pathway's GLH, not proven least
TIMEOUT = "timeout"  # the time limit ran out before any pathway was found
INFEASIBLE = "infeasible"  # the model's rules cannot be met at all


@dataclass(frozen=True)
class Entry:
    """One model of the catalogue and its minimum GLH for a new learner."""

    id: str
    title: str
    awarding_body: str | None
    qualification_number: str | None
    level: int | None
    units: int
    min_glh: int | None
    min_glh_status: str
    missing_glh: int = 0  # units without GLH (the reason for "unknown")
    source: str | None = None
    path: str = ""

    def min_glh_words(self) -> str:
        """The minimum GLH as a person reads it: a number, or why there is none."""
        if self.min_glh_status == OPTIMAL:
            return str(self.min_glh)
        if self.min_glh_status == UNKNOWN:
            return f"unknown (no GLH for {plural(self.missing_glh, 'units')})"
        if self.min_glh_status == FEASIBLE:
            return f"<= {self.min_glh} (time limit; not proven least)"
        if self.min_glh_status == TIMEOUT:
            return "unknown (time limit; no pathway found)"
        return "none (no pathway meets the rules)"


@dataclass
class Catalogue:
    folder: str
    entries: list[Entry] = field(default_factory=list)
    time_limit: float = DEFAULT_TIME_LIMIT  # seconds per model's minimum GLH


def model_files(folder: Path | str) -> list[Path]:
    """The model files in `folder` (searched as `pathway validate` searches it); scenarios are
    left out. Raises InputError when the folder is missing, unreadable or holds no model."""
    from .loader import expand_paths, is_scenario
    from .source import load_yaml_file

    shown = str(folder)
    path = Path(folder)
    if not path.exists():
        raise InputError(Problem(shown, None, None, "no such folder"))
    if not path.is_dir():
        raise InputError(Problem(shown, None, None, "not a folder (give a folder of models)"))
    unreadable: list[Problem] = []
    files = expand_paths([path], unreadable)
    if unreadable:
        raise InputError(unreadable)
    models: list[Path] = []
    problems: list[Problem] = []
    for file in files:
        try:
            if not is_scenario(load_yaml_file(file)):
                models.append(file)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    if not models:
        raise InputError(Problem(shown, None, None, "no model files found"))
    return models


def min_glh(q, time_limit: float = DEFAULT_TIME_LIMIT) -> tuple[int | None, str, int]:
    """(minimum GLH, status, units without GLH) for a new learner of qualification `q`."""
    from .scenario import scenario_for_model
    from .solver import solve

    missing = sum(1 for u in q.units if u.glh is None)
    if missing:
        return None, UNKNOWN, missing
    solution = solve(
        scenario_for_model(q), objectives=["min-glh"], time_limit=time_limit, explain=False
    )
    status = str(solution.status)
    if solution.best is None:
        return None, (INFEASIBLE if status == INFEASIBLE else TIMEOUT), 0
    return solution.best.values[0], (OPTIMAL if status == OPTIMAL else FEASIBLE), 0


def catalogue(folder: Path | str = "models", time_limit: float = DEFAULT_TIME_LIMIT) -> Catalogue:
    """Every model in `folder`, in file order, each with its minimum GLH (solved within
    `time_limit` seconds). Raises InputError, with every problem found, when any model is bad."""
    from .loader import model_file

    files = model_files(folder)
    out = Catalogue(str(folder), time_limit=time_limit)
    problems: list[Problem] = []
    for file in files:
        try:
            q = model_file(file)
        except InputError as error:
            problems += error.problems
            continue
        if q is None or problems:  # a scenario; or a model we will not report anyway
            continue
        value, status, missing = min_glh(q, time_limit)
        out.entries.append(
            Entry(
                id=q.id,
                title=q.title,
                awarding_body=q.awarding_body,
                qualification_number=q.qualification_number,
                level=q.level,
                units=len(q.units),
                min_glh=value,
                min_glh_status=status,
                missing_glh=missing,
                source=q.source,
                path=str(file),
            )
        )
    if problems:
        raise InputError(problems)
    return out


def _cells(e: Entry) -> list[str]:
    return [
        e.id,
        e.title,
        e.awarding_body or "",
        "" if e.level is None else str(e.level),
        str(e.units),
        e.min_glh_words(),
    ]


def catalogue_json(c: Catalogue) -> dict:
    """The catalogue as plain JSON types (the `--format json` output)."""
    return {
        "folder": c.folder,
        "models": [
            {
                "id": e.id,
                "title": e.title,
                "awarding_body": e.awarding_body,
                "qualification_number": e.qualification_number,
                "level": e.level,
                "units": e.units,
                "min_glh": e.min_glh,
                "min_glh_status": e.min_glh_status,
                "units_without_glh": e.missing_glh,
                "source": e.source,
                "path": e.path,
            }
            for e in c.entries
        ],
    }


def catalogue_table(c: Catalogue, width: int | None = None) -> str:
    """A plain-text table; given a terminal `width`, long titles wrap to fit it."""
    from .terminal import table

    rows = [_cells(e) for e in c.entries]
    footer = f"{plural(len(c.entries), 'models')} in {c.folder}"
    return table(rows, COLUMNS, width=width, flex=1) + "\n\n" + footer


def _markdown_row(cells) -> str:
    """A '|' inside a title would otherwise split its cell."""
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


def catalogue_markdown(c: Catalogue) -> str:
    """The question and the situation it was answered for (situation.py), then the table."""
    from .situation import catalogue_question, catalogue_situation, markdown_text, question_markdown

    lines = [f"# Catalogue: {markdown_text(c.folder)}", ""]
    lines += question_markdown(catalogue_question(c.folder), catalogue_situation(c))
    lines += [_markdown_row(COLUMNS), _markdown_row(["---"] * len(COLUMNS))]
    lines += [_markdown_row(_cells(e)) for e in c.entries]
    return "\n".join(lines) + "\n"


def catalogue_csv(c: Catalogue) -> str:
    """One row per model; min_glh is a proven minimum only where min_glh_status is optimal.
    Written as every command's CSV is (csv_report: RFC 4180 \\r\\n line ends, formula guard)."""
    from .csv_report import csv_text

    header = ["id", "title", "awarding_body", "qualification_number", "level", "units"]
    rows = [
        [e.id, e.title, e.awarding_body, e.qualification_number, e.level, e.units]
        + [e.min_glh, e.min_glh_status]
        for e in c.entries
    ]
    return csv_text(header + ["min_glh", "min_glh_status"], rows)
