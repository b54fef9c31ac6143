"""Load: YAML files -> validated model objects. Every problem found in a file is reported at
once, each with its line, as one InputError."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from . import formats, spec
from .errors import InputError, Problem
from .model import (
    AllOf,
    Amount,
    AnyOf,
    Barred,
    Element,
    Group,
    Mandatory,
    Operational,
    Qualification,
    Rule,
    Scope,
    Unit,
    UnitIndex,
    is_urn,
)
from .refs import is_model_ref
from .source import Map, Scalar, Seq, load_yaml_file, no_gc, resolve_plain
from .words import describe_amount, did_you_mean, join_labels

_STR = "tag:yaml.org,2002:str"
MODEL_SUFFIXES = (".yaml", ".yml", ".json")  # JSON: the same schema (source.parse_json)


def model_id_of(path: Path | str) -> str:
    return Path(path).stem


_SCENARIO_ONLY = frozenset(formats.SCENARIO.fields) - frozenset(formats.MODEL.fields)


def is_scenario(doc) -> bool:
    """A scenario names its qualification; one that forgot to, but has no units and some field
    only scenarios have, is still a scenario, so it is told what it lacks, not model errors."""
    if not isinstance(doc, Map):
        return False
    if "qualification" in doc:
        return True
    return "units" not in doc and any(key in _SCENARIO_ONLY for key in doc)


def check_document(doc, spec, path: str):
    problems: list[Problem] = []
    if not isinstance(doc, Map):
        kind = "a list" if isinstance(doc, list) else "a single value"
        raise InputError(
            Problem(
                path,
                getattr(doc, "line", 1),
                1,
                f"expected a mapping of fields at the top, found {kind}",
            )
        )
    value = spec.check(doc, "", problems)
    if problems:
        raise InputError(problems)
    return value


def load_model(path: Path | str) -> Qualification:
    """Read, check and resolve one model file."""
    with no_gc():
        return build_model(load_yaml_file(path), path)  # no name holds the values read


_MODELS: dict[tuple[str, int, int], Qualification | None] = {}


def _stamp(path: Path | str) -> tuple[str, int, int]:
    stat = Path(path).stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


def model_file(path: Path | str) -> Qualification | None:
    """The model at `path` (None when the file is a scenario), read once per process while the
    file is unchanged: `validate models/ scenarios/` would otherwise read each model once for
    itself and again for every scenario that names it."""
    key = _stamp(path)
    if key not in _MODELS:
        with no_gc():
            doc = load_yaml_file(path)
            # A scenario (this one, or another) named as the model: its model errors would confuse.
            _MODELS[key] = None if is_scenario(doc) else build_model(doc, path)
    return _MODELS[key]


def remember_model(path: Path | str, q: Qualification) -> None:
    """Keep a model just built from `path` for model_file."""
    _MODELS[_stamp(path)] = q


def build_model(doc, path: Path | str) -> Qualification:
    shown = str(path)
    with no_gc():
        quick = _quick_units(doc, model_id_of(path))
        if quick is not None:
            # Every unit under `units:` passed the quick check, which accepts only what the
            # schema accepts: the rest of the file is checked as usual, and any problem it
            # finds is the very one the full check would have reported.
            doc = _without_units(doc)
        data = check_document(doc, formats.MODEL, shown)
        del doc  # where the caller holds none, what only the check needed goes now
        builder = _ModelBuilder(data, Path(path), quick)
        return builder.build()


# The unit fields the quick check knows and Unit reads from it: text, identifiers, numbers.
_QUICK_TEXTS = ("title", "urn", "note")
_QUICK_IDENTIFIERS = ("id", "number", "group")
_QUICK_NUMBERS = ("credit", "level", "glh")


_TEXT, _IDENTIFIER_TEXT = "text", "identifier"  # kinds of field for the quick check


@functools.cache
def _quick_fields() -> dict[str, Any]:
    """The fields the quick check knows, each as the schema (formats.UNIT) describes it: _TEXT,
    _IDENTIFIER_TEXT, or a whole number's (minimum, maximum). A field the schema describes
    otherwise is left out, so a unit that has it takes the full way."""
    fields = formats.UNIT.fields
    kinds: dict[str, Any] = {}
    for name in _QUICK_TEXTS + _QUICK_IDENTIFIERS:
        kind = fields[name].type
        identifier = name in _QUICK_IDENTIFIERS
        if type(kind) is spec.Text and kind.enum is None and kind.identifier == identifier:
            kinds[name] = _IDENTIFIER_TEXT if identifier else _TEXT
    for name in _QUICK_NUMBERS:
        kind = fields[name].type
        if type(kind) is spec.Integer and kind.minimum is not None:
            top = 10**spec.MAX_DIGITS if kind.maximum is None else kind.maximum
            kinds[name] = (kind.minimum, top)
    return kinds


_IDENTIFIER = re.compile(spec.IDENTIFIER_PATTERN)
_NULL_TEXTS = frozenset(("", "~", "null", "Null", "NULL"))  # all YAML 1.1 reads as null


def _quick_units(doc, model_id: str) -> list[tuple[Map, Unit]] | None:
    """Each unit under `units:` with the Unit made from it, checked in one pass; or None where
    any unit needs the full check (a field it does not know, a value it is not sure of).

    A 50,000-unit model spent a third of its load in the schema check, which makes a checked
    copy of every value; this makes none. It accepts a value only where spec.py's check would
    accept it unchanged (the same tests: text not null, identifiers matching the identifier
    pattern, numbers in decimal digits within bounds); anything else goes the full way, whose
    messages are then exactly the usual ones (tests/test_quick_load.py compares the two)."""
    nodes = doc.get("units") if type(doc) is Map else None
    if type(nodes) is not Seq or not nodes or not _plain_digits_are_ints():
        return None
    kinds = _quick_fields()
    fields = kinds.keys()
    identifier = _IDENTIFIER.match
    null_texts = _NULL_TEXTS
    null_tag, int_tag = spec.NULL, spec.INT
    digits = spec.MAX_DIGITS
    new_unit = Unit
    out = []
    for node in nodes:
        if type(node) is not Map or not node.keys() <= fields or "id" not in node:
            return None
        whole: dict[str, int] = {}
        try:
            for key, value in node.items():
                tag = value._tag  # None: plain, type not yet resolved; a list has none: raises
                if (value in null_texts) if tag is None else (tag == null_tag):
                    return None  # null: the full check says it must be text, or a number
                kind = kinds[key]
                if kind is _TEXT:
                    continue
                if kind is _IDENTIFIER_TEXT:
                    # Letters and digits only pass at once; anything else, as spec.Text decides.
                    if not value.isalnum() and identifier(value) is None:
                        return None
                elif (
                    value.isdigit()
                    and value.isascii()
                    and len(value) <= digits
                    and (tag == int_tag if tag is not None else value[0] != "0" or value == "0")
                    and kind[0] <= (amount := int(value)) <= kind[1]
                ):
                    whole[key] = amount
                else:
                    return None  # 08 (text to YAML 1.1: 0... is left to the full check), -1, 1.5
        except AttributeError:
            return None  # a list or a mapping where text or a number goes
        get = node.get
        uid = str(node["id"])
        number, title, urn, note = get("number"), get("title"), get("urn"), get("note")
        unit = new_unit(
            uid,
            None if number is None else str(number),
            "" if title is None else str(title),
            whole.get("credit"),
            whole.get("level"),
            whole.get("glh"),
            (),
            (),
            (),
            {},
            None if note is None else str(note),
            model_id,
            node.line,
            str(urn) if urn is not None else (uid if is_urn(uid) else None),
        )
        out.append((node, unit))
    return out


@functools.cache
def _plain_digits_are_ints() -> bool:
    """Whether YAML reads plain decimal digits not led by 0 as an int, as PyYAML's resolvers
    do (checked, not assumed: the quick check leans on it)."""
    return all(resolve_plain(text) == spec.INT for text in ("0", "7", "19", "123456789"))


def _without_units(doc: Map) -> Map:
    """The document without its `units:` (already checked), located as it was."""
    rest = Map((k, v) for k, v in doc.items() if k != "units")
    rest.path, rest.line, rest.column = doc.path, doc.line, doc.column
    return rest


class _ModelBuilder:
    def __init__(self, data: Map, path: Path, quick: list[tuple[Map, Unit]] | None = None):
        self.data = data
        self.quick = quick  # units under `units:` already checked and made (_quick_units)
        self.path = path
        self.shown = str(path)
        self.model_id = model_id_of(path)
        self.problems: list[Problem] = []
        self.units: list[Unit] = []
        self.by_id: dict[str, Unit] = {}  # lookups stay linear on models with many units
        self.index = UnitIndex(())
        self.base: Qualification | None = None  # the model named by `extends:`
        self.unit_groups: list[tuple[Scalar, str]] = []  # (a unit's `group:`, the unit's id)
        self.refused: set[int] = set()  # ids (id()) of refused units' id nodes, not listed again

    def build(self) -> Qualification:
        if "extends" in self.data:
            self.base = self._extends(self.data["extends"])
            if self.base is None:
                raise InputError(self.problems)  # every reference to its units would fail too
        self._units()
        groups = self._groups()
        self.groups = {g.id: g for g in groups}
        rules = [
            self._mandatory_group_rule(g, i)
            for i, g in enumerate([g for g in groups if g.mandatory], start=1)
        ]
        for i, node in enumerate(self.data.get("rules", []), start=1):
            rule = self._rule(node, f"R{i}")
            if rule is not None:
                rules.append(rule)
        self._check_stated_credits(groups)
        if self.problems:
            raise InputError(self.problems)
        d = self.data
        dates = d.get("operational")
        return Qualification(
            id=self.model_id,
            title=str(d["title"]),
            path=self.shown,
            units=tuple(self.units),
            groups=tuple(groups),
            rules=tuple(rules),
            awarding_body=_opt(d.get("awarding_body")),
            qualification_number=_opt(d.get("qualification_number")),
            level=d.get("level"),
            source=_opt(d.get("source")),
            notes=tuple(str(n) for n in d.get("notes", [])),
            tqt=d.get("tqt"),
            operational=None if dates is None else Operational(**dates),
            extends=_opt(d.get("extends")),
        )

    def _extends(self, ref) -> Qualification | None:
        """The model whose units and groups this one takes. One step deep, as `from:` is: the
        base may not extend another, so there are no chains or cycles."""
        base_id = str(ref)
        if not _is_model_id(base_id):
            self.problems.append(
                ref.problem(
                    f"extends: {base_id!r} is not a model id (the name of a model file in this "
                    "folder, without .yaml)"
                )
            )
            return None
        base_path = find_model(self.path.parent, base_id)
        if base_path is None:
            self.problems.append(ref.problem(f"extends: no model {base_id!r} next to this file"))
            return None
        if base_path.resolve() == self.path.resolve():
            self.problems.append(ref.problem("a model cannot extend itself"))
            return None
        try:
            doc = load_yaml_file(base_path)
            if isinstance(doc, Map) and "extends" in doc:
                self.problems.append(
                    ref.problem(
                        f"extends: {base_id!r} itself extends another model; extend that one "
                        "(extends is one step deep)"
                    )
                )
                return None
            return build_model(doc, base_path)
        except InputError:
            self.problems.append(
                ref.problem(
                    f"cannot extend {base_id!r}: that model has problems "
                    f"(run: pathway validate {base_path})"
                )
            )
            return None

    # -- units ---------------------------------------------------------------------------
    def _units(self):
        seen_numbers: dict[str, int | str] = {}  # where each was first given: a line, or words
        seen_ids: dict[str, int | str] = {}
        if self.base is not None:
            self.units = list(self.base.units)
            for u in self.units:
                where = f"in {self.base.id}, which this model extends"
                seen_ids[u.id] = where
                if u.number is not None:
                    seen_numbers[u.number] = where
        # Each unit's checked values are let go once its Unit is made: nothing after this reads
        # them, and on a large model the values read outweigh the model built from them.
        entries: list[Any] = self.quick or [(n, None) for n in self.data.pop("units", None) or []]
        self.quick = None
        entries += [(n, None) for n in _units_in_groups(self.data)]
        if not entries and self.base is None:
            self.problems.append(
                Problem(
                    self.shown,
                    self.data.line,
                    None,
                    "a model needs units: under `units:`, under a group, or from `extends:`",
                )
            )
        for i, (node, unit) in enumerate(entries):
            entries[i] = None
            if unit is None:
                unit = self._import(node) if "from" in node else self._unit(node)
            elif "urn" in node:
                self._unit_checks(node, unit)
            if unit is None:
                continue
            if unit.id in seen_ids:
                self.problems.append(
                    node["id"].problem(
                        f"duplicate unit id {unit.id!r} (first {_at(seen_ids[unit.id])})"
                    )
                )
                self.refused.add(id(node["id"]))  # defined in a group: not its member twice
                continue
            if unit.number is not None:
                if unit.number in seen_numbers:
                    where = node.get("number") or node
                    self.problems.append(
                        where.problem(
                            f"unit number {unit.number!r} is given twice "
                            f"(first {_at(seen_numbers[unit.number])})"
                        )
                    )
                    continue
                seen_numbers[unit.number] = node.line
            seen_ids[unit.id] = node.line
            if "group" in node:
                self.unit_groups.append((node["group"], unit.id))
            self.units.append(unit)
        self.index = UnitIndex(self.units)
        self.by_id = by_id = self.index.by_id  # ids are unique by now
        for u in self.units:
            other = by_id.get(u.number) if u.number is not None else None
            if other is not None and other is not u:
                # "unit 7" would name one unit in a rule and another in a scenario.
                self.problems.append(
                    Problem(
                        self.shown,
                        u.line,
                        None,
                        f"unit number {u.number!r} is also the id of another unit "
                        f"(line {other.line}); references to it would be ambiguous",
                    )
                )

    def _unit(self, node: Map) -> Unit | None:
        return self._unit_checks(node, _unit(node, self.model_id))

    def _unit_checks(self, node: Map, unit: Unit) -> Unit:
        """What the schema cannot say about a unit (its urn, tags and equivalents)."""
        if "urn" not in node and "tags" not in node and "equivalents" not in node:
            return unit  # nothing more to check
        if "urn" in node and not is_urn(unit.urn or ""):
            self.problems.append(
                node["urn"].problem(
                    f"urn {str(node['urn'])!r} is not a URN (a letter and digits: A/506/2130)"
                )
            )
        elif "urn" in node and is_urn(unit.id) and unit.id != unit.urn:
            self.problems.append(
                node["urn"].problem(f"urn {unit.urn} differs from the unit's id, itself a URN")
            )
        seen_tags: set[str] = set()
        for tag in node.get("tags", []):
            if str(tag) in seen_tags:
                # A tag listed twice would count its preference weight twice.
                self.problems.append(tag.problem(f"tag {str(tag)!r} is given twice"))
            seen_tags.add(str(tag))
        for entry in node.get("equivalents", []):
            if not is_urn(str(entry)) and not is_model_ref(str(entry)):
                self.problems.append(
                    entry.problem(
                        f"equivalents: {str(entry)!r} is neither a URN (A/506/2130) nor "
                        "model-id:unit-id (a unit without a URN in another model)"
                    )
                )
        return unit  # kept when refused, so its references do not fail too

    def _import(self, node: Map) -> Unit | None:
        source_id = str(node["from"])
        if not _is_model_id(source_id):
            self.problems.append(
                node["from"].problem(
                    f"from: {source_id!r} is not a model id (the name of a model file in this "
                    "folder, without .yaml)"
                )
            )
            return None
        source_path = find_model(self.path.parent, source_id)
        if source_path is None:
            self.problems.append(
                node["from"].problem(
                    f"no model {source_id!r} next to this file to import unit {node['id']} from"
                )
            )
            return None
        if source_path.resolve() == self.path.resolve():
            self.problems.append(node["from"].problem("a model cannot import from itself"))
            return None
        try:
            source_units = _units_of(source_path)
        except InputError:
            self.problems.append(
                node["from"].problem(
                    f"cannot import from {source_id!r}: that model has problems "
                    f"(run: pathway validate {source_path})"
                )
            )
            return None
        unit = source_units.get(str(node["id"]))
        if unit is None:
            self.problems.append(
                node["id"].problem(f"model {source_id!r} defines no unit {node['id']!r}")
            )
            return None
        number = str(node["number"]) if "number" in node else unit.number
        return unit.but(number=number, line=node.line)

    # -- groups --------------------------------------------------------------------------
    def _groups(self) -> list[Group]:
        groups: list[Group] = list(self.base.groups) if self.base is not None else []
        seen: dict[str, str] = {g.id: f"in {self.base.id}" for g in groups if self.base}
        members: dict[str, list] = {}  # group id -> units naming it with `group:`
        for ref, uid in self.unit_groups:
            member = Scalar(uid)  # the unit's id, found where its `group:` was written
            member.path, member.line, member.column = ref.path, ref.line, ref.column
            member.tag, member.plain = _STR, False
            members.setdefault(str(ref), []).append(member)
        nodes = self.data.get("groups", [])
        known = {str(n["id"]) for n in nodes} | set(seen)
        for ref, uid in self.unit_groups:
            if str(ref) not in known:
                hint = did_you_mean(ref, sorted(known))
                listed = ", ".join(sorted(known)) or "none defined"
                self.problems.append(
                    ref.problem(
                        f"{self._unit_label(uid)} names unknown group {ref!r}{hint} "
                        f"(groups: {listed})"
                    )
                )
        for node in nodes:
            gid = str(node["id"])
            if gid in seen:
                self.problems.append(
                    node["id"].problem(f"duplicate group id {gid!r} (first {_at(seen[gid])})")
                )
                continue
            seen[gid] = str(node.line)
            refs = node.get("units", [])
            if self.refused:
                refs = [r for r in refs if id(r) not in self.refused]
            if gid in members:
                refs = [*refs, *members[gid]]
            if not refs:
                self.problems.append(
                    node.problem(
                        f"group {gid} has no units: list them under `units:`, or give each "
                        f"unit `group: {gid}`"
                    )
                )
            mandatory = bool(node.get("mandatory", False))
            if "credits" in node and not mandatory:
                self.problems.append(
                    node["credits"].problem(
                        "credits states a mandatory group's total; for an optional group "
                        "write a credits rule"
                    )
                )
            groups.append(
                Group(
                    id=gid,
                    title=_opt(node.get("title")),
                    mandatory=mandatory,
                    stated_credits=node.get("credits"),
                    units=self._unit_refs(refs, f"group {gid}"),
                    line=node.line,
                )
            )
        return groups

    def _unit_refs(self, refs, owner: str) -> tuple[str, ...]:
        ids: dict[str, None] = {}  # ordered, with set-speed membership
        by_id, find = self.index.by_id, self.index.find
        for ref in refs:
            unit = by_id.get(ref) or find(ref)  # an id, as most references are, else any name
            uid = unit.id if unit else None
            if uid is None:
                hint = did_you_mean(ref, self.index.names())
                self.problems.append(ref.problem(f"{owner} names unknown unit {ref!r}{hint}"))
            elif uid in ids:
                self.problems.append(ref.problem(f"{owner} names unit {ref!r} twice"))
            else:
                ids[uid] = None
        return tuple(ids)

    def _group_refs(self, refs, owner: str) -> list[Group]:
        if isinstance(refs, Scalar):  # `optional` or `mandatory`: every group of that kind
            mandatory = str(refs) == "mandatory"
            chosen = [g for g in self.groups.values() if g.mandatory == mandatory]
            if not chosen:
                self.problems.append(
                    refs.problem(f"{owner} names the {refs} groups, but no group is {refs}")
                )
            return chosen
        found = []
        for ref in refs:
            g = self.groups.get(str(ref))
            if g is None:
                known = ", ".join(self.groups) or "none defined"
                self.problems.append(
                    ref.problem(
                        f"{owner} names unknown group {ref!r}{did_you_mean(ref, self.groups)} "
                        f"(groups: {known})"
                    )
                )
            else:
                found.append(g)
        return found

    def _check_stated_credits(self, groups):
        for g in groups:
            if g.stated_credits is None or (self.base is not None and g in self.base.groups):
                continue
            credits = [self._credit(uid) for uid in g.units]
            if None in credits:
                continue
            total = sum(credits)
            if total != g.stated_credits:
                node = next(n for n in self.data["groups"] if str(n["id"]) == g.id)
                self.problems.append(
                    node["credits"].problem(
                        f"{g.label} states {g.stated_credits} credits but its units add up to {total}"
                    )
                )

    # -- rules ---------------------------------------------------------------------------
    def _mandatory_group_rule(self, group: Group, i: int) -> Rule:
        return Mandatory(
            key=f"G{i}",
            name=f"all of {group.label} (mandatory)",
            text=None,
            note=None,
            line=group.line,
            units=group.units,
        )

    def _rule(self, node: Map, key: str) -> Rule | None:
        kind = str(node["kind"])
        common: dict[str, Any] = {
            "key": key,
            "text": _opt(node.get("text")),
            "note": _opt(node.get("note")),
            "line": node.line,
        }
        name = _opt(node.get("name"))
        owner = f"rule {key} ({kind})"
        if kind == "mandatory":
            groups = self._group_refs(node.get("groups", []), owner)
            explicit = self._unit_refs(node.get("units", []), owner)
            units = _union([g.units for g in groups] + [explicit])
            labels = [g.label for g in groups] + [self._unit_label(u) for u in explicit]
            return Mandatory(
                name=name or "all of " + join_labels(labels), units=tuple(units), **common
            )
        if kind in ("credits", "units"):
            return self._amount(node, kind, name, common, owner)
        if kind == "barred":
            return self._barred(node, name, common, owner)
        children = []
        for j, child in enumerate(node["rules"], start=1):
            built = self._rule(child, f"{key}.{j}")
            if built is not None:
                children.append(built)
        joiner = " or " if kind == "any-of" else " and "
        desc = ("one of: " if kind == "any-of" else "all of: ") + joiner.join(
            f"({c.name})" for c in children
        )
        cls = AnyOf if kind == "any-of" else AllOf
        return cls(name=name or desc, rules=tuple(children), **common)

    def _barred(self, node, name, common, owner) -> Rule | None:
        """One barred set (`units`), or several (`pairs`, or `unit` with each of `with`):
        several become an all-of of barred rules, so the compiler and the auditor
        see only the one barred kind, and `pathway check` reports each pair on its own."""
        sets: list[tuple[str, ...]] = []
        if "unit" in node or "with" in node:
            if "unit" not in node or "with" not in node:
                given, wanted = ("unit", "with") if "unit" in node else ("with", "unit")
                self.problems.append(node[given].problem(f"{given}: needs {wanted}: beside it"))
                return None
            star = self._unit_refs([node["unit"]], owner)
            others = self._unit_refs(node["with"], owner)
            sets = [(a, b) for a in star for b in others if a != b]
            if star and star[0] in others:
                self.problems.append(
                    node["with"].problem(f"with: names unit {node['unit']} itself")
                )
        if "units" in node:
            sets.append(self._unit_refs(node["units"], owner))
        for pair in node.get("pairs", []):
            barred = self._unit_refs(pair, owner)
            if len(barred) == len(pair) and len(barred) < 2:
                self.problems.append(pair.problem("a barred set needs two different units"))
            sets.append(barred)
        sets = list(dict.fromkeys(s for s in sets if s))
        if len(sets) == 1 or not sets:
            barred = sets[0] if sets else ()
            if len(barred) < 2 and not self.problems:
                self.problems.append(node.problem("a barred rule needs two different units"))
            desc = "at most one of " + join_labels([self._unit_label(u) for u in barred])
            return Barred(name=name or desc, units=barred, **common)
        key = common["key"]
        children = []
        for j, barred in enumerate(sets, start=1):
            labels = [self._unit_label(u) for u in barred]
            children.append(
                Barred(
                    key=f"{key}.{j}",
                    name="at most one of " + join_labels(labels),
                    text=None,
                    note=None,
                    line=common["line"],
                    units=barred,
                )
            )
        desc = "at most one of each of: " + "; ".join(
            join_labels([self._unit_label(u) for u in barred]) for barred in sets
        )
        return AllOf(name=name or desc, rules=tuple(children), **common)

    def _amount(self, node, measure, name, common, owner) -> Rule | None:
        lo, hi = node.get("min"), node.get("max")
        if lo is not None and hi is not None and lo > hi:
            self.problems.append(node["min"].problem(f"min {lo} is more than max {hi}"))
        lo_lvl, hi_lvl = node.get("min_level"), node.get("max_level")
        if lo_lvl is not None and hi_lvl is not None and lo_lvl > hi_lvl:
            self.problems.append(
                node["min_level"].problem(f"min_level {lo_lvl} is above max_level {hi_lvl}")
            )
        if "each" in node:
            if "groups" in node or "units" in node:
                self.problems.append(
                    node["each"].problem(
                        "each applies the rule to each group listed; do not also give groups or units"
                    )
                )
            groups = self._group_refs(node["each"], owner)
            scopes = tuple(Scope(g.label, g.units) for g in groups)
            labels = [g.label for g in groups]
        else:
            groups = self._group_refs(node.get("groups", []), owner)
            extra = self._unit_refs(node.get("units", []), owner)
            units = _union([g.units for g in groups] + [extra])
            labels = [g.label for g in groups] + [self._unit_label(u) for u in extra]
            if not groups and not extra:
                units = [u.id for u in self.units]
            scopes = (Scope(join_labels(labels) if labels else "all units", tuple(units)),)
        if lo_lvl is not None or hi_lvl is not None:
            no_level = sorted(
                {self._unit_label(u) for s in scopes for u in s.units if self._level(u) is None}
            )
            if no_level:
                self.problems.append(
                    node.problem(
                        f"{owner} counts by level, but these units have no level: "
                        + ", ".join(no_level)
                    )
                )
        if measure == "credits":
            missing = sorted({self._unit_label(u) for u in _no_credit(scopes, self.by_id)})
            if missing:
                self.problems.append(
                    node.problem(
                        f"{owner} counts credits, but these units have no credit value: "
                        + ", ".join(missing)
                    )
                )
        desc = describe_amount(measure, lo, hi, lo_lvl, hi_lvl, labels, "each" in node)
        return Amount(
            name=name or desc,
            measure=measure,
            scopes=scopes,
            min=lo,
            max=hi,
            min_level=lo_lvl,
            max_level=hi_lvl,
            **common,
        )

    def _unit_label(self, unit_id: str) -> str:
        unit = self.by_id.get(unit_id)
        return unit.label if unit else unit_id

    def _level(self, unit_id: str):
        unit = self.by_id.get(unit_id)
        return unit.level if unit else 0  # an unknown unit is reported where it is named

    def _credit(self, unit_id: str):
        unit = self.by_id.get(unit_id)
        return unit.credit if unit else None


def _no_credit(scopes, by_id: dict[str, Unit]) -> list[str]:
    """The ids in `scopes` of units with no credit value, or unknown (named where listed)."""
    return [
        uid
        for scope in scopes
        for uid in scope.units
        if (unit := by_id.get(uid)) is None or unit.credit is None
    ]


def _at(where: int | str) -> str:
    """'on line 4', or where else a unit or group was first given."""
    return f"on line {where}" if isinstance(where, int) or where.isdigit() else where


def _units_in_groups(data: Map) -> list[Map]:
    """Units defined where a group lists them, in group order. Each entry in the group's list
    becomes a reference to the unit's id, so the group is read as if it had been listed."""
    found = []
    for group in data.get("groups", []):
        entries = group.get("units")
        if entries is None:
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, Map):
                found.append(entry)
                entries[i] = entry["id"]
    return found


def _opt(value) -> str | None:
    return None if value is None else str(value)


def _union(id_lists) -> list[str]:
    """The ids of every list, each once, in first-seen order."""
    return list(dict.fromkeys(uid for ids in id_lists for uid in ids))


def _is_model_id(text: str) -> bool:
    """A model id names a file beside this one: no folders, no way out of the folder."""
    return bool(text) and not text.startswith(".") and not any(c in text for c in "/\\:")


def _unit(node: Map, model_id: str) -> Unit:
    get = node.get
    uid = str(node["id"])
    urn = get("urn")
    number = get("number")
    credit = get("credit")
    glh = get("glh")
    elements = get("elements")
    tags = get("tags")
    equivalents = get("equivalents")
    inferred = get("inferred")
    note = get("note")
    title = get("title")
    level = get("level")
    # Values as plain str and int: the located ones are needed only while the file is checked.
    return Unit(
        uid,
        None if number is None else str(number),
        "" if title is None else str(title),
        None if credit is None else int(credit),
        None if level is None else int(level),
        None if glh is None else int(glh),
        () if elements is None else tuple(_element(e) for e in elements),
        () if tags is None else tuple(str(t) for t in tags),
        () if equivalents is None else tuple(str(e) for e in equivalents),
        {} if inferred is None else {str(k): str(v) for k, v in inferred.items()},
        None if note is None else str(note),
        model_id,
        node.line,
        str(urn) if urn is not None else (uid if is_urn(uid) else None),
    )


def _element(node: Map) -> Element:
    number = node.get("number")
    return Element(None if number is None else str(number), str(node["title"]))


def find_model(folder: Path, model_id: str) -> Path | None:
    """The file of model `model_id` in `folder`, if there is one (os.path: a scenario's lookup
    tries several folders, and validate does it for every scenario)."""
    for suffix in MODEL_SUFFIXES:
        candidate = os.path.join(folder, model_id + suffix)
        if os.path.isfile(candidate):
            return Path(candidate)
    return None


def _units_of(path: Path) -> dict[str, Unit]:
    """The units a model defines itself (imports are not followed, so there are no cycles)."""
    doc = load_yaml_file(path)
    data = check_document(doc, formats.MODEL, str(path))
    nodes = list(data.get("units", [])) + _units_in_groups(data)
    return {str(n["id"]): _unit(n, model_id_of(path)) for n in nodes if "from" not in n}


def expand_paths(paths, problems: list[Problem] | None = None) -> list[Path]:
    """Files as given; folders searched (recursively) for YAML files, in sorted order.

    Links to folders are not followed (as `rglob` does not), and a folder met twice is read
    once, so a link loop cannot hang the search. Anything else with a YAML name is listed, even
    if it is not a regular file or cannot be read: `read_text` then says why, without opening
    a named pipe. A folder that cannot be listed is a Problem added to `problems`, or raised
    as an InputError when no list is given: never skipped without a word."""
    import os

    out: list[Path] = []
    found: list[Problem] = []
    for p in map(Path, paths):
        if not p.is_dir():
            out.append(p)
            continue
        files: list[Path] = []
        seen: set[tuple[int, int]] = set()
        folders = [p]
        while folders:
            folder = folders.pop()
            try:
                info = folder.stat()
                if (info.st_dev, info.st_ino) in seen:
                    continue
                seen.add((info.st_dev, info.st_ino))
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                found.append(Problem(str(folder), None, None, f"cannot read folder: {reason}"))
                continue
            for entry in entries:
                path = folder / entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(path)
                        continue
                    if path.suffix not in MODEL_SUFFIXES or entry.is_dir():
                        continue  # not YAML, or a link to a folder
                except OSError:
                    pass  # e.g. a link loop: listed, and read_text says what is wrong
                files.append(path)
        out += sorted(files)
    found.sort(key=lambda problem: Path(problem.path))
    if problems is None and found:
        raise InputError(found)
    if problems is not None:
        problems += found
    return out
