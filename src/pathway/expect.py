"""Scenario files as regression tests: compare a solution with the file's `expect:` block."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .scenario import Scenario
from .words import noun


@dataclass
class Outcome:
    """A scenario file's expectation against its solution."""

    path: str
    mismatches: list[str] = field(default_factory=list)
    summary: str = ""
    seconds: float = 0.0  # loading and solving, for test reports (JUnit's time)
    updated: list[str] = field(default_factory=list)  # `--update`: what was rewritten
    refused: str | None = None  # `--update`: why the file was left as it was
    scenario: Scenario | None = field(default=None, repr=False, compare=False)
    solution: object = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        return not self.mismatches


def compare(scenario: Scenario, solution) -> list[str]:
    """Every way the solution differs from the expectation, each with expected and actual."""
    expect = scenario.expect
    q = scenario.qualification
    out: list[str] = []
    if expect is None:
        return out
    if solution.status != expect["status"]:
        out.append(f"status: expected {expect['status']}, got {solution.status}")
    best = solution.best
    if "objective" in expect:
        want = expect["objective"]
        want = [int(v) for v in want] if isinstance(want, list) else int(want)
        got = None
        if best is not None:
            got = best.values[0] if len(best.values) == 1 else list(best.values)
        if got != want:
            out.append(f"objective: expected {want}, got {got}")
    chosen = set(best.units) if best else set()

    def ids(refs):
        found = [q.find(str(r)) for r in refs]
        return {u.id if u else str(r) for u, r in zip(found, refs)}

    order = {u.id: i for i, u in enumerate(q.units)}

    def labels(unit_ids):
        # in model order, by printed number where there is one (unknown refs last)
        ordered = sorted(unit_ids, key=lambda u: (order.get(u, len(order)), u))
        return ", ".join((q.unit(u).number or u) if u in order else u for u in ordered)

    if "units" in expect and ids(expect["units"]) != chosen:
        want = ids(expect["units"])
        diff = [f"missing {labels(want - chosen)}"] if want - chosen else []
        diff += [f"extra {labels(chosen - want)}"] if chosen - want else []
        out.append(
            f"units: expected {{{labels(want)}}}, got {{{labels(chosen)}}} ({'; '.join(diff)})"
        )
    missing = ids(expect.get("includes", [])) - chosen
    if missing:
        units, are = _units_are(len(missing))
        out.append(f"includes: expected {units} {labels(missing)} in the pathway; {are} not")
    present = ids(expect.get("excludes", [])) & chosen
    if present:
        units, are = _units_are(len(present))
        out.append(f"excludes: expected {units} {labels(present)} not in the pathway; {are}")
    conflicts = solution.explanation.conflicts if solution.explanation else []
    said = " ".join(f"{c.key} {c.says}" for c in conflicts)
    for word in expect.get("explanation_mentions", []):
        if str(word) not in said:
            out.append(
                f"explanation_mentions: expected {word!r} in the explanation; "
                f"it says: {said or 'nothing'}"
            )
    return out


def _units_are(n: int) -> tuple[str, str]:
    """('unit', 'it is') for one unit, ('units', 'they are') for more: "expected unit 36 in
    the pathway; it is not"."""
    return noun(n, "units"), "it is" if n == 1 else "they are"


NOT_A_SCENARIO = "not a scenario"  # a model, say, found in a folder given to `pathway test`
NO_EXPECT = "no expect block"


def run_file(path) -> Outcome | str:
    """Solve one scenario file and compare; NOT_A_SCENARIO or NO_EXPECT when nothing is run.
    The outcome keeps the scenario and solution, for `--update` (snapshot.py)."""
    import time

    from .inputs import STDIN, is_stdin, load_document
    from .loader import is_scenario
    from .scenario import build_scenario
    from .solver import solve

    started = time.monotonic()
    doc = load_document(path)
    if not is_scenario(doc):
        return NOT_A_SCENARIO
    if is_stdin(path):
        path = STDIN
    scenario = build_scenario(doc, Path(path))
    if scenario.expect is None:
        return NO_EXPECT
    solution = solve(scenario)
    outcome = Outcome(str(path), compare(scenario, solution), summary(solution))
    outcome.seconds = time.monotonic() - started
    outcome.scenario, outcome.solution = scenario, solution
    return outcome


def summary(solution) -> str:
    """The result in a few words, as `solve` says it (report.objective_values): `optimal,
    min-glh = 245`; `optimal, max-preference = 11, then min-glh = 271` for a lexicographic
    list; `infeasible`."""
    from .report import objective_values

    best = solution.best
    words = [str(solution.status)]
    if best is not None:
        words.append(objective_values(list(solution.objectives), list(best.values)))
        if solution.status == "feasible":
            words.append("not proven optimal")
    elif solution.status == "unknown":
        words.append("time limit reached before any pathway")
    return ", ".join(words)


def run_expectation(path) -> Outcome | None:
    """Solve one scenario file and compare; None when the file is not a scenario or has no
    expect block."""
    outcome = run_file(path)
    return outcome if isinstance(outcome, Outcome) else None


# -- choosing scenarios by name (`pathway test -k`) --------------------------------------------

_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


class BadKeyword(ValueError):
    """A `-k` expression that cannot be read; the message says where."""


def scenario_name(path) -> str:
    """The name `-k` matches and test reports show: the file name without .yaml/.yml (the
    same name pytest gives the scenario's item)."""
    name = Path(str(path)).name
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def keyword_matcher(expression: str) -> Callable[[str], bool]:
    """A test of names from a pytest-like `-k` expression: words matched case-insensitively
    as substrings of the name, combined with `and`, `or`, `not` and parentheses (`not`
    binds tightest, then `and`, then `or`). Raises BadKeyword on a malformed expression."""
    tokens = _TOKEN.findall(expression)
    if not tokens:
        raise BadKeyword("empty expression")
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        token = peek()
        if token is None:
            raise BadKeyword(f"{expression!r} ends early: expected a word, 'not' or '('")
        position += 1
        return token

    def either() -> Callable[[str], bool]:
        parts = [both()]
        while peek() == "or":
            take()
            parts.append(both())
        return lambda name: any(p(name) for p in parts)

    def both() -> Callable[[str], bool]:
        parts = [negated()]
        while peek() == "and":
            take()
            parts.append(negated())
        return lambda name: all(p(name) for p in parts)

    def negated() -> Callable[[str], bool]:
        token = take()
        if token == "not":
            inner = negated()
            return lambda name: not inner(name)
        if token == "(":
            inner = either()
            if take() != ")":
                raise BadKeyword(f"{expression!r}: expected ')'")
            return inner
        if token in (")", "and", "or"):
            raise BadKeyword(f"{expression!r}: unexpected {token!r}")
        word = token.lower()
        return lambda name: word in name.lower()

    test = either()
    if peek() is not None:
        raise BadKeyword(f"{expression!r}: unexpected {peek()!r}")
    return test
