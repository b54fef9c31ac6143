"""Read YAML into plain values that remember where they came from.

PyYAML's constructors lose line numbers, keep the last of duplicate keys, turn `yes` into True
and `1.10` into 1.1, and expand aliases without bound. So we only *parse* with the safe loader
and build the values from its events ourselves: every string, number, list and mapping below
carries the line and column it was written at, and scalars keep their raw text so the schema
decides types.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .errors import InputError, Problem

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 1_000_000  # scalars, lists and mappings in one file

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:merge",
}


class Located:
    path: str
    line: int | None
    column: int | None

    def where(self) -> tuple[str, int | None, int | None]:
        return self.path, self.line, self.column

    def problem(self, message: str) -> Problem:
        return Problem(self.path, self.line, self.column, message)


class Scalar(str, Located):
    """A scalar's raw text. `plain` is False for quoted scalars; `tag` is YAML's implicit type,
    worked out when first asked for (mapping keys, half of all scalars, never need it)."""

    plain: bool
    implicit: tuple[bool, bool]
    _tag: str | None = None

    @property
    def tag(self) -> str:
        if self._tag is None:
            import yaml

            self._tag = _resolver().resolve(yaml.ScalarNode, str(self), self.implicit)
        return self._tag

    @tag.setter
    def tag(self, value: str) -> None:
        self._tag = value


@functools.cache
def _resolver():
    """YAML 1.1's implicit types, as the safe loader (C or Python) resolves them."""
    import yaml

    return yaml.resolver.Resolver()


class Seq(list, Located):
    pass


class Map(dict, Located):
    """Keys are Scalars (so a key's own line is known), values are located values."""

    def key(self, name: str) -> Scalar | None:
        for k in self:
            if k == name:
                return k
        return None


def _locate(obj, path, mark):
    obj.path = path
    obj.line = mark.line + 1
    obj.column = mark.column + 1
    return obj


def read_text(path: Path | str, max_bytes: int | None = None) -> str:
    """Read a UTF-8 file, refusing huge, unreadable and non-UTF-8 files with a located message."""
    import stat

    shown = str(path)
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    p = Path(path)
    try:
        info = p.stat()
    except FileNotFoundError:
        raise InputError(Problem(shown, None, None, "no such file")) from None
    except OSError as exc:
        raise InputError(Problem(shown, None, None, f"cannot read: {exc.strerror}")) from None
    size, mode = info.st_size, info.st_mode
    if stat.S_ISDIR(mode):
        raise InputError(Problem(shown, None, None, "is a folder, not a file"))
    # Never opened: opening a named pipe waits for a writer, for ever. A character device is
    # read up to the limit (/dev/zero says "larger than the limit", not "not a regular file").
    kinds = {
        stat.S_ISFIFO: "a named pipe",
        stat.S_ISSOCK: "a socket",
        stat.S_ISBLK: "a block device",
    }
    if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode)):
        kind = next((name for test, name in kinds.items() if test(mode)), "of an unknown kind")
        raise InputError(Problem(shown, None, None, f"not a regular file ({kind})"))
    if size > max_bytes:
        raise InputError(
            Problem(shown, None, None, f"file is {size:,} bytes; the limit is {max_bytes:,}")
        )
    try:
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)  # bounded: a device such as /dev/zero reports size 0
    except OSError as exc:
        raise InputError(Problem(shown, None, None, f"cannot read: {exc.strerror}")) from None
    if len(data) > max_bytes:
        raise InputError(
            Problem(shown, None, None, f"file is larger than the limit of {max_bytes:,} bytes")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            Problem(shown, line, column, f"not UTF-8 text (byte 0x{data[exc.start]:02x})")
        ) from None


def _loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, path: str):
    """Read one YAML document into located values; raise InputError on any YAML problem.

    Built from the parser's event stream with an explicit stack, never by recursion: PyYAML's C
    composer recurses once per nesting level and kills the interpreter (a C stack overflow, no
    traceback) on a line of 100,000 `[`. Depth, the number of values, anchors and tags are
    refused as they are met, so a hostile file costs no more than reading it."""
    import yaml

    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise InputError(Problem(path, None, None, "file is empty"))
    loader = _loader()(text)
    try:
        value, problems = _build(loader, path)
    except yaml.MarkedYAMLError as exc:
        raise InputError(_yaml_problem(path, text, exc)) from None
    except yaml.reader.ReaderError as exc:
        raise InputError(_reader_problem(path, text, exc)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise InputError(Problem(path, None, None, f"YAML error: {exc}")) from None
    finally:
        loader.dispose()
    if problems:
        raise InputError(problems)
    if value is None:
        raise InputError(Problem(path, None, None, "file is empty"))
    return value


def _yaml_problem(path: str, text: str, exc) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    context = exc.context
    start = exc.context_mark
    if context and start is not None and mark is not None and start.line != mark.line:
        context += f" (from line {start.line + 1})"  # e.g. where an unclosed quote opened
    message = " ".join(s for s in (context, exc.problem) if s)
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        message = "tab character; YAML indents with spaces only"
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    if "exceeded maximum nesting depth" in (exc.problem or ""):
        # Newer libyaml (in the PyYAML 6.0.4 wheels) scans flow collections ahead and stops at
        # its own depth limit before our builder sees depth 65: say the same, whichever stopped.
        return Problem(path, line, column, f"nested more than {MAX_DEPTH} deep")
    return Problem(path, line, column, f"YAML syntax error: {message}")


def _reader_problem(path: str, text: str, exc) -> Problem:
    """A character YAML refuses (NUL, other control characters). The reader reports an offset
    (in bytes from the C loader, characters from the Python one), so find the character."""
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    index = text.find(char)
    if index < 0:  # pragma: no cover - the reader only reports characters it has read
        return Problem(path, None, None, f"YAML error: {exc}")
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Problem(
        path, line, column, f"character U+{ord(char):04X} is not allowed in YAML ({exc.reason})"
    )


_KEY = object()  # a mapping waiting for its next key
_DROP = object()  # a value to read and throw away (its key was refused)


def _build(loader, path: str):
    """The document's root value and the problems met, from the loader's events."""
    import yaml

    problems: list[Problem] = []
    max_values = MAX_VALUES
    stack: list[list] = []  # [collection, pending key] for each open list or mapping
    root = None
    done = False
    count = 0
    skipping = 0  # nesting depth inside a refused collection, read but not kept
    aliased = False  # anchors and aliases are reported once, at the first

    def at(event, message):
        mark = event.start_mark
        return Problem(path, mark.line + 1, mark.column + 1, message)

    def place(value):
        nonlocal root, done
        if not stack:
            root, done = value, True
            return
        frame = stack[-1]
        container, pending = frame
        if isinstance(container, Seq):
            container.append(value)
        elif pending is _KEY:
            if value is None:
                frame[1] = _DROP
            elif not isinstance(value, Scalar):
                problems.append(value.problem("a mapping key must be plain text"))
                frame[1] = _DROP
            elif value in container:
                first = container.key(value)
                problems.append(
                    value.problem(f"duplicate key {value!r} (first given on line {first.line})")
                )
                frame[1] = _DROP
            else:
                frame[1] = value
        else:
            if pending is not _DROP:
                container[pending] = value
            frame[1] = _KEY

    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    values = (yaml.ScalarEvent, yaml.AliasEvent, *starts)
    while True:
        event = loader.get_event()
        if event is None:
            # The stream ended without a StreamEndEvent we recognise: a re-imported `yaml`
            # module (pytest's in-process runs do this) has new event classes while the C
            # parser still makes the old ones. Stop rather than loop for ever.
            raise RuntimeError("YAML event stream ended unexpectedly")
        if isinstance(event, ends):
            if not skipping:
                place(stack.pop()[0])
            else:
                skipping -= 1
                if not skipping:
                    place(None)
            continue
        if isinstance(event, values):
            count += 1
            if count > max_values:
                problems.append(
                    at(event, f"more than {max_values:,} values (scalars, lists, mappings)")
                )
                return None, problems
            if len(stack) + skipping > MAX_DEPTH:
                # Stop here: libyaml's scanner slows quadratically with the nesting depth.
                problems.append(at(event, f"nested more than {MAX_DEPTH} deep"))
                return None, problems
            if skipping:
                skipping += isinstance(event, starts)
                continue
            if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
                if not aliased:
                    problems.append(
                        at(event, "YAML anchors and aliases (&name, *name) are not allowed")
                    )
                    aliased = True
                if isinstance(event, yaml.AliasEvent):
                    place(None)
                    continue
            if event.tag is not None and event.tag != "!" and event.tag not in _PLAIN_TAGS:
                problems.append(
                    at(
                        event,
                        f"YAML tag {event.tag!r} is not allowed (tags could construct objects)",
                    )
                )
                if isinstance(event, yaml.ScalarEvent):
                    place(None)
                else:
                    skipping = 1
                continue
            if isinstance(event, yaml.ScalarEvent):
                s = _locate(Scalar(event.value), path, event.start_mark)
                s.plain = not event.style  # the C loader reports plain as "", the Python one None
                if event.tag in (None, "!"):
                    s.implicit = event.implicit
                else:
                    s.tag = event.tag
                place(s)
            else:
                container = Seq() if isinstance(event, yaml.SequenceStartEvent) else Map()
                stack.append([_locate(container, path, event.start_mark), _KEY])
        elif isinstance(event, yaml.DocumentStartEvent) and done:
            problems.append(at(event, "YAML syntax error: more than one YAML document"))
            return None, problems
        elif isinstance(event, yaml.StreamEndEvent):
            return root, problems


def load_yaml_file(path: Path | str):
    return parse_yaml(read_text(path), str(path))
