"""Import: a unit table as it comes out of a specification -> a draft model.

Specifications print their units as tables under group headings; copied out of a PDF they
become tab- (or comma-) separated rows with headings, prose, page-break repeats of the header
and the odd stray row between them. This module reads such text (or a spreadsheet) into a
`Draft`: the units, the groups, the sentences that look like the rule of combination, and a
warning for every row it skipped. `Draft.yaml()` writes it out in the model format, with a
`TODO` rule for each sentence, which only a person can turn into rules: `pathway validate`
then points at each TODO until it is written."""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .model import is_urn

# What a header cell names, from its words (first match wins, so "Unit Reference No (URN)"
# is the URN column, not the number).
_URN_WORDS = {"urn", "uan", "qan", "ran", "reference", "accreditation"}
_NUMBER_ENDINGS = {"no", "number", "code", "ref", "unit"}
_NUMBER = re.compile(r"(?:unit\s+)?([A-Za-z]{0,4}\d{1,4}[A-Za-z]?)\Z", re.IGNORECASE)
_LIST_UNIT = re.compile(r"(\d{1,3}|[A-Z]{1,2}\d{1,3})\s+(\S.*)\Z")  # "1 Deliver reliable..."
_ELEMENT = re.compile(r"[-*\u2022]\s*(\d+\.\d+)\s+(\S.*)\Z")  # "- 1.1 Establish ..."
_GROUP_ID = re.compile(r"\bgroup\s+([A-Z0-9]{1,3})\b", re.IGNORECASE)
_QUALIFICATION_NUMBER = re.compile(r"\b\d{3}/\d{4}/[0-9X]\b")
_TAG = re.compile(r"<[^>]*>")
_PAGE = re.compile(r"(page\s+)?\d+(\s+of\s+\d+)?\Z", re.IGNORECASE)  # a page's footer
_NUMBER_WORD = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|all)\b"
)
_RULE_WORDS = (
    "minimum",
    "maximum",
    "at least",
    "total",
    "must",
    "required",
    "from",
    "plus",
    "barred",
    "not be taken",
    "of which",
)
_TITLE_WORDS = ("certificate", "diploma", "award", "nvq", "qualification")
_FILLER = {"units", "unit", "group", "groups", "the", "of", "and"}
_HEADING_WORDS = {"units", "unit", "group", "groups", "mandatory", "optional"}


@dataclass
class DraftUnit:
    line: int
    number: str | None  # None where the table has no number column (then the URN names it)
    title: str
    urn: str | None = None
    credit: int | None = None
    level: int | None = None
    glh: int | None = None
    elements: list[tuple[str, str]] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The URN where the document prints one, so the unit is shared by URN; else the
        body's own number (a unit row has one or the other)."""
        return self.urn or self.number or ""

    def values(self) -> tuple:
        return (self.urn, self.title, self.credit, self.level, self.glh)


@dataclass
class DraftGroup:
    id: str
    title: str
    line: int
    mandatory: bool
    units: list[DraftUnit] = field(default_factory=list)


@dataclass
class Draft:
    """What `import` read: units (in groups where the document has headings), the sentences
    that look like rules, and the rows it skipped."""

    path: str
    title: str | None = None
    qualification_number: str | None = None
    groups: list[DraftGroup] = field(default_factory=list)
    ungrouped: list[DraftUnit] = field(default_factory=list)
    sentences: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def units(self) -> list[DraftUnit]:
        """Every unit once, in the order first listed."""
        seen: dict[str, DraftUnit] = {}
        for u in [*self.ungrouped, *(u for g in self.groups for u in g.units)]:
            seen.setdefault(u.id, u)
        return list(seen.values())

    def yaml(self) -> str:
        return draft_yaml(self)


# -- reading -------------------------------------------------------------------------------


def import_file(path: Path | str) -> Draft:
    """Read a unit table from a text file (tab- or comma-separated) or a spreadsheet."""
    shown = str(path)
    if str(path).lower().endswith((".xlsx", ".xlsm")):
        return read_rows(_spreadsheet_rows(path), shown)
    from .source import read_text

    return read_table(read_text(path), shown)


def read_table(text: str, path: str = "<text>") -> Draft:
    """Read the text of a specification's unit table."""
    lines = text.splitlines()
    if any("\t" in line for line in lines):
        rows = [(i, line.split("\t")) for i, line in enumerate(lines, start=1)]
    else:
        rows = [(i, _csv_cells(line)) for i, line in enumerate(lines, start=1)]
        if not any(_header([_clean(c) for c in cells]) for _, cells in rows):
            # No comma-separated header: the commas are prose, and the text a list of units.
            rows = [(i, [line]) for i, line in enumerate(lines, start=1)]
        return read_rows(rows, path, joiner=", ")
    return read_rows(rows, path)


def read_rows(rows, path: str, joiner: str = " ") -> Draft:
    """Read (line, cells) rows, or (line, cells, where) where a message about the row names
    `where` rather than `path` (a workbook's sheet): headers, group headings, unit rows, rule
    sentences. A row that is not a unit is read as its cells joined by `joiner` (the separator
    it was split at)."""
    reader = _Reader(path, joiner)
    rows = [(row[0], [_clean(c) for c in row[1]], row[2] if len(row) > 2 else path) for row in rows]
    reader.list_mode = not any(_header(cells) for _, cells, _ in rows)
    for line, cells, where in rows:
        reader.where = where
        reader.row(line, cells)
    draft = reader.draft
    draft.groups = [g for g in draft.groups if g.units]
    if not draft.units() and reader.unnamed is not None:
        raise InputError(
            Problem(
                path,
                reader.unnamed,
                None,
                "no unit table found: the header names no unit number or URN column, so no "
                "row can be read as a unit",
            )
        )
    if not draft.units():
        raise InputError(
            Problem(
                path,
                None,
                None,
                "no unit table found: expected a header row naming columns such as Unit No, "
                "Unit title, URN, Credit, Level, GLH (tab- or comma-separated)",
            )
        )
    return draft


class _Reader:
    def __init__(self, path: str, joiner: str):
        self.draft = Draft(path)
        self.where = path  # what a message about the current row names: the file, or its sheet
        self.joiner = joiner
        self.columns: dict[str, int] | None = None  # column name -> cell index
        self.unknown: set[str] = set()  # header cells not read, each warned about once
        self.unnamed: int | None = None  # the line of a header with no number or URN column
        self.heading: tuple[int, str] | None = None  # the last heading seen
        self.group: DraftGroup | None = None  # where units go now
        self.by_id: dict[str, DraftUnit] = {}
        self.last: DraftUnit | None = None
        self.list_mode = False
        # A second qualification number: where and on which line, and the number.
        self.other: tuple[str, int, str] | None = None
        self.merged = False  # units followed it (and that was warned about)

    def row(self, line: int, cells: list[str]) -> None:
        filled = [c for c in cells if c]
        if not filled:
            return
        header = _header(cells)
        if header is not None:
            self.columns, heading, unknown = header
            if "number" not in self.columns and "urn" not in self.columns:
                self.unnamed = line
            for i in unknown:
                self._unknown(line, cells[i])
            if heading:
                self._heading(line, heading)
            return
        if len(filled) == 1 and cells[0]:
            self._single(line, cells[0])
            return
        text = self.joiner.join(filled)
        if self.columns is not None:
            unit = self._unit(line, cells)
            if isinstance(unit, str):  # a unit's number and title, but a bad value
                self.draft.warnings.append(Problem(self.where, line, None, unit))
                return
            if unit is not None:
                self._add(unit)
                return
        if _is_rule_sentence(text):
            self.draft.sentences.append((line, text))
            return
        self._numbers(line, text)  # a label and its value: "Qualification number | 600/..."
        if self.columns is not None or self.draft.units():
            self._skip(line, text)

    def _unknown(self, line: int, name: str) -> None:
        """A column the header names that import does not read (TQT, notes, ...): said once,
        so its figures are not mistaken for a unit's number, title or values."""
        if name.lower() in self.unknown:
            return  # the same header again, after a page break
        self.unknown.add(name.lower())
        self.draft.warnings.append(
            Problem(
                self.where,
                line,
                None,
                f"column {_short(name, 30)!r} is not one import reads (unit number, title, URN, "
                "credit, level, GLH); its values are skipped",
            )
        )

    def _numbers(self, line: int, text: str) -> None:
        """Qualification numbers outside rule sentences: the first is the draft's; another is
        kept back (`other`) until a unit is read after it (`_add`): a second qualification
        described (seed 004), not only mentioned ("replaces 500/1234/5")."""
        for number in _QUALIFICATION_NUMBER.finditer(text):
            if self.draft.qualification_number is None:
                self.draft.qualification_number = number.group()
            elif number.group() != self.draft.qualification_number and self.other is None:
                self.other = (self.where, line, number.group())

    def _merged(self) -> None:
        """A unit read after a second qualification number: the document describes more than
        one qualification (seed 004: a Level 2 and a Level 3 certificate in one table), and
        the draft holds the units of all of them under the first's title. Said once."""
        if self.other is None or self.merged:
            return
        self.merged = True
        where, line, number = self.other
        self.draft.warnings.append(
            Problem(
                where,
                line,
                None,
                f"a second qualification number, {number} (the first: "
                f"{self.draft.qualification_number}), with units after it: this draft holds "
                "the units of every qualification the document lists under the first one's "
                "title; write one model per qualification, each with its own units and rules",
            )
        )

    def _skip(self, line: int, text: str) -> None:
        self.draft.warnings.append(
            Problem(self.where, line, None, f"skipped, not a unit row: {_short(text)}")
        )

    def _single(self, line: int, text: str) -> None:
        if _PAGE.match(text):  # not a heading: the units after it are still in their group
            if self.columns is not None:
                self._skip(line, text)
            return
        element = _ELEMENT.match(text)
        if element and self.last is not None:
            self.last.elements.append((element.group(1), element.group(2).strip()))
            return
        if self.list_mode and self.heading is not None:
            unit = _LIST_UNIT.match(text)
            if unit:
                self._add(DraftUnit(line, unit.group(1), unit.group(2).strip()))
                return
        if _is_rule_sentence(text):
            self.draft.sentences.append((line, text.lstrip("-*\u2022 ")))
            return
        self._numbers(line, text)
        if _is_heading(text):
            if self.draft.title is None and _is_title(text):
                self.draft.title = text
            self._heading(line, text)

    def _heading(self, line: int, text: str) -> None:
        self.heading = (line, text)
        self.group = None  # made when its first unit comes: a heading without units is none

    def _unit(self, line: int, cells: list[str]) -> DraftUnit | str | None:
        """The unit a row gives; None when the row is no unit (no number or title); a
        warning's words when it has both but a value cannot be read (the row is skipped)."""
        assert self.columns is not None
        col = self.columns

        def cell(name: str) -> str:
            i = col.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        title = cell("title")
        if "number" in col:
            number = _NUMBER.match(cell("number"))
            if number is None or not title:
                return None
            printed: str | None = number.group(1)
        else:  # no number column: the URN names the unit, and the model needs no number
            if not is_urn(cell("urn")) or not title:
                return None
            printed = None
        skipped = f"skipped unit {printed or cell('urn')}"
        values: dict[str, int | None] = {}
        for name, lowest, highest in (("credit", 0, 999), ("level", 1, 8), ("glh", 0, 99999)):
            text = cell(name)
            if not text:
                values[name] = None
            elif text.isascii() and text.isdigit() and lowest <= int(text) <= highest:
                values[name] = int(text)
            else:
                word = "GLH" if name == "glh" else name
                return (
                    f"{skipped}: {word} {_short(text, 30)!r} is not a whole number from "
                    f"{lowest} to {highest:,}"
                )
        urn = cell("urn") or None
        if urn is not None and not is_urn(urn):
            return (
                f"{skipped}: URN {_short(urn, 30)!r} is not a unit reference number like A/506/2130"
            )
        return DraftUnit(
            line, printed, title, urn, values["credit"], values["level"], values["glh"]
        )

    def _add(self, unit: DraftUnit) -> None:
        self._merged()
        if self.group is None and self.heading is not None:
            self.group = self._group(*self.heading)
        known = self.by_id.get(unit.id)
        if known is not None:
            if known.values() != unit.values():
                self.draft.warnings.append(
                    Problem(
                        self.where,
                        unit.line,
                        None,
                        f"unit {unit.number or unit.id} is listed again with other values (first on line "
                        f"{known.line}); the first is kept",
                    )
                )
            unit = known
        else:
            self.by_id[unit.id] = unit
        self.last = unit
        members = self.group.units if self.group is not None else self.draft.ungrouped
        if unit not in members:
            members.append(unit)

    def _group(self, line: int, heading: str) -> DraftGroup:
        letter = _GROUP_ID.search(heading)
        if letter:
            gid = letter.group(1).upper()
        else:
            words = [w for w in re.findall(r"[A-Za-z0-9]+", heading) if w.lower() not in _FILLER]
            gid = "-".join(words)[:24].strip("-") or "Units"
            gid = gid[0].upper() + gid[1:]
        for g in self.draft.groups:
            if g.id == gid:
                return g  # the same group again, after a page break
        group = DraftGroup(gid, heading, line, "mandatory" in heading.lower())
        self.draft.groups.append(group)
        return group


def _header(cells: list[str]) -> tuple[dict[str, int], str, list[int]] | None:
    """The columns a header row names, a heading written in its first cell (as in
    "Level 2 Units | | QAN | Credit | Level") and the cells naming columns import does not
    read (as "TQT"); None if the row is not a header. Only the first cell, blank or holding
    such a heading, is taken for an unnamed number column (a column with a name import does
    not know is never read as the number); an unnamed title is a blank cell, or one named
    like a title ("Unit", "Description"), or the first column left."""
    names: dict[str, int] = {}
    for i, c in enumerate(cells):
        name = _column(c)
        if name is not None and name not in names:
            names[name] = i
    if len(names) < 3 and not (len(names) >= 2 and "title" in names):
        return None
    if any(c.isdigit() or is_urn(c) for c in cells):
        return None  # a unit row whose title happens to read like a header
    heading = ""
    free = [i for i in range(len(cells)) if i not in names.values()]
    if (
        "number" not in names
        and free
        and free[0] == 0
        and (not cells[0] or _is_table_heading(cells[0]))
    ):
        names["number"] = free.pop(0)
        heading = cells[0]
    if "title" not in names:
        # A blank cell first, then one worded like a title ("Unit", "Description"), then (as
        # import read such tables before 0.2) the first column left: a unit needs a title.
        blank = [i for i in free if not cells[i]]
        worded = [
            i for i in free if set(re.findall(r"[a-z]+", cells[i].lower())) & _TITLE_COLUMN_WORDS
        ]
        chosen = (blank or worded or free)[:1]
        if chosen:
            names["title"] = chosen[0]
            free.remove(chosen[0])
    return names, heading, [i for i in free if cells[i]]


_TITLE_COLUMN_WORDS = {"unit", "description", "content", "subject"}  # a title column's names


def _is_table_heading(text: str) -> bool:
    """A heading over a table's first column ("Level 2 Units", "Group A"), not a column name."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return _is_heading(text) and bool(words & _HEADING_WORDS)


def _column(cell: str) -> str | None:
    words = re.findall(r"[a-z]+", cell.lower())
    if not words:
        return None
    found = set(words)
    if found & _URN_WORDS:
        return "urn"
    if "glh" in found or {"guided", "learning"} <= found:
        return "glh"
    if found & {"credit", "credits"}:
        return "credit"
    if words in (["level"], ["qcf", "level"], ["rqf", "level"], ["unit", "level"]):
        return "level"
    if found & {"title", "name"}:
        return "title"
    if len(words) <= 3 and words[-1] in _NUMBER_ENDINGS:
        return "number"
    return None


def _clean(cell: str) -> str:
    """A cell's text without the markup PDF converters leave: HTML tags and entities,
    Markdown emphasis and heading marks, surrounding space."""
    text = html.unescape(_TAG.sub("", cell))
    text = text.replace("**", "").replace("__", "")
    return text.strip().lstrip("#").strip()


def _csv_cells(line: str) -> list[str]:
    return next(csv.reader([line]), [])


def _is_rule_sentence(text: str) -> bool:
    low = text.lower()
    if not ("credit" in low or "unit" in low):
        return False
    if not any(w in low for w in _RULE_WORDS):
        return False
    return any(ch.isdigit() for ch in low) or _NUMBER_WORD.search(low) is not None


def _is_title(text: str) -> bool:
    """A qualification's title, as documents print it: "OCR Level 2 Diploma in ..."."""
    low = text.lower()
    return re.search(r"\blevel \d\b", low) is not None and any(w in low for w in _TITLE_WORDS)


def _is_heading(text: str) -> bool:
    return (
        len(text) <= 80
        and len(text.split()) <= 12
        and text[-1] not in ".:;,"
        and any(ch.isalpha() for ch in text)
    )


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _spreadsheet_rows(path: Path | str):
    """Every sheet's rows as (line, cells, where): line is the row number, as the spreadsheet
    shows it, and where the file, or with more than one sheet the file and sheet."""
    try:
        import openpyxl  # type: ignore[import-untyped]  # an optional extra: pathway[xlsx]
    except ImportError:
        raise InputError(
            Problem(
                str(path),
                None,
                None,
                "reading spreadsheets needs openpyxl: pip install 'pathway[xlsx]' "
                "(or save the sheet as CSV)",
            )
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any reason the file is not a workbook
        raise InputError(Problem(str(path), None, None, f"not a readable .xlsx file ({error})"))
    rows = []
    sheets = book.worksheets
    for sheet in sheets:
        # Row numbers start again on each sheet: with more than one, messages name the sheet.
        where = f"{path} [{sheet.title}]" if len(sheets) > 1 else str(path)
        for i, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((i, ["" if v is None else _cell_text(v) for v in row], where))
    book.close()
    return rows


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 5.0 as the sheet shows it: 5
    return str(value)


# -- writing -------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9/][A-Za-z0-9 /.()-]*[A-Za-z0-9/.)]|[A-Za-z0-9]\Z")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _scalar(text: str) -> str:
    """Text as YAML reads it back as the same text: plain where that is safe, else quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _unit_yaml(u: DraftUnit) -> str:
    parts = [f"id: {_scalar(u.id)}"]
    if u.number is not None and (u.urn is not None or u.number != u.id):
        parts.append(f"number: {_scalar(u.number)}")
    parts.append(f"title: {_scalar(u.title)}")
    for name in ("credit", "level", "glh"):
        value = getattr(u, name)
        if value is not None:
            parts.append(f"{name}: {value}")
    text = "{" + ", ".join(parts)
    if u.elements:
        elements = ", ".join(
            f"{{number: {_scalar(n)}, title: {_scalar(t)}}}" for n, t in u.elements
        )
        text += f", elements: [{elements}]"
    return text + "}"


def draft_yaml(draft: Draft) -> str:
    """The draft as a model file: units listed under their groups (so each id is written
    once), the rule sentences as TODO rules."""
    out = [
        f"# Draft model imported from {draft.path} by `pathway import`.",
        "# Check every value against the document, then write each TODO rule by hand:",
        "# `pathway validate` names each one that is left.",
        f"title: {_scalar(draft.title or 'TODO: the qualification title')}",
    ]
    if draft.qualification_number:
        out.append(f"qualification_number: {_scalar(draft.qualification_number)}")
    out.append(f"source: {_scalar(Path(draft.path).name)}")
    defined: set[str] = set()

    def entry(u: DraftUnit) -> str:
        if u.id in defined:
            return _scalar(u.id)  # listed again (a unit in two groups): a reference
        defined.add(u.id)
        return _unit_yaml(u)

    if draft.ungrouped:
        out.append("units:")
        out += [f"  - {entry(u)}  # line {u.line}" for u in draft.ungrouped]
    if draft.groups:
        out.append("groups:")
    for g in draft.groups:
        out.append(f"  - id: {_scalar(g.id)}  # line {g.line}")
        out.append(f"    title: {_scalar(g.title)}")
        if g.mandatory:
            out.append("    mandatory: true")
        out.append("    units:")
        out += [f"      - {entry(u)}" for u in g.units]
    out.append("rules:")
    if not draft.sentences:
        out.append("  - kind: TODO")
        out.append('    text: "no rule of combination was found in the document"')
    for line, sentence in draft.sentences:
        out.append(f"  # line {line}: {sentence}")
        out.append("  - kind: TODO")
        out.append(f"    text: {json.dumps(sentence, ensure_ascii=False)}")
    return "\n".join(out) + "\n"
