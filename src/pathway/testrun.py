"""`pathway test`: scenario files run as regression tests, chosen by name, optionally updated
in place, each result a `junit.Case` for the terminal and for a JUnit XML report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import InputError
from .expect import NO_EXPECT, Outcome, run_file, scenario_name
from .junit import Case


def classname(path) -> str:
    """JUnit's class: the scenario's folder, dotted (CI systems group by it)."""
    parent = Path(str(path)).parent.as_posix()
    return "scenarios" if parent in ("", ".") else parent.strip("/").replace("/", ".")


def selected(path, match: Callable[[str], bool] | None) -> bool:
    return match is None or match(scenario_name(path))


def is_test(path) -> bool:
    """A scenario with an expect block (read, not solved): what -k counts as deselected."""
    from .loader import is_scenario
    from .source import load_yaml_file

    try:
        doc = load_yaml_file(path)
    except InputError:
        return False
    return is_scenario(doc) and "expect" in doc


def run_scenarios(
    files, match: Callable[[str], bool] | None = None, update: bool = False
) -> Iterator[Case]:
    """A Case per scenario file run (models are passed over), in the order given. Files whose
    name `match` refuses give a Case of kind "deselected". A file with bad input gives a Case
    of kind "error" carrying the InputError as `.error`, and the run goes on: one broken file
    must not hide how the others fare (changed in 0.2: the run used to stop at the first)."""
    from .inputs import STDIN, is_stdin

    for path in files:
        if is_stdin(path):  # run whatever -k says: it cannot be read twice to tell
            base = Case(STDIN, classname(STDIN), STDIN, "passed")
        else:
            base = Case(scenario_name(path), classname(path), str(path), "passed")
        if not is_stdin(path) and not selected(path, match):
            if is_test(path):
                base.kind = "deselected"
                yield base
            continue
        try:
            outcome = run_file(path)
        except InputError as error:
            base.kind = "error"
            base.message = str(error.problems[0])
            base.details = [str(p) for p in error.problems]
            base.error = error
            yield base
            continue
        if not isinstance(outcome, Outcome):
            if outcome == NO_EXPECT:
                base.kind, base.message = "skipped", "no expect block"
                yield base
            continue
        if update and outcome.mismatches:
            _update(outcome)
        base.seconds = outcome.seconds
        base.outcome = outcome
        if not outcome.passed:
            base.kind = "failed"
            base.message = outcome.mismatches[0]
            base.details = list(outcome.mismatches) + ([outcome.refused] if outcome.refused else [])
        elif outcome.updated:
            base.output = "updated: " + ", ".join(outcome.updated)
        yield base


def _update(outcome: Outcome) -> None:
    from .snapshot import UpdateRefused, update_file

    try:
        outcome.updated = update_file(outcome.path, outcome.scenario, outcome.solution)
        outcome.mismatches = []
    except UpdateRefused as refused:
        outcome.refused = str(refused)


def nothing_ran(cases: list[Case], paths, keyword: str | None) -> str | None:
    """Why no scenario with an `expect:` block ran, in a line, or None when one did. A run that
    tested nothing must not pass: a typo in `-k` or in a folder's name would pass CI silently."""
    if any(c.kind in ("passed", "failed", "error") for c in cases):
        return None
    deselected = sum(c.kind == "deselected" for c in cases)
    skipped = sum(c.kind == "skipped" for c in cases)
    if deselected:
        with_block = " with an expect: block" if skipped else ""
        return (
            f"no scenario ran: -k {keyword!r} matched none of {deselected:,} "
            f"scenario{'s' * (deselected != 1)}{with_block}"
        )
    where = _places(paths)
    if skipped:
        files = "the scenario file" if skipped == 1 else f"the {skipped:,} scenario files"
        return f"no scenario ran: {files} in {where} {'has' if skipped == 1 else 'have'} no expect: block"
    return f"no scenario files in {where}"


def _places(paths, shown: int = 3) -> str:
    from .source import STDIN, is_stdin

    names = [STDIN if is_stdin(p) else str(p) for p in paths]  # '-' is said as in messages
    if len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown]) + f" and {len(names) - shown:,} more"
