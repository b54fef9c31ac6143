"""Learners read from a CSV file: one row per learner, each kept with its line number.

The file is what a centre's records system exports, so it is read row by row and a bad row
does not stop the others: it becomes a `LearnerError` naming its line. Only a problem with the
whole file (unreadable, not UTF-8, no `id` column) is an `InputError` (exit 2).

Columns (a header row first; only `id` is required, any order)::

    id,qualification,achieved,excluded,required,preferences
    L001,,1;2;A/506/2130,37,,23=5;24=2

- `id`: the learner's id (any text, not empty);
- `qualification`: a model id or file, overriding the default the caller gives; empty means
  the default;
- `achieved`, `excluded`, `required`: unit ids, printed numbers (or, for `achieved`, URNs and
  `model-id:unit-id`) separated by `;`;
- `preferences`: `UNIT=WEIGHT` pairs separated by `;`, each weight a whole number.

Used by `pathway batch` (one solve per learner, src/pathway/batch.py) and `pathway plan`
(a cohort, src/pathway/cohort.py)::

    from pathway.learners import read_learners_csv, learner_scenario, LearnerError
    for row in read_learners_csv("learners.csv"):    # InputError: the file as a whole
        if isinstance(row, LearnerError):
            print(row)                                # learners.csv:7: id is empty
            continue
        try:                                          # the row's qualification, else the default
            scenario = scenario_for_learner(row, "ocr-l2-diploma-customer-service")
        except InputError as error:                   # located at the row
            print(error)

`qualification_scenario(ref, near)` loads (once per process) the base scenario of a model id
or file, and `learner_scenario(learner, base)` applies a row to a base already loaded.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .limits import MAX_WEIGHT
from .source import STDIN, is_stdin
from .words import did_you_mean

COLUMNS = ("id", "qualification", "achieved", "excluded", "required", "preferences")
LIST_SEPARATOR = ";"
MAX_FIELD = 1_000_000  # characters in one field: a runaway quote stops here, not at end of file
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Learner:
    """One row of a learners file, its references as written (resolved by learner_scenario)."""

    id: str
    line: int  # the row's first line in the file (1 is the header)
    qualification: str | None = None  # None: the caller's default
    achieved: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    preferences: dict[str, int] = field(default_factory=dict)  # unit reference -> weight
    path: str = ""  # the file, for messages

    def problem(self, message: str) -> Problem:
        """A problem located at this learner's row."""
        return Problem(self.path, self.line, None, message)


@dataclass(frozen=True)
class LearnerError:
    """A row that could not be read as a learner. `id` is None when the row has none."""

    id: str | None
    line: int
    problem: Problem

    @property
    def message(self) -> str:
        """The problem without its location, for an error record that carries the line."""
        return self.problem.message

    def __str__(self) -> str:
        return str(self.problem)


def read_learners_csv(path: Path | str) -> list[Learner | LearnerError]:
    """Every row of a learners file, in file order: a Learner, or a LearnerError for a bad row.

    Raises InputError when the file as a whole cannot be used (missing, unreadable, not UTF-8,
    NUL bytes, no header, no `id` column, an unknown or repeated column)."""
    return list(open_learners_csv(path))


class LearnerRows:
    """The rows of a learners file, one at a time (for files too large to hold as objects).
    Made by open_learners_csv once the whole file has been checked, so an InputError never
    comes after some rows were used. `columns`: the header's column names (lower case);
    `lines`: the file's line count (a progress bar's total, header included)."""

    def __init__(self, path: Path | str, columns: list[str], lines: int, rows):
        self.path = str(path)
        self.columns = columns
        self.lines = lines
        self._rows = rows

    def __iter__(self) -> Iterator[Learner | LearnerError]:
        return self._rows

    def close(self) -> None:
        self._rows.close()


def open_learners_csv(path: Path | str) -> LearnerRows:
    """read_learners_csv one row at a time: the file and its header are checked now (raising
    InputError), the rows are read as the LearnerRows returned is iterated. `-` is standard
    input; it, and a named pipe or device (`/dev/stdin`, `<(...)`), is copied aside first:
    the rows are read twice."""
    shown = STDIN if is_stdin(path) else str(path)
    spooled = is_stdin(path) or _is_stream(path)
    if spooled:
        handle = _spooled(path, shown)
    else:
        lines = _check_bytes(path)
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by _rows
    try:
        if spooled:
            lines = _check_handle(handle.buffer, shown)
            handle.buffer.seek(0)
        csv.field_size_limit(MAX_FIELD)
        reader = csv.reader(handle, strict=False)
        header = _header(reader, shown)
    except BaseException:
        handle.close()
        raise
    return LearnerRows(path, header, lines, _rows(handle, reader, header, shown))


def _rows(handle, reader, header: list[str], shown: str) -> Iterator[Learner | LearnerError]:
    seen: dict[tuple[str, str], int] = {}
    with handle:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield LearnerError(None, line, Problem(shown, line, None, f"bad CSV row: {exc}"))
                continue
            if not cells or cells == [""] or all(not c.strip() for c in cells):
                continue  # a blank line
            yield _learner(cells, header, line, shown, seen)


def _learner(
    cells: list[str], header: list[str], line: int, shown: str, seen: dict[tuple[str, str], int]
) -> Learner | LearnerError:
    def bad(message: str, learner_id: str | None = None) -> LearnerError:
        return LearnerError(learner_id, line, Problem(shown, line, None, message))

    if len(cells) != len(header):
        return bad(
            f"expected {len(header)} field{'s' * (len(header) != 1)} ({', '.join(header)}), "
            f"found {len(cells)}"
        )
    row = {name: cell.strip() for name, cell in zip(header, cells)}
    learner_id = row["id"]
    if not learner_id:
        return bad("id is empty")
    qualification = row.get("qualification") or None
    key = (learner_id, qualification or "")
    if key in seen:
        again = f" for {qualification}" if qualification else ""
        return bad(f"learner {learner_id!r} is already on line {seen[key]}{again}", learner_id)
    seen[key] = line
    problems: list[str] = []
    lists = {name: _split(row.get(name, "")) for name in ("achieved", "excluded", "required")}
    preferences = _preferences(row.get("preferences", ""), problems)
    if problems:
        return bad("; ".join(problems), learner_id)
    return Learner(
        id=learner_id,
        line=line,
        qualification=qualification,
        achieved=lists["achieved"],
        excluded=lists["excluded"],
        required=lists["required"],
        preferences=preferences,
        path=shown,
    )


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(LIST_SEPARATOR) if part.strip())


def _preferences(text: str, problems: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for pair in _split(text):
        ref, sep, number = pair.partition("=")
        ref = ref.strip()
        if not sep or not ref:
            problems.append(f"preferences: expected UNIT=WEIGHT, got {pair!r}")
            continue
        try:
            weight = int(number.strip())
        except ValueError:
            problems.append(f"preferences: expected UNIT=WEIGHT with a whole number, got {pair!r}")
            continue
        if not -MAX_WEIGHT <= weight <= MAX_WEIGHT:
            problems.append(
                f"preferences: a weight must be between {-MAX_WEIGHT:,} and {MAX_WEIGHT:,}, "
                f"got {pair!r}"
            )
        elif ref in out:
            problems.append(f"preferences: unit {ref!r} is given twice")
        else:
            out[ref] = weight
    return out


def _header(reader, shown: str) -> list[str]:
    """The column names, checked: `id` present, each known and given once."""
    try:
        cells = next(reader)
    except StopIteration:
        raise InputError(
            Problem(shown, None, None, "empty file: expected a header row with at least 'id'")
        ) from None
    except csv.Error as exc:
        raise InputError(Problem(shown, 1, None, f"bad CSV header: {exc}")) from None
    header = [c.strip().lower() for c in cells]
    problems: list[Problem] = []
    for i, name in enumerate(header):
        if name not in COLUMNS:
            problems.append(
                Problem(
                    shown,
                    1,
                    None,
                    f"unknown column {cells[i].strip()!r}{did_you_mean(name, COLUMNS)} "
                    f"(columns: {', '.join(COLUMNS)})",
                )
            )
        elif name in header[:i]:
            problems.append(Problem(shown, 1, None, f"column {name!r} appears twice"))
    if "id" not in header:
        hint = " (fields are separated by ',', lists in a field by ';')" if ";" in cells[0] else ""
        problems.append(Problem(shown, 1, None, f"the header has no 'id' column{hint}"))
    if problems:
        raise InputError(problems)
    return header


def _is_stream(path: Path | str) -> bool:
    """A path that exists but is neither a regular file nor a folder: it can be read once."""
    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return False  # _check_bytes says why
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _spooled(path: Path | str, shown: str):
    """Standard input (`-`) or a stream copied into an unnamed temporary file (removed when
    closed), as text: the rows are read twice (checked, then used), and a national file is
    too large to hold in memory."""
    raw = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the caller, with its wrapper
    try:
        if is_stdin(path):
            shutil.copyfileobj(sys.stdin.buffer, raw, _CHUNK)
        else:
            with open(path, "rb") as stream:
                shutil.copyfileobj(stream, raw, _CHUNK)
    except OSError as exc:
        raw.close()
        raise InputError(Problem(shown, None, None, f"cannot read: {exc.strerror}")) from None
    raw.seek(0)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _check_bytes(path: Path | str) -> int:
    """The whole file is readable UTF-8 with no NUL byte, checked in chunks (no size limit: a
    national file is large), with the line of the first bad byte. Returns the line count."""
    shown = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(Problem(shown, None, None, "is a folder, not a file"))
        handle = p.open("rb")
    except FileNotFoundError:
        raise InputError(Problem(shown, None, None, "no such file")) from None
    except OSError as exc:
        raise InputError(Problem(shown, None, None, f"cannot read: {exc.strerror}")) from None
    with handle:
        return _check_handle(handle, shown)


def _check_handle(handle, shown: str) -> int:
    """_check_bytes of an open binary file, read to its end."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1  # the line the next byte is on
    last = b"\n"  # the last byte read: an empty file, or one ending in \n, has no open line
    while True:
        try:
            chunk = handle.read(_CHUNK)
        except OSError as exc:
            raise InputError(Problem(shown, None, None, f"cannot read: {exc.strerror}")) from None
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            start = max(exc.start, 0)
            where = line + chunk[:start].count(b"\n") if start <= len(chunk) else line
            raise InputError(
                Problem(shown, where, None, "not UTF-8 text: save the file as UTF-8 CSV")
            ) from None
        nul = chunk.find(b"\0")
        if nul >= 0:
            where = line + chunk[:nul].count(b"\n")
            raise InputError(Problem(shown, where, None, "a NUL byte: not a text file"))
        if not chunk:
            return line - (last == b"\n")
        line += chunk.count(b"\n")
        last = chunk[-1:]


# -- from a row to a scenario ----------------------------------------------------------------

_FLAG_COLUMNS = {
    "--achieved": "achieved",
    "--exclude": "excluded",
    "--require": "required",
    "--prefer": "preferences",
}


def learner_scenario(learner: Learner, base, **budgets):
    """`base` (a pathway.Scenario for the learner's qualification) with the learner's units
    held, excluded and required and weights set, via pathway.with_situation (`budgets`:
    its max_glh, max_units, max_credits). A reference the qualification lacks raises
    InputError located at the learner's row and column."""
    from .scenario import with_situation

    try:
        return with_situation(
            base,
            achieved=learner.achieved,
            excluded=learner.excluded,
            required=learner.required,
            weights=learner.preferences,
            **budgets,
        )
    except InputError as error:
        raise InputError(
            [
                learner.problem(f"{_FLAG_COLUMNS.get(p.path, p.path)}: {p.message}")
                if p.line is None
                else p
                for p in error.problems
            ]
        ) from None


_FOUND: dict[tuple[str, str], Path | InputError] = {}  # (ref, folder) -> its file
_BASES: dict[tuple[str, int, int], object] = {}  # (file, mtime, size) -> Scenario or error


def qualification_scenario(ref: str, near: Path | str | None = None):
    """The base scenario for a qualification named `ref`: a model id (looked for beside `near`,
    the learners file, in its models/ and ../models/, and in ./models/), or the path of a model
    or scenario file, as given or beside `near` (a scenario's budgets, objective and GLH then
    apply to every learner). Read once per process while the file is unchanged: a batch names
    the same few qualifications for every row, and a bad one is reported for each row without
    being read again.

    Raises InputError; a problem with no line means `ref` itself was not found."""
    from .api import load

    near_path = Path(near) if near is not None else Path("learners.csv")
    where = (ref, str(near_path.parent))
    if where not in _FOUND:
        try:
            _FOUND[where] = _find_base(ref.strip(), near_path)
        except InputError as error:
            _FOUND[where] = error
    path = _FOUND[where]
    if isinstance(path, InputError):
        raise path
    try:
        info = path.stat()
    except OSError:
        del _FOUND[where]  # gone since it was found: look again, and say so if it is missing
        return qualification_scenario(ref, near)
    key = (str(path), info.st_mtime_ns, info.st_size)
    if key not in _BASES:
        try:
            _BASES[key] = load(path)
        except InputError as error:
            _BASES[key] = error
    found = _BASES[key]
    if isinstance(found, InputError):
        raise found
    return found


def _find_base(text: str, near_path: Path) -> Path:
    from .loader import find_model
    from .scenario import model_search_dirs

    if text.endswith((".yaml", ".yml", ".json")) or "/" in text:
        for candidate in (Path(text), near_path.parent / text):
            if candidate.is_file():
                return candidate
        raise InputError(Problem(text, None, None, f"no model or scenario file {text!r}"))
    folders = model_search_dirs(near_path)
    for folder in folders:
        found = find_model(folder, text)
        if found is not None:
            return found
    known = sorted(
        {
            p.stem
            for folder in folders
            if folder.is_dir()
            for p in folder.iterdir()
            if p.suffix in (".yaml", ".yml", ".json")
        }
    )
    raise InputError(
        Problem(
            text,
            None,
            None,
            f"no model {text!r} found{did_you_mean(text, known)} (looked beside the learners "
            "file, in its models/ and ../models/, and in ./models/)",
        )
    )


def scenario_for_learner(
    learner: Learner, default: str | None, near: Path | str | None = None, **budgets
):
    """The learner's scenario: their own `qualification`, else `default`, loaded with
    qualification_scenario, then learner_scenario. Every problem is an InputError located at
    the learner's row (a broken model keeps its own file and line)."""
    ref = learner.qualification or default
    if ref is None:
        raise InputError(learner.problem("qualification: none given (no column value, no default)"))
    try:
        base = qualification_scenario(ref, near if near is not None else learner.path)
    except InputError as error:
        raise InputError(
            [
                learner.problem(f"qualification: {p.message}") if p.line is None else p
                for p in error.problems
            ]
        ) from None
    return learner_scenario(learner, base, **budgets)
