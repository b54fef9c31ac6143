"""The qualification model as plain data: no YAML, no solver. Everything downstream (auditor,
compiler, reports) reads these classes only."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Element:
    number: str | None
    title: str


@dataclass(frozen=True)
class Unit:
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

    @property
    def label(self) -> str:
        """How people refer to the unit: its printed number where there is one."""
        return f"unit {self.number}" if self.number else self.id


@dataclass(frozen=True)
class Group:
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


@dataclass(frozen=True)
class Rule:
    """Base of every rule kind. `key` is its position ("R3", "R3.2") and never changes for a file."""

    key: str
    name: str
    text: str | None
    note: str | None
    line: int | None


@dataclass(frozen=True)
class Mandatory(Rule):
    units: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """The units one amount rule counts over; `label` is how reports name it ("Group C")."""

    label: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class Amount(Rule):
    """A credits or units rule: min <= measure over each scope <= max."""

    measure: str  # "credits" or "units"
    scopes: tuple[Scope, ...]
    min: int | None
    max: int | None
    min_level: int | None
    max_level: int | None


@dataclass(frozen=True)
class Barred(Rule):
    units: tuple[str, ...]


@dataclass(frozen=True)
class AnyOf(Rule):
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class AllOf(Rule):
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

    def __post_init__(self):
        object.__setattr__(self, "_by_id", {u.id: u for u in self.units})
        by_number: dict[str, Unit] = {}
        for u in self.units:
            if u.number is not None:
                by_number.setdefault(u.number, u)
        object.__setattr__(self, "_by_number", by_number)

    def unit(self, unit_id: str) -> Unit:
        return self._by_id[unit_id]

    def find(self, ref: str) -> Unit | None:
        """A unit by id, else by printed number (case-insensitive for ids like F5)."""
        ref = str(ref).strip()
        return self._by_id.get(ref) or self._by_number.get(ref) or self._by_number.get(ref.upper())

    def group_of(self, unit_id: str) -> Group | None:
        for g in self.groups:
            if unit_id in g.units:
                return g
        return None

    def group(self, group_id: str) -> Group | None:
        for g in self.groups:
            if g.id == group_id:
                return g
        return None


def walk(rules) -> list[Rule]:
    """Every rule, nested ones after their parent, in file order."""
    out: list[Rule] = []
    for rule in rules:
        out.append(rule)
        if isinstance(rule, (AnyOf, AllOf)):
            out.extend(walk(rule.rules))
    return out
