"""Random small qualifications and learners: the one generator behind the random tests.

`model_document` draws a model as a plain document (the dict a model YAML file holds): units
with levels, credits, GLH and tags, groups (some mandatory) and 1-4 rules of every kind: credit
and unit floors and caps (over everything, groups, `each` group or a list of units, with level
filters), barred sets, mandatory units and nested any-of/all-of. `situation` draws a learner
over it: units held, excluded and required, GLH supplied, unit and tag weights and budgets;
`Situation.problem` gives it as the oracle's `Problem`, `Situation.scenario` as pathway's
`Scenario`. `build` and `write_model` turn the document into a model through pathway's own
loader (YAML text, as a user would write it).

Random rules mostly collide, so by default half the models are built around a planted pathway:
every rule is drawn so that the planted set meets it (and the learner's exclusions, required
units and budgets too, when `situation` is given it), which keeps about two thirds of the cases
feasible, where the optimum and the tie-break are what is tested.

Every choice goes through a small chooser with `integers`, `boolean`, `optional`, `sample`,
`subset` and `shuffled`: `RandomChooser` over `random.Random` (seeded, for parametrised tests) and
`DrawChooser` over hypothesis's `draw` (so hypothesis can shrink a failing case to a small one).
What the callers need to vary is in `Options`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

import yaml
from hypothesis import strategies as st

from oracle import Problem
from pathway.loader import build_model
from pathway.model import Qualification
from pathway.scenario import Budget, Scenario, scenario_for_model
from pathway.source import parse_yaml

TAGS = ("red", "blue", "green")
T = TypeVar("T")


# -- choosers ---------------------------------------------------------------------------------


class Chooser(Protocol):
    def integers(self, lo: int, hi: int) -> int:
        """A whole number from lo to hi, both included."""

    def boolean(self, p: float) -> bool:
        """True with probability p (no draw at all when p is 0 or 1)."""

    def optional(self, lo: int, hi: int) -> int | None:
        """None, or a whole number from lo to hi (even odds)."""

    def sample(self, seq: Sequence[T]) -> T:
        """One item of a non-empty sequence."""

    def subset(self, seq: Sequence[T], most: int | None = None, least: int = 0) -> list[T]:
        """Between least and most (default: all) distinct items, in the order drawn."""

    def shuffled(self, seq: Sequence[T]) -> list[T]:
        """Every item, in a random order."""


class RandomChooser:
    """Choices from `random.Random` (give it the Random, or a seed)."""

    def __init__(self, rng: random.Random | int | str):
        self.rng = rng if isinstance(rng, random.Random) else random.Random(rng)

    def integers(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def boolean(self, p: float) -> bool:
        if p <= 0 or p >= 1:
            return p >= 1
        return self.rng.random() < p

    def optional(self, lo: int, hi: int) -> int | None:
        return self.rng.randint(lo, hi) if self.rng.random() < 0.5 else None

    def sample(self, seq):
        return self.rng.choice(list(seq))

    def subset(self, seq, most=None, least=0):
        seq = list(seq)
        most = len(seq) if most is None else min(most, len(seq))
        return self.rng.sample(seq, self.rng.randint(least, most))

    def shuffled(self, seq):
        out = list(seq)
        self.rng.shuffle(out)
        return out


class DrawChooser:
    """The same choices through hypothesis's `draw` (inside `@st.composite`), so that hypothesis
    records them and shrinks failing cases: towards fewer and smaller numbers, earlier items,
    `optional` None and `boolean` yes. As test_differential always drew them, `boolean` is a
    number below 100 that is below 100p and `optional` is `none() | integers()`: hypothesis
    favours its simplest choices, so in practice a yes comes more often than p and None more
    often than half (which together give about 70% of cases with a pathway)."""

    def __init__(self, draw):
        self.draw = draw

    def integers(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def boolean(self, p: float) -> bool:
        if p <= 0 or p >= 1:
            return p >= 1
        return self.draw(st.integers(0, 99)) < round(p * 100)

    def optional(self, lo: int, hi: int) -> int | None:
        return self.draw(st.none() | st.integers(lo, hi))

    def sample(self, seq):
        return self.draw(st.sampled_from(list(seq)))

    def subset(self, seq, most=None, least=0):
        seq = list(seq)
        if not seq:
            return []
        most = len(seq) if most is None else min(most, len(seq))
        picks = st.lists(st.integers(0, len(seq) - 1), min_size=least, max_size=most, unique=True)
        return [seq[i] for i in self.draw(picks)]

    def shuffled(self, seq):
        return self.draw(st.permutations(list(seq)))


# -- models -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """What a random model (and learner) may hold. The defaults are test_differential's."""

    units: tuple[int, int] = (1, 14)  # how many units
    credits: float = 0.85  # chance that the units carry credits (and credit rules are drawn)
    credit: tuple[int, int] = (0, 6)  # a unit's credit
    glh: tuple[int, int] = (0, 30)  # a unit's GLH
    missing_glh: float = 0.0  # chance that a unit has no GLH
    levels: tuple[int, int] = (1, 4)  # unit levels; rules' level filters stay within them
    tags: int = 2  # most tags a unit carries (of TAGS)
    groups: int = 3  # most groups (each of 1-4 units, disjoint; fewer when the units run out)
    group_size: tuple[int, int] = (1, 4)
    mandatory_groups: float = 0.15  # chance that a group is mandatory
    rules: tuple[int, int] = (1, 4)  # how many top-level rules
    depth: int = 2  # deepest any-of/all-of nesting; 0: none at all
    barred: bool = True  # barred rules among the kinds drawn
    planted: float = 0.5  # chance that the rules are built around a planted pathway
    # the learner
    held: int = 3  # most units held, excluded, required
    excluded: int = 3
    required: int = 2


DEFAULT = Options()


def model_document(
    choose: Chooser, options: Options = DEFAULT
) -> tuple[dict, frozenset[str] | None]:
    """A random model document, and the planted pathway its rules were drawn around (None when
    the rules are wholly random)."""
    o = options
    n = choose.integers(*o.units)
    credits = choose.boolean(o.credits)
    units = []
    for i in range(1, n + 1):
        unit = {
            "id": f"u{i}",
            "number": i,
            "title": f"Unit {i}",
            "level": choose.integers(*o.levels),
        }
        if credits:
            unit["credit"] = choose.integers(*o.credit)
        if not choose.boolean(o.missing_glh):
            unit["glh"] = choose.integers(*o.glh)
        tags = choose.subset(TAGS, o.tags)
        if tags:
            unit["tags"] = tags
        units.append(unit)
    order = choose.shuffled([u["id"] for u in units])
    groups = []
    cut = 0
    for g in range(choose.integers(0, o.groups)):
        size = choose.integers(*o.group_size)
        if cut + size > n:
            break
        group = {"id": f"G{g}", "units": order[cut : cut + size]}
        if choose.boolean(o.mandatory_groups):
            group["mandatory"] = True
        groups.append(group)
        cut += size
    planted = None
    if choose.boolean(o.planted):  # rules built around one pathway, so that at least one exists
        planted = set(choose.subset(order))
        planted |= {u for g in groups if g.get("mandatory") for u in g["units"]}
    rules = [
        rule(choose, units, groups, credits, o, 0, planted)
        for _ in range(choose.integers(*o.rules))
    ]
    doc = {"title": "random model", "units": units, "groups": groups, "rules": rules}
    return doc, None if planted is None else frozenset(planted)


def _measure(by_id: dict, ids, measure: str, lo_level, hi_level) -> int:
    return sum(
        (by_id[u]["credit"] if measure == "credits" else 1)
        for u in ids
        if (lo_level is None or by_id[u]["level"] >= lo_level)
        and (hi_level is None or by_id[u]["level"] <= hi_level)
    )


def amount_rule(
    choose: Chooser, units: list[dict], groups: list[dict], measure: str, o: Options, planted=None
) -> dict:
    """A floor and/or cap; with `planted` (a unit set), one that the set satisfies."""
    rule: dict = {"kind": measure}
    how = choose.sample(["all", "groups", "each", "units"] if groups else ["all", "units"])
    scopes: list[list[str]]
    if how in ("groups", "each"):
        chosen = choose.subset(groups, least=1)
        rule[how] = [g["id"] for g in chosen]
        if how == "each":
            scopes = [g["units"] for g in chosen]
        else:
            scopes = [list(dict.fromkeys(u for g in chosen for u in g["units"]))]
    elif how == "units":
        scopes = [choose.subset([u["id"] for u in units], least=1)]
        rule["units"] = scopes[0]
    else:
        scopes = [[u["id"] for u in units]]
    low_level, high_level = o.levels
    lo_level = hi_level = None
    if choose.boolean(0.3):
        lo_level = choose.integers(low_level, max(low_level, high_level - 1))
    if choose.boolean(0.15):
        hi_level = choose.integers(lo_level or low_level, high_level)
    by_id = {u["id"]: u for u in units}
    total = min(_measure(by_id, scope, measure, None, None) for scope in scopes)
    if planted is None:
        low = choose.optional(0, total)
        high = choose.optional(low or 0, total + 1)
        if low is None and high is None:
            low = choose.integers(1, total + 1)
    else:
        got = [
            _measure(by_id, [u for u in scope if u in planted], measure, lo_level, hi_level)
            for scope in scopes
        ]
        low = choose.optional(0, min(got))
        high = choose.optional(max(got), max(max(got), total) + 1)
        if low is None and high is None:
            low = min(got)
    if low is not None:
        rule["min"] = low
    if high is not None:
        rule["max"] = high
    if lo_level is not None:
        rule["min_level"] = lo_level
    if hi_level is not None:
        rule["max_level"] = hi_level
    return rule


def rule(
    choose: Chooser, units, groups, credits: bool, o: Options, depth: int = 0, planted=None
) -> dict:
    """A random rule; with `planted` (a unit set), one that the set satisfies."""
    kinds = ["units", *(["barred"] if o.barred else []), "mandatory"]
    kinds += ["credits", "credits"] if credits else []
    if depth < o.depth:
        kinds += ["any-of", "all-of"]
    kind = choose.sample(kinds)
    ids = [u["id"] for u in units]
    if kind in ("credits", "units"):
        return amount_rule(choose, units, groups, kind, o, planted)
    if kind == "barred":
        if planted is not None:  # at most one unit of the planted set among those barred
            outside = [u for u in ids if u not in planted]
            inside = choose.subset(sorted(planted), 1)
            ids = outside + inside
        if len(ids) < 2:
            if planted is None:
                return {"kind": "mandatory", "units": ids}
            return {"kind": "units", "min": 0}  # nothing to bar: a rule that always holds
        return {"kind": "barred", "units": choose.subset(ids, 3, least=2)}
    if kind == "mandatory":
        pool = ids if planted is None else sorted(planted)
        if not pool:
            return {"kind": "units", "max": len(ids)}
        return {"kind": "mandatory", "units": choose.subset(pool, 2, least=1)}
    if planted is None or kind == "all-of":
        children = [
            rule(choose, units, groups, credits, o, depth + 1, planted)
            for _ in range(choose.integers(1, 3))
        ]
    else:  # any-of: one route the planted set takes, the others random
        held = rule(choose, units, groups, credits, o, depth + 1, planted)
        children = [
            rule(choose, units, groups, credits, o, depth + 1) for _ in range(choose.integers(0, 2))
        ]
        children.insert(choose.integers(0, len(children)), held)
    return {"kind": kind, "rules": children}


def yaml_text(doc: dict) -> str:
    return yaml.safe_dump(doc, sort_keys=False)


def flow_yaml_text(doc: dict) -> str:
    """YAML for a generated model, one line per unit, group and rule (plain values only):
    much quicker to write and read than safe_dump's block style at 50,000 units."""

    def flow(value) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(flow(v) for v in value) + "]"
        return str(value)

    lines = []
    for key, value in doc.items():
        if isinstance(value, list):
            lines += [f"{key}:", *(f"  - {flow(item)}" for item in value)]
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


def write_model(doc: dict, path: Path) -> Path:
    """Write the document as a model YAML file; returns the path."""
    path = Path(path)
    path.write_text(yaml_text(doc), encoding="utf-8")
    return path


def build(doc: dict, path: Path | str = "random.yaml") -> Qualification:
    """The model as pathway's loader reads it from YAML text (nothing is written)."""
    return build_model(parse_yaml(yaml_text(doc), str(path)), path)


# -- learners ---------------------------------------------------------------------------------


@dataclass
class Situation:
    """A learner over one model, as plain unit ids (held units may be excluded as well)."""

    held: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    glh: dict[str, int] = field(default_factory=dict)  # GLH supplied for units that lack it
    unit_weights: dict[str, int] = field(default_factory=dict)
    tag_weights: dict[str, int] = field(default_factory=dict)
    max_glh: int | None = None
    max_units: int | None = None
    max_credits: int | None = None

    def problem(self, q: Qualification) -> Problem:
        """The oracle's question: the same as the solver's, read through the oracle's own
        constructor."""
        return Problem.of_scenario(self.scenario(q))

    def scenario(self, q: Qualification) -> Scenario:
        """The solver's question."""
        s = scenario_for_model(q)
        s.held, s.excluded, s.required = list(self.held), list(self.excluded), list(self.required)
        s.glh, s.unit_weights = dict(self.glh), dict(self.unit_weights)
        s.tag_weights = dict(self.tag_weights)
        s.budget = Budget(self.max_glh, self.max_units, self.max_credits)
        return s


def _facts(model: dict | Qualification) -> list[tuple[str, int | None, int | None]]:
    """(id, credit, glh) of each unit of a model document or a built model."""
    if isinstance(model, dict):
        return [(u["id"], u.get("credit"), u.get("glh")) for u in model["units"]]
    return [(u.id, u.credit, u.glh) for u in model.units]


def situation(
    choose: Chooser,
    model: dict | Qualification,
    planted: frozenset[str] | None = None,
    options: Options = DEFAULT,
) -> Situation:
    """A random learner; with `planted`, one the planted pathway still suits (nothing of it
    excluded, only its units required, every budget at least what its new units need)."""
    o = options
    facts = _facts(model)
    ids = [uid for uid, _, _ in facts]
    held = choose.subset(ids, o.held)
    glh = {uid: choose.integers(*o.glh) for uid, _, g in facts if g is None and choose.boolean(0.7)}
    glh_of = {uid: glh.get(uid, g) for uid, _, g in facts}
    credit_of = {uid: c for uid, c, _ in facts}
    if planted is None:
        excludable, requirable = ids, ids
        floor = {"max_glh": 0, "max_units": 0, "max_credits": 0}
    else:  # a learner the planted pathway still suits
        excludable = [u for u in ids if u not in planted]
        requirable = sorted(planted)
        new = [u for u in ids if u in planted and u not in held]
        floor = {
            "max_glh": sum(glh_of[u] or 0 for u in new),
            "max_units": len(new),
            "max_credits": sum(credit_of[u] or 0 for u in new),
        }
    out = Situation(
        held=held,
        excluded=choose.subset(excludable, o.excluded),
        required=choose.subset(requirable, o.required),
        glh=glh,
        unit_weights={u: choose.integers(-5, 5) for u in choose.subset(ids)},
        tag_weights={t: choose.integers(-4, 4) for t in choose.subset(TAGS)},
    )
    has_credits = all(c is not None for c in credit_of.values())
    for name, most in (("max_glh", 120), ("max_units", 10), ("max_credits", 30)):
        if name == "max_credits" and not has_credits:
            continue
        setattr(out, name, choose.optional(floor[name], floor[name] + most))
    return out


def random_scenario(name: str, options: Options = DEFAULT) -> Scenario:
    """A random model with a learner its planted pathway still suits, from the seed `name`."""
    choose = RandomChooser(name)
    doc, planted = model_document(choose, options)
    return situation(choose, doc, planted, options).scenario(build(doc))
