"""The command line: parse, call the library, print. No rule logic lives here."""

from __future__ import annotations

import errno
import math
import os
import sys
import time
from pathlib import Path

import click

from .errors import InputError
from .limits import LARGEST, MAX_TIME_LIMIT, MAX_WEIGHT

EXIT_FOUND, EXIT_NOT_FOUND, EXIT_BAD_INPUT, EXIT_UNKNOWN = 0, 1, 2, 3
EXIT_OUTPUT = 74  # sysexits' EX_IOERR: the answer could not be written (disk full, closed pipe)
EXIT_INTERNAL = 70  # sysexits' EX_SOFTWARE: a bug in pathway, never "no pathway exists"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
REPORT_BUGS = "please report it with the command and files that caused it"
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


class OutputError(Exception):
    """Standard output could not be written. Not an OSError, so that click (which turns a
    closed pipe into exit 1, "no pathway") lets it reach `entry`."""

    def __init__(self, error: OSError):
        super().__init__(error.strerror or str(error))
        self.error = error


def emit(text: str, nl: bool = True) -> None:
    """Write data to standard output."""
    try:
        click.echo(text, nl=nl)
    except OSError as error:
        raise OutputError(error) from None


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
    from .lint import MAX_WARNINGS_SHOWN
    from .validate import validate_paths

    report = validate_paths(paths)
    if report.ok_lines:
        emit("\n".join(report.ok_lines))
    echo_problems(report.problems)
    for warning in report.warnings[:MAX_WARNINGS_SHOWN]:
        click.echo(str(warning), err=True)
    if len(report.warnings) > MAX_WARNINGS_SHOWN:
        more = len(report.warnings) - MAX_WARNINGS_SHOWN
        click.echo(f"{more:,} more warning{'s' * (more != 1)} not shown", err=True)
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
    from .auditor import audit
    from .loader import load_model
    from .refs import unit_ids
    from .report import audit_json, audit_table

    try:
        q = load_model(model)
        problems: list = []
        ids = unit_ids(q, split_refs(units), "--units", problems)
        if problems:
            raise InputError(problems)
    except InputError as error:
        fail(error)
    result = audit(q, ids)
    if fmt == "json":
        import json

        emit(json.dumps(audit_json(result), indent=2))
    else:
        emit(audit_table(result))
    sys.exit(EXIT_FOUND if result.achieved else EXIT_NOT_FOUND)


def _a_number(value, flag: str):
    """click's ranges let 'nan' through (every comparison with it is false)."""
    if value is not None and math.isnan(value):
        raise click.BadParameter(f"{value!r} is not a number", param_hint=flag)
    return value


def _unit_numbers(values, flag: str, what: str, lowest: int, highest: int) -> dict[str, int]:
    """`UNIT=N` flags (--prefer, --glh) as {unit reference: N}, each N a bounded whole number."""
    out = {}
    for value in values:
        ref, sep, number = value.partition("=")
        if not sep or not ref.strip():
            raise click.BadParameter(f"expected UNIT={what}, got {value!r}", param_hint=flag)
        try:
            n = int(number)
        except ValueError:
            raise click.BadParameter(
                f"expected UNIT={what} with a whole number, got {value!r}", param_hint=flag
            ) from None
        if not lowest <= n <= highest:
            raise click.BadParameter(
                f"{what} must be between {lowest:,} and {highest:,}, got {value!r}",
                param_hint=flag,
            )
        out[ref.strip()] = n
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
@click.option(
    "--glh",
    "glh",
    multiple=True,
    metavar="UNIT=HOURS",
    help="GLH for a unit whose model gives none, or to override it (repeatable).",
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
    help=(
        "Stop after this long, counted from the start (loading included, the report not); "
        "what was not finished is said."
    ),
)
@click.option("--workers", type=click.IntRange(1, 64), help="CP-SAT worker threads (default 1).")
@click.option(
    "--timings",
    is_flag=True,
    help="JSON: add seconds spent by phase (build, objective, tie_break, explanation).",
)
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
    glh,
    max_glh,
    max_units,
    max_credits,
    top,
    time_limit,
    workers,
    timings,
    fmt,
):
    """Find the provably best pathway for a scenario (or a model, with defaults).

    Exits 0 when a pathway is found, 1 when none exists (the reason is printed), 2 on bad
    input, 3 when the time limit ran out before any pathway was found."""
    from .api import load
    from .report import solution_json, solution_markdown, solution_table
    from .scenario import with_situation
    from .solver import solve as run

    started = time.monotonic()  # the time limit counts loading too
    try:
        scenario = with_situation(
            load(file),
            achieved=split_refs(achieved),
            excluded=split_refs(exclude),
            required=split_refs(require),
            weights=_unit_numbers(prefer, "--prefer", "WEIGHT", -MAX_WEIGHT, MAX_WEIGHT),
            glh=_unit_numbers(glh, "--glh", "HOURS", 0, LARGEST),
            max_glh=max_glh,
            max_units=max_units,
            max_credits=max_credits,
        )
        limit = time_limit if time_limit is not None else scenario.time_limit
        if limit is not None:
            limit = max(limit - (time.monotonic() - started), 0.001)
        solution = run(
            scenario,
            objectives=list(objective) or None,
            top=top,
            time_limit=limit,
            workers=workers,
        )
    except InputError as error:
        fail(error)
    if fmt == "json":
        import json

        emit(json.dumps(solution_json(solution, timings=timings), indent=2))
    elif fmt == "markdown":
        emit(solution_markdown(solution), nl=False)
    else:
        emit(solution_table(solution))
    codes = {"optimal": EXIT_FOUND, "feasible": EXIT_FOUND, "infeasible": EXIT_NOT_FOUND}
    sys.exit(codes.get(solution.status, EXIT_UNKNOWN))


@main.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
def test_scenarios(paths):
    """Run every scenario with an `expect:` block (default: scenarios/) as a regression test.

    Prints a line per scenario and a summary; exits 1 naming each file whose expectation
    fails, 2 on bad input."""
    from .expect import NO_EXPECT, Outcome, run_file
    from .loader import expand_paths

    unreadable: list = []  # folders that cannot be listed
    files = expand_paths(paths or ["scenarios"], unreadable)
    if unreadable:
        fail(InputError(unreadable))
    passed = failed = skipped = 0
    failures = []
    for path in files:
        try:
            outcome = run_file(path)
        except InputError as error:
            fail(error)
        if not isinstance(outcome, Outcome):
            skipped += outcome == NO_EXPECT  # a model is not a scenario: not even skipped
            continue
        if outcome.passed:
            passed += 1
            emit(f"ok    {path}  ({outcome.summary})")
        else:
            failed += 1
            failures.append(outcome)
            emit(f"FAIL  {path}")
            for mismatch in outcome.mismatches:
                emit(f"        {mismatch}")
    emit(
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
    emit(path.read_text(encoding="utf-8"), nl=False)


def entry() -> None:
    """The `pathway` program: `main` with exit statuses a script can trust. Exit 1 means only
    "no pathway exists", so a crash gets its own status (70), and output that cannot be
    written (a full disk, a closed pipe: click's own handling would exit 1) gets 74 with one
    line, never a traceback."""
    try:
        try:
            code = main.main(prog_name="pathway", standalone_mode=False)
        finally:
            sys.stdout.flush()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except click.ClickException as error:  # usage errors: click's own message, exit 2
        error.show()
        code = error.exit_code
    except OutputError as error:
        _exit(EXIT_OUTPUT, f"pathway: cannot write the output: {error}")
    except (click.Abort, KeyboardInterrupt):
        _exit(EXIT_INTERRUPTED, "pathway: interrupted")
    except OSError as error:
        if error.errno in _OUTPUT_ERRORS:
            _exit(EXIT_OUTPUT, f"pathway: cannot write the output: {error.strerror}")
        _exit(EXIT_INTERNAL, f"pathway: internal error: {error!r}; {REPORT_BUGS}")
    except Exception as error:  # noqa: BLE001 - the last line of defence, by design
        _exit(EXIT_INTERNAL, f"pathway: internal error: {error!r}; {REPORT_BUGS}")
    _exit(code if isinstance(code, int) else 0)


_OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", -1)}


def _exit(code: int, message: str | None = None) -> None:
    """Leave now with `code`. Standard output may be a closed pipe or a full disk: point it at
    /dev/null first so the interpreter's final flush cannot print a traceback."""
    try:
        sys.stdout.flush()
    except OSError as error:
        message = message or f"pathway: cannot write the output: {error.strerror}"
        code = EXIT_OUTPUT if code in (EXIT_FOUND, EXIT_NOT_FOUND, EXIT_UNKNOWN) else code
    if message:
        try:
            sys.stderr.write(message + "\n")
            sys.stderr.flush()
        except OSError:
            pass
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file (an embedding program's stream): nothing left to flush
    os._exit(code)


if __name__ == "__main__":
    entry()
