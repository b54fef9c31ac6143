"""`pathway plan`: which units a centre runs so that its cohort completes, at least cost.

One CP-SAT model over the whole cohort (built through compile.compile_learner, so a rule means
here what it means to `solve`): per learner the take[unit] variables and the qualification's
rules; per unit (units shared by URN are one unit) whether it runs, how many learners take it
and how many classes it needs. Taught GLH = sum over units of GLH x classes.

What tightens it (the issue measured 18-30 s at 16 learners for a model written straight from
its text; README "Cohort plans" gives what this one does):
- learners in the same situation (qualification, held, excluded, required) are one type, its
  copies ordered by a signature so that CP-SAT never explores their permutations;
- a learner takes a unit only if it runs (take <= run, per learner: the strong, "disaggregated"
  link of facility location), so the LP bound sees that every unit taken costs a class;
- per rule scope, the learners' shortfalls summed into rows over whole classes (_capacity_rows);
- every learner's own cheapest pathway (pathway.solve) is a floor on what they take, a floor
  on taught GLH, and the first hint.

Every learner's pathway is re-checked by the auditor, and the offer recomputed from those
pathways in plain Python (classes, minimum class, limits, taught GLH); a disagreement is an
InternalError, never printed.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from .auditor import audit, scenario_violations
from .cohort import Cohort, Learner, unit_key
from .compile import compile_learner, floors, new_model
from .errors import InputError, InternalError, Problem
from .scenario import Scenario, with_situation
from .solver import Status

# One worker: CP-SAT is then repeatable, so the same cohort prints the same plan. Two are
# faster on hard cohorts (bench/cohort_speed.py), but plans of equal value may then differ.
DEFAULT_WORKERS = 1
# The learners' own GLH, minimised once taught GLH is proven, has a budget of the time the
# solve that proved it took (at least 1 s), as solve's tie-break has a budget of its own.
TIE_FLOOR, TIE_FACTOR = 1.0, 1.0
SEARCH = "linearization_level: 2"
# With less time than this left, counts (cohort_counts.py) are skipped: counting the vectors
# alone takes 0.2-0.9 s on 10-40 learners of the seed diploma, and the joint model, given the
# whole of a short limit, finds a plan where half of it did not (a review finding).
COUNTS_FLOOR = 1.0
# Before counts, the joint model has this much deterministic time (about 0.3 s here; with one
# worker the same work on any machine) to prove least taught GLH alone: the example centre with
# 5 learners took 0.05 s without counts and 0.35 s with them; 10-learner cohorts of the
# diploma are often proven in 0.05-0.1 s.
FIRST_TRY = 0.5


@dataclass
class OfferedUnit:
    """One unit the centre runs: who takes it, in how many classes, at what cost."""

    key: str  # the URN, or model-id:unit-id
    number: str | None
    title: str
    glh: int  # the unit's GLH (one class)
    learners: list[str]
    classes: int

    @property
    def taught_glh(self) -> int:
        return self.glh * self.classes


@dataclass
class LearnerPlan:
    """One learner's outcome: the pathway (units that count, held ones included) or why not."""

    id: str
    scenario: Scenario
    completes: bool
    units: tuple[str, ...] = ()
    to_take: tuple[str, ...] = ()
    glh_to_take: int | None = None
    reason: str | None = None  # why the learner cannot complete
    preference: int | None = None  # sum of the learner's weights over the pathway's units


@dataclass
class Plan:
    """The answer to `pathway plan`."""

    cohort: Cohort
    status: Status
    objective: str
    value: list[int] | None = None  # [taught GLH], or [completing, taught GLH]
    bound: int | None = None  # on the first objective not proven (see bound_on)
    bound_on: str | None = None
    offer: list[OfferedUnit] = field(default_factory=list)
    learners: list[LearnerPlan] = field(default_factory=list)
    individual_glh: int | None = None  # every learner's own cheapest pathway, offered as is
    explanation: dict | None = None
    notes: list[str] = field(default_factory=list)
    # The learners' preferences met, summed over completing learners (None when no learner
    # states any), and whether it is proven the most a plan of the same value allows.
    preference: int | None = None
    preference_proven: bool = True
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds, by phase

    @property
    def taught_glh(self) -> int:
        return sum(u.taught_glh for u in self.offer)

    @property
    def classes(self) -> int:
        return sum(u.classes for u in self.offer)

    @property
    def completing(self) -> int:
        return sum(1 for lp in self.learners if lp.completes)


# -- types: learners in the same situation ---------------------------------------------------


@dataclass
class _Type:
    """Learners whose situations are identical: any pathway of one is a pathway of the others."""

    scenario: Scenario  # the first learner's, with the centre's unavailable units excluded
    learners: list[Learner]
    cheapest: tuple[str, ...] | None = None  # the learner's own cheapest pathway
    reason: str | None = None  # why no pathway exists for them, even alone
    timed_out: bool = False  # the time limit came before their own pathway was found
    open_units: list[str] = field(default_factory=list)  # units they could still be taught

    @property
    def own_glh(self) -> int:
        """GLH still to take on their own cheapest pathway."""
        s, chosen = self.scenario, self.cheapest or ()
        return sum(s.glh_of(u) or 0 for u in chosen if u in set(self.open_units))


def _signature(s: Scenario) -> tuple:
    q = s.qualification
    return (
        q.path,
        q.id,
        tuple(sorted(s.held)),
        tuple(sorted(s.blocked)),
        tuple(sorted(s.required)),
        tuple(sorted(s.glh.items())),
        tuple(sorted(s.unit_weights.items())),
        tuple(sorted(s.tag_weights.items())),
    )


def _types(cohort: Cohort) -> list[_Type]:
    unavailable = set(cohort.centre.unavailable)
    glh = cohort.centre.glh
    found: dict[tuple, _Type] = {}
    for learner in cohort.learners:
        s = learner.scenario
        q = s.qualification
        held = set(s.held)
        off = [u.id for u in q.units if unit_key(q, u) in unavailable and u.id not in held]
        hours = {u.id: glh[unit_key(q, u)] for u in q.units if unit_key(q, u) in glh}
        if off or hours:
            s = with_situation(s, excluded=off, glh=hours)
        key = _signature(s)
        if key not in found:
            blocked = set(s.blocked)
            open_units = [u.id for u in q.units if u.id not in held and u.id not in blocked]
            found[key] = _Type(s, [], open_units=open_units)
        found[key].learners.append(learner)
    return list(found.values())


def _check_glh(cohort: Cohort, types: list[_Type]) -> dict[str, int]:
    """Each unit key's GLH (one class): known for every unit that could be taught, and the
    same in every qualification that shares it."""
    glh: dict[str, int] = {}
    source: dict[str, str] = {}
    problems: list[Problem] = []
    for t in types:
        s = t.scenario
        q = s.qualification
        missing = []
        for uid in t.open_units:
            key = unit_key(q, q.unit(uid))
            hours = s.glh_of(uid)
            if hours is None:
                missing.append(q.unit(uid).label)
            elif key in glh and glh[key] != hours:
                problems.append(
                    Problem(
                        cohort.path,
                        None,
                        None,
                        f"unit {key} has {glh[key]} GLH in {source[key]} but {hours} in {q.id}: "
                        "a shared class needs one value",
                    )
                )
            else:
                glh.setdefault(key, hours)
                source.setdefault(key, q.id)
        if missing:
            shown = ", ".join(missing[:10]) + (" and more" if len(missing) > 10 else "")
            problems.append(
                Problem(
                    t.learners[0].path or cohort.path,
                    t.learners[0].line,
                    None,
                    f"learner {t.learners[0].id!r}: taught GLH is counted, but {q.id} gives no "
                    f"GLH for {shown}: give their hours under `centre: glh:` in {cohort.path}, "
                    "or make those units unavailable",
                )
            )
    if problems:
        raise InputError(list(dict.fromkeys(problems)))
    return glh


def check_cohort(cohort: Cohort) -> None:
    """What `pathway validate` checks beyond the file itself, without solving: every unit a
    learner could be taught has one GLH (an InputError names each that has none)."""
    _check_glh(cohort, _types(cohort))


def _alone(types: list[_Type], deadline: float | None, unavailable=(), say=None) -> None:
    """Each type's own cheapest pathway (pathway.solve, tie-broken and audited), or why it has
    none even alone: a bound, a first hint and the comparison all come from these."""
    from .solver import solve

    for done, t in enumerate(types):
        if say is not None:
            say("alone", done=done, total=len(types))
        limit = None if deadline is None else max(deadline - time.monotonic(), 0.01)
        solution = solve(t.scenario, objectives=["min-glh"], time_limit=limit)
        if solution.status == Status.OPTIMAL and solution.best is not None:
            # Only a proven cheapest pathway is a floor on what the learner takes.
            t.cheapest = solution.best.units
        elif solution.status == Status.INFEASIBLE:
            t.reason = _reason(solution, t.scenario, set(unavailable))
        else:  # feasible or unknown: cut short by the time limit
            t.timed_out = True


def _reason(solution, s: Scenario, unavailable: set[str]) -> str:
    """An explanation in one line: its conflicts' sentences, saying where an exclusion is the
    centre's (a unit it cannot run) rather than the learner's."""
    e = solution.explanation
    if e is None:
        return "no pathway exists even alone"
    q = s.qualification
    says = []
    for c in e.conflicts:
        text = c.says
        if c.kind == "excluded":
            ids = c.key.split(",")
            centre = [q.unit(u).label for u in ids if unit_key(q, q.unit(u)) in unavailable]
            if centre:
                text += f" (the centre cannot run {', '.join(centre)})"
        says.append(text)
    reason = "no pathway exists even alone: " + "; ".join(says)
    return reason + ("" if e.minimal else " (this set may not be minimal)")


# -- the joint model ---------------------------------------------------------------------------


def _weights(s: Scenario) -> dict[str, int]:
    """The learner's non-zero preference weight of each unit they may count (max-preference's
    measure: held units included, excluded ones never in a pathway)."""
    from .measures import PREFERENCE, amounts

    ids = [u.id for u in s.qualification.units if u.id not in set(s.blocked)]
    return {u: w for u, w in zip(ids, amounts(PREFERENCE, s, ids)) if w}


def _weight(i: int) -> int:
    """A fixed pseudo-random weight 1..1024 for a unit position (the copies' order)."""
    z = (i * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & ((1 << 64) - 1)
    z = ((z ^ (z >> 29)) * 0xBF58476D1CE4E5B9) & ((1 << 64) - 1)
    return (z >> 54) + 1


class _Joint:
    """The cohort's CP-SAT model, its variables by name, and how to read a solution."""

    def __init__(self, cohort: Cohort, types: list[_Type], glh: dict[str, int], maximise: bool):
        self.cohort = cohort
        self.types = [t for t in types if t.cheapest is not None]
        self.glh = glh
        self.search = SEARCH  # CP-SAT's parameters for this model (cohort_counts solves it too)
        self.cp = new_model()
        cp, centre = self.cp, cohort.centre
        always = cp.new_int(1, 1, "all learners complete")
        # copies[type index] = list of (completes literal, take by unit id)
        self.copies: list[list[tuple[int, dict[str, int]]]] = []
        demand: dict[str, list[int]] = {}
        for ti, t in enumerate(self.types):
            q = t.scenario.qualification
            copies = []
            previous = None
            for k in range(len(t.learners)):
                completes = cp.new_bool(f"t{ti}.{k} completes") if maximise else always
                take = compile_learner(cp, t.scenario, f"t{ti}.{k} ", completes)
                # No pathway costs this learner less than their own cheapest; the LP's
                # fractional pathways can.
                own = [(take[u], t.scenario.glh_of(u) or 0) for u in t.open_units]
                cp.add_linear(own, t.own_glh, None, (completes,), "own cheapest")
                for uid in t.open_units:
                    demand.setdefault(unit_key(q, q.unit(uid)), []).append(take[uid])
                if maximise:
                    # A learner who does not complete has no pathway: taught nothing, and
                    # no held unit counted (or preferences would score it).
                    for uid in take:
                        cp.add_linear([(take[uid], 1), (completes, -1)], None, 0)
                if previous is not None:
                    self._order(t, previous, (completes, take), maximise)
                previous = (completes, take)
                copies.append((completes, take))
            self.copies.append(copies)
        self.keys = sorted(demand)
        self.run: dict[str, int] = {}
        self.classes: dict[str, int] = {}
        size, least = centre.class_size, centre.min_class
        for key in self.keys:
            takers = demand[key]
            most = -(-len(takers) // size)
            run = cp.new_bool(f"run[{key}]")
            classes = cp.new_int(0, most, f"classes[{key}]")
            self.run[key], self.classes[key] = run, classes
            if len(takers) < least:
                cp.add_linear([(run, 1)], 0, 0, (), f"{key}: too few could take it")
            for x in takers:
                # A unit is taken only where it runs.
                cp.add_linear([(x, 1), (run, -1)], None, 0)
            terms = [(x, 1) for x in takers]
            # Learners taking it <= class_size x classes.
            cp.add_linear(terms + [(classes, -size)], None, 0, (), f"{key} classes")
            # It runs only with at least min_class learners.
            cp.add_linear(terms + [(run, -least)], 0, None, (), f"{key} min_class")
            cp.add_linear([(classes, 1), (run, -1)], 0, None)
            cp.add_linear([(classes, 1), (run, -most)], None, 0)
        self.taught = [(self.classes[k], glh[k]) for k in self.keys]
        self.learner_glh = [
            (take[u], t.scenario.glh_of(u) or 0)
            for t, copies in zip(self.types, self.copies)
            for _, take in copies
            for u in t.open_units
        ]
        # The learners' preferences, as solve's max-preference counts them (every unit of
        # the pathway, held ones too), negated to be minimised; empty when no one has any.
        self.preference = [
            (take[u], -w)
            for t, copies in zip(self.types, self.copies)
            for _, take in copies
            for u, w in _weights(t.scenario).items()
        ]
        if centre.max_units is not None:
            cp.add_linear([(self.run[k], 1) for k in self.keys], None, centre.max_units)
        if centre.max_glh is not None:
            cp.add_linear(self.taught, None, centre.max_glh, (), "max_glh")
        self._bounds(maximise)

    def _order(self, t: _Type, a, b, maximise: bool) -> None:
        """Copies of one type in a fixed order (completing first, then by a signature of the
        units taken), so that no two orders of the same learners are both searched."""
        cp = self.cp
        if maximise:
            cp.add_linear([(a[0], 1), (b[0], -1)], 0, None)
        terms = [(a[1][u], _weight(i)) for i, u in enumerate(t.open_units)]
        terms += [(b[1][u], -_weight(i)) for i, u in enumerate(t.open_units)]
        cp.add_linear(terms, 0, None)

    def _bounds(self, maximise: bool) -> None:
        """Redundant rows that tighten the LP: taught GLH is at least any completing learner's
        own cheapest pathway (every unit they take runs at least once)."""
        if maximise:
            return
        cheapest = max((t.own_glh for t in self.types), default=0)
        if cheapest:
            self.cp.add_linear(self.taught, cheapest, None, (), "at least the dearest learner")
        self._capacity_rows()

    def _capacity_rows(self) -> None:
        """For each amount rule with a floor, scope by scope: the learners' shortfalls (the
        floor less what they hold there) summed over a qualification's learners must fit in
        the classes run, class_size x credits (or 1) per class. Implied by the LP, but as a row
        over whole numbers of classes it lets CP-SAT round (24 x classes >= 30 means 2
        classes), which the LP of the per-learner rows never does."""
        size = self.cohort.centre.class_size
        rows: dict[tuple, int] = {}
        scopes: dict[tuple, dict[str, int]] = {}
        for t in self.types:
            s = t.scenario
            q = s.qualification
            held = set(s.held)
            open_units = set(t.open_units)
            for position, (rule, scope, measure) in enumerate(floors(q)):
                worth = [(u, (q.unit(u).credit or 0) if measure == "credits" else 1) for u in scope]
                short = rule - sum(w for u, w in worth if u in held)
                if short <= 0:
                    continue
                # One row per floor: two floors over one scope (a mandatory group and "exactly
                # 4 units from it") are two rows, not one with their shortfalls added.
                key = (q.path, q.id, position)
                rows[key] = rows.get(key, 0) + short * len(t.learners)
                terms = scopes.setdefault(key, {})
                for u, w in worth:
                    if u in open_units:
                        k = unit_key(q, q.unit(u))
                        terms[k] = max(terms.get(k, 0), w)
        for key, need in rows.items():
            row = [(self.classes[k], w * size) for k, w in sorted(scopes[key].items())]
            self.cp.add_linear(row, need, None, (), "capacity")

    @contextmanager
    def classes_fixed(self, classes: dict[str, int]):
        """The model, for the solves inside the `with`, with every unit's classes fixed
        (absent: 0): its plans are those that teach exactly this offer."""
        marker = self.cp.mark()
        for key in self.keys:
            n = classes.get(key, 0)
            self.cp.add_linear([(self.classes[key], 1)], n, n)
        try:
            yield self.cp
        finally:
            self.cp.truncate(marker)

    def hint(self) -> dict[int, int]:
        """Every learner on their own cheapest pathway (a plan when min_class allows it)."""
        hint: dict[int, int] = {}
        counts: dict[str, int] = {}
        for t, copies in zip(self.types, self.copies):
            q = t.scenario.qualification
            chosen = set(t.cheapest or ())
            for completes, take in copies:
                for uid, var in take.items():
                    hint[var] = int(uid in chosen)
                for uid in t.open_units:
                    if uid in chosen:
                        key = unit_key(q, q.unit(uid))
                        counts[key] = counts.get(key, 0) + 1
                if completes >= 0:
                    hint[completes] = 1
        size = self.cohort.centre.class_size
        for key in self.keys:
            hint[self.run[key]] = int(counts.get(key, 0) > 0)
            hint[self.classes[key]] = -(-counts.get(key, 0) // size)
        return hint


# -- solving -----------------------------------------------------------------------------------


def plan(
    cohort: Cohort,
    time_limit: float | None = None,
    workers: int | None = None,
    progress=None,
    by_counts: bool = True,
) -> Plan:
    """The plan for a cohort: the offer, each learner's audited pathway, and the comparison
    with offering every learner's own cheapest pathway.

    `progress(phase, best=None, done=None, total=None)`, if given, is called as the work goes
    on (for a progress line): "alone" with `done` of `total` learner types solved alone, then
    at the start of each joint solve ("completing", "taught_glh", "preferences" when some
    learner states any, "learners_glh") and, with the value found (not for "preferences"),
    at its end and, for the first two, as each plan is found; "bound", with each better bound
    proven on the first two (the most completing, the least taught GLH); "explanation" before
    an explanation is sought.

    The aims, each proven before the next is sought with the last value fixed: the most
    learners completing (max-completing only), the least taught GLH, then (when some learner
    has preference weights) the most preference met, summed over learners as solve's
    max-preference scores one pathway, then the least GLH for the learners themselves. The last
    two have a budget each of the time the taught GLH took to prove (at least TIE_FLOOR s);
    a note says when one ran out.

    Least taught GLH is first sought by counts of interchangeable units (cohort_counts.py;
    `by_counts=False` skips it, for tests that compare the two), on half the time left (after
    the most completing, for max-completing; skipped with under COUNTS_FLOOR s left): what it
    proves is taken, a bound it reaches is handed to the joint model."""
    say = progress or _silent
    started = time.monotonic()
    time_limit = time_limit if time_limit is not None else cohort.time_limit
    workers = workers or cohort.workers or DEFAULT_WORKERS
    deadline = None if time_limit is None else started + time_limit
    maximise = cohort.objective == "max-completing"
    types = _types(cohort)
    glh = _check_glh(cohort, types)
    _alone(types, deadline, cohort.centre.unavailable, say)
    result = Plan(cohort, Status.OPTIMAL, cohort.objective)
    result.timings["alone"] = time.monotonic() - started
    result.individual_glh = _individual_glh(cohort, types, glh)
    if any(t.timed_out for t in types):
        # Without every learner's own pathway there is no bound, hint or honest explanation.
        result.status = Status.UNKNOWN
        result.notes.append("The time limit came before every learner's own pathway was found.")
        result.learners = _unplanned(cohort, types)
        result.seconds = time.monotonic() - started
        return result
    stuck = [t for t in types if t.cheapest is None]
    if stuck and not maximise:
        result.status = Status.INFEASIBLE
        result.learners = _unplanned(cohort, types)
        say("explanation")
        result.explanation = _explain(cohort, types, glh, None, deadline=deadline)
        result.seconds = time.monotonic() - started
        return _with_reasons(result)
    building = time.monotonic()
    joint = _Joint(cohort, types, glh, maximise)
    result.timings["build"] = time.monotonic() - building
    stage = None
    if by_counts:
        from .cohort_counts import least_taught

        def stage(completing: int | None):
            if deadline is not None and deadline - time.monotonic() < COUNTS_FLOOR:
                return None  # too little time to count: the joint model has it all
            say("taught_glh")
            half = None if deadline is None else (deadline + time.monotonic()) / 2
            counts = least_taught(joint, half, progress, workers, completing)
            result.timings["counts"] = counts.seconds
            return counts

    search = _Search(joint, workers, deadline, say)
    found = search.run(maximise, stage)
    result.timings.update(search.timings)
    result.status, result.bound, result.bound_on = search.status, search.bound, search.bound_on
    if found is None:
        result.learners = _unplanned(cohort, types)
        if result.status == Status.UNKNOWN:
            result.notes.append("The time limit came before any plan was found.")
        if result.status == Status.INFEASIBLE:
            say("explanation")
            result.explanation = _explain(cohort, types, glh, joint, deadline=deadline)
        result.seconds = time.monotonic() - started
        return _with_reasons(result)
    if not search.learners_proven:
        result.notes.append(
            "The learners' own GLH (the last aim, once taught GLH is least) is not proven "
            "least: the time for it ran out, and some learners may take a unit they do not need."
        )
    result.learners, result.offer = _read(joint, types, found)
    if any(_weights(t.scenario) for t in types):
        result.preference = sum(lp.preference or 0 for lp in result.learners if lp.completes)
        result.preference_proven = search.preference_proven
        if result.status != Status.OPTIMAL:
            result.notes.append(
                "The learners' preferences were not weighed: the time limit came before the "
                "plan's own objective was proven."
            )
        elif not search.preference_proven:
            result.notes.append(
                "The learners' preferences met (the next aim, once taught GLH is least) are not "
                "proven the most: the time for them ran out."
            )
    _verify(cohort, result, glh)
    if search.taught_value is not None and result.taught_glh != search.taught_value:
        raise InternalError(
            f"the plan teaches {result.taught_glh} GLH, but {search.taught_value} was proven least"
        )
    taught = result.taught_glh
    result.value = [result.completing, taught] if maximise else [taught]
    if result.completing < len(cohort.learners):
        say("explanation")
        result.explanation = _explain(cohort, types, glh, joint, result, deadline)
    result.seconds = time.monotonic() - started
    return _with_reasons(result)


def _with_reasons(result: Plan) -> Plan:
    """Each learner named by the explanation carries its reason too."""
    if result.explanation:
        reasons = {e["id"]: e["reason"] for e in result.explanation["learners"]}
        for lp in result.learners:
            lp.reason = reasons.get(lp.id, lp.reason)
    return result


class _Search:
    """The solves: most learners completing (max-completing only), then least taught GLH."""

    def __init__(self, joint: _Joint, workers: int, deadline: float | None, say=None):
        self.joint, self.workers, self.deadline = joint, workers, deadline
        self.say = say or (lambda *args, **kwargs: None)  # see plan()
        self.status = Status.OPTIMAL
        self.bound: int | None = None
        self.bound_on: str | None = None
        self.learners_proven = True  # whether learners' own GLH is proven least
        # whether the preferences met are proven the most (vacuously, when no one has any)
        self.preference_proven = not joint.preference
        self.timings: dict[str, float] = {}
        self.last = 0.0
        self.taught_value: int | None = None  # the proven least taught GLH

    def _solve(self, hint, phase: str, cap: float | None = None, work: float | None = None):
        """One solve of the joint model; `cap` limits its seconds, `work` its deterministic
        time (CP-SAT's measure of work done: the same answer on any machine and load)."""
        started = time.monotonic()
        limit = None if self.deadline is None else max(self.deadline - started, 0.01)
        if cap is not None:
            limit = cap if limit is None else min(limit, cap)
        self.say(phase)
        r = self.joint.cp.solve(
            workers=self.workers,
            time_limit=limit,
            hint=hint,
            extra=SEARCH if work is None else f"{SEARCH} max_deterministic_time: {work}",
            on_progress=self._live(phase),
        )
        if r.objective is not None and phase != "preferences":  # the line counts GLH
            # completing is minimised as its negative
            self.say(phase, best=-r.objective if phase == "completing" else r.objective)
        self.last = time.monotonic() - started
        self.timings[phase] = self.timings.get(phase, 0.0) + self.last
        return r

    def _live(self, phase: str):
        """For the progress line while the plan's own objective is proven: each plan found
        and each better bound, as the learners completing or taught GLH (completing is
        minimised negated). None (no calls back from CP-SAT) for the later aims."""
        if phase not in ("completing", "taught_glh") or self.say is _silent:
            return None
        say, sign = self.say, -1 if phase == "completing" else 1

        def report(kind: str, raw: int) -> None:
            if kind == "bound":
                say("bound", sign * raw)
            else:
                say(phase, best=sign * raw)

        return report

    def run(self, maximise: bool, by_counts=None):
        """The plan found (a CP-SAT result), or None. `by_counts(completing)`, if given, is
        cohort_counts' stage for least taught GLH, once the most completing is proven (None:
        every learner completes): what it proves is taken as it is; a bound it reaches is
        added as a row."""
        cp, joint = self.joint.cp, self.joint
        hint = joint.hint()
        completing = None
        if maximise:
            completes = [(c, -1) for copies in joint.copies for c, _ in copies]
            cp.minimize(completes)
            r = self._solve(hint, "completing")
            if not self._settled(r, "completing", -1):
                return r if r.values else None
            completing = -sum(c * r.value(v) for v, c in completes)
            cp.add_linear(completes, None, -completing, (), "as many completing")
            hint = {v: r.value(v) for v in range(len(r.values))}
        counts = first = None
        if by_counts is not None:
            # A short first try: many cohorts (small ones, or those whose classes do not run
            # full) are proven at once, before the vectors are even counted.
            cp.minimize(joint.taught)
            first = self._solve(hint, "taught_glh", work=FIRST_TRY)
            if first.status in ("optimal", "infeasible"):
                return self._settle_taught(first)
            hint = _values(first) if first.values else hint
            if first.bound is not None:
                # What the first try proved stays proven, whatever the later solves reach.
                cp.add_linear(joint.taught, first.bound, None, (), "at least the first try's bound")
            counts = by_counts(completing)
        if counts is not None and counts.status == "infeasible" and not maximise:
            self.status = Status.INFEASIBLE
            return None
        if counts is not None and counts.status == "optimal":
            assert counts.solution is not None and counts.value is not None
            self.taught_value = counts.value
            self.say("taught_glh", best=counts.value)
            cp.add_linear(joint.taught, None, counts.value, (), "as little taught")
            best = counts.solution
            if not joint.preference:
                # A first answer to the last aim within the offer counts found (its classes
                # fixed: a small search), as the hint for the search over every offer of this
                # taught GLH: 3,216 and 3,388 learners' GLH against 3,226 and 3,433 on two of
                # the five 16-learner cohorts, in the same time.
                with joint.classes_fixed(counts.classes):
                    cp.minimize(joint.learner_glh)
                    r = self._solve(_values(best), "learners_glh", max(counts.seconds, TIE_FLOOR))
                best = r if r.values else best
            return self._later_aims(best, max(counts.seconds, self.last))
        if counts is not None and counts.bound:
            cp.add_linear(joint.taught, counts.bound, None, (), "at least the counts' bound")
        cp.minimize(joint.taught)
        r = self._solve(hint, "taught_glh")
        if first is not None and first.values and r.status == "infeasible":
            raise InternalError("the joint model found a plan, then proved there is none")
        if first is not None and first.values and not r.values:
            # The time ran out before this solve found a plan: the first try's stands, with
            # the best bound proven by any of them.
            bounds = [b for b in (first.bound, r.bound, counts and counts.bound) if b is not None]
            first.status, first.bound = "feasible", max(bounds, default=None)
            r = first
        return self._settle_taught(r)

    def _settle_taught(self, r):
        """The plan found once least taught GLH is sought: proven, the later aims follow."""
        cp, joint = self.joint.cp, self.joint
        if not self._settled(r, "taught_glh", 1):
            return r if r.values else None
        self.taught_value = r.objective
        cp.add_linear(joint.taught, None, r.objective, (), "as little taught")
        return self._later_aims(r, self.last)

    def _later_aims(self, best, proof: float):
        """Preferences (when some learner has weights), then the learners' own GLH, among
        the plans of the proven least taught GLH; each with the time the proof took (at least
        TIE_FLOOR) as its own budget."""
        cp, joint = self.joint.cp, self.joint
        cap = max(TIE_FLOOR, TIE_FACTOR * proof)
        if joint.preference:
            # Among those plans, the learners' preferences best met (summed over learners).
            cp.minimize(joint.preference)
            r = self._solve(_values(best), "preferences", cap)
            self.preference_proven = r.status == "optimal"
            best = r if r.values else best
            met = sum(c * best.value(v) for v, c in joint.preference)
            cp.add_linear(joint.preference, None, met, (), "as preferred")
        # Then the least GLH for the learners themselves: no one sits in a class they do not
        # need because it happens to run with room to spare.
        cp.minimize(joint.learner_glh)
        r = self._solve(_values(best), "learners_glh", cap)
        if r.status != "optimal":
            self.learners_proven = False
        return r if r.values else best

    def _settled(self, r, name: str, sense: int) -> bool:
        """Whether this solve proved its optimum; if not, the status and bound say how far it
        got (on the user's own objective: completing counts up)."""
        if r.status == "optimal":
            return True
        if r.status == "infeasible":
            self.status = Status.INFEASIBLE
        elif not r.values:
            self.status = Status.UNKNOWN
        else:
            self.status = Status.FEASIBLE
            self.bound_on = name
            self.bound = None if r.bound is None else sense * r.bound
        return False


def _silent(*args, **kwargs) -> None:
    """The progress callback when none is given."""


def _values(r) -> dict[int, int]:
    """A solution as a hint for the next solve."""
    return {v: r.value(v) for v in range(len(r.values))}


def _individual_glh(cohort: Cohort, types: list[_Type], glh: dict[str, int]) -> int | None:
    """Taught GLH if every learner followed their own cheapest pathway: per unit, its GLH x
    ceil(learners needing it / class size); the centre's min_class and limits ignored. None
    when some learner has no pathway even alone."""
    demand: dict[str, int] = {}
    for t in types:
        if t.cheapest is None:
            return None
        q = t.scenario.qualification
        for uid in t.cheapest:
            if uid in t.open_units:
                key = unit_key(q, q.unit(uid))
                demand[key] = demand.get(key, 0) + len(t.learners)
    size = cohort.centre.class_size
    return sum(glh[k] * -(-d // size) for k, d in demand.items())


def _read(joint: _Joint, types: list[_Type], r) -> tuple[list[LearnerPlan], list[OfferedUnit]]:
    """Each learner's pathway and the offer, from a solution. Copies of a type are handed to
    its learners in file order."""
    by_learner: dict[str, LearnerPlan] = {}
    takers: dict[str, list[str]] = {}
    planned = {id(t): copies for t, copies in zip(joint.types, joint.copies)}
    for t in types:
        s = t.scenario
        q = s.qualification
        copies = planned.get(id(t))
        for k, learner in enumerate(t.learners):
            if copies is None or not r.value(copies[k][0]):
                by_learner[learner.id] = LearnerPlan(learner.id, learner.scenario, False)
                continue
            take = copies[k][1]
            units = tuple(u.id for u in q.units if r.value(take[u.id]))
            to_take = tuple(u for u in units if u not in set(s.held))
            for uid in to_take:
                takers.setdefault(unit_key(q, q.unit(uid)), []).append(learner.id)
            hours = sum(s.glh_of(u) or 0 for u in to_take)
            weights = _weights(s)
            liked = sum(weights.get(u, 0) for u in units) if weights else None
            by_learner[learner.id] = LearnerPlan(
                learner.id, learner.scenario, True, units, to_take, hours, preference=liked
            )
    order = [lr.id for lr in joint.cohort.learners]
    plans = [by_learner[i] for i in order]
    offer = []
    first = _first_units(types)
    position = {k: i for i, k in enumerate(first)}
    for key in sorted(joint.keys, key=position.__getitem__):
        if not r.value(joint.run[key]):
            continue
        number, title = first[key]
        who = sorted(takers.get(key, []), key=order.index)
        offer.append(
            OfferedUnit(key, number, title, joint.glh[key], who, r.value(joint.classes[key]))
        )
    return plans, offer


def _first_units(types: list[_Type]) -> dict[str, tuple[str | None, str]]:
    """Each unit key's printed number and title, as the first learner's qualification has it,
    in the order of the qualifications' unit lists (the order the offer is printed in)."""
    out: dict[str, tuple[str | None, str]] = {}
    for t in types:
        q = t.scenario.qualification
        for u in q.units:
            out.setdefault(unit_key(q, u), (u.number, u.title))
    return out


def _unplanned(cohort: Cohort, types: list[_Type]) -> list[LearnerPlan]:
    reasons = {lr.id: t.reason for t in types for lr in t.learners}
    return [LearnerPlan(lr.id, lr.scenario, False, reason=reasons[lr.id]) for lr in cohort.learners]


# -- checking ----------------------------------------------------------------------------------


def _verify(cohort: Cohort, result: Plan, glh: dict[str, int]) -> None:
    """Re-check the plan without CP-SAT: each pathway by the auditor and the learner's own
    constraints, and the offer recomputed from the pathways."""
    centre = cohort.centre
    broken: list[str] = []
    demand: dict[str, int] = {}
    for lp in result.learners:
        if not lp.completes:
            if lp.to_take:
                broken.append(f"{lp.id} does not complete but is taught {lp.to_take}")
            continue
        s = lp.scenario
        q = s.qualification
        checked = audit(q, lp.units)
        off = set(centre.unavailable)
        problems = [f"{r.rule.key} {r.rule.name}" for r in checked.failures]
        problems += scenario_violations(s, lp.units)
        for uid in lp.to_take:
            key = unit_key(q, q.unit(uid))
            demand[key] = demand.get(key, 0) + 1
            if key in off:
                problems.append(f"{key} is unavailable")
        if problems:
            broken.append(f"{lp.id}: {problems}")
    offered = {u.key: u for u in result.offer}
    if set(offered) != set(demand):
        broken.append(f"units run {sorted(offered)} but taken {sorted(demand)}")
    for key, u in offered.items():
        d = demand.get(key, 0)
        if len(u.learners) != d or u.classes * centre.class_size < d or d < centre.min_class:
            broken.append(f"{key}: {d} learners in {u.classes} classes")
        if u.glh != glh[key]:
            broken.append(f"{key}: GLH {u.glh} against {glh[key]}")
    if centre.max_units is not None and len(offered) > centre.max_units:
        broken.append(f"{len(offered)} units run, max_units {centre.max_units}")
    if centre.max_glh is not None and result.taught_glh > centre.max_glh:
        broken.append(f"{result.taught_glh} GLH taught, max_glh {centre.max_glh}")
    if broken:
        raise InternalError(f"the plan found fails the auditor's check: {broken}")


# -- explaining --------------------------------------------------------------------------------

_CENTRE_LIMITS = ("min_class", "max_units", "max_glh")


def _explain(
    cohort: Cohort,
    types: list[_Type],
    glh: dict[str, int],
    joint,
    result: Plan | None = None,
    deadline: float | None = None,
) -> dict:
    """Who cannot complete and why: a learner with no pathway even alone gets the solver's
    minimal explanation; the others are held back by the centre's limits, named by which of
    them, dropped, would let every learner with a pathway complete."""
    alone = [(lr.id, t.reason) for t in types if t.reason for lr in t.learners]
    blocked = []
    if result is not None:
        stuck = {lp.id for lp in result.learners if not lp.completes}
        blocked = [lr.id for t in types if t.reason is None for lr in t.learners if lr.id in stuck]
    elif joint is not None:
        blocked = [lr.id for t in types if t.reason is None for lr in t.learners]
    limits, minimal = _limits_to_blame(cohort, types, glh, deadline) if blocked else ([], True)
    learners = [{"id": i, "reason": reason} for i, reason in alone]
    named = " and ".join(limits) if limits else "the centre's limits together"
    why = f"has a pathway alone, but not within the centre's {named}"
    if "max_glh" in limits:
        why += _max_glh_figures(cohort, types, glh, limits, deadline)
    for lid in blocked:
        learners.append({"id": lid, "reason": why})
    order = [lr.id for lr in cohort.learners]
    learners.sort(key=lambda e: order.index(e["id"]))
    n = len(learners)
    summary = (
        f"{n} of {len(cohort.learners)} learner{'s' * (len(cohort.learners) != 1)} cannot complete"
    )
    if alone:
        summary += f": {len(alone)} {'has' if len(alone) == 1 else 'have'} no pathway even alone"
    if blocked:
        summary += f"{',' if alone else ':'} {len(blocked)} only because of the centre's limits"
    return {"summary": summary, "learners": learners, "centre": limits, "minimal": minimal}


def _max_glh_figures(
    cohort: Cohort, types: list[_Type], glh: dict[str, int], limits: list[str], deadline
) -> str:
    """What max_glh allows and what the plan needs, as solve says it for a budget: the least
    taught GLH with which every learner with a pathway of their own completes, the limits
    blamed dropped (the others kept), proven within the time left (at most _TRIAL_LIMIT s),
    else the best bound proven ("at least"). Only the allowance when no time is left."""
    centre = cohort.centre
    assert centre.max_glh is not None and "max_glh" in limits
    others = [name for name in limits if name != "max_glh"]
    otherwise = f"without {' and '.join(limits)}" if others else "otherwise"
    allows = f": the centre allows at most {centre.max_glh:,} taught GLH"
    limit = _trial_limit(deadline)
    if limit <= 0:
        return allows
    joint = _Joint(_without(cohort, limits), types, glh, maximise=False)
    joint.cp.minimize(joint.taught)
    r = joint.cp.solve(workers=1, time_limit=limit, hint=joint.hint(), extra=SEARCH)
    if r.status == "optimal" and r.objective is not None:
        return f"{allows}; the cheapest plan {otherwise} needs {r.objective:,} GLH"
    # Not proven: the bound, and (max_glh alone blamed, so the plan is infeasible only
    # through it) more than max_glh.
    least = max(r.bound or 0, 0 if others else centre.max_glh + 1)
    if not least:
        return allows
    return (
        f"{allows}; the cheapest plan {otherwise} needs at least {least:,} GLH (not proven "
        "the least: the time for it ran out)"
    )


_TRIAL_LIMIT = 10.0  # seconds for each solve that explains a refusal (limits, figures)


def _trial_limit(deadline: float | None) -> float:
    """The time one explaining solve may take: _TRIAL_LIMIT, or less when the plan's own
    deadline comes sooner (not positive: none left)."""
    return _TRIAL_LIMIT if deadline is None else min(_TRIAL_LIMIT, deadline - time.monotonic())


def _without(cohort: Cohort, limits) -> Cohort:
    """The cohort with the named centre limits (of _CENTRE_LIMITS) dropped, the others kept."""
    from dataclasses import replace

    centre = cohort.centre
    relaxed = replace(
        centre,
        min_class=1 if "min_class" in limits else centre.min_class,
        max_units=None if "max_units" in limits else centre.max_units,
        max_glh=None if "max_glh" in limits else centre.max_glh,
    )
    return replace(cohort, centre=relaxed)


def _limits_to_blame(
    cohort: Cohort, types: list[_Type], glh: dict[str, int], deadline: float | None
) -> tuple[list[str], bool]:
    """The centre limits to blame: the smallest set (tried in the order min_class, max_units,
    max_glh) whose removal lets every learner with a pathway of their own complete (removing
    them all always does). False beside it when the time limit cut a trial short, so a
    smaller set may exist. Each trial has at most _TRIAL_LIMIT s."""
    import itertools

    centre = cohort.centre
    present = [
        name
        for name in _CENTRE_LIMITS
        if (centre.min_class > 1 if name == "min_class" else getattr(centre, name) is not None)
    ]
    minimal = True
    for size in range(1, len(present)):
        for drop in itertools.combinations(present, size):
            limit = _trial_limit(deadline)
            if limit <= 0:
                return present, False
            joint = _Joint(_without(cohort, drop), types, glh, maximise=False)
            r = joint.cp.solve(workers=1, with_objective=False, extra=SEARCH, time_limit=limit)
            if r.status in ("feasible", "optimal"):
                return list(drop), minimal
            minimal = minimal and r.status == "infeasible"
    return present, minimal


def cohort_model(cohort: Cohort):
    """The joint min-taught-glh model, its objective set, as plan() builds it: for benchmarks
    that hand the same model to another solver (bench/cohort_speed.py)."""
    types = _types(cohort)
    glh = _check_glh(cohort, types)
    _alone(types, None)
    joint = _Joint(cohort, types, glh, maximise=False)
    joint.cp.minimize(joint.taught)
    return joint.cp
