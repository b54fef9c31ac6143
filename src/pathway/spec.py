"""A small declarative schema: one description of each file format drives both the loader's
checks (every problem with its line) and the JSON Schema that `pathway schema` prints, so the two
can never disagree."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .errors import Problem
from .limits import LARGEST
from .source import Located, Map, Scalar, Seq, resolve_plain
from .words import did_you_mean, plural

MAX_DIGITS = 30

# A scalar's type is the tag PyYAML gives it (YAML 1.1, as `yaml.safe_load` reads the file), so
# the loader and the JSON Schema, which sees what safe_load built, agree on what is a number.
_YAML = "tag:yaml.org,2002:"
INT, FLOAT, BOOL, NULL, STR = (_YAML + t for t in ("int", "float", "bool", "null", "str"))
_DECIMAL = re.compile(r"[-+]?[0-9][0-9_]*\Z")  # the int forms written in decimal (010 is 10)
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]*[89][0-9_]*\Z")  # 08: YAML 1.1 reads it as text
_EXPONENT = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+\Z")  # 1e3: text too
_BOOLS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}

# Identifiers (unit ids and numbers, group ids, references to them): no control character
# (Unicode category Cc) anywhere, and no white space at either end. One ECMA-262 pattern, which
# the JSON Schema carries and the loader runs, so the two cannot disagree. `(?![\s\S])` is the
# end of the text in both dialects; `$` would also match before a final newline in Python.
_CONTROL = r"\u0000-\u001f\u007f-\u009f"
_SPACE = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
IDENTIFIER_PATTERN = (
    rf"^(?:[^{_CONTROL}{_SPACE}](?:[^{_CONTROL}]*[^{_CONTROL}{_SPACE}])?)?(?![\s\S])"
)
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
_CONTROL_CHAR = re.compile(f"[{_CONTROL}]")
_SPACE_CHAR = re.compile(f"[{_SPACE}]")


class Int(int, Located):
    """An int that remembers where it was written (in an instance dict: int takes no slots)."""


class Float(float, Located):
    """A float that remembers where it was written."""

    __slots__ = ("column", "line", "path")


def _copy_where(dst, src):
    dst.path, dst.line, dst.column = src.path, src.line, src.column
    return dst


def _kind_of(node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if node is None:
        return "nothing"
    if node.tag == NULL:
        return "empty"
    return f"{node!r}"


def _plain_tag(text: str) -> str:
    """The tag YAML would give `text` written plain (unquoted)."""
    return resolve_plain(text)


def _not(node, wanted: tuple[str, ...]) -> str:
    """What a value of the wrong type is, for "X must be a number, not ...", with a hint where
    the value would be right written another way."""
    if not isinstance(node, Scalar) or node.tag == NULL:
        return _kind_of(node)
    if node.tag == STR and not node.plain and _plain_tag(str(node)) in wanted:
        return f"the quoted text {node!r}; remove the quotes"
    if node.tag == STR and node.plain and INT in wanted:
        if _LEADING_ZERO.match(node):
            return f"{node!r}; write it without the leading zero"
        if _EXPONENT.match(node):
            return (
                f"{node!r}; YAML reads an exponent as a number only with a dot and a sign (1.0e+3)"
            )
    return f"{node!r}"


def _non_decimal(node) -> bool:
    """Hexadecimal (0x10), binary (0b101) and sexagesimal (1:30) numbers, which YAML 1.1 reads
    as numbers but JSON cannot tell from decimal: refused, so a file means what it says."""
    if node.tag == INT:
        return not _DECIMAL.match(node) and _plain_tag(str(node)) == INT
    return node.tag == FLOAT and ":" in node


def _float_text(node) -> str:
    return node.replace("_", "").lower()


class Type:
    doc: str = ""

    def check(self, node, where: str, problems: list[Problem]):
        raise NotImplementedError

    def json_schema(self, defs) -> dict:
        raise NotImplementedError


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class Text(Type):
    """Raw text, kept as written: `1.10` stays "1.10", `no` stays "no", `010` stays "010". So the
    JSON Schema, which sees what YAML 1.1 made of the text, accepts numbers and booleans too.

    An `identifier` (a unit id or number, a group id, a reference to one) may not contain control
    characters or begin or end with white space: a block scalar (`id: |`) keeps its newline."""

    enum: tuple[str, ...] | None = None
    doc: str = ""
    identifier: bool = False

    def check(self, node, where, problems):
        if not isinstance(node, Scalar) or node.tag == NULL:
            problems.append(_problem(node, where, f"{where} must be text, not {_kind_of(node)}"))
            return None
        if self.enum is not None and node not in self.enum:
            choices = ", ".join(self.enum)
            problems.append(
                node.problem(
                    f"{where} is {node!r}{did_you_mean(node, self.enum)}; expected one of: {choices}"
                )
            )
            return None
        if self.identifier and not _IDENTIFIER.match(node):
            control = _CONTROL_CHAR.search(node)
            if control is not None:
                char = control.group()
                message = f"{where} must not contain control characters (U+{ord(char):04X})"
            else:
                char = node[0] if _SPACE_CHAR.match(node[0]) else node[-1]
                message = f"{where} must not begin or end with white space (U+{ord(char):04X})"
            problems.append(node.problem(message))
            return None
        return node

    def json_schema(self, defs):
        if self.enum is not None:
            return _described({"type": "string", "enum": list(self.enum)}, self.doc)
        s = {"type": ["string", "number", "boolean"]}
        if self.identifier:
            s["pattern"] = IDENTIFIER_PATTERN
        return _described(s, self.doc)


def _out_of_range(where, minimum, maximum, negative: bool) -> str:
    if negative and minimum is not None:
        return f"{where} must be at least {minimum:,}"
    if not negative and maximum is not None:
        return f"{where} must be at most {maximum:,}"
    return f"{where} must have at most {MAX_DIGITS} digits"


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class Integer(Type):
    """A whole number: a plain scalar YAML reads as an int (`1_0` is 10; `010` is 10, not
    octal 8) or as a float of whole value (`3.0`, `1.0e+3`), written in decimal digits."""

    minimum: int | None = None
    maximum: int | None = LARGEST
    doc: str = ""

    def check(self, node, where, problems):
        if (
            type(node) is Scalar
            and node.isdigit()  # plain decimal digits (not 08, which YAML 1.1 reads as text)
            and len(node) <= MAX_DIGITS
            and node.isascii()
            and node.tag == INT
        ):
            value = int(node)  # the common case, in short
            if (self.minimum is None or value >= self.minimum) and (
                self.maximum is None or value <= self.maximum
            ):
                out = Int(value)
                out.path, out.line, out.column = node.path, node.line, node.column
                return out
        bad = f"{where} must be a whole number"
        if not _decimal_number(node, where, bad, problems):
            return None
        if node.tag == INT:
            text = node.replace("_", "")
            if not _DECIMAL.match(text):  # only an explicit !!int tag gets here
                problems.append(node.problem(f"{bad}, not {node!r}"))
                return None
            digits = len(text.lstrip("+-").lstrip("0"))
            if digits > MAX_DIGITS:  # int() itself refuses past 4,300 digits, with a traceback
                message = _out_of_range(where, self.minimum, self.maximum, text.startswith("-"))
                problems.append(node.problem(f"{message}, not a number of {digits:,} digits"))
                return None
            value = int(text)
        else:
            try:
                from decimal import Decimal, InvalidOperation  # rare: only floats read as ints

                exact = Decimal(_float_text(node))  # exact: 2.0000000000000001 is not whole
            except InvalidOperation:
                exact = Decimal("NaN")
            if not exact.is_finite():
                problems.append(node.problem(f"{bad}, not {node!r}"))
                return None
            if exact != exact.to_integral_value():
                problems.append(node.problem(f"{bad}, not {node}"))
                return None
            if exact.adjusted() >= MAX_DIGITS:  # 1.0e+999999 would be a million-digit int
                message = _out_of_range(where, self.minimum, self.maximum, exact < 0)
                problems.append(node.problem(f"{message}, not {node}"))
                return None
            value = int(exact)
        if self.minimum is not None and value < self.minimum:
            problems.append(node.problem(f"{where} must be at least {self.minimum}, not {value}"))
            return None
        if self.maximum is not None and value > self.maximum:
            problems.append(
                node.problem(f"{where} must be at most {self.maximum:,}, not {value:,}")
            )
            return None
        return _copy_where(Int(value), node)

    def json_schema(self, defs):
        return _bounded("integer", self.minimum, None, self.maximum, self.doc)


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class Number(Type):
    """A plain scalar YAML reads as an int or a float (`0.5`, `30`, `1.0e+3`; `1e3` is text in
    YAML 1.1), written in decimal digits."""

    minimum: float | None = None
    maximum: float | None = LARGEST
    doc: str = ""
    above: float | None = None  # an exclusive minimum

    def check(self, node, where, problems):
        bad = f"{where} must be a number"
        if not _decimal_number(node, where, bad, problems):
            return None
        text = _float_text(node)
        try:
            value = float(text.replace(".inf", "inf"))
        except ValueError:
            value = math.nan
        if math.isnan(value):  # JSON has no NaN, and every comparison with one is false
            problems.append(node.problem(f"{bad}, not {node!r}"))
            return None
        if self.minimum is not None and value < self.minimum:
            problems.append(node.problem(f"{where} must be at least {self.minimum:g}, not {node}"))
            return None
        if self.above is not None and value <= self.above:
            problems.append(node.problem(f"{where} must be more than {self.above:g}, not {node}"))
            return None
        if self.maximum is not None and value > self.maximum:
            problems.append(node.problem(f"{where} must be at most {self.maximum:,g}, not {node}"))
            return None
        if math.isinf(value):
            problems.append(node.problem(f"{where} must be a finite number, not {node}"))
            return None
        return _copy_where(Float(value), node)

    def json_schema(self, defs):
        return _bounded("number", self.minimum, self.above, self.maximum, self.doc)


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class Boolean(Type):
    """A plain scalar YAML 1.1 reads as a boolean: true/false, yes/no, on/off, in any of the
    spellings YAML allows (`true`, `True`, `TRUE`)."""

    doc: str = ""

    def check(self, node, where, problems):
        if isinstance(node, Scalar) and node.tag == BOOL and node.lower() in _BOOLS:
            return _BOOLS[node.lower()]
        problems.append(
            _problem(node, where, f"{where} must be true or false, not {_not(node, (BOOL,))}")
        )
        return None

    def json_schema(self, defs):
        return _described({"type": "boolean"}, self.doc)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class Date(Type):
    """A calendar date written YYYY-MM-DD, quoted or not (YAML 1.1 reads it unquoted as a
    timestamp, YAML 1.2 and JSON as text: both are the same date here)."""

    doc: str = ""

    def check(self, node, where, problems):
        import datetime

        if (
            isinstance(node, Scalar)
            and node.tag in (STR, _YAML + "timestamp")
            and _DATE.match(node)
        ):
            try:
                return datetime.date.fromisoformat(str(node))
            except ValueError:
                problems.append(node.problem(f"{where} is not a date in the calendar: {node}"))
                return None
        problems.append(
            _problem(
                node, where, f"{where} must be a date written YYYY-MM-DD, not {_kind_of(node)}"
            )
        )
        return None

    def json_schema(self, defs):
        return _described({"type": "string", "pattern": DATE_PATTERN}, self.doc)


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class ListOf(Type):
    """A list of values of one type."""

    item: Type
    min_items: int = 0
    doc: str = ""

    def check(self, node, where, problems):
        if not isinstance(node, Seq):
            problems.append(_problem(node, where, f"{where} must be a list, not {_kind_of(node)}"))
            return None
        if len(node) < self.min_items:
            problems.append(
                node.problem(
                    f"{where} needs at least {plural(self.min_items, 'items')}, has {len(node)}"
                )
            )
            return None
        out = _copy_where(Seq(), node)
        for i, item in enumerate(node):
            if item is None:
                continue
            value = self.item.check(item, f"{where}[{i + 1}]", problems)
            if value is not None:
                out.append(value)
        return out

    def json_schema(self, defs):
        s = {"type": "array", "items": self.item.json_schema(defs)}
        if self.min_items:
            s["minItems"] = self.min_items
        return _described(s, self.doc)


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class MapOf(Type):
    """A mapping with free keys (unit ids, tags) and values of one type."""

    value: Type
    doc: str = ""

    def check(self, node, where, problems):
        if not isinstance(node, Map):
            problems.append(
                _problem(node, where, f"{where} must be a mapping, not {_kind_of(node)}")
            )
            return None
        out = _copy_where(Map(), node)
        for key, item in node.items():
            value = self.value.check(item, f"{where}.{key}", problems)
            if value is not None:
                out[key] = value
        return out

    def json_schema(self, defs):
        return _described(
            {"type": "object", "additionalProperties": self.value.json_schema(defs)}, self.doc
        )


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class Field:
    """A field of a Record: its type and whether it must be given."""

    type: Type
    required: bool = False


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class Record(Type):
    """A mapping with named fields; unknown and missing fields are problems."""

    name: str
    fields: dict[str, Field]
    doc: str = ""
    one_of_required: tuple[str, ...] = ()

    def check(self, node, where, problems):
        if not isinstance(node, Map):
            problems.append(_not_a_mapping(node, where, self.name))
            return None
        out = Map()
        out.path, out.line, out.column = node.path, node.line, node.column
        ok = True
        fields = self.fields
        prefix = f"{where}." if where else ""
        for key, item in node.items():
            spec = fields.get(key)
            if spec is None:
                known = ", ".join(fields)
                problems.append(
                    key.problem(
                        f"unknown field {key!r} in {self.name}{did_you_mean(key, fields)} "
                        f"(known: {known})"
                    )
                )
                ok = False
                continue
            if item is None:
                ok = False
                continue
            value = spec.type.check(item, prefix + key, problems)
            if value is None:
                ok = False
            else:
                out[key] = value
        for name in self._required():
            if name not in node:
                problems.append(node.problem(f"{self.name} is missing required field {name!r}"))
                ok = False
        if self.one_of_required and not any(n in node for n in self.one_of_required):
            names = " or ".join(repr(n) for n in self.one_of_required)
            problems.append(node.problem(f"{self.name} needs {names}"))
            ok = False
        return out if ok else None

    def _required(self) -> tuple[str, ...]:
        """The required fields' names, worked out once (the check runs once per unit)."""
        required = self.__dict__.get("_required_names")
        if required is None:
            required = tuple(k for k, f in self.fields.items() if f.required)
            self.__dict__["_required_names"] = required
        return required

    def json_schema(self, defs):
        s = {
            "type": "object",
            "properties": {k: f.type.json_schema(defs) for k, f in self.fields.items()},
            "additionalProperties": False,
        }
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            s["required"] = required
        if self.one_of_required:
            s["anyOf"] = [{"required": [n]} for n in self.one_of_required]
        return _described(s, self.doc)


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class Tagged(Type):
    """A mapping whose `kind` field picks which Record it must be."""

    name: str
    variants: dict[str, Record]
    key: str = "kind"
    doc: str = ""

    def check(self, node, where, problems):
        if not isinstance(node, Map):
            problems.append(_not_a_mapping(node, where, self.name))
            return None
        kind = node.get(self.key)
        if kind is None:
            kinds = ", ".join(self.variants)
            problems.append(node.problem(f"{self.name} is missing {self.key!r} (one of: {kinds})"))
            return None
        if not isinstance(kind, Scalar) or kind not in self.variants:
            kinds = ", ".join(self.variants)
            problems.append(
                _problem(
                    kind,
                    where,
                    f"unknown {self.name} kind {kind!r}{did_you_mean(kind, self.variants)} "
                    f"(known: {kinds})",
                )
            )
            return None
        return self.variants[kind].check(node, where, problems)

    def json_schema(self, defs):
        # Rules nest (any-of holds rules), so the variants live once under $defs.
        if self.name not in defs:
            defs[self.name] = {}
            defs[self.name] = _described(
                {"oneOf": [self._variant_schema(k, v, defs) for k, v in self.variants.items()]},
                self.doc,
            )
        return {"$ref": f"#/$defs/{self.name}"}

    def _variant_schema(self, kind: str, variant: Record, defs) -> dict:
        """A variant that matches only its own `kind`: several variants share their fields
        (credits and units rules do), and oneOf refuses a document that two variants accept."""
        s = variant.json_schema(defs)
        s["properties"][self.key] = {"const": kind}
        return s


@dataclass(repr=False, eq=False)  # declarations: no repr or equality needed
class Either(Type):
    """A value written one of several ways, chosen by its YAML shape."""

    scalar: Type | None = None
    seq: Type | None = None
    mapping: Type | None = None
    doc: str = ""

    def check(self, node, where, problems):
        if isinstance(node, Map) and self.mapping is not None:
            return self.mapping.check(node, where, problems)
        if isinstance(node, Seq) and self.seq is not None:
            return self.seq.check(node, where, problems)
        if isinstance(node, Scalar) and self.scalar is not None:
            return self.scalar.check(node, where, problems)
        shapes = [
            n
            for n, t in (("text", self.scalar), ("a list", self.seq), ("a mapping", self.mapping))
            if t is not None
        ]
        problems.append(
            _problem(node, where, f"{where} must be {' or '.join(shapes)}, not {_kind_of(node)}")
        )
        return None

    def json_schema(self, defs):
        return _described(
            {"anyOf": [t.json_schema(defs) for t in (self.scalar, self.seq, self.mapping) if t]},
            self.doc,
        )


def _decimal_number(node, where: str, bad: str, problems: list[Problem]) -> bool:
    """Whether `node` is a number as YAML reads one, written in decimal digits; if not, the
    problem (`bad` says what was wanted) is added."""
    if not isinstance(node, Scalar) or node.tag not in (INT, FLOAT):
        problems.append(_problem(node, where, f"{bad}, not {_not(node, (INT, FLOAT))}"))
        return False
    if _non_decimal(node):
        problems.append(node.problem(f"{bad}, not {node!r}; write it in decimal digits"))
        return False
    return True


def _not_a_mapping(node, where: str, name: str) -> Problem:
    """The problem with a record (`name`: which one) given as something other than a mapping."""
    return _problem(node, where, f"{where} must be a mapping ({name}), not {_kind_of(node)}")


def _bounded(kind: str, minimum, above, maximum, doc: str) -> dict:
    """The JSON Schema of an "integer" or a "number" with the bounds it has (`above`: an
    exclusive minimum)."""
    bounds = {"minimum": minimum, "exclusiveMinimum": above, "maximum": maximum}
    schema = {"type": kind, **{key: v for key, v in bounds.items() if v is not None}}
    return _described(schema, doc)


def _described(schema: dict, doc: str) -> dict:
    if doc:
        schema["description"] = doc
    return schema


def _problem(node, where, message) -> Problem:
    if node is not None and hasattr(node, "problem"):
        return node.problem(message)
    return Problem("?", None, None, message)


def document_schema(root: Type, title: str, schema_id: str) -> dict:
    """The JSON Schema (draft 2020-12) of a whole file described by `root`."""
    defs: dict = {}
    body = root.json_schema(defs)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **body,
    }
    if defs:
        schema["$defs"] = defs
    return schema
