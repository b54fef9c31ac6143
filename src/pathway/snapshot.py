"""`pathway test --update`: write a scenario's actual result into its `expect:` block, as
snapshot tests' update flags do, editing the file's text so its comments and layout stay.

Only the values that must change are rewritten, each in the place and style (flow `[1, 2]` or
block `- 1` lines) it had; other lines are left byte for byte. In a rewritten list, an item
that stays keeps its text and comments, and an item removed takes its own along (see
_list_edit); comments inside a `[ ]` list stop the update instead. A result is written only
when it is proven (optimal with the tie-break proven, or infeasible), and only if the edited
file, read back, meets its expectation; the file is replaced atomically."""

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
            same = _item_key(key, scenario.qualification)
            if _same(v, value, key == "units" and same):
                continue
            if isinstance(value, list) and isinstance(v, yaml.SequenceNode) and v.value:
                edits.append(_list_edit(key, value, v, text, newline, starts, same))
            else:
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


def _same(node, value, unit_of=None) -> bool:
    """Whether `node` already says `value`. With `unit_of`, a list of units is the same when
    it names the same units, in any order and spelling (as the expectation compares them)."""
    import yaml

    if (
        unit_of
        and isinstance(value, list)
        and isinstance(node, yaml.SequenceNode)
        and all(isinstance(n, yaml.ScalarNode) for n in node.value)
    ):
        old = {unit_of(n.value, i) for i, n in enumerate(node.value)}
        return old == {unit_of(v, i) for i, v in enumerate(value)}
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


def _item_key(key: str, q):
    """What makes an old list item the same as a new one, so it keeps its text and comment:
    the unit for `units` (however it was spelled), the position for `objective` (a comment
    there names the objective), the text for `explanation_mentions`."""
    if key == "units":

        def unit(value, index: int) -> str:
            found = q.find(str(value))
            return found.id if found else str(value)

        return unit
    if key == "objective":
        return lambda value, index: index
    return lambda value, index: str(value)


def _line_end(text: str, index: int) -> int:
    """Where the line holding `index` ends, before its newline (and any carriage return)."""
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    return end - 1 if end > index and text[end - 1] == "\r" else end


_DASH = re.compile(r"[ \t]*-[ \t]+")
_COMMENT = re.compile(r"[ \t]+#.*")


def _list_edit(key: str, value: list, old, text: str, newline: str, starts, same):
    """The edit that makes list `old` say `value`, in its style. An item that stays keeps its
    text (`A/506/2130` stays so, not `1`) and its comments: the one on its line and, in a
    `- ` list, the comment lines just above it; an item that goes takes its comments along.
    Comment lines above the first item belong to the list and stay where they are."""
    import yaml

    items = old.value
    if not all(isinstance(i, yaml.ScalarNode) for i in items):  # pragma: no cover - not loadable
        return old.start_mark.index, _end_index(old), _render(value, old, text, newline)
    keys = [same(i.value, n) for n, i in enumerate(items)]
    matched: list[int | None] = []  # for each new value, the old item it is, if any
    for n, v in enumerate(value):
        k = same(v, n)
        found = next((i for i, o in enumerate(keys) if o == k and i not in matched), None)
        matched.append(found)
    words = []
    for i, v in zip(matched, value):
        # a unit keeps its spelling; an objective's position keeps its comment, not its value
        item = items[i] if i is not None else None
        keep = item is not None and (key == "units" or str(item.value) == str(v))
        words.append(
            text[item.start_mark.index : item.end_mark.index] if keep and item else _scalar(v)
        )
    last = old.end_mark.index if old.flow_style else items[-1].end_mark.index
    between = text[old.start_mark.index : last]
    for item in reversed(items):  # what is left is brackets, commas, dashes and comments
        a, b = (
            item.start_mark.index - old.start_mark.index,
            item.end_mark.index - old.start_mark.index,
        )
        between = between[:a] + between[b:]
    if old.flow_style:
        if "#" in between:
            raise UpdateRefused(
                f"not updated: expect.{key} has comments inside its [ ], which would be lost; "
                "write it as - lines to keep them, or edit it by hand"
            )
        return old.start_mark.index, old.end_mark.index, "[" + ", ".join(words) + "]"
    lines = [starts[i.start_mark.line] for i in items]
    if any(
        i.start_mark.line != i.end_mark.line or not _DASH.fullmatch(text[line : i.start_mark.index])
        for i, line in zip(items, lines)
    ):  # pragma: no cover - an item split over lines
        if "#" in between:
            raise UpdateRefused(
                f"not updated: expect.{key} has an item over several lines and comments, "
                "which would be lost; edit it by hand"
            )
        return old.start_mark.index, _end_index(old), _render(value, old, text, newline)
    ends = [_line_end(text, i.end_mark.index) for i in items]
    trailing = []
    for i, end in zip(items, ends):
        after = text[i.end_mark.index : end]
        trailing.append(after if _COMMENT.fullmatch(after) else "")
    above = [""] + [
        text[starts[items[n - 1].end_mark.line + 1] : lines[n]] for n in range(1, len(items))
    ]
    if not value:
        return old.start_mark.index, ends[-1], "[]"
    indent = " " * old.start_mark.column
    out = []
    for i, word in zip(matched, words):
        comment_lines, comment = (above[i], trailing[i]) if i is not None else ("", "")
        out.append(f"{comment_lines}{indent}- {word}{comment}")
    return lines[0], ends[-1], newline.join(out)


def describe(changed: list[str]) -> str:
    return plural(len(changed), "keys") + ": " + ", ".join(changed) if changed else "no change"
