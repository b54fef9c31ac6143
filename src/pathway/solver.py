"""Solve: objectives, the tie-break that makes answers unique, top-K and time limits.

Every pathway returned has been re-checked by the auditor (auditor.py), which knows nothing of
CP-SAT; a disagreement is an InternalError, never printed as an answer.

Tie-break (documented in README): among pathways equal on every objective, the smallest sum of
hashed weights (`tie_weight`); then the one without the latest-listed unit where two differ. A
total order, so the answer is unique whatever the worker count, and it never adds a unit that
is not needed. Computed as one solve of the objective and the weights combined, and one that
proves its pathway alone (`_Search._only_best`; the objective fixed as a row and the weights
minimised alone, except for max-preference: `_Search._lightest`); where
every unit counts the same, for min-glh on large models (`ALONE_FIRST_FROM`), or where the
combined solve runs out of its work (`COMBINED_WORK_PER_UNIT`), the objective alone first,
then that proof from the best guess at hand; the unit-by-unit rule only on a tie.

Lexicographic lists: objectives that count every unit the same are proven alone and fixed in
turn; from the first that weighs units differently, it and the rest are folded into one sum
(`_Search._folded`) and proven in one solve.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from enum import Enum

from .auditor import Audit, audit, scenario_violations
from .compile import SEARCH, compile_scenario, objective_terms
from .errors import InputError, InternalError, Problem
from .limits import MAX_TIME_LIMIT
from .measures import BUDGETS, OBJECTIVES, amounts, objective_value
from .scenario import Scenario, in_range, one_or_many

# With more than one worker CP-SAT runs a portfolio whose full-problem search, `default_lp`,
# sets the linearization back to level 1, which without presolve cannot prove even 1,000 units
# (min-glh: not proven in 30 s with 2 workers, 0.1 s with one). `max_lp` is that search at
# level 2; the other workers still find pathways (feasibility jump, neighbourhood search).
SEARCH_MANY_WORKERS = SEARCH + ' subsolvers: "max_lp"'
# For max-preference the full-problem search is instead the one-worker search itself (its
# parameters, lower-bound search and short LP chunks included, as a subsolver of its own):
# `max_lp` does not search up from the lower bound: at 10,000 synthetic units, seeds 0-2, with
# 2 workers it took 20-22 s, and this takes 2.1-3.7 s (one worker: 2.6-3.6 s); at 3,000 units,
# 0.42 s against 0.62. For the other objectives `max_lp` is as fast or faster (min-units at
# 10,000: 4.1-5.0 s against 6.2-7.0), so it stays.
ONE_SEARCH_MANY_WORKERS = ' subsolver_params { name: "pathway" } subsolvers: "pathway"'
COMBINED_LIMIT = 2**52  # objective values must stay exact in CP-SAT's double-valued report
# The tie-break's solves share a budget of a few times the objective's solve: on heavily tied
# objectives they can take far longer, and then the best pathway found is kept, said to be
# unproven, rather than waited for without end. The budget is CP-SAT's deterministic time (a
# measure of work), not seconds, so that with one worker and no time limit the pathway left
# unproven is still the same on every run and machine: five times the objective's, at least
# TIE_FLOOR (about 2 s at 10,000 units).
TIE_FLOOR, TIE_FACTOR = 0.5, 5.0
TIE_CHUNK = 40
# The guess at the best pathway searches this many conflicts only: on rules of combination that
# is enough to find the optimum (and often to prove it) at a fraction of a full solve's cost.
GUESS_CONFLICTS = 100
# The solve of the objective and the weights together may take this much of CP-SAT's
# deterministic time (a measure of work, the same on every machine) per unit, and at least
# COMBINED_WORK_FLOOR: proving the lightest of many equally good pathways can be far harder than
# the objective (10,000 units, seed 1, min-glh: the objective alone proven in 0.9 s, the two
# together not in 120 s). Past it the objective is proven alone (its status must not wait on
# the tie-break), and the tie-break goes on from the best pathway found, on its own budget.
# Measured: the combined solve needs 0.01-0.1 at 1,000-3,000 units, 0.2-1.5 at 10,000.
COMBINED_WORK_PER_UNIT, COMBINED_WORK_FLOOR = 1 / 10_000, 0.5
# The same for the fold of lexicographic objectives (`_Search._folded`), at least
# COMBINED_WORK_FLOOR; past it the first objective is proven alone and fixed. Measured: folds
# need 0.05-0.15 at 3,000 units and 0.2-1.2 at 10,000, where some are not proven in 3.
FOLD_WORK_PER_UNIT = 2 / 10_000
# For max-preference CP-SAT's default search finds its first pathways slowly and its bound
# stays at the linear relaxation's until then; searching up from the lower bound proves it far
# sooner (10,000 units, seeds 0-2: the objective alone in 0.6-3.1 s against 3.5-3.9 s; whole
# solve with the tie-break 4.1-4.6 s against 7.0-10.1 s). For min-glh it is slower (seed 2:
# 36.9 s against 17.5 s), so it is used for max-preference only; and from 5,000 units, as on
# small models it costs more than it saves (seed models: up to 10.9 ms against 1.3; 1,000-3,000
# units: within noise either way).
LOWER_BOUND_SEARCH = " use_objective_lb_search: true"
LOWER_BOUND_SEARCH_FROM = 5_000
# From these sizes the objective is proven alone first, as for counts, and the tie-break then
# settled within it, rather than the objective and the weights proven together: for min-glh the
# combined solve's work is heavy-tailed there (deterministic time, 10,000 synthetic units, seeds
# 0-4: 0.52, over 5.6, 1.5, over 1 and 0.2; 5,000 units: 0.10-2.1) where alone it is steady
# (0.22-0.24 at 10,000). The whole solve at 10,000 units, seeds 0-4: 4.5, 4.1, 2.6, 4.3, 3.5 s
# against 4.5, 7.6, 5.8, 8.4, 2.3 s combined first. Not for min-credits (the objective alone:
# 5-19 s against 2-3 s combined) nor max-preference (seed 0: the tie-break then stops unproven
# at its budget, 3.8 s in all, against 2.6 s proven).
ALONE_FIRST_FROM = {"min-glh": 5_000}
# For max-preference CP-SAT solves the root linear relaxation in chunks of 200 simplex iterations
# (its default 2,000), propagating between chunks: the whole solve, tie-break included, at
# 10,000 synthetic units, seeds 0-4: 2.7-3.2 s against 3.8-4.9 s; at 3,000, 0.39-0.41 s against
# 0.52-0.63; at 1,000 unchanged. For min-glh it is no better (10,000 units, seeds 0-2: one
# faster, two slower), so it is not used there.
SHORT_LP_CHUNKS = " root_lp_iterations: 200"
# For min-units every linear constraint goes into CP-SAT's linear relaxation at once, not
# lazily as each is found violated (its default): the objective alone at 10,000 synthetic
# units, seeds 0-2, 0.54, 1.01, 0.72 s against 6.3, 16.1, 1.0 s; at 3,000, 0.06 s against 0.16.
# For min-glh it is slower (1.5-1.8 s against 0.9-1.4 s), for min-credits one seed faster and
# one slower, and for max-preference's combined solve far slower (13 s against 1.9 s).
EAGER_LP = " add_lp_constraints_lazily: false"


def search_parameters(objective: str, units: int, workers: int | None = None) -> str:
    """CP-SAT's parameters for solving `objective` (the one being proven) over `units` units."""
    one = workers in (None, 1)
    if objective == "min-units":
        return (SEARCH if one else SEARCH_MANY_WORKERS) + EAGER_LP
    if objective != "max-preference":
        return SEARCH if one else SEARCH_MANY_WORKERS
    text = SEARCH + SHORT_LP_CHUNKS
    if units >= LOWER_BOUND_SEARCH_FROM:
        text += LOWER_BOUND_SEARCH
    return text if one else text + ONE_SEARCH_MANY_WORKERS


class Status(str, Enum):
    """How far a solve got. `optimal` and `infeasible` are proven; `feasible` carries a pathway
    and a bound; `unknown` means the time limit came before any pathway."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


@dataclass
class Pathway:
    """One pathway found, with its objective values and the auditor's check."""

    units: tuple[str, ...]
    values: list[int]  # one per objective, in the user's sense (max-preference positive)
    audit: Audit


@dataclass
class Solution:
    """The outcome of a solve: its status, the pathways found, and the explanation."""

    scenario: Scenario
    objectives: list[str]
    status: Status
    pathways: list[Pathway] = field(default_factory=list)
    bound: int | None = None  # best proven bound on the first objective when not optimal
    explanation: object | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # what the reader should know: defaults taken
    tie_break_proven: bool = True  # False: an equally good pathway may be printed elsewhere
    timings: dict[str, float] = field(default_factory=dict)  # seconds, by phase
    list_complete: bool = True  # False: the time limit stopped --top K short of K pathways
    requested: int = 1  # pathways asked for (--top K)

    @property
    def best(self) -> Pathway | None:
        return self.pathways[0] if self.pathways else None


def _open_units(s: Scenario) -> list[str]:
    """Units that could still be taught: neither held nor blocked."""
    blocked = set(s.blocked)
    held = set(s.held)
    return [u.id for u in s.qualification.units if u.id not in blocked and u.id not in held]


def _unknown(s: Scenario, objective: str) -> list[str]:
    return _unknown_amounts(s, OBJECTIVES[objective][0])


def _unknown_amounts(s: Scenario, measure) -> list[str]:
    """Units that could still be taught whose amount of `measure` is unknown."""
    units = _open_units(s)
    return [u for u, a in zip(units, amounts(measure, s, units)) if a is None]


def default_objectives(s: Scenario) -> list[str]:
    """min-glh where every unit that could be taught has GLH, else min-credits, else
    min-units."""
    if not _unknown(s, "min-glh"):
        return ["min-glh"]
    return ["min-credits"] if not _unknown(s, "min-credits") else ["min-units"]


def default_note(s: Scenario, chosen: list[str]) -> list[str]:
    """Why the default objective is not min-glh, so the fall-back is never silent."""
    missing = _unknown(s, "min-glh")
    if chosen == ["min-glh"] or not missing:
        return []
    q = s.qualification
    labels = [q.unit(u).label for u in missing]
    first = q.unit(missing[0]).number or missing[0]
    note = (
        f"Objective {chosen[0]}, not min-glh: {q.id} gives no GLH for {_listed(labels)} "
        f"(supply hours with --glh {first}=HOURS or `glh:` in a scenario)."
    )
    return [note]


_MASK = (1 << 64) - 1


def tie_weight(position: int) -> int:
    """The tie-break weight of the unit at `position` (0 for the first listed): a fixed
    pseudo-random whole number from 1 to 2**20, the splitmix64 hash of the position's top
    20 bits plus one. Random weights make the lightest of many equally good pathways unique
    with high probability (the isolation lemma), so one solve usually settles the tie-break;
    being a fixed function of the position, they are the same on every machine and run."""
    z = (position + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return (z >> 44) + 1


def _scaled_bound(bound: int, scale: int) -> int:
    """A bound on an objective, from a bound on that objective times `scale` plus a tie-break
    worth less than `scale`: rounded up, as the tie-break may add up to scale - 1."""
    return -((-(bound - (scale - 1))) // scale)


def _value(terms, r) -> int:
    """A linear expression's value in a solve's solution, computed exactly (CP-SAT reports
    objective values as floating point)."""
    return sum(cf * r.value(v) for v, cf in terms)


def _listed(labels: list[str], most: int = 10) -> str:
    shown = ", ".join(labels[:most])
    return shown + (f" and {len(labels) - most} more" if len(labels) > most else "")


def check_inputs(s: Scenario, objectives: list[str]) -> None:
    q = s.qualification
    where = s.path or q.path
    for name in objectives:
        if name not in OBJECTIVES:
            raise InputError(
                Problem(
                    where,
                    None,
                    None,
                    f"unknown objective {name!r} (known: {', '.join(OBJECTIVES)})",
                )
            )
    wanted = {OBJECTIVES[name][0] for name in objectives}
    wanted |= {m for b, m in BUDGETS.items() if getattr(s.budget, b) is not None}
    for measure in sorted(wanted, key=lambda m: m.name):
        missing = [q.unit(u).label for u in _unknown_amounts(s, measure)]
        if not missing:
            continue
        its, units = ("its", "that unit") if len(missing) == 1 else ("their", "those units")
        if measure.name == "glh":
            advice = (
                f"supply {its} GLH with --glh UNIT=HOURS or under `glh:` in the scenario, "
                f"exclude {units}, or choose another objective"
            )
        else:
            advice = f"exclude {units} or choose another objective"
        raise InputError(
            Problem(
                where,
                None,
                None,
                f"{measure.word} is counted (objective or budget), but {q.id} gives none for "
                f"{_listed(missing)}: {advice}",
            )
        )


def _check_options(top, time_limit, workers) -> None:
    """The ranges the command line's --top, --time-limit and --workers allow (and a scenario
    file's), named as the Python parameters: out of range is an InputError, never a guess."""
    problems: list[Problem] = []
    for name, value, low, high in (("top", top, 1, 1000), ("workers", workers, 1, 64)):
        if value is not None:
            in_range(name, value, low, high, problems)
    if time_limit is not None:
        in_range("time_limit", time_limit, 0.0, MAX_TIME_LIMIT, problems, above=True)
    if problems:
        raise InputError(problems)


def solve(
    s: Scenario,
    objectives: list[str] | str | None = None,
    top: int | None = None,
    time_limit: float | None = None,
    workers: int | None = None,
    explain: bool = True,
    progress=None,
) -> Solution:
    """The provably best pathway (or the `top` best) for a scenario, each re-checked by the
    auditor; when none exists, a minimal explanation (unless `explain` is false: a caller
    asking many what-if questions, such as impact.py, needs only the status).

    `progress(phase, best=None)`, if given, is called as the work goes on (for a progress
    line): phase "build", then at the start of each CP-SAT solve ("objective" or
    "tie_break") and, with the first objective's value of the pathway it found, at its end;
    "explanation" when the explanation starts. While the best pathway's first objective is
    being proven, also as each pathway is found and, as "bound", with each better bound."""
    started = time.monotonic()
    _check_options(top, time_limit, workers)
    notes: list[str] = []
    objectives = one_or_many(objectives) or s.objectives
    if not objectives:
        objectives = default_objectives(s)
        notes = default_note(s, objectives)
    top = top or s.top
    workers = workers or s.workers
    time_limit = time_limit if time_limit is not None else s.time_limit
    check_inputs(s, objectives)
    from .situation import unused_weights_note

    notes = notes + unused_weights_note(s, objectives)  # weights no objective counts
    deadline = None if time_limit is None else started + time_limit
    if progress is not None:
        progress("build")
    c = compile_scenario(s)
    for guard in c.guards:
        c.cp.add_linear([(guard.literal, 1)], 1, 1)
    built = time.monotonic()
    search = _Search(s, c, objectives, workers, deadline, progress)
    solution = search.run(top)
    solution.notes = notes
    solution.timings = {"build": built - started, **search.timings}
    if solution.status == Status.INFEASIBLE and explain:
        from .explain import explain as explain_core

        explaining = time.monotonic()
        if progress is not None:
            progress("explanation")
        solution.explanation = explain_core(s, deadline)
        solution.timings["explanation"] = time.monotonic() - explaining
    solution.seconds = time.monotonic() - started
    return solution


class _Search:
    def __init__(self, s, c, objectives, workers, deadline, progress=None):
        self.s, self.c, self.objectives = s, c, objectives
        self.progress = progress  # see solve()
        self.workers, self.deadline = workers, deadline
        self.units = [u.id for u in s.qualification.units]
        self.hint: dict[int, int] | None = None
        self.solving = 0  # which objective is being solved, for the bound
        self.first_optimum: int | None = None  # the first objective's, once proven and fixed
        self.reading = (1, 0)  # see _first
        self.timings: dict[str, float] = {}  # seconds spent in solves, by phase
        self.last_work = 0.0  # the deterministic time of the latest solve
        self.tie_work: float | None = None  # what is left of the tie-break's budget
        self.differs: int | None = None  # see _only_best
        self.listed = 0  # pathways listed so far (--top K)

    def remaining(self) -> float | None:
        return None if self.deadline is None else max(self.deadline - time.monotonic(), 0.001)

    def _out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _solve(
        self,
        phase: str = "tie_break",
        hint=None,
        max_conflicts: int | None = None,
        scale=None,
        work: float | None = None,
        share: float = 1.0,
    ):
        """One CP-SAT solve within `share` of the time left (and, for the tie-break, within its
        budget), from `hint` (default: the latest pathway fixed), of at most `work`
        deterministic time if given. `scale`, for a solve of the first objective (times
        `scale`, plus less than `scale`), passes its live progress on."""
        started = time.monotonic()
        limit = self.remaining()
        if limit is not None:
            limit = max(limit * share, 0.001)
        if phase == "tie_break" and self.tie_work is not None:
            work = self.tie_work if work is None else min(work, self.tie_work)
        if self.progress is not None:
            self.progress(phase)
        r = self.c.cp.solve(
            workers=self.workers,
            time_limit=limit,
            hint=self.hint if hint is None else hint,
            max_conflicts=max_conflicts,
            extra=self._parameters(work),
            on_progress=self._live(phase, scale),
        )
        self.last_work = r.deterministic_time
        if phase == "tie_break" and self.tie_work is not None:
            self.tie_work = max(self.tie_work - r.deterministic_time, 0.0)
        self.timings[phase] = self.timings.get(phase, 0.0) + time.monotonic() - started
        if self.progress is not None and r.values:
            self.progress(phase, objective_value(self.objectives[0], self.s, self._chosen(r)))
        return r

    def _parameters(self, work: float | None) -> str:
        objective = self.objectives[self.solving]
        text = search_parameters(objective, len(self.units), self.workers)
        if work is not None:
            text += f" max_deterministic_time: {max(work, 0.0):.6f}"
        return text

    def _live(self, phase: str, scale):
        """For the progress line while the first objective of the best pathway is being
        proven: each pathway found, and each better bound, in the user's terms (the solve
        minimises that objective times `scale` plus less than `scale`; max-preference is
        minimised negated). None (CP-SAT then makes no calls back) otherwise."""
        if self.progress is None or scale is None or self.solving != 0 or self.listed:
            return None
        progress, flip = self.progress, self.objectives[0] == "max-preference"

        def report(kind: str, raw: int) -> None:
            if kind == "bound":
                value = self._first(_scaled_bound(raw, scale), bound=True)
                progress("bound", -value if flip else value)
            else:
                value = self._first(raw // scale)
                progress(phase, -value if flip else value)

        return report

    def run(self, top: int) -> Solution:
        """The `top` best pathways in lexicographic order of the objectives, then the
        tie-break: each rank is solved afresh with the pathways already listed forbidden, so
        the second may be worse on the first objective (not only tied on it)."""
        solution = Solution(self.s, self.objectives, Status.OPTIMAL, requested=top)
        for _ in range(top):
            marker = self.c.cp.mark()
            found = self._best(solution)
            self.c.cp.truncate(marker)  # each rank fixes the objectives afresh
            if found is None:
                break
            solution.pathways.append(self._verified(found))
            self.listed = len(solution.pathways)
            if solution.status != Status.OPTIMAL:
                break
            self._forbid(found)
            # Not from the pathway just listed: forbidden now, it made a hint that misled the
            # next rank's search (a review finding: 3,000 units, min-units then max-preference,
            # top 5: 222 of deterministic time against 1.7-1.9 from no hint).
            self.hint = None
        if not solution.pathways and solution.status == Status.OPTIMAL:
            solution.status = Status.INFEASIBLE
        if solution.status == Status.UNKNOWN:
            solution.tie_break_proven = False  # as the JSON says: nothing was proven
        short = top > len(solution.pathways)
        if short and (
            solution.status == Status.FEASIBLE or solution.status == Status.UNKNOWN and top > 1
        ):
            # Short of K with no proof that no more exist (unknown: not even one was found; for
            # a single pathway asked for, status unknown says that already).
            solution.list_complete = False
        return solution

    def _best(self, solution) -> tuple[str, ...] | None:
        """The best pathway not yet listed, in lexicographic order of the objectives, then
        the tie-break. An objective that counts every unit the same is fixed at its optimum
        (a row) before the next is solved: counting is easy, and folding it with the next
        makes a weighted problem far harder to prove (3,000 units, min-units then min-glh:
        0.35 s as rows, not proven in 20 s of work folded). From the first objective that
        weighs units differently, it and the rest are folded into one (`_folded`): fixing a
        weighted objective as a row and searching within it can be far the slower (3,000
        units, max-preference then min-units: 25-41 s as rows, 0.3 s folded). Neither always
        wins (10,000 units, seed 1, min-glh then max-preference: rows 0.5 of CP-SAT's
        deterministic time, the fold not proven in 3), so the fold has a cap on its work
        (`FOLD_WORK_PER_UNIT`); past it that objective is proven alone from the fold's
        pathway and fixed, and the next is tried the same way."""
        self.reading = (1, 0)
        self.first_optimum = None
        for index, name in enumerate(self.objectives):
            self.solving = index
            terms = objective_terms(name, self.s, self.c)
            if index == len(self.objectives) - 1:
                return self._best_with_tiebreak(terms, solution)
            folded = self._folded(index, terms)
            together = None
            if folded is not None:
                self.c.cp.minimize(folded)
                work = max(COMBINED_WORK_FLOOR, FOLD_WORK_PER_UNIT * len(self.units))
                together = self._solve(phase="objective", scale=1, work=work, share=0.5)
                if self._settled(folded, together):
                    return self._best_folded(index, together, solution)
                if together.status == "infeasible" or self._out_of_time():
                    return self._cut_short(solution, together, 1)
                together = self._as_first(together)
            self.c.cp.minimize(terms)
            hint = None
            if together is not None and together.values:
                hint = {v: together.value(v) for v in self.c.take.values()}
            r = self._solve(phase="objective", scale=1, hint=hint)
            if together is not None:
                r = self._better(terms, r, together)
            if not self._settled(terms, r):
                return self._cut_short(solution, r, 1)
            self._fix(terms, r)
            if index == 0:
                self.first_optimum = _value(terms, r)
        return None  # (not reached: the last objective returns)

    def _as_first(self, together):
        """A fold's solve that stopped on its work, as a solve of its first objective alone:
        its bound read back onto that objective (its pathway is one of that objective's);
        `reading` is then reset, as the next solves minimise that objective alone."""
        bound = None
        if together.values and together.bound is not None:
            bound = self._first(together.bound, bound=True)
        self.reading = (1, 0)
        return replace(together, bound=bound)

    def _better(self, terms, r, other):
        """What two solves of `terms` know together: the better pathway either found and the
        better bound (a bound counts only from a solve that found a pathway)."""
        found = [x for x in (r, other) if x.values]
        if not found:
            return r
        best = min(found, key=lambda x: _value(terms, x))
        bound = max((x.bound for x in found if x.bound is not None), default=None)
        return replace(best, status=r.status if best is r else "feasible", bound=bound)

    def _folded(self, index: int, first) -> list[tuple[int, int]] | None:
        """Objective `index` (its terms `first`) and every later one as one sum to minimise
        whose order is theirs, lexicographic: each scaled above the range of those after it.
        None where `first` counts every unit the same, or where the sum would not stay exact.
        Sets `reading`, which turns the sum back into the first objective for its bound and
        the progress line."""
        if len({cf for _, cf in first if cf}) <= 1:
            return None
        coefficients: dict[int, int] = {}
        low = high = 0  # the range of the later objectives' scaled sum
        for name in reversed(self.objectives[index + 1 :]):
            step = high - low + 1
            for v, cf in objective_terms(name, self.s, self.c):
                coefficients[v] = coefficients.get(v, 0) + cf * step
                low, high = low + min(cf, 0) * step, high + max(cf, 0) * step
        step = high - low + 1
        for v, cf in first:
            coefficients[v] = coefficients.get(v, 0) + cf * step
        folded = [(v, cf) for v, cf in coefficients.items() if cf]
        if sum(abs(cf) for _, cf in folded) + 1 >= COMBINED_LIMIT:
            return None
        self.reading = (step, low)
        return folded

    def _best_folded(self, index: int, r, solution) -> tuple[str, ...] | None:
        """Objectives `index` onwards proven by `r`, a solve of their fold; then the
        tie-break: each of them fixed at its optimum as a row of its own, the weights
        minimised from the fold's pathway (`_only_best`). Measured at 3,000 units, seed 0:
        with the rows apart the proof of the lightest took 0.1-0.4 of CP-SAT's deterministic
        time; with the fold as one row, 0.1-4.7; with the last objective and the weights
        combined, up to 10, not proven."""
        self._start_tie_budget()
        for name in self.objectives[index:]:
            self._fix(objective_terms(name, self.s, self.c), r)
        weights = [(self.c.take[u], tie_weight(i)) for i, u in enumerate(self.units)]
        lightest = self._lightest(self.objectives[index], weights)
        return self._only_best(lightest, self._chosen(r), solution)

    def _lightest(self, name: str, weights):
        """What the tie-break minimises once the objectives are fixed as rows, objective `name`
        (the one proven, or the first of a fold) among them.

        The weights alone where `name` is a cost to minimise: far faster than it (scaled above
        them) and the weights together (10,000 synthetic units: min-units 2.3-3.3 s proven,
        against 23 s unproven or no answer in 60 s; min-glh seed 0, 1.6 s against 2.5 s;
        min-credits no slower). For max-preference that is far slower (10,000 units: 12-17 s
        unproven, against 0.7-1.4 s proven; 1,000-3,000 units: 0.7-1.2 s against 0.06-0.3 s),
        so there it is kept, scaled above the weights. Fixed, it has one value on every
        pathway left, so any scale orders them by weight alone: where the sum would not stay
        exact (50,000 units), the largest scale that keeps it so. Folds measured at 3,000
        units, seeds 0 and 1: led by max-preference, then min-glh or min-units, proven in
        0.7-1.5 s, against 1.1-1.5 s and unproven in 3 of 4; max-preference second (min-credits
        first), unproven in 1.9-2.4 s against proven in 0.8 s, so only a fold led by it keeps
        it."""
        if OBJECTIVES[name][1] > 0:
            return weights
        total = sum(w for _, w in weights)
        terms = objective_terms(name, self.s, self.c)
        span = sum(abs(cf) for _, cf in terms)
        scale = min(total + 1, (COMBINED_LIMIT - 1 - total) // max(span, 1))
        if not span or scale <= 0:
            return weights
        return [(v, cf * scale) for v, cf in terms] + weights

    def _first(self, value: int, bound: bool = False) -> int:
        """A value of (or, `bound`, a bound on) what is being minimised, as the first
        objective being solved (see `_folded`): later objectives add from `low` to less than
        `step` on top of it times `step`, so a bound is rounded up."""
        step, low = self.reading
        if bound:
            return _scaled_bound(value - low, step)
        return (value - low) // step

    def _best_with_tiebreak(self, terms, solution) -> tuple[str, ...] | None:
        """The best pathway for `terms` under the documented tie-break (module docstring).

        Where the objective's and the weights' values stay exact together (`COMBINED_LIMIT`),
        one solve minimises them combined (the objective scaled above any sum of weights), and
        one more, with the objective fixed as a row, proves its pathway the only one so good
        (`_only_best`; minimising the weights alone where that is faster, `_lightest`).
        Where every unit counts
        the same (min-units, or equal credits or preferences), the objective is solved alone
        first: counting is easy, and weights turn it into a weighted problem that is far
        harder to prove (3,000 units, min-units: 0.2 s alone against 3.2 s combined); then, on
        the tie-break's budget, a guess at the lightest from a search of a few conflicts is
        proven lightest and alone in the same way. Only a tie on the weights too is settled
        unit by unit."""
        take = self.c.take
        weights = [(take[u], tie_weight(i)) for i, u in enumerate(self.units)]
        scale = sum(w for _, w in weights) + 1  # above any sum of weights
        span = max(sum(abs(cf) for _, cf in terms), 1)
        exact = (span + 1) * scale < COMBINED_LIMIT
        combined = [(v, cf * scale) for v, cf in terms] + weights if exact else weights
        lightest = self._lightest(self.objectives[-1], weights)
        # Unless the tie-break minimises `combined` itself (in order on its own), it orders
        # only pathways that reach the optimum: the objective must be fixed as a row first.
        # Not otherwise: the row slowed max-preference's proofs (a review finding: 3,000 units,
        # top 5, rank 3 not proven in 0.5 of deterministic time, against 0.18 without).
        within = lightest != combined
        marker = self.c.cp.mark()
        try:
            # Held units cost nothing (and some units have no preference weight): whether
            # the rest count the same is what matters.
            if exact and len({cf for _, cf in terms if cf}) > 1 and not self._alone_first():
                self.c.cp.minimize(combined)
                # Under a time limit, at most half the time left, so that the objective alone
                # still has time to be proven (a review finding: at 10,000 units, seed 1, the
                # work took 3-4 s, and under --time-limit 3 the answer was `feasible`).
                work = max(COMBINED_WORK_FLOOR, COMBINED_WORK_PER_UNIT * len(self.units))
                r = self._solve(phase="objective", scale=scale, work=work, share=0.5)
                self._start_tie_budget()
                proven = r.status == "optimal"
                if not proven and r.values and self._proven(r.bound, _value(terms, r), scale):
                    if self._out_of_time():
                        solution.tie_break_proven = False  # the objective is proven, not the rest
                        return self._chosen(r)
                    proven = True  # stopped on its work: settle the tie-break
                if proven:
                    if within:
                        self._fix(terms, r)
                    return self._only_best(lightest, self._chosen(r), solution)
                if r.status != "infeasible" and not self._out_of_time():
                    return self._objective_alone(
                        terms, combined, lightest, within, r, scale, solution
                    )
                return self._cut_short(solution, r, scale)
            self.c.cp.minimize(terms)
            r = self._solve(phase="objective", scale=1)
            self._start_tie_budget()
            if not self._settled(terms, r):
                return self._cut_short(solution, r, 1)
            self._fix(terms, r)
            return self._only_best(lightest, self._guess(lightest, self._chosen(r)), solution)
        finally:
            self.c.cp.truncate(marker)  # later ranks must be free to differ

    def _alone_first(self) -> bool:
        """Whether the last objective is proven alone before the tie-break (ALONE_FIRST_FROM)."""
        return len(self.units) >= ALONE_FIRST_FROM.get(self.objectives[-1], len(self.units) + 1)

    def _objective_alone(self, terms, combined, lightest, within, together, scale, solution):
        """The combined solve `together` (`combined` is `terms` times `scale` plus the weights)
        ran out of work, not time: prove the objective alone (from its best pathway), then
        settle the tie-break (minimising `lightest`, `within` the objective fixed as a row) on
        its own budget from the lighter of the two pathways found that reach the optimum."""
        hint = {v: together.value(v) for v in self.c.take.values()} if together.values else None
        self.c.cp.minimize(terms)
        r = self._solve(phase="objective", scale=1, hint=hint)
        self._start_tie_budget()
        if r.status == "infeasible" or not (r.values or together.values):
            return self._cut_short(solution, r, 1)
        # What the two solves know together (a review finding: a solve cut short by the clock
        # reported its own weak bound, or 0, over the combined solve's), with the combined
        # solve's bound scaled back to the objective.
        if together.values and together.bound is not None:
            together = replace(together, bound=_scaled_bound(together.bound, scale))
        best = self._better(terms, r, together)
        if not self._settled(terms, best):
            return self._cut_short(solution, best, 1)
        found = [x for x in (r, together) if x.values]
        reaching = [x for x in found if _value(terms, x) == _value(terms, best)]
        guess = self._chosen(min(reaching, key=lambda x: _value(combined, x)))
        if within:
            self._fix(terms, best)
        return self._only_best(lightest, guess, solution)

    def _only_best(self, terms, guess, solution) -> tuple[str, ...] | None:
        """The pathway minimising `terms`, proven the only one so good, starting from `guess`
        (the objective is proven already: these solves are the tie-break's, on its budget).

        Each solve minimises terms - differs, where `differs` may be 1 only for a pathway other
        than the guess. If the guess is the one best pathway, no other can bring that below
        its own value (each is worse by at least 1, which `differs` only gives back), so the
        optimum is the guess's value: one solve proves the guess best and alone. Otherwise the
        optimum is lower, at a pathway other than the guess that is better (the guess was
        wrong: the next solve starts from it) or as good (a tie, settled unit by unit). Proving
        the optimum and then searching for a second pathway as good took two solves, the second
        often far the slower (3,000 units, max-preference: 12.6 s against 0.6 s)."""
        differs = self._differs()
        while True:
            chosen = set(guess)
            own = self._set_value(terms, guess)
            marker = self.c.cp.mark()
            # differs <= how many units' choices differ from the guess
            self.c.cp.add_linear(
                [(differs, 1)] + [(self.c.take[u], 1 if u in chosen else -1) for u in self.units],
                None,
                len(chosen),
                (),
                "differs from the guess",
            )
            self.c.cp.minimize([*terms, (differs, -1)])
            hint = {self.c.take[u]: int(u in chosen) for u in self.units}
            hint[differs] = 0
            r = self._solve(phase="tie_break", hint=hint)
            self.c.cp.truncate(marker)
            if r.status != "optimal":
                # Out of time: the better of the guess and what the solve found, unproven.
                solution.tie_break_proven = False
                if r.values and _value(terms, r) < own:
                    return self._chosen(r)
                return guess
            if _value(terms, r) - r.value(differs) == own:
                return guess  # the one best pathway
            found = self._chosen(r)
            if _value(terms, r) < own:
                guess = found  # a better pathway: prove it alone next
                continue
            self._fix(terms, r)  # as good as the guess: a tie on the weights too
            return self._unit_by_unit(found, solution)

    def _guess(self, terms, guess: tuple[str, ...]) -> tuple[str, ...]:
        """A better guess than `guess` at the pathway minimising `terms` (the objectives are
        fixed already), from a search of a few conflicts: `_only_best` proves a right guess in
        one solve, and a wrong one costs a second."""
        if self.workers not in (None, 1):  # CP-SAT honours a conflict limit with one worker only
            return guess
        self.c.cp.minimize(terms)
        g = self._solve(max_conflicts=GUESS_CONFLICTS)
        return self._chosen(g) if g.values else guess

    def _set_value(self, terms, units) -> int:
        """`terms` (over units' take variables) for the pathway of `units`."""
        taken = {self.c.take[u] for u in units}
        return sum(cf for v, cf in terms if v in taken)

    def _differs(self) -> int:
        if self.differs is None:
            self.differs = self.c.cp.new_bool("differs from the guess")
        return self.differs

    def _start_tie_budget(self) -> None:
        self.tie_work = max(TIE_FLOOR, TIE_FACTOR * self.last_work)

    def _fix(self, terms, r) -> None:
        """Keep later solves to pathways as good as `r` on `terms` (at most: a cap propagates
        better than an equality), starting from `r`."""
        self.c.cp.add_linear(terms, None, _value(terms, r), (), "as good as the pathway found")
        self.hint = {v: r.value(v) for v in self.c.take.values()}

    def _unit_by_unit(self, found, solution) -> tuple[str, ...]:
        """The last rule of the tie-break: decide units from the latest-listed back, a chunk
        of them per solve (their 2**i weights stay exact)."""
        r = None
        for end in range(len(self.units), 0, -TIE_CHUNK):
            chunk = self.units[max(end - TIE_CHUNK, 0) : end]
            chunk_terms = [(self.c.take[u], 1 << i) for i, u in enumerate(chunk)]
            self.c.cp.minimize(chunk_terms)
            r = self._solve()
            if r.status != "optimal":
                solution.tie_break_proven = False
                return self._chosen(r) if r.values else found
            self._fix(chunk_terms, r)
        return self._chosen(r) if r is not None else found

    def _cut_short(self, solution, r, scale) -> tuple[str, ...] | None:
        """A solve that did not prove its optimum: the best pathway found, if any, and a
        bound on the user's objective; nothing (and status unknown) when none was found."""
        if r.status == "infeasible":
            if not solution.pathways:
                solution.status = Status.INFEASIBLE
            return None
        if solution.pathways:
            # A later rank not proven in time: the list stops here, and says so.
            solution.list_complete = False
            return None
        if not r.values and self.solving > 0 and self.hint is not None:
            # A later objective stopped before any pathway: the one that proved the earlier
            # objectives is still an answer, unproven on this one (it was `unknown`, with none).
            self._unproven(solution, None, scale)
            return tuple(u for u in self.units if self.hint[self.c.take[u]])
        if not r.values:
            solution.status = Status.UNKNOWN
            return None
        self._unproven(solution, r.bound, scale)
        return self._chosen(r)

    def _settled(self, terms, r) -> bool:
        """Whether solve `r` of `terms` proves its pathway optimal: by its status, or, stopped
        by the clock, by its bound."""
        return r.status == "optimal" or bool(r.values) and self._proven(r.bound, _value(terms, r))

    def _proven(self, bound, value: int, scale: int = 1) -> bool:
        """Whether a solve stopped by the clock still proves the objective optimal: its bound,
        scaled back to the objective (see _unproven), meets `value`, the objective's value
        (minimised) of the pathway found."""
        return bound is not None and _scaled_bound(bound, scale) >= value

    def _unproven(self, solution, bound, scale):
        """Status feasible, with a bound on the user's objective: the solve minimised the
        objective times `scale` plus a tie-break below `scale`, so the bound is scaled back
        (rounded up) and, for max-preference, turned the user's way round. Stopped on a later
        objective, the first is proven: its optimum is the bound (as a fold stopped after
        proving it says), where a bound on the later objective would say nothing of it."""
        solution.status = Status.FEASIBLE
        solution.tie_break_proven = False
        solution.bound = None
        if self.solving != 0:
            bound = self.first_optimum
        elif bound is not None:
            bound = self._first(_scaled_bound(bound, scale), bound=True)
        if bound is not None:
            solution.bound = -bound if self.objectives[0] == "max-preference" else bound

    def _chosen(self, r) -> tuple[str, ...]:
        return tuple(u for u in self.units if r.value(self.c.take[u]))

    def _forbid(self, units: tuple[str, ...]):
        # No-good: at least one unit must differ from this exact set.
        chosen = set(units)
        terms = [(self.c.take[u], -1 if u in chosen else 1) for u in self.units]
        self.c.cp.add_linear(terms, 1 - len(chosen), None, (), "forbid found set")

    def _verified(self, units) -> Pathway:
        result = audit(self.s.qualification, units)
        broken = scenario_violations(self.s, units)
        if not result.achieved or broken:
            failed = [f"{r.rule.key} {r.rule.name}" for r in result.failures] + broken
            raise InternalError(f"solver returned a pathway the auditor rejects: {failed}")
        values = [objective_value(n, self.s, units) for n in self.objectives]
        return Pathway(units, values, result)
