"""Read YAML into plain values that remember where they came from.

PyYAML's constructors lose line numbers, keep the last of duplicate keys, turn `yes` into True
and `1.10` into 1.1, and expand aliases without bound. So we only *parse* with the safe loader
and build the values from its events ourselves: every string, number, list and mapping below
carries the line and column it was written at, and scalars keep their raw text so the schema
decides types.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import re
from pathlib import Path
from typing import Any

from .errors import InputError, Problem

STDIN = "<stdin>"  # standard input's name in messages


def is_stdin(path) -> bool:
    """Whether a path given on the command line means standard input (`-`)."""
    return str(path) == "-"


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
    """A value that knows where it was written. Subclasses keep `path`, `line` and `column` in
    slots: a 50,000-unit model has ~700,000 values, and an instance dict each would double the
    memory and the time it takes to read the file."""

    __slots__ = ()
    path: str
    line: int | None
    column: int | None

    def where(self) -> tuple[str, int | None, int | None]:
        return self.path, self.line, self.column

    def problem(self, message: str) -> Problem:
        return Problem(self.path, self.line, self.column, message)


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class Scalar(str, Located):
    """A scalar's raw text. `plain` is False for quoted scalars; `tag` is YAML's implicit type,
    worked out when first asked for (mapping keys, half of all scalars, never need it)."""

    __slots__ = ("_tag", "column", "line", "path", "plain")  # _tag None: plain, not yet resolved
    plain: bool
    _tag: str | None

    @property
    def tag(self) -> str:
        tag = self._tag
        if tag is None:
            tag = self._tag = resolve_plain(self)
        return tag

    @tag.setter
    def tag(self, value: str) -> None:
        self._tag = value


def resolve_plain(text: str) -> str:
    """The tag YAML 1.1 gives `text` written plain and untagged, exactly as PyYAML's resolver
    does (its own table of patterns by first character), without its per-call overhead."""
    table, wildcard = _implicit_resolvers()
    if text.isdigit() and text.isascii() and not wildcard:
        # Decimal digits only: an int (`010` as octal), except after a 0 with an 8 or a 9,
        # which no pattern accepts (the float patterns need a dot). Checked in the tests.
        if text[0] != "0" or not text.strip("01234567_"):
            return _INT
        return _STR
    for tag, pattern in table.get(text[:1], wildcard):
        if pattern.match(text):
            return tag
    return _STR


@functools.cache
def _implicit_resolvers() -> tuple[dict[str, tuple], tuple]:
    """PyYAML's patterns by first character ("" for the empty scalar), each followed by the
    patterns for any character, and those alone for a first character with none of its own."""
    import yaml

    table = yaml.resolver.Resolver.yaml_implicit_resolvers
    wildcard = table.get(None, [])
    return {k: tuple(v + wildcard) for k, v in table.items() if k is not None}, tuple(wildcard)


class _EveryCharacter:
    """Contains every first character (where PyYAML has resolvers for any character)."""

    def __contains__(self, item) -> bool:
        return True


_EVERY_CHARACTER = _EveryCharacter()


class Seq(list, Located):
    __slots__ = ("column", "line", "path")


class Map(dict, Located):
    """Keys are Scalars (so a key's own line is known), values are located values."""

    __slots__ = ("column", "line", "path")

    def key(self, name: str) -> Scalar | None:
        for k in self:
            if k == name:
                return k
        return None


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
    return decode_text(data, shown)


def decode_text(data: bytes, shown: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or a located error at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            Problem(shown, line, column, f"not UTF-8 text (byte 0x{data[exc.start]:02x})")
        ) from None


@contextlib.contextmanager
def no_gc():
    """The cyclic garbage collector held off while a file is read into values and checked.

    Reading makes hundreds of thousands of lists, mappings and located strings, none of them in
    a cycle; the collector, woken every 700 new objects, would walk them all again and again
    (it more than doubles the time to read a 50,000-unit model). Nested uses are fine.

    On the way out, what was made meanwhile is moved to the oldest generation at once (frozen
    and unfrozen, which walks nothing), so the next young collections do not walk it all over
    again: a tenth of a second on a 50,000-unit model read and built in two steps. Skipped
    where the program has frozen objects of its own, which must stay frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


# A line (as str.splitlines cuts them) whose first character after white space is not a `#`.
_CONTENT = re.compile(r"(?:\A|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])\s*[^\s#]")


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

    if _CONTENT.search(text) is None:  # nothing but blank lines and comments
        raise InputError(Problem(path, None, None, "file is empty"))
    loader = _loader()(text)
    try:
        with no_gc():
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
_SEQ = object()  # the open collection is a list

# What each event is, by class name: the classes are looked up on the events themselves, since a
# re-imported `yaml` module (pytest's in-process runs do this) has new event classes while the C
# parser still makes the old ones.
_SCALAR, _START_SEQ, _START_MAP, _END, _ALIAS, _DOCUMENT, _STREAM_END, _NONE, _OTHER = range(9)
_EVENT_KINDS = {
    "ScalarEvent": _SCALAR,
    "SequenceStartEvent": _START_SEQ,
    "MappingStartEvent": _START_MAP,
    "SequenceEndEvent": _END,
    "MappingEndEvent": _END,
    "AliasEvent": _ALIAS,
    "DocumentStartEvent": _DOCUMENT,
    "StreamEndEvent": _STREAM_END,
    "NoneType": _NONE,
}


def _put(container, key, value, problems: list[Problem]):
    """Place `value` (a collection just closed, or None for a value refused) in the open
    collection; return that collection's new pending key."""
    if key is _SEQ:
        container.append(value)
        return _SEQ
    if key is _KEY:
        if value is not None:
            problems.append(value.problem("a mapping key must be plain text"))
        return _DROP
    if key is not _DROP:
        container[key] = value
    return _KEY


def _build(loader, path: str):
    """The document's root value and the problems met, from the loader's events.

    The hot path, a plain untagged scalar in an open list or mapping, is written out inline:
    a 50,000-unit model is some 700,000 events."""
    problems: list[Problem] = []
    max_values = MAX_VALUES
    max_depth = MAX_DEPTH
    top = Seq()  # holds the root value once it is read
    container: Any = top  # the open list or mapping
    key = _SEQ  # its pending key: _SEQ for a list, else _KEY, _DROP or the key read
    stack: list[tuple] = []  # (collection, pending key) of each collection holding `container`
    depth = 0  # len(stack)
    count = 0
    skipping = 0  # nesting depth inside a refused collection, read but not kept
    aliased = False  # anchors and aliases are reported once, at the first
    kinds: dict[type, int] = {}
    scalar_type: Any = None  # the C parser's ScalarEvent class, once one is met
    get_event = loader.get_event
    new_scalar = Scalar
    str_tag = _STR
    table, wildcard = _implicit_resolvers()
    first_chars = _EVERY_CHARACTER if wildcard else table.keys()
    last_line = line_number = -1  # the line of the last scalar: its mark's, and ours (+1)

    def at(event, message):
        mark = event.start_mark
        return Problem(path, mark.line + 1, mark.column + 1, message)

    while True:
        event = get_event()
        if (
            type(event) is scalar_type
            and event.tag is None
            and event.anchor is None
            and count < max_values
            and depth <= max_depth
            and not skipping
        ):
            # The hot path, most events of a file: an untagged scalar, in bounds.
            count += 1
        else:
            kind = _SCALAR
            if type(event) is not scalar_type:
                kind = kinds.get(type(event), -1)
                if kind < 0:
                    kind = kinds[type(event)] = _EVENT_KINDS.get(type(event).__name__, _OTHER)
                    if kind == _SCALAR:
                        scalar_type = type(event)
                if kind == _END:
                    if skipping:
                        skipping -= 1
                        if not skipping:
                            key = _put(container, key, None, problems)
                        continue
                    value = container
                    container, key = stack.pop()
                    depth -= 1
                    key = _put(container, key, value, problems)
                    continue
                if kind > _ALIAS:
                    if kind == _DOCUMENT and top:
                        problems.append(at(event, "YAML syntax error: more than one YAML document"))
                        return None, problems
                    if kind == _STREAM_END:
                        return (top[0] if top else None), problems
                    if kind == _NONE:
                        # The stream ended with no StreamEndEvent: stop, not loop for ever.
                        raise RuntimeError("YAML event stream ended unexpectedly")
                    continue
            # A value: a scalar, an alias, or the start of a list or mapping.
            count += 1
            if (
                count > max_values
                or depth > max_depth
                or skipping
                or kind == _ALIAS
                or event.anchor is not None
                or event.tag is not None
            ):
                if count > max_values:
                    problems.append(
                        at(event, f"more than {max_values:,} values (scalars, lists, mappings)")
                    )
                    return None, problems
                if depth + skipping > max_depth:
                    # Stop here: libyaml's scanner slows quadratically with the nesting depth.
                    problems.append(at(event, f"nested more than {max_depth} deep"))
                    return None, problems
                if skipping:
                    skipping += kind != _SCALAR and kind != _ALIAS
                    continue
                if kind == _ALIAS or event.anchor is not None:
                    if not aliased:
                        problems.append(
                            at(event, "YAML anchors and aliases (&name, *name) are not allowed")
                        )
                        aliased = True
                    if kind == _ALIAS:
                        key = _put(container, key, None, problems)
                        continue
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
                    problems.append(
                        at(event, f"YAML tag {tag!r} is not allowed (tags could construct objects)")
                    )
                    if kind == _SCALAR:
                        key = _put(container, key, None, problems)
                    else:
                        skipping = 1
                    continue
                if kind == _SCALAR and tag is not None:
                    s = new_scalar(event.value)
                    mark = event.start_mark
                    s.path, s.line, s.column = path, mark.line + 1, mark.column + 1
                    s.plain = not event.style  # C loader: plain is "", Python loader: None
                    # `!` (no specific tag) is resolved as plain text is, when the scalar is plain.
                    s._tag = (None if event.implicit[0] else str_tag) if tag == "!" else tag
                    if key is _SEQ:
                        container.append(s)
                    elif key is _KEY:
                        key = _put_key(container, s, problems)
                    elif key is _DROP:
                        key = _KEY
                    else:
                        container[key] = s
                        key = _KEY
                    continue
            if kind != _SCALAR:  # the start of a list or mapping
                stack.append((container, key))
                depth += 1
                mark = event.start_mark
                if kind == _START_SEQ:
                    container, key = Seq(), _SEQ
                else:
                    container, key = Map(), _KEY
                container.path = path
                container.line = mark.line + 1
                container.column = mark.column + 1
                continue
            # Else a plain scalar met before scalar_type was known: read as on the hot path.
        s = new_scalar(event.value)
        mark = event.start_mark
        s.path = path
        if mark.line != last_line:  # one int per line, shared by its values (memory)
            last_line = mark.line
            line_number = last_line + 1
        s.line = line_number
        s.column = mark.column + 1
        if event.style:  # quoted or block: text; the C loader reports plain as "", PyYAML None
            s.plain = False
            s._tag = str_tag
        else:
            s.plain = True
            # Resolved when asked for (a key's never is), unless no implicit type begins
            # with this character.
            s._tag = None if key is _KEY or s[:1] in first_chars else str_tag
        if key is _SEQ:
            container.append(s)
        elif key is _KEY:
            if s in container:
                key = _put_key(container, s, problems)
            else:
                key = s
        elif key is _DROP:
            key = _KEY
        else:
            container[key] = s
            key = _KEY


def _put_key(container: Map, key: Scalar, problems: list[Problem]):
    """A key read for `container`: the pending key, or _DROP when it is given twice."""
    if key in container:
        first = container.key(key)
        assert first is not None
        problems.append(key.problem(f"duplicate key {key!r} (first given on line {first.line})"))
        return _DROP
    return key


# JSON, token by token, each after any commas, colons and spaces: a string (1), an opening (2) or
# closing (3) bracket, an integer (4), or another number or literal (5). Commas and colons are
# left to `json.loads`, which has checked the text before this runs.
_JSON_TOKEN = re.compile(
    r'[ \t\r,:]*+(?:"((?:[^"\\]|\\.)*+)"|([{\[])|([}\]])|(-?[0-9]++)(?![.eE])|([^\s,:{}\[\]"]++))'
)
_JSON_LITERALS = {
    "true": "tag:yaml.org,2002:bool",
    "false": "tag:yaml.org,2002:bool",
    "null": "tag:yaml.org,2002:null",
}


def parse_json(text: str, path: str):
    """Read a JSON document into the same located values as parse_yaml, with the same limits
    and the same refusals (a key given twice), each problem at its line and column.

    The standard library's parser checks the syntax first (and says where it fails); then one
    pass over the tokens, line by line (a JSON string holds no raw line break), builds the
    values. Reading JSON costs about what reading YAML does: the standard parser's 0.05 s for
    50,000 units is dwarfed by making 700,000 located values, which every error message needs."""
    import json

    if not text.strip():
        raise InputError(Problem(path, None, None, "file is empty"))
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            Problem(path, exc.lineno, exc.colno, f"JSON syntax error: {exc.msg}")
        ) from None
    except RecursionError:
        pass  # nested too deep for the standard parser: the pass below says where
    with no_gc():
        value, problems = _build_json(text, path)
    if problems:
        raise InputError(problems)
    return value


def _build_json(text: str, path: str):
    import json

    problems: list[Problem] = []
    max_values = MAX_VALUES
    max_depth = MAX_DEPTH
    top = Seq()
    container: Any = top
    key = _SEQ
    stack: list[tuple] = []
    depth = count = 0
    new_scalar = Scalar
    str_tag, int_tag, float_tag = _STR, _INT, _FLOAT
    literals = _JSON_LITERALS
    token_at = _JSON_TOKEN.match
    line_number = 0
    for line in io.StringIO(text, newline="\n"):  # one line at a time; "\n" is no token
        line_number += 1
        # Token after token from the start of the line: json.loads has accepted the text, so
        # nothing but spaces, commas and colons lies between them, and the line's end ends it.
        pos = 0
        while (match := token_at(line, pos)) is not None:
            pos = match.end()
            kind: int = match.lastindex  # type: ignore[assignment]  # a group always matches
            if kind == 3:  # ] or }
                value = container
                container, key = stack.pop()
                depth -= 1
                key = _put(container, key, value, problems)
                continue
            count += 1
            if count > max_values or depth > max_depth:
                column = match.start(kind) + 1
                if count > max_values:
                    message = f"more than {max_values:,} values (scalars, lists, mappings)"
                else:
                    message = f"nested more than {max_depth} deep"
                problems.append(Problem(path, line_number, column, message))
                return None, problems
            if kind == 1:
                token = match[1]
                s = new_scalar(token if "\\" not in token else json.loads(f'"{token}"'))
                s.plain = False
                s._tag = str_tag
                s.column = match.start(1)  # where its quote is, counted from 1
            elif kind == 4:
                s = new_scalar(match[4])
                s.plain = True
                s._tag = int_tag
                s.column = match.start(4) + 1
            elif kind == 2:
                stack.append((container, key))
                depth += 1
                if match[2] == "{":
                    container, key = Map(), _KEY
                else:
                    container, key = Seq(), _SEQ
                container.path = path
                container.line = line_number
                container.column = match.start(2) + 1
                continue
            else:
                token = match[5]
                tag = literals.get(token)
                if tag is None:
                    if token in ("NaN", "Infinity", "-Infinity"):
                        column = match.start(5) + 1
                        problems.append(Problem(path, line_number, column, f"{token} is not JSON"))
                        key = _put(container, key, None, problems)
                        continue
                    tag = float_tag
                s = new_scalar(token)
                s.plain = True
                s._tag = tag
                s.column = match.start(5) + 1
            s.path = path
            s.line = line_number
            # Placed inline, as in _build: a call per value costs a tenth of the whole read.
            if key is _SEQ:
                container.append(s)
            elif key is _KEY:
                key = s if s not in container else _put_key(container, s, problems)
            elif key is _DROP:
                key = _KEY
            else:
                container[key] = s
                key = _KEY
    return (top[0] if top else None), problems


def load_yaml_file(path: Path | str):
    """A model or scenario file: YAML, or JSON where the name ends in `.json`."""
    shown = str(path)
    if shown.endswith(".json"):
        return parse_json(read_text(path), shown)
    return parse_yaml(read_text(path), shown)
