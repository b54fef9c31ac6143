"""The qualification model as plain data: no YAML, no solver. Everything downstream (auditor,
compiler, reports) reads these classes only."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A Unit Reference Number as Ofqual prints it: one letter, three digits, four digits.
URN_PATTERN = re.compile(r"[A-Z]/\d{3}/\d{4}\Z")


def is_urn(text: str) -> bool:
    return bool(URN_PATTERN.match(text))


@dataclass(frozen=True, eq=False)
class Element:
    """A sub-part of a unit (1.1, 1.2): shown in reports, never constrained."""

    number: str | None
    title: str


@dataclass(frozen=True)
class Unit:
    """The smallest thing a learner achieves, as one document prints it."""

    id: str
    number: str | None
    title: str
    credit: int | None
    level: int
    glh: int | None
    elements: tuple[Element, ...] = ()
    tags: tuple[str, ...] = ()
    equivalents: tuple[str, ...] = ()
    inferred: dict[str, str] = field(default_factory=dict)
    note: str | None = None
    defined_in: str = ""
    line: int | None = None
    urn: str | None = None  # the URN: from `urn:`, or the id where the id is one

    @property
    def label(self) -> str:
        """How people refer to the unit: its printed number where there is one."""
        return f"unit {self.number}" if self.number else self.id


@dataclass(frozen=True)
class Group:
    """A named set of units of the rule of combination; a mandatory one is taken whole."""

    id: str
    title: str | None
    mandatory: bool
    stated_credits: int | None
    units: tuple[str, ...]
    line: int | None = None

    @property
    def label(self) -> str:
        """'Group A' for letter ids as documents print them; longer ids read as they are."""
        return f"Group {self.id}" if len(self.id) <= 3 else self.id


@dataclass(frozen=True, eq=False)  # one object per rule of a file: identity is equality
class Rule:
    """Base of every rule kind. `key` is its position ("R3", "R3.2") and never changes for a file."""

    key: str
    name: str
    text: str | None
    note: str | None
    line: int | None


@dataclass(frozen=True, eq=False)
class Mandatory(Rule):
    """Every unit listed is taken."""

    units: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Scope:
    """The units one amount rule counts over; `label` is how reports name it ("Group C")."""

    label: str
    units: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Amount(Rule):
    """A credits or units rule: min <= measure over each scope <= max."""

    measure: str  # "credits" or "units"
    scopes: tuple[Scope, ...]
    min: int | None
    max: int | None
    min_level: int | None
    max_level: int | None


@dataclass(frozen=True, eq=False)
class Barred(Rule):
    """At most one of these units counts."""

    units: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class AnyOf(Rule):
    """At least one nested rule holds: alternative routes."""

    rules: tuple[Rule, ...]


@dataclass(frozen=True, eq=False)
class AllOf(Rule):
    """Every nested rule holds (a route inside an any-of)."""

    rules: tuple[Rule, ...]


RULE_KINDS = {
    "mandatory": Mandatory,
    "credits": Amount,
    "units": Amount,
    "barred": Barred,
    "any-of": AnyOf,
    "all-of": AllOf,
}


@dataclass(frozen=True)
class Qualification:
    """One qualification's units, groups and rules, as its model file gives them."""

    id: str
    title: str
    path: str
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    rules: tuple[Rule, ...]
    awarding_body: str | None = None
    qualification_number: str | None = None
    level: int | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()
    _index: UnitIndex = field(init=False, repr=False, compare=False)
    _group_of: dict[str, Group] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", UnitIndex(self.units))
        groups: dict[str, Group] = {}
        for g in self.groups:
            for uid in g.units:
                groups.setdefault(uid, g)
        object.__setattr__(self, "_group_of", groups)

    def unit(self, unit_id: str) -> Unit:
        return self._index.by_id[unit_id]

    def find(self, ref: str) -> Unit | None:
        """A unit of this model by id or printed number (see UnitIndex.find)."""
        return self._index.find(ref)

    def unit_names(self) -> list[str]:
        return self._index.names()

    def holders(self, held: str) -> list[Unit]:
        """The units a learner holding `held` (a URN, or `model:id`) counts as holding here."""
        return self._index.holders(held)

    def group_of(self, unit_id: str) -> Group | None:
        return self._group_of.get(unit_id)


class UnitIndex:
    """How a reference names a unit of one model; the only place that decides it.

    Within a model a unit is named by its id, else by its printed number; where neither matches
    exactly, a case-insensitive match counts if exactly one unit has it (so `f5` finds F5 in
    rules, scenarios and flags alike). Across models a unit is the same unit only by URN or by
    an `equivalents` entry, never by a local code or number: codes such as 608 are reused by
    different bodies for different units."""

    def __init__(self, units):
        self.by_id: dict[str, Unit] = {}
        self.by_number: dict[str, Unit] = {}
        folded: dict[str, list[Unit]] = {}
        self.by_held: dict[str, list[Unit]] = {}
        for u in units:
            self.by_id.setdefault(u.id, u)
            if u.number is not None:
                self.by_number.setdefault(u.number, u)
            for name in {u.id, u.number} - {None}:
                bucket = folded.setdefault(name.casefold(), [])
                if u not in bucket:
                    bucket.append(u)
            for key in dict.fromkeys([u.urn, *u.equivalents]):
                if key is not None:
                    self.by_held.setdefault(key, []).append(u)
        self.folded = {k: v[0] for k, v in folded.items() if len(v) == 1}

    def find(self, ref) -> Unit | None:
        ref = str(ref).strip()
        return self.by_id.get(ref) or self.by_number.get(ref) or self.folded.get(ref.casefold())

    def holders(self, held: str) -> list[Unit]:
        return list(self.by_held.get(held, ()))

    def names(self) -> list[str]:
        """Every id and printed number, for suggestions when a reference misses."""
        return [*self.by_id, *self.by_number]
