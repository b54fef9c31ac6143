"""The qualification model as plain data: no YAML, no solver. Everything downstream (auditor,
compiler, reports) reads these classes only."""

from __future__ import annotations

import datetime
import operator
import re
import weakref
from dataclasses import FrozenInstanceError, dataclass, field

# A Unit Reference Number as Ofqual prints it: one letter, three digits, four digits.
URN_PATTERN = re.compile(r"[A-Z]/\d{3}/\d{4}\Z")


def is_urn(text: str) -> bool:
    return len(text) == 10 and URN_PATTERN.match(text) is not None  # A/506/2130: 10 characters


@dataclass(frozen=True, eq=False)
class Element:
    """A sub-part of a unit (1.1, 1.2): shown in reports, never constrained."""

    number: str | None
    title: str


_UNIT_FIELDS = (
    "id",
    "number",
    "title",
    "credit",
    "level",
    "glh",
    "elements",
    "tags",
    "equivalents",
    "inferred",
    "note",
    "defined_in",
    "line",
    "urn",
)


class _UnitSlots:
    __slots__ = _UNIT_FIELDS


_SET = tuple(getattr(_UnitSlots, name).__set__ for name in _UNIT_FIELDS)


class Unit(_UnitSlots):
    """The smallest thing a learner achieves, as one document prints it.

    Immutable and compared field by field, as a frozen dataclass is, but built in a fraction of
    the time and memory (a model may have 50,000 units): slots, set once by __init__."""

    __slots__ = ()
    id: str
    number: str | None
    title: str  # "" where the document prints none
    credit: int | None
    level: int | None  # None where the document prints none
    glh: int | None
    elements: tuple[Element, ...]
    tags: tuple[str, ...]
    equivalents: tuple[str, ...]
    inferred: dict[str, str]
    note: str | None
    defined_in: str
    line: int | None
    urn: str | None  # the URN: from `urn:`, or the id where the id is one

    def __init__(
        self,
        id: str,
        number: str | None,
        title: str,
        credit: int | None,
        level: int | None,
        glh: int | None,
        elements: tuple[Element, ...] = (),
        tags: tuple[str, ...] = (),
        equivalents: tuple[str, ...] = (),
        inferred: dict[str, str] | None = None,
        note: str | None = None,
        defined_in: str = "",
        line: int | None = None,
        urn: str | None = None,
    ) -> None:
        s_id, s_num, s_title, s_credit, s_level, s_glh, s_el, s_tags, s_eq, s_inf, s_note, s_in, s_line, s_urn = _SET  # fmt: skip
        s_id(self, id)
        s_num(self, number)
        s_title(self, title)
        s_credit(self, credit)
        s_level(self, level)
        s_glh(self, glh)
        s_el(self, elements)
        s_tags(self, tags)
        s_eq(self, equivalents)
        s_inf(self, {} if inferred is None else inferred)
        s_note(self, note)
        s_in(self, defined_in)
        s_line(self, line)
        s_urn(self, urn)

    def __setattr__(self, name: str, value) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in _UNIT_FIELDS)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self is other or self._fields() == other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())  # as a frozen dataclass's: fails, as `inferred` is a dict

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in _UNIT_FIELDS)
        return f"Unit({fields})"

    def __copy__(self) -> Unit:
        return self

    def __deepcopy__(self, memo) -> Unit:
        return self.but()

    def __reduce__(self):
        return Unit, self._fields()

    def but(self, **changes) -> Unit:
        """A copy with some fields changed (as dataclasses.replace)."""
        values = {name: getattr(self, name) for name in _UNIT_FIELDS}
        values.update(changes)
        return Unit(**values)

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
class Operational:
    """The qualification's operational dates, as the Ofqual Register gives them."""

    start: datetime.date | None = None
    review: datetime.date | None = None
    end: datetime.date | None = None

    def closed_on(self, day: datetime.date) -> bool:
        """Whether certification has ended by `day` (the end date is the last day open)."""
        return self.end is not None and day > self.end

    def not_open_on(self, day: datetime.date) -> bool:
        return self.start is not None and day < self.start


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
    tqt: int | None = None  # total qualification time, hours
    operational: Operational | None = None
    extends: str | None = None  # the model whose units and groups this one takes
    _index: UnitIndex = field(init=False, repr=False, compare=False)
    _group_of: dict[str, Group] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = UnitIndex(self.units)
        object.__setattr__(self, "_index", index)
        for u in self.units:
            if u.urn is None and u.defined_in and u.defined_in != self.id:
                # Defined in another model (`from:`, `extends:`): a holder of that model's
                # unit holds this very unit, URN or not.
                holders = index.by_held.setdefault(f"{u.defined_in}:{u.id}", [])
                if u not in holders:
                    holders.append(u)
        object.__setattr__(self, "_group_of", None)  # made at the first group_of

    def unit(self, unit_id: str) -> Unit:
        return self._index.by_id[unit_id]

    def find(self, ref: str) -> Unit | None:
        """A unit of this model by id or printed number (see UnitIndex.find), or as
        `model-id:unit` where model-id is this model's own id."""
        return self._index.find(ref) or self._own(ref)

    def _own(self, ref) -> Unit | None:
        """The unit `this-model-id:id-or-number` names: one rule for every command (solve,
        check, impact, batch and compare alike)."""
        model, sep, rest = str(ref).strip().partition(":")
        return self._index.find(rest) if sep and rest and model == self.id else None

    def unit_names(self) -> list[str]:
        return self._index.names()

    def holders(self, held: str) -> list[Unit]:
        """The units a learner holding `held` (a URN, or `model:id`) counts as holding here;
        `model:id` naming this very model is its own unit (unless a unit's id is `held`
        itself: then that unit is the one named)."""
        found = self._index.holders(held)
        own = None if self._index.find(held) is not None else self._own(held)
        if own is None or any(u is own for u in found):
            return found
        return [own, *found]

    def equivalent_holders(self, key: str) -> list[Unit]:
        """The units listing `key` (a URN or `model:id`) as their URN or an equivalent: for
        another qualification's units, which never count here by their local code."""
        return self._index.holders(key)

    def group_of(self, unit_id: str) -> Group | None:
        """The first group listing the unit (a table made once, at the first question)."""
        groups = self._group_of
        if groups is None:
            groups = {}
            for g in self.groups:
                for uid in g.units:
                    groups.setdefault(uid, g)
            object.__setattr__(self, "_group_of", groups)
        return groups.get(unit_id)

    def date_warnings(self, day: datetime.date) -> list[str]:
        """Why solving for this qualification on `day` may be pointless: it has closed, or it
        has not opened yet. Empty when it is open, or its dates are not known."""
        dates = self.operational
        if dates is None:
            return []
        if dates.end is not None and dates.closed_on(day):
            end = dates.end.isoformat()
            return [f"{self.title} ({self.id}) closed on {end}: no new certificates are issued"]
        if dates.start is not None and dates.not_open_on(day):
            return [f"{self.title} ({self.id}) opens on {dates.start.isoformat()}"]
        return []


class UnitIndex:
    """How a reference names a unit of one model; the only place that decides it.

    Within a model a unit is named by its id, else by its printed number; where neither matches
    exactly, a case-insensitive match counts if exactly one unit has it (so `f5` finds F5 in
    rules, scenarios and flags alike). Across models a unit is the same unit only by URN or by
    an `equivalents` entry, never by a local code or number: codes such as 608 are reused by
    different bodies for different units."""

    _last: weakref.ref[UnitIndex] | None = None  # the index built last

    def __init__(self, units):
        units = tuple(units)
        self.units = units
        last = UnitIndex._last() if UnitIndex._last is not None else None
        if (
            last is not None
            and len(last.units) == len(units)
            and all(map(operator.is_, last.units, units))
        ):
            # The same units again (the loader's index, then its Qualification's): share the
            # tables, which are never changed once built.
            self.by_id, self.by_number = last.by_id, last.by_number
            self.by_held, self._folded, self._shared = last.by_held, None, last
            return
        by_id: dict[str, Unit] = {}
        by_number: dict[str, Unit] = {}
        by_held: dict[str, list[Unit]] = {}
        for u in units:
            uid, number = u.id, u.number
            if uid not in by_id:
                by_id[uid] = u
            if number is not None and number not in by_number:
                by_number[number] = u
            if u.urn is not None or u.equivalents:
                for key in dict.fromkeys([u.urn, *u.equivalents]):
                    if key is not None:
                        by_held.setdefault(key, []).append(u)
        self.by_id = by_id
        self.by_number = by_number
        self.by_held = by_held
        self._folded: dict[str, Unit] | None = None  # made when first needed (see folded)
        self._shared: UnitIndex | None = None  # the index whose tables these are
        UnitIndex._last = weakref.ref(self)

    @property
    def folded(self) -> dict[str, Unit]:
        """Ids and numbers case-folded, each naming one unit (a name two units share is left
        out). Made at the first reference that misses exactly: most models never need it."""
        if self._shared is not None:
            return self._shared.folded
        folded = self._folded
        if folded is None:
            folded = {}
            ambiguous: set[str] = set()  # folded names of two different units
            for u in self.units:
                uid, number = u.id, u.number
                names = (uid,) if number is None or number == uid else (uid, number)
                for name in names:
                    name = name.casefold()
                    other = folded.setdefault(name, u)
                    if other is not u and other != u:
                        ambiguous.add(name)
            for name in ambiguous:
                del folded[name]
            self._folded = folded
        return folded

    def find(self, ref) -> Unit | None:
        ref = str(ref).strip()
        return self.by_id.get(ref) or self.by_number.get(ref) or self.folded.get(ref.casefold())

    def holders(self, held: str) -> list[Unit]:
        return list(self.by_held.get(held, ()))

    def names(self) -> list[str]:
        """Every id and printed number, for suggestions when a reference misses."""
        return [*self.by_id, *self.by_number]
