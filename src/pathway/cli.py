"""The command line: parse, call the library, print. No rule logic lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import InputError

EXIT_FOUND, EXIT_NOT_FOUND, EXIT_BAD_INPUT = 0, 1, 2


def fail(error: InputError):
    for problem in error.problems:
        click.echo(str(problem), err=True)
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
    for problem in report.problems:
        click.echo(str(problem), err=True)
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


@main.command()
@click.argument("kind", type=click.Choice(["model", "scenario"]))
def schema(kind):
    """Print the JSON Schema of model or scenario files (for editors and other tools)."""
    path = Path(__file__).parent / "schema" / f"{kind}.schema.json"
    click.echo(path.read_text(encoding="utf-8"), nl=False)
