"""`pathway check`, `solve` and `batch`: the questions about one learner (batch: one
solve per learner of a file)."""

from __future__ import annotations

import datetime
import os
import sys
import time

import click

from ..errors import InputError
from .base import (
    EXIT_BAD_INPUT,
    EXIT_FOUND,
    EXIT_NOT_FOUND,
    EXIT_OUTPUT,
    MAX_SHOWN,
    OBJECTIVE_OPTION,
    OutputError,
    Stdout,
    budget_options,
    deliver_report,
    exit_for,
    exit_now,
    fail,
    flag_problem,
    format_option,
    json_report,
    lazy,
    main,
    output_options,
    refuse_output,
    scenario_from_flags,
    situation_options,
    split_refs,
    time_left,
    time_limit_option,
)


@main.command()
@click.argument("model", type=click.Path())
@click.option(
    "--units",
    "-u",
    multiple=True,
    required=True,
    help="Units that count, by id or printed number: 1,2,3 (repeatable).",
)
@format_option(["table", "json", "csv", "html"])
@output_options
def check(model, units, fmt, output, force):
    """Audit a set of units against a model's rules: each rule, required and achieved.

    Exits 0 when the units achieve the qualification, 1 when they do not."""
    from ..auditor import audit
    from ..inputs import load_model
    from ..refs import unit_ids
    from ..report import audit_json, audit_table

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
        "json": json_report(audit_json),
        "csv": lazy("csv_report", "audit_csv"),
        "html": lazy("html_report", "audit_html"),
        "table": audit_table,
    }
    deliver_report(result, fmt, renderers, output, force)
    sys.exit(EXIT_FOUND if result.achieved else EXIT_NOT_FOUND)


@main.command()
@click.argument("file", type=click.Path())
@situation_options
@click.option("--top", "-k", type=click.IntRange(1, 1000), help="Show the K best pathways.")
@time_limit_option(
    "Stop after this long, counted from the start (loading included, the report not); "
    "what was not finished is said."
)
@click.option("--workers", type=click.IntRange(1, 64), help="CP-SAT worker threads (default 1).")
@click.option(
    "--timings",
    is_flag=True,
    help="JSON: add seconds spent by phase (build, objective, tie_break, explanation).",
)
@format_option(["table", "json", "markdown", "csv", "html"])
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
    from ..progress import Solving
    from ..report import solution_json, solution_markdown, solution_table
    from ..solver import default_objectives
    from ..solver import solve as run

    started = time.monotonic()  # the time limit counts loading too
    progress = Solving()
    line = progress.line().start()
    try:
        scenario = scenario_from_flags(
            file,
            achieved,
            exclude,
            require,
            prefer,
            glh,
            max_glh=max_glh,
            max_units=max_units,
            max_credits=max_credits,
        )
        for warning in scenario.qualification.date_warnings(datetime.date.today()):
            click.echo(f"warning: {warning}", err=True)  # operational dates: still solved
        limit = time_left(time_limit if time_limit is not None else scenario.time_limit, started)
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
        "json": json_report(lambda s: solution_json(s, timings=timings)),
        "markdown": solution_markdown,
        "csv": lazy("csv_report", "solution_csv"),
        "html": lazy("html_report", "solution_html"),
        "table": solution_table,
    }
    deliver_report(solution, fmt, renderers, output, force)
    if fmt == "csv" and solution.explanation:  # CSV has no place for the reason
        click.echo("\n".join(solution.explanation.lines()), err=True)
    exit_for(solution.status)


@main.command()
@click.argument("learners", type=click.Path())
@click.option(
    "--qualification",
    "-q",
    metavar="MODEL",
    help="Model id or file for learners whose row has no qualification (a row's own wins).",
)
@OBJECTIVE_OPTION
@budget_options
@time_limit_option("Stop each learner's solve after this long; what was not finished is said.")
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
@format_option(["jsonl", "csv"], default="jsonl")
@click.option(
    "--output",
    "-O",
    type=click.Path(),
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
    from ..batch import BatchOptions, run_batch

    # Before any work, as every --output; --resume expects the file (or its .partial) there.
    refuse_output(output, force or resume)
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
    from ..progress import Count

    count = Count("solved", "learners")
    line = count.line().start()
    try:
        if qualification is not None:
            from ..learners import qualification_scenario

            try:
                qualification_scenario(qualification, learners)
            except InputError as error:
                fail(InputError([flag_problem("--qualification", p) for p in error.problems]))
        summary = run_batch(
            learners,
            options,
            out=Stdout(),
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
        exit_now(EXIT_OUTPUT, f"pathway: cannot write {output}: {error.strerror or error}")
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
