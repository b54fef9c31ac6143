"""The command line: parse, call the library, print. No rule logic lives here."""

from __future__ import annotations

import datetime
import errno
import importlib
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


def output_options(command):
    """`--output FILE` and `--force`, for commands that print a report."""
    command = click.option(
        "--force", is_flag=True, help="With --output: replace FILE if it exists."
    )(command)
    return click.option(
        "--output",
        "-O",
        "output",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Write the report to FILE (atomically; an existing FILE only with --force).",
    )(command)


def split_refs(values) -> list[str]:
    """`--units 1,2 --units 3` and `--units "1, 2, 3"` both give ['1', '2', '3']."""
    out: list[str] = []
    for value in values or ():
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def _version(ctx, param, value):
    """`--version`: pathway's version and the OR-Tools it solves with (read from installed
    metadata, so OR-Tools itself is not imported)."""
    if not value or ctx.resilient_parsing:
        return
    from .about import version_text

    click.echo(version_text())
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the version of pathway and of OR-Tools, and exit.",
)
def main():
    """Find provably best pathways through UK vocational qualifications."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate(paths):
    """Check model, scenario and cohort files (or folders of them): every problem with its line.

    Exits 0 when all files are valid (warnings about values that differ between models are
    printed but do not fail), 2 when any file has a problem."""
    from .lint import MAX_WARNINGS_SHOWN
    from .validate import validate_paths

    files = [p for p in paths if p != "-"]
    report = validate_paths(files) if files else None
    if "-" in paths:  # standard input: validated on its own (no cross-model warnings)
        from .inputs import validate_stdin
        from .validate import ValidationReport

        report = report or ValidationReport()
        ok_line, problems = validate_stdin()
        report.files += 1
        report.bad_files += bool(problems)
        report.ok_lines += [ok_line] if ok_line else []
        report.problems += problems
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
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "html"]),
    default="table",
    show_default=True,
    help="How to print the answer.",
)
@output_options
def check(model, units, fmt, output, force):
    """Audit a set of units against a model's rules: each rule, required and achieved.

    Exits 0 when the units achieve the qualification, 1 when they do not."""
    from .auditor import audit
    from .inputs import load_model
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
    renderers = {
        "json": _json(audit_json),
        "csv": _lazy("csv_report", "audit_csv"),
        "html": _lazy("html_report", "audit_html"),
        "table": audit_table,
    }
    deliver_report(result, fmt, renderers, output, force)
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


SITUATION_OPTIONS = [
    click.option(
        "--objective",
        "-o",
        multiple=True,
        type=click.Choice(["min-glh", "max-preference", "min-credits", "min-units"]),
        help="Objective; repeat for a lexicographic list (first is most important).",
    ),
    click.option(
        "--achieved", "-a", multiple=True, help="Units already held (ids, numbers, URNs)."
    ),
    click.option("--exclude", "-x", multiple=True, help="Units that may not be taken."),
    click.option("--require", "-r", multiple=True, help="Units that must be taken."),
    click.option(
        "--prefer",
        "-p",
        multiple=True,
        metavar="UNIT=WEIGHT",
        help="Preference weight for a unit (repeatable).",
    ),
    click.option(
        "--glh",
        "glh",
        multiple=True,
        metavar="UNIT=HOURS",
        help="GLH for a unit whose model gives none, or to override it (repeatable).",
    ),
    click.option("--max-glh", type=click.IntRange(0, LARGEST), help="Budget: GLH still to teach."),
    click.option(
        "--max-units", type=click.IntRange(0, LARGEST), help="Budget: units still to take."
    ),
    click.option(
        "--max-credits", type=click.IntRange(0, LARGEST), help="Budget: credits still to take."
    ),
]


def situation_options(command):
    """The learner's situation as flags (solve, compare, rank, impact): defined once, so each
    command reads and checks them alike."""
    for option in reversed(SITUATION_OPTIONS):
        command = option(command)
    return command


@main.command()
@click.argument("file", type=click.Path())
@situation_options
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
    type=click.Choice(["table", "json", "markdown", "csv", "html"]),
    default="table",
    show_default=True,
    help="How to print the answer.",
)
@output_options
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
    output,
    force,
):
    """Find the provably best pathway for a scenario (or a model, with defaults).

    Exits 0 when a pathway is found, 1 when none exists (the reason is printed), 2 on bad
    input, 3 when the time limit ran out before any pathway was found."""
    from .inputs import load
    from .progress import Solving
    from .report import solution_json, solution_markdown, solution_table
    from .scenario import with_situation
    from .solver import default_objectives
    from .solver import solve as run

    started = time.monotonic()  # the time limit counts loading too
    progress = Solving()
    line = progress.line().start()
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
        for warning in scenario.qualification.date_warnings(datetime.date.today()):
            click.echo(f"warning: {warning}", err=True)  # operational dates: still solved
        limit = time_limit if time_limit is not None else scenario.time_limit
        if limit is not None:
            limit = max(limit - (time.monotonic() - started), 0.001)
        progress.aim((list(objective) or scenario.objectives or default_objectives(scenario))[0])
        solution = run(
            scenario,
            objectives=list(objective) or None,
            top=top,
            time_limit=limit,
            workers=workers,
            progress=progress,
        )
    except InputError as error:
        line.close()
        fail(error)
    finally:
        line.close()
    renderers = {
        "json": _json(lambda s: solution_json(s, timings=timings)),
        "markdown": solution_markdown,
        "csv": _lazy("csv_report", "solution_csv"),
        "html": _lazy("html_report", "solution_html"),
        "table": solution_table,
    }
    deliver_report(solution, fmt, renderers, output, force)
    if fmt == "csv" and solution.explanation:  # CSV has no place for the reason
        click.echo("\n".join(solution.explanation.lines()), err=True)
    codes = {"optimal": EXIT_FOUND, "feasible": EXIT_FOUND, "infeasible": EXIT_NOT_FOUND}
    sys.exit(codes.get(solution.status, EXIT_UNKNOWN))


@main.command()
@click.argument("learners", type=click.Path())
@click.option(
    "--qualification",
    "-q",
    metavar="MODEL",
    help="Model id or file for learners whose row has no qualification (a row's own wins).",
)
@click.option(
    "--objective",
    "-o",
    multiple=True,
    type=click.Choice(["min-glh", "max-preference", "min-credits", "min-units"]),
    help="Objective; repeat for a lexicographic list (first is most important).",
)
@click.option("--max-glh", type=click.IntRange(0, LARGEST), help="Budget: GLH still to teach.")
@click.option("--max-units", type=click.IntRange(0, LARGEST), help="Budget: units still to take.")
@click.option(
    "--max-credits", type=click.IntRange(0, LARGEST), help="Budget: credits still to take."
)
@click.option(
    "--time-limit",
    type=click.FloatRange(0, MAX_TIME_LIMIT, min_open=True),
    callback=lambda ctx, param, value: _a_number(value, "--time-limit"),
    metavar="SECONDS",
    help="Stop each learner's solve after this long; what was not finished is said.",
)
@click.option("--workers", type=click.IntRange(1, 64), help="CP-SAT threads per solve (default 1).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 1024),
    help="Processes solving at once (default: every core).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Send the work to a Dask distributed cluster (pip install 'pathway[cluster]').",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="How to print the answer.",
)
@click.option(
    "--output",
    "-O",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Write to FILE (via FILE.partial, renamed when every learner is done).",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted run's --output.")
@click.option("--force", is_flag=True, help="Replace an existing --output (or its .partial).")
def batch(
    learners,
    qualification,
    objective,
    max_glh,
    max_units,
    max_credits,
    time_limit,
    workers,
    jobs,
    scheduler,
    fmt,
    output,
    resume,
    force,
):
    """Solve every learner of a CSV file (one solve each), on every core or on a cluster.

    Writes one record per learner, in the file's order: JSON Lines (`learner`, `line`, then
    the keys of `solve --format json`, or `error`) or CSV. Exits 0 when every learner has a
    record, 2 on bad input (the file, or any bad row: its record says why, the rest are
    solved)."""
    from .batch import BatchOptions, run_batch

    options = BatchOptions(
        qualification=qualification,
        near=learners,
        objectives=tuple(objective) or None,
        time_limit=time_limit,
        workers=workers,
        max_glh=max_glh,
        max_units=max_units,
        max_credits=max_credits,
        fmt=fmt,
    )
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if output == "-":
        output = None
    from .progress import Count

    count = Count("solved", "learners")
    line = count.line().start()
    try:
        if qualification is not None:
            from .learners import qualification_scenario

            try:
                qualification_scenario(qualification, learners)
            except InputError as error:
                fail(InputError([_flag_problem("--qualification", p) for p in error.problems]))
        summary = run_batch(
            learners,
            options,
            out=_Stdout(),
            output=output,
            resume=resume,
            force=force,
            jobs=jobs or 1,
            scheduler=scheduler,
            # The file's lines but its header (a quoted newline aside) are learners.
            progress=(lambda done, lines: count(done, max(lines - 1, done))) if line.on else None,
        )
    except InputError as error:
        fail(error)
    except OSError as error:
        if output is None:
            raise OutputError(error) from None
        _exit(EXIT_OUTPUT, f"pathway: cannot write {output}: {error.strerror or error}")
    except KeyboardInterrupt:
        if output is not None:
            click.echo(
                f"pathway: what was written is kept in {output}.partial; "
                "run again with --resume to continue",
                err=True,
            )
        raise
    finally:
        line.close()
    click.echo(summary.line(), err=True)
    if summary.errors:
        for message in summary.errors[:MAX_SHOWN]:
            click.echo(message, err=True)
        more = summary.statuses["error"] - min(len(summary.errors), MAX_SHOWN)
        if more > 0:
            click.echo(f"{more:,} more bad rows not shown (each has its record)", err=True)
        sys.exit(EXIT_BAD_INPUT)


class _Stdout:
    """Standard output for batch records: a closed pipe or full disk becomes OutputError."""

    def write(self, text: str) -> None:
        emit(text, nl=False)

    def flush(self) -> None:
        try:
            sys.stdout.flush()
        except OSError as error:
            raise OutputError(error) from None


def _flag_problem(flag: str, problem):
    """A problem with a flag's value: named by the flag, unless it is inside a file."""
    if problem.line is not None:
        return problem
    from .errors import Problem

    return Problem(flag, None, None, problem.message)


@main.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-k",
    "keyword",
    metavar="EXPRESSION",
    help=(
        "Run only scenarios whose file name (without .yaml) matches: words matched as "
        "case-insensitive substrings, with and, or, not and parentheses, as pytest -k."
    ),
)
@click.option(
    "--junit-xml",
    "junit",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Also write a JUnit XML report, for CI (replaced if it exists, as pytest does).",
)
@click.option(
    "--update",
    is_flag=True,
    help=(
        "Write the actual result into each failing scenario's expect: block (comments and "
        "layout kept); refused where the solve is not proven."
    ),
)
def test_scenarios(paths, keyword, junit, update):
    """Run every scenario with an `expect:` block (default: scenarios/) as a regression test.

    Prints a line per scenario and a summary; exits 1 naming each file whose expectation
    fails, 2 on bad input."""
    from .expect import BadKeyword, keyword_matcher
    from .loader import expand_paths
    from .terminal import paint, use_colour
    from .testrun import run_scenarios

    try:
        match = keyword_matcher(keyword) if keyword is not None else None
    except BadKeyword as error:
        raise click.BadParameter(str(error), param_hint="-k") from None
    started = time.monotonic()
    unreadable: list = []  # folders that cannot be listed
    files = expand_paths(paths or ["scenarios"], unreadable)
    if unreadable:
        fail(InputError(unreadable))
    colour = use_colour()
    cases = []
    for case in run_scenarios(files, match, update):
        cases.append(case)
        if case.kind == "error":
            _write_junit(junit, cases, started)
            fail(case.error)
        if case.kind == "passed":
            word = "updated" if case.output else "ok   "
            emit(f"{paint(word, 'green', colour)} {case.file}  ({case.outcome.summary})")
            if case.output:
                emit(f"        {case.output}")
        elif case.kind == "failed":
            emit(f"{paint('FAIL', 'red', colour)}  {case.file}")
            for line in case.details:
                emit(f"        {line}")
    _write_junit(junit, cases, started)
    count = {k: sum(c.kind == k for c in cases) for k in ("passed", "failed", "skipped")}
    deselected = sum(c.kind == "deselected" for c in cases)
    updated = sum(bool(c.output) for c in cases)
    emit(
        f"{count['passed']} passed, {count['failed']} failed"
        + (f", {count['skipped']} skipped" if count["skipped"] else "")
        + (f", {deselected} deselected" if deselected else "")
        + (f", {updated} updated" if updated else "")
        + " (skipped: no expect block)" * bool(count["skipped"])
    )
    if count["failed"]:
        failed = [c.file for c in cases if c.kind == "failed"]
        click.echo("failed: " + " ".join(failed), err=True)
        sys.exit(EXIT_NOT_FOUND)


def _write_junit(path, cases, started: float) -> None:
    """The JUnit report, replaced atomically (CI runs write it again each time)."""
    if path is None:
        return
    from .junit import junit_xml

    _write_file(path, junit_xml(cases, seconds=time.monotonic() - started), force=True)


def _write_file(path, text: str, force: bool) -> None:
    """Write a report file atomically: exit 2 if it exists without --force, 74 if it cannot
    be written (as for standard output)."""
    from .output import WriteError, write_atomic

    try:
        write_atomic(path, text, force=force)
    except InputError as error:
        fail(error)
    except WriteError as error:
        raise OutputError(error.error) from None


def _width(output) -> int | None:
    """The width to fit tables to: none for a file, else the terminal's (or COLUMNS)."""
    from .terminal import terminal_width

    return None if output not in (None, "-") else terminal_width()


def deliver(text: str, output, force: bool, nl: bool = True) -> None:
    """A report to standard output, or to `--output FILE` (atomically, never over an existing
    file unless --force)."""
    if output is None or output == "-":
        emit(text, nl=nl)
    else:
        _write_file(output, text + ("\n" if nl else ""), force)


@main.command()
@click.argument("folder", required=False, default="models", type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown", "csv"]),
    default="table",
    show_default=True,
    help="How to print the answer.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(0.001, MAX_TIME_LIMIT),
    default=10.0,
    show_default=True,
    help="Seconds to find each model's minimum GLH.",
)
@output_options
def models(folder, fmt, time_limit, output, force):
    """List a catalogue: every model in FOLDER (default models/) with its awarding body,
    level, units and the minimum GLH for a new learner ("unknown" where GLH is missing).

    Exits 0, or 2 when the folder is missing, empty or holds a bad model."""
    from .catalogue import (
        catalogue,
        catalogue_csv,
        catalogue_json,
        catalogue_markdown,
        catalogue_table,
    )

    try:
        found = catalogue(folder, time_limit=time_limit)
    except InputError as error:
        fail(error)
    renderers = {
        "json": _json(catalogue_json),
        "markdown": catalogue_markdown,
        "csv": catalogue_csv,
        "table": catalogue_table,
    }
    deliver_report(found, fmt, renderers, output, force)


@main.command()
@click.argument("kind", type=click.Choice(["model", "scenario", "cohort"]))
def schema(kind):
    """Print the JSON Schema of model, scenario or cohort files (for editors and other tools)."""
    if kind == "cohort":
        import json

        from .cohort import cohort_schema

        emit(json.dumps(cohort_schema(), indent=2))
        return
    path = Path(__file__).parent / "schema" / f"{kind}.schema.json"
    emit(path.read_text(encoding="utf-8"), nl=False)


@main.command("import")
@click.argument("file", type=click.Path())
@output_options
def import_command(file, output, force):
    """Read a unit table copied out of a specification and print a draft model.

    FILE is tab- or comma-separated text (or .xlsx, with openpyxl): a header row naming the
    columns, group headings between the rows. Skipped rows are warned about, by line. Exits 0
    with a draft, 2 when FILE holds no unit table."""
    from .importer import import_file

    try:
        draft = import_file(file)
    except InputError as error:
        fail(error)
    for problem in draft.warnings:
        click.echo(f"{problem.path}:{problem.line}: warning: {problem.message}", err=True)
    deliver(draft.yaml(), output, force, nl=False)


PLAN_FORMATS = ["table", "json", "markdown", "csv", "html"]


def _learner(scenario, objective, achieved, exclude, require, prefer, glh, **budgets):
    """The learner for compare and rank: a scenario file's situation (`-`: standard input),
    plus the flags."""
    from .compare import Learner, learner_of
    from .inputs import load

    flags = {
        "achieved": tuple(split_refs(achieved)),
        "excluded": tuple(split_refs(exclude)),
        "required": tuple(split_refs(require)),
        "weights": tuple(
            _unit_numbers(prefer, "--prefer", "WEIGHT", -MAX_WEIGHT, MAX_WEIGHT).items()
        ),
        "glh": tuple(_unit_numbers(glh, "--glh", "HOURS", 0, LARGEST).items()),
        "objectives": tuple(objective) or None,
        **budgets,
    }
    if scenario is not None:
        return learner_of(load(scenario), **flags)
    return Learner(**{k: v for k, v in flags.items() if v not in (None, ())})


def deliver_report(result, fmt: str, renderers: dict, output, force: bool) -> None:
    """Every command's report in format `fmt`: `renderers[fmt](result)`, where the table's
    renderer also takes the terminal's width, and JSON without a renderer is the result's
    `to_dict()`. JSON and tables end in a newline added here; Markdown, CSV and HTML end in
    their own."""
    if fmt == "table":
        text = renderers["table"](result, _width(output))
    elif fmt == "json" and "json" not in renderers:
        import json

        text = json.dumps(result.to_dict(), indent=2)
    else:
        text = renderers[fmt](result)
    deliver(text, output, force, nl=fmt in ("table", "json"))


def _lazy(module: str, name: str):
    """A renderer imported only when it is used (start-up stays light: STYLE.md)."""

    def render(*args):
        return getattr(importlib.import_module(f"pathway.{module}"), name)(*args)

    return render


def _json(to_dict):
    import json

    return lambda result: json.dumps(to_dict(result), indent=2)


@main.command("compare")
@click.argument("models", nargs=-1, required=True)
@click.option(
    "--models",
    "models_dir",
    type=click.Path(),
    default="models",
    show_default=True,
    help="Folder where model ids are looked up (a path to a file works too).",
)
@click.option("--scenario", "-s", type=click.Path(), help="The learner of this scenario file.")
@situation_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(PLAN_FORMATS),
    default="table",
    show_default=True,
    help="How to print the answer.",
)
@output_options
def compare_command(models, models_dir, scenario, fmt, output, force, **situation):
    """The same learner against each qualification named, side by side, best first.

    Held units count wherever their URN appears; --exclude, --require, --prefer and --glh
    take URNs, model-id:unit-id or tags, applied wherever that unit exists. Exits 0 with an
    answer (infeasible qualifications are listed last with their reason), 2 on bad input."""
    from .compare import compare
    from .html_planning import comparison_html
    from .plan_report import comparison_csv, comparison_markdown, comparison_table
    from .situation import comparison_question, learner_situation

    try:
        learner = _learner(scenario, **situation)
        result = compare(list(models), learner, models_dir)
    except InputError as error:
        fail(error)

    def asked(r):  # the question and the learner's situation, as Markdown and HTML say them
        return comparison_question(models), learner_situation(learner, r.objectives, scenario)

    renderers = {
        "markdown": lambda r: comparison_markdown(r, *asked(r)),
        "csv": comparison_csv,
        "html": lambda r: comparison_html(r, *asked(r)),
        "table": lambda r, width: comparison_table(r, width=width),
    }
    deliver_report(result, fmt, renderers, output, force)


@main.command("rank")
@click.option(
    "--models",
    "models_dir",
    type=click.Path(),
    default="models",
    show_default=True,
    help="The catalogue: a folder of models.",
)
@click.option("--scenario", "-s", type=click.Path(), help="The learner of this scenario file.")
@situation_options
@click.option("--limit", "-n", type=click.IntRange(1, None), help="Show only the N best.")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Every qualification, not only those where a held unit counts.",
)
@click.option("--jobs", "-j", type=click.IntRange(1, 1024), help="Processes (default: every core).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(PLAN_FORMATS),
    default="table",
    show_default=True,
    help="How to print the answer.",
)
@output_options
def rank_command(models_dir, scenario, limit, every, jobs, fmt, output, force, **situation):
    """Every qualification of a catalogue ranked for one learner (default: GLH still to teach).

    By default only qualifications where a held unit counts are ranked (--all for every one).
    Progress goes to standard error when it is a terminal. Exits 0 with an answer, 2 on bad
    input."""
    from .html_planning import comparison_html
    from .plan_report import comparison_csv, comparison_markdown, comparison_table
    from .progress import Count
    from .rank import rank
    from .situation import learner_situation, rank_question

    count = Count("ranked", "files")
    try:
        learner = _learner(scenario, **situation)
        with count.line() as line:
            result = rank(
                models_dir,
                learner,
                limit=limit,
                every=every,
                workers=jobs,
                progress=count if line.on else None,
            )
    except InputError as error:
        fail(error)

    def asked(r):  # the question and the learner's situation, as Markdown and HTML say them
        return rank_question(models_dir), learner_situation(learner, r.objectives, scenario)

    renderers = {
        "markdown": lambda r: comparison_markdown(r, *asked(r), differs=False),
        "csv": comparison_csv,
        "html": lambda r: comparison_html(r, *asked(r), differs=False),
        "table": lambda r, width: comparison_table(r, differs=False, width=width),
    }
    deliver_report(result, fmt, renderers, output, force)


@main.command("impact")
@click.argument("file", type=click.Path())
@situation_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(PLAN_FORMATS),
    default="table",
    show_default=True,
    help="How to print the answer.",
)
@output_options
def impact_command(
    file, objective, achieved, exclude, require, prefer, glh, fmt, output, force, **budgets
):
    """For every unit: in every optimal pathway, some or none; the optimum without it; whether
    any pathway can use it. Then rules no pathway can satisfy and rules implied by the others.

    Every figure is a proven optimum. Exits 0 with an answer, 2 on bad input."""
    from .html_planning import impact_html
    from .impact import impact
    from .inputs import load
    from .plan_report import impact_csv, impact_markdown, impact_table
    from .scenario import with_situation

    try:
        scenario = with_situation(
            load(file),
            achieved=split_refs(achieved),
            excluded=split_refs(exclude),
            required=split_refs(require),
            weights=_unit_numbers(prefer, "--prefer", "WEIGHT", -MAX_WEIGHT, MAX_WEIGHT),
            glh=_unit_numbers(glh, "--glh", "HOURS", 0, LARGEST),
            **budgets,
        )
        result = impact(scenario, objectives=list(objective) or None)
    except InputError as error:
        fail(error)
    renderers = {
        "markdown": impact_markdown,
        "csv": impact_csv,
        "html": impact_html,
        "table": impact_table,
    }
    deliver_report(result, fmt, renderers, output, force)


@main.command("plan")
@click.argument("cohort", type=click.Path())
@click.option(
    "--objective",
    "-o",
    type=click.Choice(["min-taught-glh", "max-completing"]),
    help="Override the cohort file's objective.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(0, MAX_TIME_LIMIT, min_open=True),
    callback=lambda ctx, param, value: _a_number(value, "--time-limit"),
    metavar="SECONDS",
    help="Stop after this long (loading included); an unproven plan says its bound and gap.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="CP-SAT worker threads (default 1, the same plan every run; more is faster on large "
    "cohorts, but plans of equal value may then differ between runs).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(PLAN_FORMATS),
    default="table",
    show_default=True,
    help="How to print the answer.",
)
@output_options
def plan_command(cohort, objective, time_limit, workers, fmt, output, force):
    """Choose the units a centre runs so that every learner of a cohort can complete, at the
    least taught GLH (GLH x classes), under class sizes and the centre's limits.

    Exits 0 with a plan, 1 when no plan lets every learner complete (who and why is printed;
    `objective: max-completing` plans for as many as can), 2 on bad input, 3 when the time
    limit came before any plan."""
    from dataclasses import replace

    from .cohort_plan import plan
    from .cohort_report import plan_csv, plan_json, plan_markdown, plan_table
    from .inputs import load_cohort
    from .progress import Planning

    started = time.monotonic()
    progress = Planning()
    try:
        with progress.line():
            found = load_cohort(cohort)
            if objective:
                found = replace(found, objective=objective)
            limit = time_limit if time_limit is not None else found.time_limit
            if limit is not None:
                limit = max(limit - (time.monotonic() - started), 0.001)
            result = plan(found, time_limit=limit, workers=workers, progress=progress)
    except InputError as error:
        fail(error)
    renderers = {
        "json": _json(plan_json),
        "markdown": plan_markdown,
        "csv": plan_csv,
        "html": _lazy("html_planning", "plan_html"),
        "table": plan_table,
    }
    deliver_report(result, fmt, renderers, output, force)
    codes = {"optimal": EXIT_FOUND, "feasible": EXIT_FOUND, "infeasible": EXIT_NOT_FOUND}
    sys.exit(codes.get(str(result.status), EXIT_UNKNOWN))


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
