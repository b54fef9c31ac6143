"""Read YAML into plain values that remember where they came from.

PyYAML's constructors lose line numbers, keep the last of duplicate keys, turn `yes` into True
and `1.10` into 1.1, and expand aliases without bound. So we only *compose* the node tree with the
safe loader and convert it ourselves: every string, number, list and mapping below carries the
line and column it was written at, and scalars keep their raw text so the schema decides types.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, Problem

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64

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
    """A scalar's raw text. `plain` is False for quoted scalars; `tag` is YAML's implicit type."""

    plain: bool
    tag: str


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
    shown = str(path)
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(Problem(shown, None, None, "no such file")) from None
    except OSError as exc:
        raise InputError(Problem(shown, None, None, f"cannot read: {exc.strerror}")) from None
    if p.is_dir():
        raise InputError(Problem(shown, None, None, "is a folder, not a file"))
    if size > max_bytes:
        raise InputError(
            Problem(shown, None, None, f"file is {size:,} bytes; the limit is {max_bytes:,}")
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(Problem(shown, None, None, f"cannot read: {exc.strerror}")) from None
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
    """Compose one YAML document into located values; raise InputError on any YAML problem."""
    import yaml

    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise InputError(Problem(path, None, None, "file is empty"))
    try:
        node = yaml.compose(text, Loader=_loader())
    except yaml.composer.ComposerError as exc:
        raise InputError(_yaml_problem(path, text, exc, "more than one YAML document")) from None
    except yaml.MarkedYAMLError as exc:
        raise InputError(_yaml_problem(path, text, exc, None)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise InputError(Problem(path, None, None, f"YAML error: {exc}")) from None
    if node is None:
        raise InputError(Problem(path, None, None, "file is empty"))
    problems: list[Problem] = []
    value = _convert(node, path, problems, set(), 0)
    if problems:
        raise InputError(problems)
    return value


def _yaml_problem(path: str, text: str, exc, override: str | None) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = override or " ".join(s for s in (exc.context, exc.problem) if s)
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        message = "tab character; YAML indents with spaces only"
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return Problem(path, line, column, f"YAML syntax error: {message}")


def _convert(node, path, problems, seen, depth):
    import yaml

    mark = node.start_mark
    if id(node) in seen:
        problems.append(
            Problem(
                path,
                mark.line + 1,
                mark.column + 1,
                "YAML anchors and aliases (&name, *name) are not allowed",
            )
        )
        return None
    seen.add(id(node))
    if depth > MAX_DEPTH:
        problems.append(
            Problem(path, mark.line + 1, mark.column + 1, f"nested more than {MAX_DEPTH} deep")
        )
        return None
    if node.tag not in _PLAIN_TAGS:
        problems.append(
            Problem(
                path,
                mark.line + 1,
                mark.column + 1,
                f"YAML tag {node.tag!r} is not allowed (tags could construct objects)",
            )
        )
        return None
    if isinstance(node, yaml.ScalarNode):
        s = _locate(Scalar(node.value), path, mark)
        s.plain = not node.style  # the C loader reports plain style as "", the Python one as None
        s.tag = node.tag
        return s
    if isinstance(node, yaml.SequenceNode):
        seq = _locate(Seq(), path, mark)
        for item in node.value:
            seq.append(_convert(item, path, problems, seen, depth + 1))
        return seq
    mapping = _locate(Map(), path, mark)
    for key_node, value_node in node.value:
        key = _convert(key_node, path, problems, seen, depth + 1)
        if key is None:
            continue
        if not isinstance(key, Scalar):
            problems.append(key.problem("a mapping key must be plain text"))
            continue
        if key in mapping:
            first = mapping.key(key)
            problems.append(
                key.problem(f"duplicate key {key!r} (first given on line {first.line})")
            )
            continue
        mapping[key] = _convert(value_node, path, problems, seen, depth + 1)
    return mapping


def load_yaml_file(path: Path | str):
    return parse_yaml(read_text(path), str(path))
