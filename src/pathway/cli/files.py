"""`pathway validate`, `test`, `models`, `schema` and `import`: the commands about files
(models, scenarios, cohorts, unit tables), for awarding bodies and maintainers."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..errors import InputError, Problem
from ..limits import MAX_TIME_LIMIT
from ..words import plural
from .base import (
    EXIT_BAD_INPUT,
    EXIT_NOT_FOUND,
    deliver,
    deliver_report,
    echo_problems,
    emit,
    fail,
    format_option,
    json_report,
    main,
    output_options,
    write_file,
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate(paths):
    """Check model, scenario and cohort files (or folders of them): every problem with its line.

    Exits 0 when all files are valid (warnings about values that differ between models are
    printed but do not fail), 2 when any file has a problem."""
    from ..lint import MAX_WARNINGS_SHOWN
    from ..validate import validate_paths

    files = [p for p in paths if p != "-"]
    report = validate_paths(files) if files else None
    if "-" in paths:  # standard input: validated on its own (no cross-model warnings)
        from ..inputs import validate_stdin
        from ..validate import ValidationReport

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
        has = "has" if report.bad_files == 1 else "have"
        click.echo(
            f"{report.bad_files} of {plural(report.files, 'files')} {has} problems", err=True
        )
        sys.exit(EXIT_BAD_INPUT)


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
    help=(
        "Also write a JUnit XML report, for CI (an earlier report is replaced, as pytest does; "
        "any other file, such as a scenario, is refused)."
    ),
)
@click.option(
    "--update",
    is_flag=True,
    help=(
        "Write the actual result into each failing scenario's expect: block (comments and "
        "layout kept: a list item that stays keeps its comment); refused where the solve is "
        "not proven."
    ),
)
def test_scenarios(paths, keyword, junit, update):
    """Run every scenario with an `expect:` block (default: scenarios/) as a regression test.

    Prints a line per scenario and a summary; exits 1 naming each file whose expectation
    fails, 2 when any file has bad input (the others still run) or when no scenario ran."""
    from ..expect import BadKeyword, keyword_matcher
    from ..junit import replace_problem
    from ..loader import expand_paths
    from ..terminal import paint, use_colour
    from ..testrun import nothing_ran, run_scenarios

    try:
        match = keyword_matcher(keyword) if keyword is not None else None
    except BadKeyword as error:
        raise click.BadParameter(str(error), param_hint="-k") from None
    from ..inputs import STDIN, is_stdin

    if update and any(is_stdin(p) for p in paths):
        fail(InputError(Problem(STDIN, None, None, "--update cannot write into standard input")))
    started = time.monotonic()
    unreadable: list = []  # folders that cannot be listed
    given = list(dict.fromkeys(paths)) or ["scenarios"]
    files = expand_paths(given, unreadable)
    if unreadable:
        fail(InputError(unreadable))
    refused = junit and replace_problem(junit, [f for f in files if not is_stdin(f)])
    if refused:
        fail(InputError(Problem(junit, None, None, refused)))
    colour = use_colour()
    cases = []
    for case in run_scenarios(files, match, update):
        cases.append(case)
        if case.kind == "error":
            emit(f"{paint('ERROR', 'red', colour)} {case.file}")
            echo_problems(case.error.problems)
        elif case.kind == "passed":
            word = "updated" if case.output else "ok   "
            emit(f"{paint(word, 'green', colour)} {case.file}  ({case.outcome.summary})")
            if case.output:
                emit(f"        {case.output}")
        elif case.kind == "failed":
            emit(f"{paint('FAIL', 'red', colour)}  {case.file}")
            for line in case.details:
                emit(f"        {line}")
    _write_junit(junit, cases, started)
    count = {k: sum(c.kind == k for c in cases) for k in ("passed", "failed", "error", "skipped")}
    deselected = sum(c.kind == "deselected" for c in cases)
    updated = sum(bool(c.output) for c in cases)
    emit(
        f"{count['passed']} passed, {count['failed']} failed"
        + (f", {count['error']} error{'s' * (count['error'] != 1)}" if count["error"] else "")
        + (f", {count['skipped']} skipped" if count["skipped"] else "")
        + (f", {deselected} deselected" if deselected else "")
        + (f", {updated} updated" if updated else "")
        + " (skipped: no expect block)" * bool(count["skipped"])
    )
    if count["failed"]:
        failed = [c.file for c in cases if c.kind == "failed"]
        click.echo("failed: " + " ".join(failed), err=True)
    idle = nothing_ran(cases, given, keyword)
    if idle:
        click.echo(idle, err=True)
    if count["error"] or idle:  # bad input outranks a failure: the run is not a verdict
        sys.exit(EXIT_BAD_INPUT)
    if count["failed"]:
        sys.exit(EXIT_NOT_FOUND)


def _write_junit(path, cases, started: float) -> None:
    """The JUnit report, replaced atomically (CI runs write it again each time)."""
    if path is None:
        return
    from ..junit import junit_xml

    write_file(path, junit_xml(cases, seconds=time.monotonic() - started), force=True)


@main.command()
@click.argument("folder", required=False, default="models", type=click.Path())
@format_option(["table", "json", "markdown", "csv"])
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
    from ..catalogue import (
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
        "json": json_report(catalogue_json),
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

        from ..cohort import cohort_schema

        emit(json.dumps(cohort_schema(), indent=2))
        return
    path = Path(__file__).parents[1] / "schema" / f"{kind}.schema.json"
    emit(path.read_text(encoding="utf-8"), nl=False)


@main.command("import")
@click.argument("file", type=click.Path())
@output_options
def import_command(file, output, force):
    """Read a unit table copied out of a specification and print a draft model.

    FILE is tab- or comma-separated text (or .xlsx, with openpyxl): a header row naming the
    columns, group headings between the rows; `-` reads the text from standard input (a table
    pasted or piped in). Skipped rows are warned about, by line. Exits 0 with a draft, 2 when
    FILE holds no unit table."""
    from ..importer import import_file, read_table
    from ..inputs import STDIN, is_stdin, read_stdin

    try:
        draft = read_table(read_stdin(), STDIN) if is_stdin(file) else import_file(file)
    except InputError as error:
        fail(error)
    for problem in draft.warnings:
        click.echo(f"{problem.path}:{problem.line}: warning: {problem.message}", err=True)
    deliver(draft.yaml(), output, force, nl=False)
