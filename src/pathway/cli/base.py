"""What every command shares: the `main` group, exit statuses, situation flags, report
writing, and `entry`, the program that turns every failure into one line and an exit status."""

from __future__ import annotations

import errno
import functools
import importlib
import math
import os
import sys
import time
from typing import NoReturn

import click

from ..errors import InputError
from ..limits import LARGEST, MAX_TIME_LIMIT, MAX_WEIGHT

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
    """Standard output (or `path`, an --output file) could not be written. Not an OSError,
    so that click (which turns a closed pipe into exit 1, "no pathway") lets it reach
    `entry`."""

    def __init__(self, error: OSError, path: str | None = None):
        super().__init__(error.strerror or str(error))
        self.error = error
        self.path = path

    def line(self) -> str:
        """The one line `entry` prints: the file named, when it is one."""
        what = "the output" if self.path is None else str(self.path)
        return f"pathway: cannot write {what}: {self}"


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
    """`--output FILE` and `--force`, for commands that print a report. FILE is checked
    (`refuse_output`) before the command does any work: a solve of minutes must not end in
    "already exists"."""

    @functools.wraps(command)
    def checked(*args, **kwargs):
        refuse_output(kwargs.get("output"), bool(kwargs.get("force")))
        return command(*args, **kwargs)

    with_force = click.option(
        "--force", is_flag=True, help="With --output: replace FILE if it exists."
    )(checked)
    return click.option(
        "--output",
        "-O",
        "output",
        type=click.Path(),
        metavar="FILE",
        help="Write the report to FILE (atomically; an existing FILE only with --force).",
    )(with_force)


def output_problem(path, force: bool) -> str | None:
    """Why `--output path` cannot be written, in words, where that is known before any work
    (no file name, the file exists without `force`, is a folder, or its folder is missing,
    read-only or cannot be reached); None when it may be. A write that fails later (a full
    disk) still exits 74."""
    from pathlib import Path

    from ..output import EXISTS, taken

    name_it = "give a file name for the report (nothing written)"
    text = str(path)
    if not text:
        return f"no file name; {name_it}"
    target = Path(text)  # 'out.txt/' is read as 'out.txt': the slash is checked below
    folder = target.parent
    try:  # Python 3.11's is_dir() and exists() raise when a folder on the way is unreadable
        if target.is_dir():
            return f"is a folder; {name_it}"
        if text.endswith(("/", os.sep)):  # names a folder, and there is none
            if taken(target):
                return f"{target} is not a folder; {name_it}"
            return f"ends in a slash, so names no file; {name_it}"
        if not force and taken(target):
            return EXISTS
        if not folder.exists():
            return f"no such folder: {folder} (nothing written)"
        if not folder.is_dir():
            return f"{folder} is not a folder (nothing written)"
    except OSError as error:
        return f"cannot reach {folder}: {error.strerror or error} (nothing written)"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write in the folder {folder}: permission denied (nothing written)"
    return None


def refuse_output(path, force: bool) -> None:
    """Exit 2 with one line naming `path` (or `--output`, when it is empty) when `--output
    path` cannot be written (see output_problem); nothing for standard output (no --output,
    or `-`)."""
    if path is None or path == "-":
        return
    problem = output_problem(path, force)
    if problem is not None:
        from ..errors import Problem

        fail(InputError(Problem(str(path) or "--output", None, None, problem)))


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
    from ..about import version_text

    click.echo(version_text())
    ctx.exit()


class Interrupted(Exception):
    """Ctrl-C. Not a KeyboardInterrupt once out of the command, so that click (which writes a
    blank line to standard error before its Abort) lets it reach `entry`: one line, no more."""


class _Main(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
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


def a_number(value, flag: str):
    """click's ranges let 'nan' through (every comparison with it is false)."""
    if value is not None and math.isnan(value):
        raise click.BadParameter(f"{value!r} is not a number", param_hint=flag)
    return value


def unit_numbers(values, flag: str, what: str, lowest: int, highest: int) -> dict[str, int]:
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


OBJECTIVE_OPTION = click.option(
    "--objective",
    "-o",
    multiple=True,
    type=click.Choice(["min-glh", "max-preference", "min-credits", "min-units"]),
    help="Objective; repeat for a lexicographic list (first is most important).",
)
BUDGET_OPTIONS = [
    click.option("--max-glh", type=click.IntRange(0, LARGEST), help="Budget: GLH still to teach."),
    click.option(
        "--max-units", type=click.IntRange(0, LARGEST), help="Budget: units still to take."
    ),
    click.option(
        "--max-credits", type=click.IntRange(0, LARGEST), help="Budget: credits still to take."
    ),
]
SITUATION_OPTIONS = [
    OBJECTIVE_OPTION,
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
    *BUDGET_OPTIONS,
]


def situation_options(command):
    """The learner's situation as flags (solve, compare, rank, impact): defined once, so each
    command reads and checks them alike."""
    for option in reversed(SITUATION_OPTIONS):
        command = option(command)
    return command


def budget_options(command):
    """The budgets alone (batch: the rest of each learner's situation is in the file)."""
    for option in reversed(BUDGET_OPTIONS):
        command = option(command)
    return command


class Stdout:
    """Standard output for batch records: a closed pipe or full disk becomes OutputError."""

    def write(self, text: str) -> None:
        emit(text, nl=False)

    def flush(self) -> None:
        try:
            sys.stdout.flush()
        except OSError as error:
            raise OutputError(error) from None


def flag_problem(flag: str, problem):
    """A problem with a flag's value: named by the flag, unless it is inside a file."""
    if problem.line is not None:
        return problem
    from ..errors import Problem

    return Problem(flag, None, None, problem.message)


def write_file(path, text: str, force: bool) -> None:
    """Write a report file atomically: exit 2 if it exists without --force, 74 if it cannot
    be written (as for standard output)."""
    from ..output import WriteError, write_atomic

    try:
        write_atomic(path, text, force=force)
    except InputError as error:
        fail(error)
    except WriteError as error:
        raise OutputError(error.error, str(path)) from None


def _width(output) -> int | None:
    """The width to fit tables to: none for a file, else the terminal's (or COLUMNS)."""
    from ..terminal import terminal_width

    return None if output not in (None, "-") else terminal_width()


def deliver(text: str, output, force: bool, nl: bool = True) -> None:
    """A report to standard output, or to `--output FILE` (atomically, never over an existing
    file unless --force)."""
    if output is None or output == "-":
        emit(text, nl=nl)
    else:
        write_file(output, text + ("\n" if nl else ""), force)


PLAN_FORMATS = ["table", "json", "markdown", "csv", "html"]


def format_option(formats: list[str], default: str = "table"):
    """`--format`, for every command that prints an answer: the same flag and help, each
    command's own formats."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(formats),
        default=default,
        show_default=True,
        help="How to print the answer.",
    )


def models_option(help_text: str):
    """`--models`, the folder where compare and rank find qualifications (default models/)."""
    return click.option(
        "--models",
        "models_dir",
        type=click.Path(),
        default="models",
        show_default=True,
        help=help_text,
    )


def time_limit_option(help_text: str):
    """`--time-limit SECONDS` for the commands that solve (solve, batch, plan): more than 0,
    at most a day, never NaN."""
    return click.option(
        "--time-limit",
        type=click.FloatRange(0, MAX_TIME_LIMIT, min_open=True),
        callback=lambda ctx, param, value: a_number(value, "--time-limit"),
        metavar="SECONDS",
        help=help_text,
    )


def time_left(limit: float | None, started: float) -> float | None:
    """What is left of a time limit that counts loading too, `started` being
    `time.monotonic()` at the start (a millisecond at least: a time limit is more than 0)."""
    if limit is None:
        return None
    return max(limit - (time.monotonic() - started), 0.001)


def exit_for(status) -> NoReturn:
    """Leave with the status a script reads: 0 with an answer (proven or not), 1 when none
    exists, 3 when the time limit came before any."""
    codes = {"optimal": EXIT_FOUND, "feasible": EXIT_FOUND, "infeasible": EXIT_NOT_FOUND}
    sys.exit(codes.get(str(status), EXIT_UNKNOWN))


def scenario_from_flags(file, achieved, exclude, require, prefer, glh, **budgets):
    """The scenario for solve and impact: FILE (a scenario, or a model with defaults; `-`:
    standard input) in the situation the flags give."""
    from ..inputs import load
    from ..scenario import with_situation

    return with_situation(
        load(file),
        achieved=split_refs(achieved),
        excluded=split_refs(exclude),
        required=split_refs(require),
        weights=unit_numbers(prefer, "--prefer", "WEIGHT", -MAX_WEIGHT, MAX_WEIGHT),
        glh=unit_numbers(glh, "--glh", "HOURS", 0, LARGEST),
        **budgets,
    )


def learner_from_flags(scenario, objective, achieved, exclude, require, prefer, glh, **budgets):
    """The learner for compare and rank: a scenario file's situation (`-`: standard input),
    plus the flags."""
    from ..compare import Learner, learner_of
    from ..inputs import load

    flags = {
        "achieved": tuple(split_refs(achieved)),
        "excluded": tuple(split_refs(exclude)),
        "required": tuple(split_refs(require)),
        "weights": tuple(
            unit_numbers(prefer, "--prefer", "WEIGHT", -MAX_WEIGHT, MAX_WEIGHT).items()
        ),
        "glh": tuple(unit_numbers(glh, "--glh", "HOURS", 0, LARGEST).items()),
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


def lazy(module: str, name: str):
    """A renderer imported only when it is used (start-up stays light: STYLE.md)."""

    def render(*args):
        return getattr(importlib.import_module(f"pathway.{module}"), name)(*args)

    return render


def json_report(to_dict):
    import json

    return lambda result: json.dumps(to_dict(result), indent=2)


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
        exit_now(EXIT_OUTPUT, error.line())
    except (Interrupted, click.Abort, KeyboardInterrupt):
        # At a terminal, go back over its `^C` echo rather than leave a line for it.
        exit_now(EXIT_INTERRUPTED, ("\r" if _terminal(sys.stderr) else "") + "pathway: interrupted")
    except OSError as error:
        if error.errno in _OUTPUT_ERRORS:
            exit_now(EXIT_OUTPUT, f"pathway: cannot write the output: {error.strerror}")
        exit_now(EXIT_INTERNAL, f"pathway: internal error: {error!r}; {REPORT_BUGS}")
    except Exception as error:  # noqa: BLE001 - the last line of defence, by design
        exit_now(EXIT_INTERNAL, f"pathway: internal error: {error!r}; {REPORT_BUGS}")
    exit_now(code if isinstance(code, int) else 0)


def _terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


_OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", -1)}


def exit_now(code: int, message: str | None = None) -> None:
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
