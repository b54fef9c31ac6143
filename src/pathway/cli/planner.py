"""`pathway compare`, `rank`, `impact` and `plan`: the planner's questions across
qualifications, units and a cohort."""

from __future__ import annotations

import time

import click

from ..errors import InputError
from .base import (
    PLAN_FORMATS,
    deliver_report,
    exit_for,
    fail,
    format_option,
    json_report,
    lazy,
    learner_from_flags,
    main,
    models_option,
    output_options,
    scenario_from_flags,
    situation_options,
    time_left,
    time_limit_option,
)


@main.command("compare")
@click.argument("models", nargs=-1, required=True)
@models_option("Folder where model ids are looked up (a path to a file works too).")
@click.option("--scenario", "-s", type=click.Path(), help="The learner of this scenario file.")
@situation_options
@format_option(PLAN_FORMATS)
@output_options
def compare_command(models, models_dir, scenario, fmt, output, force, **situation):
    """The same learner against each qualification named, side by side, best first.

    Held units count wherever their URN appears; --exclude, --require, --prefer and --glh
    take URNs, model-id:unit-id or tags, applied wherever that unit exists. Exits 0 with an
    answer (infeasible qualifications are listed last with their reason), 2 on bad input."""
    from ..compare import compare
    from ..html_planning import comparison_html
    from ..plan_report import comparison_csv, comparison_markdown, comparison_table
    from ..situation import comparison_question, learner_situation

    try:
        learner = learner_from_flags(scenario, **situation)
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
@models_option("The catalogue: a folder of models.")
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
@format_option(PLAN_FORMATS)
@output_options
def rank_command(models_dir, scenario, limit, every, jobs, fmt, output, force, **situation):
    """Every qualification of a catalogue ranked for one learner (default: GLH still to teach).

    By default only qualifications where a held unit counts are ranked (--all for every one).
    Progress goes to standard error when it is a terminal. Exits 0 with an answer, 2 on bad
    input."""
    from ..html_planning import comparison_html
    from ..plan_report import comparison_csv, comparison_markdown, comparison_table
    from ..progress import Count
    from ..rank import rank
    from ..situation import learner_situation, rank_question

    count = Count("ranked", "files")
    try:
        learner = learner_from_flags(scenario, **situation)
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
@format_option(PLAN_FORMATS)
@output_options
def impact_command(
    file, objective, achieved, exclude, require, prefer, glh, fmt, output, force, **budgets
):
    """For every unit: in every optimal pathway, some or none; the optimum without it; whether
    any pathway can use it. Then rules no pathway can satisfy and rules implied by the others.

    Every figure is a proven optimum. Exits 0 with an answer, 2 on bad input."""
    from ..html_planning import impact_html
    from ..impact import impact
    from ..plan_report import impact_csv, impact_markdown, impact_table

    try:
        scenario = scenario_from_flags(file, achieved, exclude, require, prefer, glh, **budgets)
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
@time_limit_option(
    "Stop after this long (loading included); an unproven plan says its bound and gap."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="CP-SAT worker threads (default 1, the same plan every run; more is faster on large "
    "cohorts, but plans of equal value may then differ between runs).",
)
@format_option(PLAN_FORMATS)
@output_options
def plan_command(cohort, objective, time_limit, workers, fmt, output, force):
    """Choose the units a centre runs so that every learner of a cohort can complete, at the
    least taught GLH (GLH x classes), under class sizes and the centre's limits.

    Exits 0 with a plan, 1 when no plan lets every learner complete (who and why is printed;
    `objective: max-completing` plans for as many as can), 2 on bad input, 3 when the time
    limit came before any plan."""
    from dataclasses import replace

    from ..cohort_plan import plan
    from ..cohort_report import plan_csv, plan_json, plan_markdown, plan_table
    from ..inputs import load_cohort
    from ..progress import Planning

    started = time.monotonic()
    progress = Planning()
    try:
        with progress.line():
            found = load_cohort(cohort)
            if objective:
                found = replace(found, objective=objective)
            limit = time_left(time_limit if time_limit is not None else found.time_limit, started)
            result = plan(found, time_limit=limit, workers=workers, progress=progress)
    except InputError as error:
        fail(error)
    renderers = {
        "json": json_report(plan_json),
        "markdown": plan_markdown,
        "csv": plan_csv,
        "html": lazy("html_planning", "plan_html"),
        "table": plan_table,
    }
    deliver_report(result, fmt, renderers, output, force)
    exit_for(result.status)
