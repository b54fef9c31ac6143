"""Text for terminals: widths measured as a terminal shows them, tables that fit, and colour
only where a person is looking.

Every command that prints a table uses `table` here. A width of None means "not a terminal and
no COLUMNS": the output is then plain and stable for scripts (no wrapping, no colour)."""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from collections.abc import Mapping, Sequence

GAP = "  "  # between columns
MIN_FLEX = 16  # narrowest a wrapped column may get before the table changes layout


def char_width(ch: str) -> int:
    """Columns one character takes: 2 for East Asian wide and full-width characters, 0 for
    combining marks and zero-width characters, else 1."""
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufeff":
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return 0
    return 1


def display_width(text: str) -> int:
    """Columns a line of text takes on a terminal (len() counts a wide character as one)."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` columns (str.ljust would count characters, not columns)."""
    return text + " " * max(0, width - display_width(text))


def clip(text: str, width: int, mark: str = "...") -> str:
    """Shorten to `width` columns, ending with `mark` to show it was shortened."""
    if display_width(text) <= width:
        return text
    room = max(0, width - display_width(mark))
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > room:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + mark


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap to `width` columns, measuring wide characters as wide; a word longer than the
    line is broken. Always at least one line (an empty one for empty text)."""
    width = max(1, width)
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        w = display_width(word)
        if line and used + 1 + w <= width:
            line, used = f"{line} {word}", used + 1 + w
            continue
        if line:
            lines.append(line)
            line, used = "", 0
        while w > width:  # a word wider than the line: break it between characters
            piece, pw = "", 0
            for ch in word:
                cw = char_width(ch)
                if pw + cw > width and piece:
                    break
                piece, pw = piece + ch, pw + cw
            lines.append(piece)
            word = word[len(piece) :]
            w = display_width(word)
        line, used = word, w
    lines.append(line)
    return lines


def wrap_lines(lines: Sequence[str], width: int | None) -> list[str]:
    """Paragraph lines wrapped to `width` (unchanged when width is None), keeping each line's
    leading indent on its continuation lines."""
    if width is None:
        return list(lines)
    out: list[str] = []
    for line in lines:
        if display_width(line) <= width or not line.strip():
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        hang = indent + ("   " if line.lstrip().startswith(("- ", "* ")) else "")
        pieces = wrap(line.strip(), max(8, width - display_width(hang)))
        out.append(indent + pieces[0])
        out += [hang + p for p in pieces[1:]]
    return out


def terminal_width(stream=None, environ: Mapping[str, str] | None = None) -> int | None:
    """The width to fit output to: COLUMNS when set to a number (the user's explicit wish, even
    when piped), else the terminal's width when `stream` (default stdout) is a terminal, else
    None: piped output is not wrapped."""
    env = os.environ if environ is None else environ
    columns = env.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = sys.stdout if stream is None else stream
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size(fallback=(80, 24)).columns


def use_colour(stream=None, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only on a terminal, never when NO_COLOR is set to anything non-empty
    (https://no-color.org) or TERM is 'dumb'."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    stream = sys.stdout if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


COLOURS = {"green": "32", "red": "31", "yellow": "33", "bold": "1"}


def paint(text: str, colour: str, on: bool) -> str:
    """`text` in an ANSI colour when `on`; unchanged otherwise."""
    return f"\x1b[{COLOURS[colour]}m{text}\x1b[0m" if on and text else text


def table(
    rows: Sequence[Sequence[object]],
    header: Sequence[str],
    width: int | None = None,
    flex: int | None = None,
) -> str:
    """A plain-text table whose lines fit `width` columns.

    `flex` is the index of the column that may be wrapped (a title or description). With no
    width (piped, or a file) every cell is printed whole, one line a row: the stable layout.
    With a width: the flex column is wrapped onto continuation lines; where even a narrow one
    does not fit, it moves under its row, indented; where the other columns alone are too
    wide, every row is printed as `header: value` lines."""
    cells = [["" if c is None else str(c) for c in r] for r in rows]
    head = list(header)
    if width is None:
        return _grid(cells, head, {})
    widths = _widths(cells, head)
    total = sum(widths) + len(GAP) * (len(head) - 1)
    if total <= width:
        return _grid(cells, head, {})
    if flex is None:
        return _records(cells, head, width)
    others = total - widths[flex]
    room = width - others
    if room >= min(MIN_FLEX, widths[flex]):
        return _grid(cells, head, {flex: room})
    rest = [i for i in range(len(head)) if i != flex]
    narrow = [[r[i] for i in rest] for r in cells]
    if others - len(GAP) <= width:
        return _grid(
            narrow, [head[i] for i in rest], {}, below=[r[flex] for r in cells], width=width
        )
    return _records(cells, head, width)


def _widths(cells: list[list[str]], head: list[str]) -> list[int]:
    return [
        max(display_width(x) for x in [head[i], *(r[i] for r in cells)]) for i in range(len(head))
    ]


def _grid(
    cells: list[list[str]],
    head: list[str],
    wrapped: dict[int, int],
    below: list[str] | None = None,
    width: int | None = None,
) -> str:
    """Columns padded to their widest cell; `wrapped` maps a column to the width it is wrapped
    to; `below` is text printed under each row, indented by two spaces."""
    widths = _widths(cells, head)
    for i, w in wrapped.items():
        widths[i] = min(widths[i], w)

    def line(parts: list[str]) -> str:
        return GAP.join(pad(p, w) for p, w in zip(parts, widths)).rstrip()

    out = [line(head), line(["-" * w for w in widths])]
    for n, r in enumerate(cells):
        pieces = [wrap(c, widths[i]) if i in wrapped else [c] for i, c in enumerate(r)]
        for k in range(max(len(p) for p in pieces)):
            out.append(line([p[k] if k < len(p) else "" for p in pieces]))
        if below is not None and below[n]:
            out += ["  " + p for p in wrap(below[n], max(8, (width or 80) - 2))]
    return "\n".join(out)


def _records(cells: list[list[str]], head: list[str], width: int) -> str:
    """Each row as `header: value` lines, values wrapped: fits any sensible width."""
    label = max(display_width(h) for h in head) + 2
    out: list[str] = []
    for r in cells:
        if out:
            out.append("")
        for h, c in zip(head, r):
            if not c:
                continue
            pieces = wrap(c, max(8, width - label))
            out.append(pad(h + ":", label) + pieces[0])
            out += [" " * label + p for p in pieces[1:]]
    return "\n".join(out)
