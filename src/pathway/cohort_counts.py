"""Least taught GLH by counts of interchangeable units: the exact first stage of `pathway plan`.

The joint model (cohort_plan._Joint) leaves its last 1% of gap open on 16 learners: which mix
of 3- and 5-credit units meets each learner's need when every class runs full is arithmetic
its linear relaxation does not see (README, "Cohort plans"). This stage proves it by
logic-based Benders over count vectors.

A *kind* is a set of units with the same amount in every rule row of every learner (on the seed
diploma one kind per group and credit value: "Group C, 3 credits" is 11 units). A learner's
rows only see how many units of each kind they count, so a learner is described by their
*minimal count vectors*: units taken per kind such that some choice of their held units meets
every row, and no count can be lowered. Once each learner's vector is chosen the kinds no
longer interact: who sits in which class of a kind is a bipartite flow.

- Master (CP-SAT, one worker): per learner exactly one minimal vector; per unit class slots
  (its first class seats min(class size, learners who may take it), the next the rest); the
  objective is GLH x classes. Rows: per kind, the units counted fit in the seats bought; a
  learner counts no more units of a kind than run among those they may take; a unit in every
  vector of a learner has a seat for them; interchangeable units (same kind, GLH and learners)
  are bought in order; per floor row, the learners' shortfalls fit in the seats; the centre's
  max_units and max_glh. Every plan meets these rows, so its optimum is a lower bound.
- Check, per kind, a max flow learners -> units -> sink. A kind whose flow fails gives a min
  cut, a unit set T, and the Hall inequality for T is added for every learner set at once
  (z[i] >= learner i's count - running units outside T they may take, z >= 0, sum z <= seats
  of T): valid for every plan, since its left side only grows when a learner takes more than a
  minimal vector. The master's plans on the way to its optimum are checked too.
- When every flow passes, the joint model itself (the compiler's rows, held units, min_class,
  class sizes) is solved with the classes fixed. A plan there teaches exactly the master's
  optimum, a lower bound: it is optimal. If min_class leaves no plan, that class configuration
  is cut off and the master solved again.

It covers every cohort whose learners' rules are rows over units (compile.learner_rows: all but
any_of). For max-completing it runs once the joint model has proven the most completing, with
at least that many. Whatever it cannot finish, it hands on as a bound.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from .compile import Result, max_flow, new_model
from .count_vectors import NoPlan, NotCovered, OutOfTime, all_vectors, counted_learners, kinds

# Beyond this many minimal vectors in the whole cohort's master, the joint model alone.
MAX_VECTORS = 60_000
# With a deadline, fewer: at 100 learners of the seed diploma (13,389 vectors) the first master
# alone takes 23 s, and with 60 s the joint model alone ends nearer the optimum (gap 0.51%
# against 0.66% when counts had half the time); 50 learners (6,031) are proven in 13 s.
MAX_VECTORS_TIMED = 10_000
# Unless counts have this many seconds: the 100-learner cohort was proven in 189 s.
ROOMY = 200.0
MASTER_SEARCH = "linearization_level: 2"
# With two workers or more, the master's searches race (CpModel.race): these two each won on
# some of the 16-learner cohorts (seed 0 in 4.9 s against 7.1 s; seed 4 in 3.3 s against 6.2 s).
MASTER_RACE = (MASTER_SEARCH, MASTER_SEARCH + " add_mir_cuts: false")


@dataclass
class Counts:
    """What the stage proved: `status` "optimal" (value, classes and a solution of the joint
    model teaching it), "infeasible" (no plan lets every learner complete), "bound" (a lower
    bound on taught GLH, or none), or "not covered" (why, in `reason`)."""

    status: str
    value: int | None = None
    bound: int | None = None
    classes: dict[str, int] = field(default_factory=dict)
    solution: Result | None = None
    reason: str = ""
    rounds: int = 0
    cuts: int = 0
    nogoods: int = 0
    vectors: int = 0
    seconds: float = 0.0


def least_taught(
    joint, deadline: float | None, say=None, workers: int = 1, completing: int | None = None
) -> Counts:
    """The least taught GLH of the joint model's cohort with every learner completing (or, for
    max-completing, at least `completing` of them, a row the joint model must hold too), proven
    by counts, or as far as the time allowed. The joint model gets temporary rows only. With one
    worker the same cohort gives the same answer every run; with more, the master's searches
    race, and plans of the same value may differ between runs."""
    started = time.monotonic()
    try:
        learners = counted_learners(joint.types)
        signature = kinds(learners, joint.glh)
        roomy = deadline is None or deadline - time.monotonic() >= ROOMY
        most = MAX_VECTORS if roomy else MAX_VECTORS_TIMED
        vectors = all_vectors(learners, signature, deadline, most)
        master = _Master(joint, learners, signature, completing)
    except NotCovered as why:
        return Counts("not covered", reason=str(why), seconds=time.monotonic() - started)
    except NoPlan:
        return Counts("infeasible", seconds=time.monotonic() - started)
    except OutOfTime:
        return Counts(
            "bound", reason="the time limit came while counting", seconds=time.monotonic() - started
        )
    out = master.run(deadline, say, workers)
    out.vectors = vectors
    out.seconds = time.monotonic() - started
    return out


# -- the master, its cuts and the final check --------------------------------------------------


class _Master:
    def __init__(self, joint, learners, signature: dict[str, tuple], completing: int | None):
        self.joint = joint
        centre = joint.cohort.centre
        self.size, least = centre.class_size, centre.min_class
        self.learners = learners
        self.signature = signature
        glh = joint.glh
        eligible: dict[str, list[int]] = {}
        for i, learner in enumerate(learners):
            for u in learner.open:
                eligible.setdefault(u, []).append(i)
        self.eligible = eligible
        self.may_take = {u: set(who) for u, who in eligible.items()}
        cp = self.cp = new_model()
        self.count: dict[tuple[int, tuple], list[tuple[int, int]]] = {}  # (learner, kind)
        # A learner completes on one vector (max-completing: on at most one, so that a learner
        # who does not complete counts nothing); choices[i] sums to whether i completes.
        choices = []
        for i, learner in enumerate(learners):
            choice = [cp.new_bool(f"l{i} v{j}") for j in range(len(learner.vectors))]
            choices.append(choice)
            cp.add_linear([(x, 1) for x in choice], 1 if completing is None else 0, 1)
            for k, units in enumerate(learner.kinds):
                self.count[i, signature[units[0]]] = [
                    (choice[j], v[k]) for j, v in enumerate(learner.vectors) if v[k]
                ]
        # Class slots: a unit's first class seats min(size, eligible), the next the rest.
        self.seats: dict[str, list[tuple[int, int]]] = {}
        self.kind_units: dict[tuple, list[str]] = {}
        objective = []
        for u, who in sorted(eligible.items()):
            if len(who) < least:
                continue
            left = len(who)
            while left > 0:
                seats = min(self.size, left)
                y = cp.new_bool(f"class {len(self.seats.get(u, []))} of {u}")
                slots = self.seats.setdefault(u, [])
                if slots:
                    cp.add_linear([(y, 1), (slots[-1][0], -1)], None, 0)
                else:
                    self.kind_units.setdefault(signature[u], []).append(u)
                slots.append((y, seats))
                objective.append((y, glh[u]))
                left -= seats
        self.objective = objective
        cp.minimize(objective)
        same: dict[tuple, list[str]] = {}
        for kind, units in self.kind_units.items():
            for u in units:
                same.setdefault((kind, glh[u], tuple(eligible[u])), []).append(u)
        for units in same.values():
            for a, b in itertools.pairwise(sorted(units)):
                for (ya, _), (yb, _) in zip(self.seats[a], self.seats[b]):
                    cp.add_linear([(ya, 1), (yb, -1)], 0, None)
        demand: dict[tuple, list[tuple[int, int]]] = {}
        for (i, kind), terms in self.count.items():
            demand.setdefault(kind, []).extend(terms)
        for kind, terms in demand.items():
            bought = [(y, -s) for u in self.kind_units.get(kind, []) for y, s in self.seats[u]]
            cp.add_linear(terms + bought, None, 0)
        for (i, kind), terms in self.count.items():
            if terms:  # no more units of a kind than run among those they may take
                running = [
                    (self.seats[u][0][0], -1)
                    for u in self.kind_units.get(kind, [])
                    if i in self.may_take[u]
                ]
                cp.add_linear(terms + running, None, 0)
        if completing is not None:
            cp.add_linear([(x, 1) for choice in choices for x in choice], completing, None)
        # A unit in every vector of a learner: a seat for each learner who completes.
        forced: dict[str, list[tuple[int, int]]] = {}
        for i, learner in enumerate(learners):
            for k, units in enumerate(learner.kinds):
                if all(v[k] == len(units) for v in learner.vectors):
                    for u in units:
                        forced.setdefault(u, []).extend((x, 1) for x in choices[i])
        for u, completes in forced.items():
            if u in self.seats:
                cp.add_linear(completes + [(y, -s) for y, s in self.seats[u]], None, 0)
            elif completing is None:
                raise NoPlan
            else:
                cp.add_linear(completes, 0, 0)  # the unit cannot run: they cannot complete
        if completing is None:
            # Per floor row, the learners' shortfalls fit in the seats bought, each seat
            # worth its unit's amount: implied by the vectors, but as a row over whole classes
            # CP-SAT can round it (sept-intake's master 2.9 s -> 2.5 s, 16 learners seed 2
            # 3.4 s -> 1.9 s).
            need: dict[tuple, int] = {}
            for learner in learners:
                held = set(learner.held)
                for row in set(learner.rows):  # a row twice (mandatory and required) once
                    terms, lo, _ = row
                    if lo is not None and lo > 0:
                        short = lo - sum(a for u, a in terms if u in held)
                        if short > 0:
                            need[row] = need.get(row, 0) + short
            for (terms, _, _), total in need.items():
                seats = [(y, a * n) for u, a in terms if u in self.seats for y, n in self.seats[u]]
                cp.add_linear(seats, total, None)
        if centre.max_units is not None:
            cp.add_linear([(s[0][0], 1) for s in self.seats.values()], None, centre.max_units)
        if centre.max_glh is not None:
            cp.add_linear(objective, None, centre.max_glh)
        self.families: set[tuple] = set()

    def run(self, deadline: float | None, say, workers: int) -> Counts:
        out = Counts("bound")
        hint = None

        def bound(kind: str, value: int) -> None:
            # The master's bounds are bounds on the cohort's taught GLH; its solutions are not
            # plans.
            if kind == "bound" and say is not None:
                say("bound", value)

        progress = None if say is None else bound
        while True:
            out.rounds += 1
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return out
            seen: list[list[int]] = []
            if workers > 1:
                r, seen = self.cp.race(
                    MASTER_RACE, time_limit=left, hint=hint, on_progress=progress
                )
            else:
                r = self.cp.solve(
                    workers=1,
                    time_limit=left,
                    hint=hint,
                    extra=MASTER_SEARCH,
                    on_solution=seen.append,
                    on_progress=progress,
                )
            if r.status == "infeasible":
                out.status = "infeasible"
                return out
            if r.status != "optimal":
                if r.bound is not None and (out.bound is None or r.bound > out.bound):
                    out.bound = r.bound
                return out
            value = r.objective or 0  # None: nothing can be taught (no objective)
            out.bound = value
            if say is not None:
                say("bound", value)
            hint = dict(enumerate(r.values))
            self.cp.add_linear(self.objective, value, None)  # cuts only raise it
            added = self._cuts(r.values)
            if added:
                for other in seen[:-1]:  # the plans found on the way: their failing kinds too
                    added += self._cuts(other)
                out.cuts += added
                continue
            classes = {u: sum(r.values[y] for y, _ in slots) for u, slots in self.seats.items()}
            left = None if deadline is None else deadline - time.monotonic()
            checked = _check(self.joint, classes, left)
            if checked.status in ("feasible", "optimal"):
                out.status, out.value, out.classes, out.solution = (
                    "optimal",
                    value,
                    {u: c for u, c in classes.items() if c},
                    checked,
                )
                return out
            if checked.status != "infeasible":
                return out  # the time ran out in the check
            # min_class leaves no plan with these classes: never these again.
            self.cp.add_bool_or(
                [y if not r.values[y] else -y - 1 for s in self.seats.values() for y, _ in s]
            )
            out.nogoods += 1

    def _cuts(self, values) -> int:
        """A Hall family for each kind whose flow fails at these master values."""
        size, eligible = self.size, self.eligible
        added = 0
        for kind, units in self.kind_units.items():
            counts = {}
            for i in range(len(self.learners)):
                n = sum(c * values[x] for x, c in self.count.get((i, kind), []))
                if n:
                    counts[i] = n
            total = sum(counts.values())
            if not total:
                continue
            running = {u: sum(values[y] for y, _ in self.seats[u]) for u in units}
            running = {u: c for u, c in running.items() if c}
            node = {i: 2 + n for n, i in enumerate(counts)}
            unit_node = {u: 2 + len(node) + n for n, u in enumerate(running)}
            arcs = []
            for i, n in counts.items():
                arcs.append((0, node[i], n))
                arcs += [(node[i], unit_node[u], 1) for u in running if i in self.may_take[u]]
            for u, c in running.items():
                arcs.append((unit_node[u], 1, min(size * c, len(eligible[u]))))
            flow, side = max_flow(arcs, 0, 1)
            if flow >= total:
                continue
            short = [i for i in counts if node[i] in side]
            # T: running units on the source side, and those not running that S would overfill
            in_t = {
                u: unit_node[u] in side
                if u in running
                else sum(1 for i in short if i in self.may_take[u]) > min(size, len(eligible[u]))
                for u in units
            }
            t_set = tuple(sorted(u for u in units if in_t[u]))
            if (kind, t_set) in self.families:
                self._hall_row(kind, units, in_t, short)
            else:
                self.families.add((kind, t_set))
                self._hall_family(kind, units, set(t_set))
            added += 1
        return added

    def _hall_row(self, kind, units, in_t, short) -> None:
        """The Hall inequality for one learner set S (the family for T is in already)."""
        bought = []
        for u in units:
            takers = sum(1 for i in short if i in self.may_take[u])
            if in_t[u]:
                bought += [(y, -s) for y, s in self.seats[u]]
            elif takers:
                bought.append((self.seats[u][0][0], -takers))
        wanted = [t for i in short for t in self.count.get((i, kind), [])]
        self.cp.add_linear(wanted + bought, None, 0)

    def _hall_family(self, kind, units, inside: set[str]) -> None:
        """The Hall inequality for unit set T at its best learner set, for every plan:
        z[i] >= count[i] - (running units outside T that i may take), z >= 0,
        sum z <= seats of T."""
        cp = self.cp
        excess = []
        for i in range(len(self.learners)):
            terms = self.count.get((i, kind), [])
            if not terms:
                continue
            z = cp.new_int(0, max(c for _, c in terms), f"hall {i}")
            outside = [
                (self.seats[u][0][0], 1) for u in units if u not in inside and i in self.may_take[u]
            ]
            cp.add_linear([(z, 1)] + [(x, -c) for x, c in terms] + outside, 0, None)
            excess.append((z, 1))
        seats = [(y, -s) for u in sorted(inside) for y, s in self.seats[u]]
        cp.add_linear(excess + seats, None, 0)


def _check(joint, classes: dict[str, int], time_limit: float | None) -> Result:
    """The joint model with these classes: a solution is a plan teaching exactly them."""
    with joint.classes_fixed(classes) as cp:
        return cp.solve(
            workers=1,
            time_limit=time_limit,
            hint=joint.hint(),
            with_objective=False,
            extra=joint.search,
        )
