"""A small declarative schema: one description of each file format drives both the loader's
checks (every problem with its line) and the JSON Schema that `pathway schema` prints, so the two
can never disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Problem
from .limits import LARGEST
from .source import Located, Map, Scalar, Seq

MAX_DIGITS = 30
_INT = re.compile(r"[+-]?[0-9]+\Z")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}


class Int(int, Located):
    """An int that remembers where it was written."""


class Float(float, Located):
    """A float that remembers where it was written."""


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
    if node.plain and node in _NULLS:
        return "empty"
    return f"{node!r}"


class Type:
    doc: str = ""

    def check(self, node, where: str, problems: list[Problem]):
        raise NotImplementedError

    def json_schema(self, defs) -> dict:
        raise NotImplementedError


@dataclass
class Text(Type):
    """Raw text. Numbers are kept as written (`1.10` stays "1.10")."""

    enum: tuple[str, ...] | None = None
    doc: str = ""

    def check(self, node, where, problems):
        if not isinstance(node, Scalar) or (node.plain and node in _NULLS):
            problems.append(_problem(node, where, f"{where} must be text, not {_kind_of(node)}"))
            return None
        if self.enum is not None and node not in self.enum:
            choices = ", ".join(self.enum)
            problems.append(node.problem(f"{where} is {node!r}; expected one of: {choices}"))
            return None
        return node

    def json_schema(self, defs):
        if self.enum is not None:
            return _described({"type": "string", "enum": list(self.enum)}, self.doc)
        return _described({"type": ["string", "number"]}, self.doc)


@dataclass
class Integer(Type):
    minimum: int | None = None
    maximum: int | None = LARGEST
    doc: str = ""

    def check(self, node, where, problems):
        if not isinstance(node, Scalar) or not _INT.match(node.strip()):
            if isinstance(node, Scalar) and _NUMBER.match(node.strip()):
                message = f"{where} must be a whole number, not {node}"
            else:
                message = f"{where} must be a whole number, not {_kind_of(node)}"
            problems.append(_problem(node, where, message))
            return None
        digits = len(node.strip().lstrip("+-").lstrip("0"))
        if digits > MAX_DIGITS:  # int() itself refuses past 4,300 digits, with a traceback
            negative = node.strip().startswith("-")
            if negative and self.minimum is not None:
                message = f"{where} must be at least {self.minimum:,}"
            elif not negative and self.maximum is not None:
                message = f"{where} must be at most {self.maximum:,}"
            else:
                message = f"{where} must have at most {MAX_DIGITS} digits"
            problems.append(node.problem(f"{message}, not a number of {digits:,} digits"))
            return None
        value = int(node)
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
        s = {"type": "integer"}
        if self.minimum is not None:
            s["minimum"] = self.minimum
        if self.maximum is not None:
            s["maximum"] = self.maximum
        return _described(s, self.doc)


@dataclass
class Number(Type):
    minimum: float | None = None
    maximum: float | None = LARGEST
    doc: str = ""
    above: float | None = None  # an exclusive minimum

    def check(self, node, where, problems):
        if not isinstance(node, Scalar) or not _NUMBER.match(node.strip()):
            problems.append(
                _problem(node, where, f"{where} must be a number, not {_kind_of(node)}")
            )
            return None
        value = float(node)
        if self.minimum is not None and value < self.minimum:
            problems.append(node.problem(f"{where} must be at least {self.minimum:g}, not {node}"))
            return None
        if self.above is not None and value <= self.above:
            problems.append(node.problem(f"{where} must be more than {self.above:g}, not {node}"))
            return None
        if self.maximum is not None and value > self.maximum:
            problems.append(node.problem(f"{where} must be at most {self.maximum:,g}, not {node}"))
            return None
        return _copy_where(Float(value), node)

    def json_schema(self, defs):
        s = {"type": "number"}
        if self.minimum is not None:
            s["minimum"] = self.minimum
        if self.above is not None:
            s["exclusiveMinimum"] = self.above
        if self.maximum is not None:
            s["maximum"] = self.maximum
        return _described(s, self.doc)


@dataclass
class Boolean(Type):
    doc: str = ""

    def check(self, node, where, problems):
        if isinstance(node, Scalar) and node.plain and node in ("true", "false"):
            return node == "true"
        problems.append(
            _problem(node, where, f"{where} must be true or false, not {_kind_of(node)}")
        )
        return None

    def json_schema(self, defs):
        return _described({"type": "boolean"}, self.doc)


@dataclass
class ListOf(Type):
    item: Type
    min_items: int = 0
    doc: str = ""

    def check(self, node, where, problems):
        if not isinstance(node, Seq):
            problems.append(_problem(node, where, f"{where} must be a list, not {_kind_of(node)}"))
            return None
        if len(node) < self.min_items:
            problems.append(
                node.problem(f"{where} needs at least {self.min_items} item(s), has {len(node)}")
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


@dataclass
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


@dataclass
class Field:
    type: Type
    required: bool = False


@dataclass
class Record(Type):
    """A mapping with named fields; unknown and missing fields are problems."""

    name: str
    fields: dict[str, Field]
    doc: str = ""
    one_of_required: tuple[str, ...] = ()

    def check(self, node, where, problems):
        if not isinstance(node, Map):
            problems.append(
                _problem(
                    node, where, f"{where} must be a mapping ({self.name}), not {_kind_of(node)}"
                )
            )
            return None
        out = _copy_where(Map(), node)
        ok = True
        for key, item in node.items():
            spec = self.fields.get(key)
            if spec is None:
                known = ", ".join(self.fields)
                problems.append(
                    key.problem(f"unknown field {key!r} in {self.name} (known: {known})")
                )
                ok = False
                continue
            if item is None:
                ok = False
                continue
            value = spec.type.check(item, f"{where}.{key}" if where else str(key), problems)
            if value is None:
                ok = False
            else:
                out[key] = value
        for name, spec in self.fields.items():
            if spec.required and name not in node:
                problems.append(node.problem(f"{self.name} is missing required field {name!r}"))
                ok = False
        if self.one_of_required and not any(n in node for n in self.one_of_required):
            names = " or ".join(repr(n) for n in self.one_of_required)
            problems.append(node.problem(f"{self.name} needs {names}"))
            ok = False
        return out if ok else None

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


@dataclass
class Tagged(Type):
    """A mapping whose `kind` field picks which Record it must be."""

    name: str
    variants: dict[str, Record]
    key: str = "kind"
    doc: str = ""

    def check(self, node, where, problems):
        if not isinstance(node, Map):
            problems.append(
                _problem(
                    node, where, f"{where} must be a mapping ({self.name}), not {_kind_of(node)}"
                )
            )
            return None
        kind = node.get(self.key)
        if kind is None:
            kinds = ", ".join(self.variants)
            problems.append(node.problem(f"{self.name} is missing {self.key!r} (one of: {kinds})"))
            return None
        if not isinstance(kind, Scalar) or kind not in self.variants:
            kinds = ", ".join(self.variants)
            problems.append(
                _problem(kind, where, f"unknown {self.name} kind {kind!r} (known: {kinds})")
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


@dataclass
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
