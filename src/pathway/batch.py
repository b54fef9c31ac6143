"""One independent solve per learner of a learners file, on every core or on a Dask cluster.

Records come out in the file's order whatever the number of processes, so a run is
byte-identical for any `jobs` (proven results are; a time limit can cut a solve short
differently). With an output file, records are appended to `FILE.partial` as they complete and
the file is renamed to FILE only when every learner is done: an interrupted run keeps what it
wrote, and `resume=True` reads the finished learners back and continues after them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .learners import Learner, LearnerError, open_learners_csv, scenario_for_learner

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = (
    "learner",
    "line",
    "qualification",
    "status",
    "objective",
    "value",
    "glh",
    "credits",
    "units_to_take",
    "units",
    "error",
)
PARTIAL = ".partial"
LOCAL_CHUNK = 16  # learners per task on this machine: ~40 ms of work against ~0.2 ms of IPC
CLUSTER_CHUNK = 256  # per task on a cluster, where scheduling a task costs about a millisecond
SYNC_SECONDS = 5.0  # how often the partial file is forced to disk


@dataclass(frozen=True)
class BatchOptions:
    """What every learner's solve shares. Sent with each task, so it must stay small."""

    qualification: str | None = None  # the default model id or file; a row's own wins
    near: str = "learners.csv"  # the learners file: model ids are looked for beside it
    objectives: tuple[str, ...] | None = None
    time_limit: float | None = None  # seconds, for each learner
    workers: int | None = None  # CP-SAT threads per solve (default 1)
    max_glh: int | None = None
    max_units: int | None = None
    max_credits: int | None = None
    fmt: str = "jsonl"


@dataclass(frozen=True)
class Record:
    """One learner's output: its text (a JSON line or CSV row, newline included), and what
    the summary needs without parsing it again."""

    line: int
    learner: str | None
    status: str  # a solve status, or "error"
    text: str
    error: str | None = None


@dataclass
class Summary:
    """What a run did: counts by status, the first bad rows, and the records skipped on
    resume."""

    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    resumed: int = 0

    @property
    def learners(self) -> int:
        return sum(self.statuses.values())

    def add(self, record: Record) -> None:
        self.statuses[record.status] += 1
        if record.error is not None and len(self.errors) < 100:
            self.errors.append(record.error)

    def line(self) -> str:
        counts = ", ".join(f"{n:,} {s}" for s, n in sorted(self.statuses.items()))
        again = f" ({self.resumed:,} from the earlier run)" if self.resumed else ""
        return f"{self.learners:,} learner{'s' * (self.learners != 1)}{again}: {counts or 'none'}"


# -- one learner -----------------------------------------------------------------------------


def learner_record(row: Learner | LearnerError, options: BatchOptions) -> Record:
    """Solve one row (or report its problem) and render it in the options' format."""
    from .report import solution_json
    from .solver import solve

    if isinstance(row, LearnerError):
        return _error(row.id, row.line, str(row.problem), options.fmt)
    try:
        scenario = scenario_for_learner(
            row,
            options.qualification,
            options.near,
            max_glh=options.max_glh,
            max_units=options.max_units,
            max_credits=options.max_credits,
        )
        solution = solve(
            scenario,
            objectives=list(options.objectives) if options.objectives else None,
            time_limit=options.time_limit,
            workers=options.workers,
        )
    except InputError as error:
        return _error(row.id, row.line, "; ".join(str(p) for p in error.problems), options.fmt)
    data = solution_json(solution)
    status = str(data["status"])
    if options.fmt == "csv":
        return Record(row.line, row.id, status, _csv_text(_csv_row(row.id, row.line, data)))
    record = {"learner": row.id, "line": row.line, **data}
    return Record(row.line, row.id, status, json.dumps(record, ensure_ascii=False) + "\n")


def solve_chunk(rows: list[Learner | LearnerError], options: BatchOptions) -> list[Record]:
    """A task: several learners in one process (or on one cluster worker), in order."""
    return [learner_record(row, options) for row in rows]


def _error(learner: str | None, line: int, message: str, fmt: str) -> Record:
    message = " ".join(message.split("\n"))  # one record, one line, in either format
    if fmt == "csv":
        text = _csv_text(
            {"learner": learner or "", "line": line, "status": "error", "error": message}
        )
    else:
        text = json.dumps({"learner": learner, "line": line, "error": message}, ensure_ascii=False)
        text += "\n"
    return Record(line, learner, "error", text, message)


def _csv_row(learner: str, line: int, data: dict) -> dict:
    pathway = data.get("pathway") or {}
    units = pathway.get("units") or []
    value = data["objective"]["value"]
    return {
        "learner": learner,
        "line": line,
        "qualification": data["qualification"]["id"],
        "status": data["status"],
        "objective": data["objective"]["name"],
        "value": ";".join(map(str, value)) if isinstance(value, list) else _blank(value),
        "glh": _blank(pathway.get("glh")),
        "credits": _blank(pathway.get("credits")),
        "units_to_take": ";".join(u["id"] for u in units if not u["achieved"]),
        "units": ";".join(u["id"] for u in units),
        "error": "",
    }


def _blank(value) -> str:
    return "" if value is None else str(value)


def _csv_text(row: dict) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row.get(c, "") for c in CSV_COLUMNS])
    return out.getvalue()


def csv_header() -> str:
    return ",".join(CSV_COLUMNS) + "\n"


# -- many learners, in order -----------------------------------------------------------------


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _in_order(submit: Callable, chunks: Iterator[list], window: int) -> Iterator[list[Record]]:
    """Results of `submit(chunk)` futures in submission order, with at most `window` in flight
    (a national file is never read ahead into memory)."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def records(
    rows: Iterable[Learner | LearnerError],
    options: BatchOptions,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Generator[Record, None, None]:
    """Every row's record, in the order given: in this process (jobs=1), in `jobs` processes,
    or on the Dask cluster at `scheduler`."""
    if scheduler is not None:
        yield from _on_cluster(rows, options, scheduler)
        return
    if jobs <= 1:
        for row in rows:
            yield learner_record(row, options)
        return
    from .workers import pool

    with pool(jobs) as running:
        try:
            for chunk in _in_order(
                lambda c: running.submit(solve_chunk, c, options),
                _chunks(rows, LOCAL_CHUNK),
                window=jobs * 4,
            ):
                yield from chunk
        except BaseException:
            # Wait for the running tasks (a chunk, ~0.1 s): a process that left now would
            # leave its workers waiting for work for ever.
            running.shutdown(wait=True, cancel_futures=True)
            raise


def _on_cluster(rows, options: BatchOptions, scheduler: str) -> Iterator[Record]:
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            Problem(
                "--scheduler",
                None,
                None,
                "needs Dask distributed, which is not installed: pip install 'pathway[cluster]'",
            )
        ) from None
    try:
        client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            Problem("--scheduler", None, None, f"cannot reach the scheduler {scheduler!r}: {exc}")
        ) from None
    with client:
        window = 2 * max(sum(client.nthreads().values()), 1)
        for chunk in _in_order(
            lambda c: client.submit(solve_chunk, c, options, pure=False),
            _chunks(rows, CLUSTER_CHUNK),
            window=window,
        ):
            yield from chunk


# -- a run, written out ----------------------------------------------------------------------


def run_batch(
    learners: Path | str,
    options: BatchOptions,
    *,
    out=None,
    output: Path | str | None = None,
    resume: bool = False,
    force: bool = False,
    jobs: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Solve every learner in `learners` and write the records to `output` (atomically, via
    `output.partial`) or to the text stream `out`. `resume` keeps the records an interrupted
    run left in `output.partial` (or a finished `output`) and solves only the rest; without
    it, an existing `output` or `output.partial` is refused unless `force`.
    `progress(done, total)` is called as records are written (total counts lines).

    Raises InputError for a bad file or options (before anything is written) or a partial
    output that does not match the learners file; OSError when the output cannot be written."""
    rows = open_learners_csv(learners)
    try:
        if options.qualification is None and "qualification" not in rows.columns:
            raise InputError(
                Problem(
                    str(learners),
                    1,
                    None,
                    "no 'qualification' column and no --qualification: which qualification?",
                )
            )
        summary = Summary()
        done: dict[int, str | None] = {}
        if output is None:
            if resume:
                raise InputError(Problem("--resume", None, None, "needs --output FILE"))
            if options.fmt == "csv":
                out.write(csv_header())
            _write_all(rows, done, options, out, jobs, scheduler, summary, progress, rows.lines)
            return summary
        target = Path(output)
        partial = target.with_name(target.name + PARTIAL)
        if not resume and not force:
            _refuse_existing(target, partial)
        if resume:
            done = _resume(target, partial, options.fmt, summary)
            handle = open(partial, "a", encoding="utf-8", newline="")  # noqa: SIM115
        else:
            handle = open(partial, "w", encoding="utf-8", newline="")  # noqa: SIM115
            if options.fmt == "csv":
                handle.write(csv_header())
        with handle:
            _write_all(rows, done, options, handle, jobs, scheduler, summary, progress, rows.lines)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
        return summary
    finally:
        rows.close()


def _refuse_existing(target: Path, partial: Path) -> None:
    from .output import exists_problem

    if partial.exists():
        raise InputError(
            Problem(
                str(partial),
                None,
                None,
                "an interrupted run's output: give --resume to continue it, or --force to "
                "start again (nothing written)",
            )
        )
    if target.exists() or target.is_symlink():
        raise exists_problem(str(target))


def _write_all(rows, done, options, out, jobs, scheduler, summary, progress, total) -> None:
    """Write each record as it comes, flushed, so a run killed outright keeps all it wrote."""
    results = records(_not_done(rows, done, summary), options, jobs, scheduler)
    synced = time.monotonic()
    try:
        for record in results:
            out.write(record.text)
            out.flush()
            summary.add(record)
            if progress is not None:
                progress(summary.learners, total)
            if time.monotonic() - synced > SYNC_SECONDS:
                _sync(out)
                synced = time.monotonic()
    finally:
        results.close()  # on Ctrl-C too: the workers stop before the command returns


def _sync(out) -> None:
    """Force what was written to disk (a crash of the machine, not only of the run)."""
    try:
        os.fsync(out.fileno())
    except (AttributeError, OSError, io.UnsupportedOperation):
        pass  # a pipe, a terminal or a stream without a file: nothing to force


def _not_done(rows, done: dict[int, str | None], summary: Summary) -> Iterator:
    """The rows without a record yet; each row with one must be the same learner."""
    for row in rows:
        if row.line in done:
            if done.pop(row.line) != row.id:
                raise InputError(
                    Problem(
                        row.problem.path if isinstance(row, LearnerError) else row.path,
                        row.line,
                        None,
                        "--resume: the earlier output has another learner for this line; "
                        "the learners file has changed (run again without --resume)",
                    )
                )
            continue
        yield row
    if done:
        line = min(done)
        raise InputError(
            Problem(
                "--resume",
                None,
                None,
                f"the earlier output has a learner for line {line}, which the learners file "
                "no longer has (run again without --resume)",
            )
        )


def _resume(target: Path, partial: Path, fmt: str, summary: Summary) -> dict[int, str | None]:
    """The learners (line -> id) an earlier run finished, read from its partial output (or its
    finished output, renamed back to partial). A record cut short by the interruption is
    dropped, and the file truncated after the last whole one."""
    if not partial.exists():
        if not target.exists():
            return {}
        os.replace(target, partial)
    data = partial.read_bytes()
    keep = data.rfind(b"\n") + 1  # records are one line each; a last line without \n is cut
    lines = data[:keep].decode("utf-8", errors="replace").splitlines(keepends=True)
    done: dict[int, str | None] = {}
    good = 0
    if fmt == "csv":
        if lines and lines[0] == csv_header():
            good += len(lines[0].encode("utf-8"))
            lines = lines[1:]
        elif lines:
            raise InputError(Problem(str(partial), 1, None, "--resume: not a batch CSV output"))
    for number, text in enumerate(lines, start=1 + (fmt == "csv")):
        record = _parse(text, fmt)
        if record is None:
            if good == 0 and number == 1 + (fmt == "csv"):
                raise InputError(
                    Problem(
                        str(partial),
                        number,
                        None,
                        f"--resume: not a batch {fmt} output (give the same --format)",
                    )
                )
            break  # a damaged record: the run continues from here
        done[record.line] = record.learner
        summary.add(record)
        good += len(text.encode("utf-8"))
    summary.resumed = len(done)
    if good < len(data):
        with open(partial, "r+b") as handle:
            handle.truncate(good)
    if fmt == "csv" and good == 0:
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            handle.write(csv_header())
    return done


def _parse(text: str, fmt: str) -> Record | None:
    """A record read back from an earlier run's output, or None when it is not one."""
    try:
        if fmt == "csv":
            cells = next(csv.reader([text]))
            if len(cells) != len(CSV_COLUMNS):
                return None
            row = dict(zip(CSV_COLUMNS, cells))
            line, learner, status = row["line"], row["learner"], row["status"]
            error: str | None = row["error"]
        else:
            record = json.loads(text)
            if not isinstance(record, dict):
                return None
            line, learner = record["line"], record["learner"]
            error = record.get("error")
            status = "error" if "error" in record else record["status"]
        return Record(int(line), learner or None, str(status), text, error or None)
    except (ValueError, KeyError, TypeError, StopIteration, csv.Error):
        return None
