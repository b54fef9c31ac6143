"""Explain: when no pathway exists, name a minimal set of rules and scenario constraints that
cannot all hold, each with its numbers.

**What is named.** Every rule and scenario constraint has its own enforcement literal (a guard).
The set named is minimal (no member can be dropped), re-solved at the end to confirm that it
cannot hold, and where both would do it blames the scenario (an exclusion, a budget) rather
than the awarding body's rules. It is the set that deletion would leave trying rules first,
then scenario constraints, each in file order, keeping a guard only where the rest without it
admit a pathway (issue 10 measured that deletion: one solve per guard, minutes on large
models). We compute the same set, with questions "can these guards all hold?" about far fewer
sets, in one of two ways (either gives that one set when every question is decided):
- QuickXplain (Junker, 2004) over the reverse order: about 2k log2(n/k) questions for a set of
  k among n guards. Used when there is no budget, or when the linear relaxation of the other
  rules already breaks the budget (the conflict is then usually small).
- Progression from a guessed conflict, where a budget is broken only in whole numbers of units
  (one GLH under the optimum: at 1,000 units the set named has 34 members, so QuickXplain
  asked 88 questions). The guess is the budget with the rules that bound the linear
  relaxation's least spend of it (their dual values are not zero; GLOP, deterministic), grown
  until proven unable to hold by adding whatever rules the pathway found breaks. Then each
  member costs one question (the guards found plus everything before it can hold), and each
  guess that is not a member one small one (the rest of the guess cannot hold); 49 questions
  at 1,000 units, 1.2 s of CPU where QuickXplain took 2.0 s. Each member needs a pathway of
  its own that keeps everything but it, so about k questions is the least any such search
  asks. So a member's pathway is first searched for near the one that spends least of the
  budget (found once, and the budget's figure too): only the units where the question's
  linear relaxation differs from it, or that the guard left out reaches, may change, which
  at 10,000 units is a few hundred units solved in tens of milliseconds where the whole
  question takes a second. It finds 30 of 34 members' pathways at 1,000 units (0.5 s in all,
  was 0.95) and 257 of 273 at 10,000 (the set proven minimal in 112 s; the questions no
  search near it decides, 77 whole-model solves of about 1.2 s, are most of that).

**Each question is small and bounded.**
- Cheap checks first, with no solve: a guard whose own constraint no choice of units can meet
  (an amount rule whose scope never reaches its min) cannot hold, so no set with it can (and
  the search stops at the first such guard in its order); a set containing one already proven
  unable to hold cannot either; and every pathway already found (and taking no unit at all) is
  tried against the set, which settles most sets that can hold.
- Otherwise one CP-SAT solve: one worker, fixed seed, the latest pathway found as hint, with
  only the constraints of the guards asked about (smaller than the whole model with the rest
  left free), stopping at the first solution, every linear constraint in the linear
  relaxation (added at once, not lazily: 15% less time over a 1,000-unit explanation), and the
  sum of the budgets asked about as objective, only to guide the search (a 10,000-unit budget
  question: no pathway found in 20 s without it, 1.3 s with it). The first pass skips
  presolve, which on such a model costs 14 s where the linear relaxation refutes the budget at
  once (0.05 s); later passes use presolve without its optimisation-only work (dual
  reductions, symmetry). Measured and not used: a first, cheaper try without the linear
  relaxation from the hint (slower overall), other cut and search settings.
- Each solve is capped by a number of conflicts, which gives the same answer on every machine.
  A set not decided within the cap is treated as one that may hold: the answer is still a set
  that cannot hold, but may not be minimal. The search is then repeated on that (smaller) set
  with 8 times the cap, until one pass decides every question: only then is the set proven
  minimal. So the same input gives the same explanation, and a question the first cap cannot
  decide (market-split rules, say) does not hold up an answer that smaller questions give.

CP-SAT's own infeasibility core (assumptions) is not used: on a 1,000-unit budget model one
GLH under the optimum, with the budget sum as objective the core is every assumption (141), and
without it the solve takes 3 s (a question takes 0.02 s).

**Time.** The explanation shares the solve's time limit. Without one it has a budget of its
own: `DEFAULT_SECONDS` for the conflicting set, and at most `FIGURE_SECONDS` more for each
budget's figure (what the cheapest pathway otherwise needs, a full optimisation; when not
proven in time, "at least" the bound found, or said not found). Where a budget is missed by whole units, that cheapest pathway is sought
first, for the search near it, on at most half the set's time (then it is also the figure). When time runs out before the set is proven minimal, the explanation
says it may not be minimal (`minimal: false`) rather than pretend.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .auditor import out_of_reach
from .compile import SEARCH, Guard, Relaxation, compile_scenario, objective_terms
from .errors import InternalError
from .measures import BUDGETS, amount
from .scenario import Scenario
from .words import join_labels, plural


@dataclass
class Conflict:
    """One member of a conflicting set, in words."""

    kind: str  # rule | excluded | required | budget
    key: str
    says: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "key": self.key, "says": self.says}


@dataclass
class Explanation:
    """Why no pathway exists: constraints that cannot all hold together."""

    conflicts: list[Conflict]
    minimal: bool = True

    @property
    def summary(self) -> str:
        if len(self.conflicts) == 1 and self.minimal:
            return "No pathway exists: this constraint cannot hold, whatever else is chosen."
        if not self.minimal:
            return (
                f"No pathway exists: these {len(self.conflicts)} constraints cannot all hold "
                "together (time ran out before a smaller set was proven, so some of them may "
                "not be needed)."
            )
        return (
            f"No pathway exists: these {len(self.conflicts)} constraints cannot all hold "
            "together (drop or relax any one of them and they can)."
        )

    def to_dict(self) -> dict:
        return {
            "summary": self.summary,
            "minimal": self.minimal,
            "conflicts": [c.to_dict() for c in self.conflicts],
        }

    def lines(self) -> list[str]:
        return [self.summary] + [f"  - {c.says}" for c in self.conflicts]


DEFAULT_SECONDS = 10.0  # for the conflicting set, when the solve has no time limit
FIGURE_SECONDS = 2.0  # for each budget's figure, when the solve has no time limit
FIRST_CONFLICTS = 2_000  # CP-SAT conflicts per question in the first pass
QUESTION_PARAMETERS = "add_lp_constraints_lazily: false"
GROWTH = 8  # each further pass multiplies the cap by this


class _Questions:
    """Asks whether a set of guards can all hold, and remembers what each answer needed."""

    def __init__(self, s: Scenario, deadline: float):
        self.c = compile_scenario(s)
        self.deadline = deadline
        self.cap: int | None = FIRST_CONFLICTS
        self.undecided = False  # some question in this pass was not decided
        self.passes = 0  # passes finished
        literals = {g.literal for g in self.c.guards}
        self.literals = literals
        # Guards whose own constraint no choice of units can meet.
        self.impossible: set[int] = set()
        for enforce in self.c.cp.impossible() or []:
            if len(enforce) == 1 and enforce[0] in literals:
                self.impossible.add(enforce[0])
        # Guards each known pathway breaks: a set with none of them holds.
        self.broken: list[set[int]] = []
        # The guards broken by the pathway that last showed a set can hold (None: not known).
        self.witness: set[int] | None = None
        # Sets proven unable to hold: no set containing one can hold either.
        self.proven: list[frozenset[int]] = []
        self._remember([0] * len(self.c.cp.names))  # taking no unit at all
        # Variables that are neither units nor guards (an any-of rule's routes): always free
        # near `base`.
        self.inner = set(range(len(self.c.cp.names))) - set(self.c.take.values()) - literals
        self.guidance = {
            g.literal: _budget_terms(s, g.key, self.c) for g in self.c.guards if g.kind == "budget"
        }
        self.limits = {
            g.literal: getattr(s.budget, g.key) for g in self.c.guards if g.kind == "budget"
        }
        # A pathway keeping every guard but one budget, the search near it and its relaxation
        # (see `holds_near`); set by `_seed` where the conflict lies in whole numbers of units.
        self.base: list[int] | None = None
        self.relaxation: Relaxation | None = None
        self.figures: dict[str, int] = {}  # each budget's least spend found on the way
        self._scopes: dict[int, set[int]] = {}

    def _remember(self, values) -> set[int] | None:
        """Keep a pathway found: as the next hint, and the guards it breaks (returned; None
        when that cannot be told) as a cheap check for later sets."""
        self.last = {v: values[v] for v in self.c.take.values()}  # a hint for the next question
        self.witness = None
        violated = self.c.cp.violated(values)
        if violated is None:
            return None
        broken: set[int] = set()
        for enforce in violated:
            guards = [x for x in enforce if x in self.literals]
            others = [x for x in enforce if x not in self.literals]
            if any(not self.c.cp.literal_value(values, x) for x in others):
                continue  # not enforced in this pathway
            if not guards:
                return None  # breaks a constraint that always holds: tells us nothing
            if len(guards) > 1:
                return None  # (no such constraint today) keep the bookkeeping simple
            broken.add(guards[0])
        self.broken.append(broken)
        self.witness = broken
        return broken

    def infeasible(self, guards: list[Guard]) -> bool:
        """True when proven that `guards` cannot all hold; False when they can, or when that
        was not decided (which is noted in `undecided`)."""
        if time.monotonic() >= self.deadline:
            # Past the deadline even the cheap checks are skipped: each reads every guard,
            # and QuickXplain asks thousands of questions of a large model (27,000 guards:
            # 2.7 s after a 2 s limit). What remains is kept: a set that cannot hold.
            self.undecided = True
            return False
        kept = {g.literal for g in guards}
        if kept & self.impossible or any(p <= kept for p in self.proven):
            return True
        self.witness = next((b for b in self.broken if kept.isdisjoint(b)), None)
        if self.witness is not None:
            return False
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.undecided = True
            return False
        guide = self._guide(guards)
        r = self.c.cp.solve(
            workers=1,
            time_limit=left,
            with_objective=bool(guide),
            true_literals=sorted(kept),
            leave_out=sorted(self.literals - kept),
            max_conflicts=self.cap,
            first_solution=True,
            presolve=self.passes > 0,
            hint=self.last,  # the latest pathway found: a near miss to start from
            extra=QUESTION_PARAMETERS,
        )
        if r.status == "infeasible":
            self.proven.append(frozenset(kept))
            return True
        if r.status in ("feasible", "optimal"):
            self._remember(r.values)
            return False
        self.witness = None
        self.undecided = True
        return False

    def holds_near(self, question: list[Guard], dropped: Guard) -> bool:
        """True when a pathway is found that keeps every guard of `question`, searched only
        near `base` (whose one broken guard, a budget, is in the question): the units free to
        change are those where the linear relaxation of the question (GLOP, from its last
        basis) differs from `base`, and those that `dropped`, the guard left out, reaches;
        every other unit stays as `base` has it. A few milliseconds where the question itself
        takes 20 (1,000 units) to 1,000 (10,000 units); False (not decided) when no pathway
        lies that near."""
        if self.base is None or self.relaxation is None:
            return False
        kept = {g.literal for g in question}
        self.witness = next((b for b in self.broken if kept.isdisjoint(b)), None)
        if self.witness is not None:
            return True
        left = self.deadline - time.monotonic()
        if left <= 0:
            return False
        relaxed = self.relaxation.solve(kept, left)
        if relaxed is None:
            return False
        base = list(self.base)
        for literal in kept:
            base[literal] = 1
        free = {v for v in self.c.take.values() if abs(relaxed.get(v, 0.0) - base[v]) > 1e-6}
        if dropped.literal not in self._scopes:
            self._scopes[dropped.literal] = self.c.cp.scope(dropped.literal)
        free |= self._scopes[dropped.literal] - self.literals
        free |= self.inner
        self._guide(question)
        made = self.c.cp.around(base, free, leave_out=sorted(self.literals - kept))
        if made is None:
            return False
        sub, order = made
        r = sub.solve(
            workers=1,
            time_limit=max(self.deadline - time.monotonic(), 0.001),
            max_conflicts=self.cap,
            first_solution=True,
            presolve=False,
            hint={i: base[v] for i, v in enumerate(order)},
            extra=QUESTION_PARAMETERS,
        )
        if r.status not in ("feasible", "optimal"):
            return False
        for i, v in enumerate(order):
            base[v] = r.values[i]
        broken = self._remember(base)
        return broken is not None and kept.isdisjoint(broken)

    def _guide(self, guards: list[Guard]) -> list[tuple[int, int]]:
        """The budgets' sums among `guards`, set as the objective that guides the search."""
        guide: list[tuple[int, int]] = []
        for g in guards:
            guide += self.guidance.get(g.literal, [])
        self.c.cp.minimize(guide)
        return guide

    def confirm(self, guards: list[Guard]) -> str:
        """The final set re-solved on its own, with no cap but the deadline, asked as the
        last pass asked its questions: the first pass skips presolve and lets the budgets
        guide (at 1,000 units one GLH under, 0.01 s against 0.09 s with presolve and no
        objective)."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            return "unknown"
        kept = {g.literal for g in guards}
        guide = self._guide(guards)
        return self.c.cp.solve(
            workers=1,
            time_limit=left,
            with_objective=bool(guide),
            true_literals=sorted(kept),
            leave_out=sorted(self.literals - kept),
            first_solution=True,
            presolve=self.passes > 1,
        ).status


def _budget_terms(s: Scenario, budget: str, c) -> list[tuple[int, int]]:
    """A budget's own sum, as an objective that guides a question's search toward pathways
    that keep within it."""
    measure = BUDGETS[budget]
    terms = []
    for u in s.qualification.units:
        cost = amount(measure, s, u.id)
        if cost:
            terms.append((c.take[u.id], cost))
    return terms


def _quickxplain(infeasible, order: list[Guard]) -> list[Guard]:
    """Junker's QuickXplain: the preferred subset of `order` (which cannot all hold) that
    cannot hold, where earlier guards are kept in preference. `infeasible(guards)` says
    whether guards are proven unable to all hold."""

    def qx(base: list[Guard], asked: bool, candidates: list[Guard]) -> list[Guard]:
        if asked and infeasible(base):
            return []
        if len(candidates) == 1:
            return candidates
        half = len(candidates) // 2
        first, second = candidates[:half], candidates[half:]
        found2 = qx(base + first, bool(first), second)
        found1 = qx(base + found2, bool(found2), first)
        return found1 + found2

    return qx([], False, order) if order else []


GROW_STEPS = 20  # solves spent growing one conflict before taking the whole question instead


def _grow(q: _Questions, question: list[Guard], start: set[int]) -> set[int] | None:
    """Whether `question` can hold, asked through smaller sets: from `start`, while the set can
    hold, add the guards of `question` that the pathway showing it breaks. Returns a subset of
    `question` proven unable to hold, or an empty set when a pathway breaks none of `question`
    (so it can hold), or None when that is not decided within GROW_STEPS solves."""
    inside = {g.literal for g in question}
    kept = start & inside
    for _ in range(GROW_STEPS):
        if q.infeasible([g for g in question if g.literal in kept]):
            return kept
        if q.witness is None:
            return None  # not decided
        more = q.witness & inside
        if not more:
            return set()  # a pathway that keeps every guard of the question
        kept |= more
    return None


def _progression(q: _Questions, order: list[Guard], seed: set[int]) -> list[Guard]:
    """The same set as _quickxplain(q.infeasible, order), found guard by guard from a conflict
    known in advance. Invariant: `conflict` (guards proven unable to hold together) lies within
    the guards found plus order[: h + 1], where h is its last guard in `order` not yet found.
    Then the set named holds order[h] exactly when the guards found and order[:h] can hold.
    That question is asked through small sets (_grow, from the old conflict less order[h]):
    either one of them cannot hold (a new conflict, without order[h]), or a pathway keeps
    every guard of the question (order[h] is found). Only when that is not decided is the
    question itself asked."""
    index = {g.literal: i for i, g in enumerate(order)}
    found: list[Guard] = []
    have: set[int] = set()
    settled = q.undecided
    conflict = _grow(q, order, seed) or {g.literal for g in order}
    q.undecided = settled  # an undecided guess costs time, not exactness
    while True:
        rest = [index[x] for x in conflict - have]
        if not rest:  # in `order`'s order, as QuickXplain gives it (a next pass relies on it)
            return sorted(found, key=lambda g: index[g.literal])
        h = max(rest)
        question = found + order[:h]
        if q.holds_near(question, order[h]):
            found.append(order[h])
            have.add(order[h].literal)
            continue
        settled = q.undecided
        smaller = _grow(q, question, (conflict - {order[h].literal}) | have)
        if smaller is None:
            q.undecided = settled  # only the question itself decides whether it is
            smaller = {g.literal for g in question} if q.infeasible(question) else set()
        if smaller:
            conflict = smaller
        else:
            found.append(order[h])
            have.add(order[h].literal)


def _seed(q: _Questions, order: list[Guard]) -> set[int] | None:
    """Where `order` holds a budget that the linear relaxation of the rest can keep (so the
    conflict lies in whole numbers of units, and is often large): the budget with the rules
    that bound the relaxation's least spend of it (non-zero dual values), a guess close to the
    conflict (at 1,000 units one GLH under the optimum: 43 guards, 34 of them in the set
    named). None otherwise: a budget the relaxation already breaks is usually in a small
    conflict, which QuickXplain finds in fewer questions. Budgets are tried in `order` until
    one is the only guard its cheapest pathway breaks (`_base`); the guess is that budget's,
    or else the first budget's."""
    first: set[int] | None = None
    for budget in (g for g in order if g.kind == "budget"):
        left = q.deadline - time.monotonic()
        if left <= 0:
            break
        literals = {g.literal for g in order} - {budget.literal}
        # Within the time left (GLOP takes 3.6 s at 50,000 units): a guess cut short is no
        # guess, which changes only how the set is found, never which set is named.
        relaxation = q.c.cp.relaxation(q.literals, q.guidance[budget.literal])
        if relaxation.solve(literals, time_limit=left) is None:
            break
        if relaxation.optimum > q.limits[budget.literal] + 1e-6:
            break
        seed = relaxation.binding() | {budget.literal}
        if _base(q, order, budget, relaxation):
            return seed
        first = first or seed
    return first


def _base(q: _Questions, order: list[Guard], budget: Guard, relaxation: Relaxation) -> bool:
    """The pathway that spends least of `budget` keeping every other guard of `order`: where
    the budget is missed by whole units, a member's witness (a pathway keeping all but it)
    usually lies near it (`holds_near`). Its spend is the budget's figure, when proven and
    every guard is in `order`. False when there is none (the other guards cannot hold even
    without this budget: remembered as proven) or none was found in time."""
    left = q.deadline - time.monotonic()
    if left <= 0:
        return False
    # At most half the time left, so that a model too large to optimise in time (50,000
    # units) still leaves the search for the set its share; any pathway found serves.
    left /= 2
    q.c.cp.minimize(q.guidance[budget.literal])
    kept = {g.literal for g in order} - {budget.literal}
    r = q.c.cp.solve(
        workers=1,
        time_limit=left,
        true_literals=sorted(kept),
        leave_out=sorted(q.literals - kept),
        extra=SEARCH,
    )
    if r.status == "infeasible":
        q.proven.append(frozenset(kept))
    if r.status not in ("feasible", "optimal"):
        return False
    q.base, q.relaxation = list(r.values), relaxation
    if r.status == "optimal" and r.objective is not None and len(order) == len(q.c.guards):
        q.figures[budget.key] = r.objective
    return True


def _shrink(q: _Questions, order: list[Guard]) -> list[Guard]:
    """The preferred conflict within `order` (first guards kept in preference): by progression
    from the linear relaxation's guess where there is a budget, else by QuickXplain."""
    seed = _seed(q, order)
    if seed is None:
        return _quickxplain(q.infeasible, order)
    return _progression(q, order, seed)


def minimal_core(s: Scenario, deadline: float | None = None) -> tuple[list[Guard], bool]:
    """(the guards that cannot all hold, whether that set is proven minimal)."""
    core, minimal, _ = _core(s, deadline)
    return core, minimal


def _core(s: Scenario, deadline: float | None = None) -> tuple[list[Guard], bool, dict[str, int]]:
    """minimal_core, and the budgets' figures (`_least_needed`) found on the way."""
    if deadline is None:
        deadline = time.monotonic() + DEFAULT_SECONDS
    q = _Questions(s, deadline)
    guards = q.c.guards
    # Deletion order: rules first, so scenario constraints are the ones kept where both would
    # do. QuickXplain keeps earlier guards in preference, so it is given the reverse.
    order = [g for g in guards if g.kind == "rule"] + [g for g in guards if g.kind != "rule"]
    rank = {g.literal: i for i, g in enumerate(order)}
    prefer = order[::-1]
    # A guard that cannot hold on its own ends the search: the answer lies before it.
    for i, g in enumerate(prefer):
        if g.literal in q.impossible:
            prefer = prefer[: i + 1]
            break
    core = prefer
    while True:
        q.undecided = False
        core = _shrink(q, core)
        q.passes += 1
        if not q.undecided or q.cap is None or time.monotonic() >= deadline:
            break
        q.cap = None if q.cap * GROWTH > 10**9 else q.cap * GROWTH
    minimal = not q.undecided
    verdict = q.confirm(core)
    if verdict == "unknown":
        minimal = False
    elif verdict != "infeasible":
        if q.confirm(guards) not in ("infeasible", "unknown"):
            raise InternalError("asked to explain a scenario that has a pathway")
        raise InternalError("the shrunk conflict set is not infeasible")
    return sorted(core, key=lambda g: rank[g.literal]), minimal, q.figures


def explain(s: Scenario, deadline: float | None = None) -> Explanation:
    """Why `s` has no pathway. `deadline` (time.monotonic()) is the solve's time limit; without
    one the explanation has its own budget (`DEFAULT_SECONDS`, `FIGURE_SECONDS`)."""
    given = deadline
    if deadline is None:
        deadline = time.monotonic() + DEFAULT_SECONDS
    core, minimal, figures = _core(s, deadline)
    excluded_in_core = {g.key for g in core if g.kind == "excluded"}
    conflicts = []
    q = s.qualification
    excluded = [g.key for g in core if g.kind == "excluded"]
    rules = {r.key: r for r in q.rules}
    for g in core:
        if g.kind == "rule":
            rule = rules[g.key]
            conflicts.append(Conflict("rule", g.key, _rule_words(s, rule, excluded_in_core)))
        elif g.kind == "required":
            u = q.unit(g.key)
            group = q.group_of(u.id)
            facts = [plural(u.credit, "credits")] if u.credit is not None else []
            facts += [group.label] if group else []
            detail = f" ({', '.join(facts)})" if facts else ""
            conflicts.append(
                Conflict("required", g.key, f"{u.label} ({u.title}) is required{detail}")
            )
        elif g.kind == "budget":
            says = f"the budget allows at most {_amount(g.key, getattr(s.budget, g.key))} still to take"
            figure = time.monotonic() + FIGURE_SECONDS if given is None else given
            says += _figure_words(s, g.key, figure, figures.get(g.key))
            conflicts.append(Conflict("budget", g.key, says))
    if excluded:
        labels = [q.unit(u).label for u in excluded]
        verb = "is" if len(labels) == 1 else "are"
        conflicts.append(
            Conflict("excluded", ",".join(excluded), f"{join_labels(labels)} {verb} excluded")
        )
    return Explanation(conflicts, minimal)


def _amount(budget: str, n: int) -> str:
    return f"{n} GLH" if budget == "max_glh" else plural(n, budget.removeprefix("max_"))


BUDGET_OBJECTIVE = {measure: f"min-{measure.name}" for measure in BUDGETS.values()}


def _figure_words(s: Scenario, budget: str, deadline: float | None, known: int | None) -> str:
    """What the cheapest pathway needs of `budget` otherwise, as words to append: exact when
    proven (`known`, or solved now within `deadline`); "at least" the solve's bound when the
    time ran out first; said to be unknown when not even that was found (a 20,000-unit model's
    figure takes longer than the figure's 2 s); nothing when no pathway exists even without
    this budget."""
    if known is None:
        r = _least_spend(s, budget, deadline)
        if r is not None and r.status == "infeasible":
            return ""
        if r is not None and r.status == "optimal" and r.objective is not None:
            known = r.objective
        elif r is not None and r.bound is not None and r.bound > 0:
            least = _amount(budget, r.bound)
            return f"; the cheapest pathway otherwise needs at least {least} (not proven in time)"
        else:
            return "; what the cheapest pathway otherwise needs was not found in time"
    return f"; the cheapest pathway otherwise needs {_amount(budget, known)}"


def _least_needed(s: Scenario, budget: str, deadline: float | None) -> int | None:
    """What the cheapest pathway spends of a budget when every other constraint holds: the
    number a planner needs to raise the budget to. None when that is not proven in time or no
    pathway exists even without this budget."""
    r = _least_spend(s, budget, deadline)
    return r.objective if r is not None and r.status == "optimal" else None


def _least_spend(s: Scenario, budget: str, deadline: float | None):
    """The solve behind _least_needed (None when no time is left to start it)."""
    c = compile_scenario(s)
    for g in c.guards:
        if not (g.kind == "budget" and g.key == budget):
            c.cp.add_linear([(g.literal, 1)], 1, 1)
    c.cp.minimize(objective_terms(BUDGET_OBJECTIVE[BUDGETS[budget]], s, c))
    left = None if deadline is None else deadline - time.monotonic()
    if left is not None and left <= 0:
        return None
    return c.cp.solve(workers=1, time_limit=left, extra=SEARCH)


def _rule_words(s: Scenario, rule, excluded: set[str]) -> str:
    head = f"{rule.key} {rule.name}"
    why = out_of_reach(s.qualification, rule, excluded)
    if why is None:
        return head + (f' ("{rule.text}")' if rule.text else "")
    return f"{head}, {why}" if why.startswith("but ") else f"{head}: {why}"
