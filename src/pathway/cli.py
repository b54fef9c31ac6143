"""The command line: parse, call the library, print. No rule logic lives here."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import click

from .errors import InputError
from .limits import LARGEST, MAX_TIME_LIMIT, MAX_WEIGHT

EXIT_FOUND, EXIT_NOT_FOUND, EXIT_BAD_INPUT, EXIT_UNKNOWN = 0, 1, 2, 3
MAX_SHOWN = 100  # problems printed per file; past that they are counted, not listed


def echo_problems(problems) -> None:
    """One line per problem on stderr, at most MAX_SHOWN per file: a generated file with a
    million bad references would otherwise print a million lines."""
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.path] = counts.get(problem.path, 0) + 1
        if counts[problem.path] <= MAX_SHOWN:
            click.echo(str(problem), err=True)
    for path, count in counts.items():
        if count > MAX_SHOWN:
            click.echo(f"{path}: {count - MAX_SHOWN:,} more problems not shown", err=True)


def fail(error: InputError):
    echo_problems(error.problems)
    sys.exit(EXIT_BAD_INPUT)


def split_refs(values) -> list[str]:
    """`--units 1,2 --units 3` and `--units "1, 2, 3"` both give ['1', '2', '3']."""
    out: list[str] = []
    for value in values or ():
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pathway")
def main():
    """Find provably best pathways through UK vocational qualifications."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate(paths):
    """Check model and scenario files (or folders of them): every problem with its line.

    Exits 0 when all files are valid (warnings about values that differ between models are
    printed but do not fail), 2 when any file has a problem."""
    from .validate import validate_paths

    report = validate_paths(paths)
    for line in report.ok_lines:
        click.echo(line)
    echo_problems(report.problems)
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    if report.problems:
        click.echo(f"{report.bad_files} of {report.files} file(s) have problems", err=True)
        sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.argument("model", type=click.Path())
@click.option(
    "--units",
    "-u",
    multiple=True,
    required=True,
    help="Units that count, by id or printed number: 1,2,3 (repeatable).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def check(model, units, fmt):
    """Audit a set of units against a model's rules: each rule, required and achieved.

    Exits 0 when the units achieve the qualification, 1 when they do not."""
    from .audit import audit
    from .load import load_model
    from .report import audit_json, audit_table
    from .resolve import resolve_refs

    try:
        q = load_model(model)
        ids = resolve_refs(q, split_refs(units), "--units")
    except InputError as error:
        fail(error)
    result = audit(q, ids)
    if fmt == "json":
        click.echo(json.dumps(audit_json(result), indent=2))
    else:
        click.echo(audit_table(result))
    sys.exit(EXIT_FOUND if result.achieved else EXIT_NOT_FOUND)


def _a_number(value, flag: str):
    """click's ranges let 'nan' through (every comparison with it is false)."""
    if value is not None and math.isnan(value):
        raise click.BadParameter(f"{value!r} is not a number", param_hint=flag)
    return value


def _weights(values) -> dict[str, int]:
    out = {}
    for value in values:
        ref, sep, weight = value.partition("=")
        try:
            out[ref.strip()] = int(weight)
        except ValueError:
            raise click.BadParameter(
                f"expected UNIT=WEIGHT with a whole number, got {value!r}", param_hint="--prefer"
            ) from None
        if not sep or not ref.strip():
            raise click.BadParameter(f"expected UNIT=WEIGHT, got {value!r}", param_hint="--prefer")
        if abs(out[ref.strip()]) > MAX_WEIGHT:
            raise click.BadParameter(
                f"a weight must be between -{MAX_WEIGHT:,} and {MAX_WEIGHT:,}, got {value!r}",
                param_hint="--prefer",
            )
    return out


@main.command()
@click.argument("file", type=click.Path())
@click.option(
    "--objective",
    "-o",
    multiple=True,
    type=click.Choice(["min-glh", "max-preference", "min-credits", "min-units"]),
    help="Objective; repeat for a lexicographic list (first is most important).",
)
@click.option("--achieved", "-a", multiple=True, help="Units already held (ids, numbers, URNs).")
@click.option("--exclude", "-x", multiple=True, help="Units that may not be taken.")
@click.option("--require", "-r", multiple=True, help="Units that must be taken.")
@click.option(
    "--prefer",
    "-p",
    multiple=True,
    metavar="UNIT=WEIGHT",
    help="Preference weight for a unit (repeatable).",
)
@click.option("--max-glh", type=click.IntRange(0, LARGEST), help="Budget: GLH still to teach.")
@click.option("--max-units", type=click.IntRange(0, LARGEST), help="Budget: units still to take.")
@click.option(
    "--max-credits", type=click.IntRange(0, LARGEST), help="Budget: credits still to take."
)
@click.option("--top", "-k", type=click.IntRange(1, 1000), help="Show the K best pathways.")
@click.option(
    "--time-limit",
    type=click.FloatRange(0, MAX_TIME_LIMIT, min_open=True),
    callback=lambda ctx, param, value: _a_number(value, "--time-limit"),
    metavar="SECONDS",
    help="Stop searching after this long; the answer is then marked feasible.",
)
@click.option("--workers", type=click.IntRange(1, 64), help="CP-SAT worker threads (default 1).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
)
def solve(
    file,
    objective,
    achieved,
    exclude,
    require,
    prefer,
    max_glh,
    max_units,
    max_credits,
    top,
    time_limit,
    workers,
    fmt,
):
    """Find the provably best pathway for a scenario (or a model, with defaults).

    Exits 0 when a pathway is found, 1 when none exists (the reason is printed), 2 on bad
    input, 3 when the time limit ran out before any pathway was found."""
    from .api import apply_overrides, load_problem
    from .report import solution_json, solution_markdown, solution_table
    from .solve import solve as run

    try:
        scenario = load_problem(file)
        apply_overrides(
            scenario,
            achieved=split_refs(achieved),
            excluded=split_refs(exclude),
            required=split_refs(require),
            weights=_weights(prefer),
            max_glh=max_glh,
            max_units=max_units,
            max_credits=max_credits,
        )
        solution = run(
            scenario,
            objectives=list(objective) or None,
            top=top,
            time_limit=time_limit,
            workers=workers,
        )
    except InputError as error:
        fail(error)
    if fmt == "json":
        click.echo(json.dumps(solution_json(solution), indent=2))
    elif fmt == "markdown":
        click.echo(solution_markdown(solution), nl=False)
    else:
        click.echo(solution_table(solution))
    codes = {"optimal": EXIT_FOUND, "feasible": EXIT_FOUND, "infeasible": EXIT_NOT_FOUND}
    sys.exit(codes.get(solution.status, EXIT_UNKNOWN))


@main.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
def test_scenarios(paths):
    """Run every scenario with an `expect:` block (default: scenarios/) as a regression test.

    Prints a line per scenario and a summary; exits 1 naming each file whose expectation
    fails, 2 on bad input."""
    from .expect import run_expectation
    from .load import expand_paths

    files = expand_paths(paths or ["scenarios"])
    passed = failed = skipped = 0
    failures = []
    for path in files:
        try:
            outcome = run_expectation(path)
        except InputError as error:
            fail(error)
        if outcome is None:
            skipped += 1
            continue
        if outcome.passed:
            passed += 1
            click.echo(f"ok    {path}  ({outcome.summary})")
        else:
            failed += 1
            failures.append(outcome)
            click.echo(f"FAIL  {path}")
            for mismatch in outcome.mismatches:
                click.echo(f"        {mismatch}")
    click.echo(
        f"{passed} passed, {failed} failed"
        + (f", {skipped} skipped" if skipped else "")
        + " (skipped: no expect block)" * bool(skipped)
    )
    if failures:
        click.echo("failed: " + " ".join(o.path for o in failures), err=True)
        sys.exit(EXIT_NOT_FOUND)


@main.command()
@click.argument("kind", type=click.Choice(["model", "scenario"]))
def schema(kind):
    """Print the JSON Schema of model or scenario files (for editors and other tools)."""
    path = Path(__file__).parent / "schema" / f"{kind}.schema.json"
    click.echo(path.read_text(encoding="utf-8"), nl=False)


if __name__ == "__main__":
    main()
