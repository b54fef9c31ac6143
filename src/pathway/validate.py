"""`pathway validate`: load every file given, collect all problems, then lint across models."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .lint import Warning_, cross_model_warnings
from .loader import build_model, expand_paths, is_scenario, remember_model
from .model import Qualification
from .source import Map, load_yaml_file
from .words import plural


@dataclass
class ValidationReport:
    """What `pathway validate` found in the files given."""

    files: int = 0
    bad_files: int = 0
    ok_lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)


def validate_paths(paths) -> ValidationReport:
    report = ValidationReport()
    models = []
    unreadable: list[Problem] = []  # folders that cannot be listed: each a problem
    files = expand_paths(paths, unreadable)
    report.files = report.bad_files = len(unreadable)
    report.problems += unreadable
    if not files and not unreadable:
        report.problems.append(
            Problem(", ".join(map(str, paths)), None, None, "no .yaml files found")
        )
        report.bad_files = 1
    if not files:
        return report
    for path in files:
        report.files += 1
        try:
            line, q = check_document(load_yaml_file(path), path)
        except InputError as error:
            report.bad_files += 1
            report.problems += error.problems
            continue
        report.ok_lines.append(line)
        if q is not None:
            remember_model(path, q)
            models.append(q)
    report.warnings = cross_model_warnings(models)
    return report


def check_document(doc, path) -> tuple[str, Qualification | None]:
    """Check one loaded file, `path` naming it in messages (`<stdin>` for standard input): a
    cohort as `pathway plan` would read it (without solving), a scenario, or a model. Returns
    the line that says it is ok, and the model when it is one (for the cross-model warnings);
    raises InputError with every problem found."""
    if _is_cohort(doc):
        from .cohort import cohort_from_document
        from .cohort_plan import check_cohort

        cohort = cohort_from_document(doc, path)
        check_cohort(cohort)
        names = sorted({lr.scenario.qualification.id for lr in cohort.learners})
        return (
            f"{path}: ok (cohort of {plural(len(cohort.learners), 'learners')} "
            f"for {', '.join(names) or 'no qualification'})"
        ), None
    if is_scenario(doc):
        from .scenario import build_scenario

        scenario = build_scenario(doc, Path(path))
        return f"{path}: ok (scenario for {scenario.qualification.id})", None
    q = build_model(doc, Path(path))
    return (
        f"{path}: ok ({plural(len(q.units), 'units')}, "
        f"{plural(len(q.groups), 'groups')}, {plural(len(q.rules), 'rules')})"
    ), q


def _is_cohort(doc) -> bool:
    """A cohort file (`pathway plan`) has a centre or learners, which neither a model nor a
    scenario has: it is checked as a cohort, not refused as a scenario with unknown fields."""
    return (
        isinstance(doc, Map)
        and "units" not in doc
        and any(key in doc for key in ("centre", "learners", "cohort"))
    )
