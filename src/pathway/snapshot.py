"""`pathway test --update`: write a scenario's actual result into its `expect:` block, as
snapshot tests' update flags do, editing the file's text so its comments and layout stay.

Only the values that must change are rewritten, each in the place and style (flow `[1, 2]` or
block `- 1` lines) it had; other lines are left byte for byte. A result is written only when it
is proven (optimal with the tie-break proven, or infeasible), and only if the edited file, read
back, meets its expectation; the file is replaced atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .expect import compare
from .words import plural

PROVEN = ("optimal", "infeasible")
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./+-]*")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


class UpdateRefused(Exception):
    """Why a scenario file was left as it was."""


def update_file(path, scenario, solution) -> list[str]:
    """Rewrite `path`'s `expect:` block with `solution`; the names of the keys changed.
    Raises UpdateRefused when the result is not proven or the block cannot be edited safely."""
    from .errors import InputError
    from .output import WriteError, write_atomic
    from .scenario import build_scenario
    from .source import parse_yaml

    if solution.status not in PROVEN:
        raise UpdateRefused(
            f"not updated: the solve is {solution.status}, not proven (raise time_limit)"
        )
    if solution.status == "optimal" and not solution.tie_break_proven:
        raise UpdateRefused(
            "not updated: the optimum is proven but not the tie-break's pathway, so another "
            "run may choose other units (raise time_limit)"
        )
    raw = Path(path).read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    new_text, changed = updated_text(text, scenario, solution)
    try:
        again = build_scenario(parse_yaml(new_text, str(path)), path)
    except InputError as error:  # pragma: no cover - a bug here, never the user's
        raise UpdateRefused(f"not updated: the edited file would not load ({error})") from None
    left = compare(again, solution)
    if left:
        raise UpdateRefused("not updated: " + "; ".join(left))
    try:
        write_atomic(path, ("\ufeff" if bom else "") + new_text, force=True, keep_mode=True)
    except WriteError as error:
        raise UpdateRefused(f"not updated: {error}") from None
    return changed


def wanted(scenario, solution) -> dict[str, object | None]:
    """The expectation the actual result gives, key by key; None means "remove the key".
    Keys absent from the result are not touched."""
    expect = scenario.expect
    q = scenario.qualification
    best = solution.best
    changed_status = str(expect.get("status")) != solution.status
    out: dict[str, object | None] = {"status": solution.status}
    if best is None:
        for key in ("objective", "units", "includes", "excludes"):
            out[key] = None
    else:
        value = best.values[0] if len(best.values) == 1 else list(best.values)
        if "objective" in expect or changed_status:
            out["objective"] = value
        if "units" in expect or changed_status:
            out["units"] = [q.unit(u).number or u for u in best.units]
    if solution.status == "infeasible" and solution.explanation:
        said = " ".join(f"{c.key} {c.says}" for c in solution.explanation.conflicts)
        mentions = expect.get("explanation_mentions")
        if changed_status or (mentions and any(str(m) not in said for m in mentions)):
            out["explanation_mentions"] = [c.key for c in solution.explanation.conflicts]
    elif "explanation_mentions" in expect:
        out["explanation_mentions"] = None
    return out


def updated_text(text: str, scenario, solution) -> tuple[str, list[str]]:
    """`text` with its expect block rewritten, and the keys changed."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    block = _value_of(root, "expect")
    if not isinstance(block, yaml.MappingNode) or block.flow_style:
        raise UpdateRefused("not updated: the expect block is not written as indented lines")
    newline = "\r\n" if "\r\n" in text else "\n"
    starts = _line_starts(text)
    entries = {str(k.value): (k, v) for k, v in block.value}
    indent = " " * block.value[0][0].start_mark.column
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), by character index
    changed: list[str] = []
    for key, value in wanted(scenario, solution).items():
        if key in entries:
            k, v = entries[key]
            if value is None:
                first = starts[k.start_mark.line]
                last = _end_line(v)
                end = starts[last + 1] if last + 1 < len(starts) else len(text)
                edits.append((first, end, ""))
                changed.append(f"removed {key}")
                continue
            if _same(v, value):
                continue
            start, end = v.start_mark.index, _end_index(v)
            edits.append((start, end, _render(value, v, text, newline)))
            changed.append(key)
        elif value is not None:
            last = max(_end_line(v) for _, v in block.value)
            at = starts[last + 1] if last + 1 < len(starts) else len(text)
            line = f"{indent}{key}: {_render(value, None, text, newline)}{newline}"
            if at == len(text) and text and not text.endswith("\n"):
                line = newline + line
            edits.append((at, at, line))
            changed.append(f"added {key}")
    if "includes" in entries or "excludes" in entries:
        for key in ("includes", "excludes"):
            if key in entries and key not in changed and f"removed {key}" not in changed:
                _check_kept(key, scenario, solution)
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, changed


def _check_kept(key: str, scenario, solution) -> None:
    """includes/excludes are written by people, partly: never guessed, so a failing one stops
    the update (the reader edits it)."""
    problems = [m for m in compare(scenario, solution) if m.startswith(key + ":")]
    if problems:
        raise UpdateRefused(f"not updated: {problems[0]} (edit {key} by hand)")


def _value_of(root, key: str):
    import yaml

    if not isinstance(root, yaml.MappingNode):
        return None
    for k, v in root.value:
        if k.value == key:
            return v
    return None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _end_node(node):
    """The last node inside `node`: a block sequence's own end mark lies past any comment lines
    that follow it, its last item's does not."""
    import yaml

    while isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        node = node.value[-1]
    return node


def _end_index(node) -> int:
    return _end_node(node).end_mark.index


def _end_line(node) -> int:
    end = _end_node(node).end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


def _same(node, value) -> bool:
    import yaml

    if isinstance(value, list):
        return isinstance(node, yaml.SequenceNode) and [str(n.value) for n in node.value] == [
            str(v) for v in value
        ]
    return isinstance(node, yaml.ScalarNode) and str(node.value) == str(value)


def _scalar(value) -> str:
    text = str(value)
    if isinstance(value, int) or (_PLAIN.fullmatch(text) and text.lower() not in _RESERVED):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _render(value, old, text: str, newline: str) -> str:
    """`value` in YAML, in the style of the node it replaces (block lists stay block lists)."""
    import yaml

    if not isinstance(value, list):
        return _scalar(value)
    if isinstance(old, yaml.SequenceNode) and not old.flow_style and old.value:
        column = old.start_mark.column
        item_indent = " " * column
        lines = [f"- {_scalar(v)}" for v in value]
        return (newline + item_indent).join(lines) if lines else "[]"
    return "[" + ", ".join(_scalar(v) for v in value) + "]"


def describe(changed: list[str]) -> str:
    return plural(len(changed), "keys") + ": " + ", ".join(changed) if changed else "no change"
