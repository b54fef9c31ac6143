"""The model and scenario file formats, described once (see spec.py)."""

from __future__ import annotations

from .limits import MAX_TIME_LIMIT, MAX_WEIGHT
from .source import Map, Scalar
from .spec import (
    Boolean,
    Date,
    Either,
    Field,
    Integer,
    ListOf,
    MapOf,
    Number,
    Record,
    Tagged,
    Text,
    Type,
)

UNIT_REF = Text(
    doc="A unit's id (its URN where known) or the number printed in the document.",
    identifier=True,
)
UNIT_REFS = ListOf(UNIT_REF)
GROUP_REFS = ListOf(Text(doc="A group id.", identifier=True), min_items=1)
SCOPE_WORDS = ("optional", "mandatory")  # every optional group, every mandatory group
GROUP_SCOPE = Either(
    scalar=Text(SCOPE_WORDS, doc="Every optional group, or every mandatory group."),
    seq=GROUP_REFS,
    doc="Group ids, or `optional` / `mandatory` for every group of that kind.",
)

UNIT = Record(
    "a unit",
    {
        "id": Field(
            Text(
                doc="Unique id: the URN where known, so units are shared by URN.", identifier=True
            ),
            True,
        ),
        "number": Field(
            Text(doc="The unit number printed in the document, e.g. 1, 201, F5.", identifier=True)
        ),
        "urn": Field(
            Text(
                doc="The unit's URN (e.g. A/506/2130) where the id is a local code: units are "
                "the same unit across models only by URN or an equivalents entry."
            )
        ),
        "title": Field(Text(doc="As printed; leave out where the document gives none.")),
        "credit": Field(Integer(0, doc="Credit value; leave out where the document gives none.")),
        "level": Field(
            Integer(
                1,
                8,
                doc="1-8; leave out where the document gives none (then no rule may count the "
                "unit by level).",
            )
        ),
        "glh": Field(Integer(0, doc="Guided learning hours; leave out where unknown.")),
        "elements": Field(
            ListOf(
                Record(
                    "an element",
                    {"number": Field(Text()), "title": Field(Text(), True)},
                )
            )
        ),
        "tags": Field(ListOf(Text(), doc="Free labels; scenarios can weight preferences by tag.")),
        "equivalents": Field(
            ListOf(
                Text(),
                doc="URNs, or model-id:unit-id for units without one, of units that, once "
                "achieved, count as this one.",
            )
        ),
        "inferred": Field(
            MapOf(Text(), doc="For each inferred field (id, glh, ...), where the value came from.")
        ),
        "note": Field(Text()),
        "group": Field(
            Text(
                doc="The id of a group this unit belongs to (instead of listing it there).",
                identifier=True,
            )
        ),
    },
    doc="A unit defined in this file.",
)

UNIT_IMPORT = Record(
    "a unit import",
    {
        "from": Field(
            Text(doc="Id (file name without .yaml) of the model that defines the unit."), True
        ),
        "id": Field(Text(doc="The unit's id in that model.", identifier=True), True),
        "number": Field(
            Text(doc="The number this document prints for it, if different.", identifier=True)
        ),
    },
    doc="A unit whose data lives in another model of the same folder (shared by URN).",
)


class UnitEntry(Type):
    """A unit defined here, or (with `from:`) imported from another model."""

    def check(self, node, where, problems):
        if isinstance(node, Map) and "from" in node:
            return UNIT_IMPORT.check(node, where, problems)
        return UNIT.check(node, where, problems)

    def json_schema(self, defs):
        return {"anyOf": [UNIT.json_schema(defs), UNIT_IMPORT.json_schema(defs)]}


UNIT_ENTRY = UnitEntry()


class GroupMember(Type):
    """A group's entry: a reference to a unit, or the unit itself, defined where it is listed
    (so its id is written once)."""

    def check(self, node, where, problems):
        if type(node) is Scalar:  # the common case first: a reference
            return UNIT_REF.check(node, where, problems)
        if isinstance(node, Map):
            return UNIT_ENTRY.check(node, where, problems)
        return UNIT_REF.check(node, where, problems)

    def json_schema(self, defs):
        return {"anyOf": [UNIT_REF.json_schema(defs), UNIT_ENTRY.json_schema(defs)]}


GROUP = Record(
    "a group",
    {
        "id": Field(Text(doc="Short id used by rules, e.g. A.", identifier=True), True),
        "title": Field(Text()),
        "mandatory": Field(Boolean(doc="Every unit of the group must be taken.")),
        "credits": Field(
            Integer(0, doc="The credit total the document states for a mandatory group; checked.")
        ),
        "units": Field(
            ListOf(
                GroupMember(),
                min_items=1,
                doc="Ids or printed numbers of units defined elsewhere, or units defined here.",
            )
        ),
        "note": Field(Text()),
    },
)

_COMMON = {
    "kind": Field(Text(), True),
    "name": Field(Text(doc="Short label for reports; a description is generated if left out.")),
    "text": Field(Text(doc="The sentence of the document this rule encodes.")),
    "note": Field(Text(doc="How the sentence was read.")),
}
_SCOPE = {
    "groups": Field(GROUP_SCOPE),
    "units": Field(ListOf(UNIT_REF, min_items=1)),
}
_AMOUNT = {
    "each": Field(
        Either(
            scalar=Text(SCOPE_WORDS, doc="Each optional group, or each mandatory group."),
            seq=ListOf(Text(identifier=True), min_items=1),
            doc="Apply min/max to each of these groups separately.",
        )
    ),
    "min": Field(Integer(0)),
    "max": Field(Integer(0)),
    "min_level": Field(Integer(1, 8, doc="Count only units at this level or above.")),
    "max_level": Field(Integer(1, 8, doc="Count only units at this level or below.")),
}


def _rule(kind: str, fields: dict, doc: str, one_of: tuple[str, ...] = ()) -> Record:
    article = "an" if kind[0] in "aeiou" else "a"
    return Record(f"{article} {kind} rule", {**_COMMON, **fields}, doc=doc, one_of_required=one_of)


RULE = Tagged("rule", {})
RULE.variants.update(
    {
        "mandatory": _rule(
            "mandatory",
            _SCOPE,
            "Every unit listed, and every unit of the groups listed, is taken.",
            ("groups", "units"),
        ),
        "credits": _rule(
            "credits",
            {**_SCOPE, **_AMOUNT},
            "min <= credits counted (over all units, or the groups/units given) <= max.",
            ("min", "max"),
        ),
        "units": _rule(
            "units",
            {**_SCOPE, **_AMOUNT},
            "min <= number of units counted (over all units, or the groups/units given) <= max.",
            ("min", "max"),
        ),
        "barred": _rule(
            "barred",
            {
                "units": Field(ListOf(UNIT_REF, min_items=2)),
                "unit": Field(Text(doc="A unit barred with each unit of `with`.", identifier=True)),
                "with": Field(
                    ListOf(
                        UNIT_REF,
                        min_items=1,
                        doc="The units each barred with `unit` (a star of pairs).",
                    )
                ),
                "pairs": Field(
                    ListOf(
                        ListOf(UNIT_REF, min_items=2),
                        min_items=1,
                        doc="Sets of units, each barred on its own: at most one of each set counts.",
                    )
                ),
            },
            "At most one of these units may count (or of each set of `pairs`, or of `unit` with "
            "each of `with`).",
            ("units", "pairs", "unit"),
        ),
        "any-of": _rule(
            "any-of",
            {"rules": Field(ListOf(RULE, min_items=1), True)},
            "At least one of the nested rules holds (alternative routes).",
        ),
        "all-of": _rule(
            "all-of",
            {"rules": Field(ListOf(RULE, min_items=1), True)},
            "Every nested rule holds (a route inside an any-of).",
        ),
    }
)

MODEL = Record(
    "a model",
    {
        "title": Field(Text(), True),
        "awarding_body": Field(Text()),
        "qualification_number": Field(Text()),
        "level": Field(Integer(1, 8)),
        "source": Field(Text(doc="The document the model was taken from.")),
        "notes": Field(ListOf(Text(), doc="Readings and decisions, in words.")),
        "tqt": Field(Integer(0, doc="Total qualification time, in hours, as Ofqual records it.")),
        "operational": Field(
            Record(
                "operational dates",
                {
                    "start": Field(Date(doc="The first day learners may be registered.")),
                    "review": Field(Date(doc="The review date.")),
                    "end": Field(Date(doc="The last day of certification.")),
                },
                doc="The qualification's operational dates (YYYY-MM-DD), as the Ofqual Register "
                "gives them; solving for a closed qualification warns.",
            )
        ),
        "extends": Field(
            Text(
                doc="Id of a model in the same folder whose units and groups this model takes "
                "(not its rules): a size band of the same unit list.",
                identifier=True,
            )
        ),
        "units": Field(ListOf(UNIT_ENTRY, min_items=1, doc="Units defined here or imported.")),
        "groups": Field(ListOf(GROUP)),
        "rules": Field(ListOf(RULE)),
    },
    doc="A qualification's rule of combination. The model's id is its file name without .yaml.",
)

WEIGHT = Integer(-MAX_WEIGHT, MAX_WEIGHT, doc="Preference weight; negative means disliked.")
OBJECTIVES = ("min-glh", "max-preference", "min-credits", "min-units")
STATUSES = ("optimal", "feasible", "infeasible", "unknown")

SCENARIO = Record(
    "a scenario",
    {
        "title": Field(Text()),
        "description": Field(Text(doc="The question this scenario answers.")),
        "qualification": Field(
            Text(doc="A model file (relative to this file) or a model id found in models/."), True
        ),
        "achieved": Field(
            ListOf(
                UNIT_REF,
                doc="Units the learner holds: ids, printed numbers, or URNs "
                "achieved under any qualification.",
            )
        ),
        "achieved_qualifications": Field(
            ListOf(Text(), doc="Models (ids or paths) whose every unit the learner holds.")
        ),
        "excluded": Field(
            ListOf(UNIT_REF, doc="Units the centre cannot offer or the learner will not take.")
        ),
        "required": Field(UNIT_REFS),
        "preferences": Field(
            Record(
                "preferences",
                {
                    "units": Field(MapOf(WEIGHT)),
                    "tags": Field(MapOf(WEIGHT)),
                },
            )
        ),
        "glh": Field(MapOf(Integer(0), doc="GLH for units whose model gives none.")),
        "budget": Field(
            Record(
                "a budget",
                {
                    "max_glh": Field(Integer(0)),
                    "max_units": Field(Integer(0)),
                    "max_credits": Field(Integer(0)),
                },
                doc="Limits on what is still to be taken (achieved units are free).",
            )
        ),
        "objective": Field(
            Either(scalar=Text(OBJECTIVES), seq=ListOf(Text(OBJECTIVES), min_items=1))
        ),
        "top": Field(Integer(1, 1000)),
        "time_limit": Field(Number(None, MAX_TIME_LIMIT, doc="Seconds; more than 0.", above=0)),
        "workers": Field(Integer(1, 64)),
        "expect": Field(
            Record(
                "an expectation",
                {
                    "status": Field(Text(STATUSES), True),
                    "objective": Field(
                        Either(scalar=Integer(None, None), seq=ListOf(Integer(None, None)))
                    ),
                    "units": Field(UNIT_REFS),
                    "includes": Field(UNIT_REFS),
                    "excludes": Field(UNIT_REFS),
                    "explanation_mentions": Field(ListOf(Text())),
                },
            )
        ),
    },
    doc="A learner's or planner's situation, solved by `pathway solve`.",
)
