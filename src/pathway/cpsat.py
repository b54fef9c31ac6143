"""The one place that talks to OR-Tools.

`cp_model` (the usual Python API) imports numpy and pandas: about 0.35 s before any solving,
roughly 100 times a seed model's solve. So we write the CpModelProto in its text format and hand
it to `cp_model_helper.SolveWrapper`, the solver entry point `cp_model` itself uses. The proto
is CP-SAT's documented model format; only this module depends on that choice.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

INT_MAX = 2**63 - 1
INT_MIN = -(2**63)

NO_LP_LIMIT = 10**12  # milliseconds: GLOP's time limit when there is none (30 years)
STATUS_NAMES = {0: "unknown", 1: "invalid", 2: "feasible", 3: "infeasible", 4: "optimal"}


@dataclass
class Result:
    """What one CP-SAT solve returned, in plain Python values."""

    status: str
    values: list[int]
    objective: int | None
    bound: int | None
    core: list[int]
    wall_time: float
    deterministic_time: float = 0.0

    def value(self, var: int) -> int:
        return self.values[var]


class CpModel:
    """A CP-SAT model under construction: boolean/integer variables, linear constraints with
    optional enforcement literals, clauses and one linear objective (minimised)."""

    def __init__(self):
        self.names: list[str] = []
        self.domains: list[tuple[int, int]] = []
        self._variable_parts: list[str] = []  # see _variables_text
        self.constraints: list[str] = []
        self.objective: list[tuple[int, int]] = []
        # Beside each entry of `constraints`: its enforcement literals, and its body as data
        # ("linear", terms, lo, hi) or ("bool_or", literals), for `violated` and `impossible`.
        self.enforcement: list[tuple[int, ...]] = []
        self.bodies: list[tuple] = []
        self._reach_cache: list[set[int]] = []  # see _reach
        self._reach_size = (0, 0)

    def new_bool(self, name: str) -> int:
        return self.new_int(0, 1, name)

    def new_int(self, lo: int, hi: int, name: str) -> int:
        self.names.append(name)
        self.domains.append((lo, hi))
        return len(self.names) - 1

    def add_linear(self, terms, lo: int | None, hi: int | None, enforce=(), name: str = ""):
        """lo <= sum(coeff * var) <= hi, only where every enforcement literal is true."""
        terms = [(v, c) for v, c in terms if c != 0]
        lo = INT_MIN if lo is None else lo
        hi = INT_MAX if hi is None else hi
        body = (
            f"linear {{ vars: [{', '.join(str(v) for v, _ in terms)}] "
            f"coeffs: [{', '.join(str(c) for _, c in terms)}] domain: [{lo}, {hi}] }}"
        )
        self._add(body, enforce, name, ("linear", tuple(terms), lo, hi))

    def add_bool_or(self, literals, enforce=(), name: str = ""):
        body = f"bool_or {{ literals: [{', '.join(str(x) for x in literals)}] }}"
        self._add(body, enforce, name, ("bool_or", tuple(literals)))

    def _add(self, body: str, enforce, name: str, data: tuple = ()):
        head = f'name: "{_escape(name)}" ' if name else ""
        if enforce:
            head += f"enforcement_literal: [{', '.join(str(x) for x in enforce)}] "
        self.constraints.append(f"constraints {{ {head}{body} }}")
        self.enforcement.append(tuple(enforce))
        self.bodies.append(data)

    def _known(self) -> bool:
        """Whether every constraint's data is recorded (text added by hand has none)."""
        return len(self.enforcement) == len(self.bodies) == len(self.constraints)

    def violated(self, values) -> list[tuple[int, ...]] | None:
        """The enforcement literals of each constraint whose body `values` (one per variable)
        break, whatever those literals are; None when some constraint's data is unknown."""
        if not self._known():
            return None
        out = []
        for enforce, data in zip(self.enforcement, self.bodies):
            if data[0] == "linear":
                total = sum(c * values[v] for v, c in data[1])
                ok = data[2] <= total <= data[3]
            else:
                ok = any(_literal_value(values, x) for x in data[1])
            if not ok:
                out.append(enforce)
        return out

    def literal_value(self, values, literal: int) -> int:
        return _literal_value(values, literal)

    def impossible(self) -> list[tuple[int, ...]] | None:
        """The enforcement literals of each constraint whose body no values in the variables'
        domains can meet (its enforcement literals cannot all be true); None when some
        constraint's data is unknown."""
        if not self._known():
            return None
        out = []
        for enforce, data in zip(self.enforcement, self.bodies):
            if data[0] == "linear":
                least = most = 0
                for v, c in data[1]:
                    lo, hi = self.domains[v]
                    least += min(c * lo, c * hi)
                    most += max(c * lo, c * hi)
                if most < data[2] or least > data[3]:
                    out.append(enforce)
            elif not data[1]:
                out.append(enforce)
        return out

    def mark(self) -> int:
        """A point to `truncate` back to: constraints added after it are temporary."""
        return len(self.constraints)

    def truncate(self, marker: int) -> None:
        """Drop the constraints added since `mark` returned `marker`, with their data."""
        del self.constraints[marker:]
        del self.enforcement[marker:]
        del self.bodies[marker:]
        self._reach_size = (-1, -1)  # as added since, the same sizes may mean other constraints

    def minimize(self, terms):
        self.objective = [(v, c) for v, c in terms if c != 0]

    def scope(self, literal: int) -> set[int]:
        """The variables in the bodies of the constraints that `literal` enforces."""
        out: set[int] = set()
        for enforce, data in zip(self.enforcement, self.bodies):
            if literal not in enforce:
                continue
            if data[0] == "linear":
                out.update(v for v, _ in data[1])
            else:
                out.update(x if x >= 0 else -x - 1 for x in data[1])
        return out

    def relaxation(self, literals, objective) -> Relaxation:
        """A Relaxation of this model (so that callers need not import this module)."""
        return Relaxation(self, literals, objective)

    def around(self, values, free, leave_out=()) -> tuple[CpModel, list[int]] | None:
        """This model with every variable outside `free` fixed at `values` (one per variable),
        less the constraints enforced by a literal in `leave_out`: (the smaller model, the
        variables it keeps, in its order: its variable i is `free`'s i-th smallest), or None
        when a constraint that no free variable reaches is broken while enforced. A search
        near a known pathway: at 10,000 units a question about the whole model costs about a
        second (its linear relaxation), one about a few hundred free units a few milliseconds.
        Only the constraints that reach a free variable are rewritten."""
        if not self._known():
            return None
        kept = sorted(free)
        index = {v: i for i, v in enumerate(kept)}
        gone = set(leave_out)
        reach = self._reach()
        touched: set[int] = set()
        for v in kept:
            touched.update(reach[v])
        sub = CpModel()
        for v in kept:
            lo, hi = self.domains[v]
            sub.new_int(lo, hi, self.names[v])
        for i, (enforce, data) in enumerate(zip(self.enforcement, self.bodies)):
            if not gone.isdisjoint(enforce):
                continue
            if i not in touched:
                if not all(_literal_value(values, x) for x in enforce):
                    continue
                if data[0] == "linear":
                    total = sum(c * values[v] for v, c in data[1])
                    if not data[2] <= total <= data[3]:
                        return None
                elif not any(_literal_value(values, x) for x in data[1]):
                    return None
                continue
            on: list[int] = []
            if any(self._move(x, index, values, on) is False for x in enforce):
                continue  # enforced by a literal fixed false: need not hold
            if data[0] == "linear":
                terms, fixed = [], 0
                for v, c in data[1]:
                    if v in index:
                        terms.append((index[v], c))
                    else:
                        fixed += c * values[v]
                lo, hi = data[2], data[3]
                sub.add_linear(
                    terms,
                    None if lo == INT_MIN else lo - fixed,
                    None if hi == INT_MAX else hi - fixed,
                    on,
                )
            else:
                literals: list[int] = []
                if not any(self._move(x, index, values, literals) for x in data[1]):
                    sub.add_bool_or(literals, on)  # no literal fixed true
        sub.objective = [(index[v], c) for v, c in self.objective if v in index]
        return sub, kept

    @staticmethod
    def _move(literal: int, index: dict[int, int], values, into: list[int]) -> bool | None:
        """A literal carried into the smaller model: None, appended to `into`, when its
        variable is free; else its fixed value."""
        v = literal if literal >= 0 else -literal - 1
        if v in index:
            into.append(index[v] if literal >= 0 else -index[v] - 1)
            return None
        return bool(_literal_value(values, literal))

    def _reach(self) -> list[set[int]]:
        """For each variable, the constraints it appears in (body or enforcement)."""
        size = (len(self.names), len(self.constraints))
        if self._reach_size != size:
            reach: list[set[int]] = [set() for _ in self.names]
            for i, (enforce, data) in enumerate(zip(self.enforcement, self.bodies)):
                body = [v for v, _ in data[1]] if data[0] == "linear" else data[1]
                for x in (*enforce, *body):
                    reach[x if x >= 0 else -x - 1].add(i)
            self._reach_cache, self._reach_size = reach, size
        return self._reach_cache

    def proto_text(
        self,
        assumptions=(),
        hint: dict[int, int] | None = None,
        with_objective: bool = True,
        true_literals=(),
        leave_out=(),
    ) -> str:
        parts = self._variables_text()
        parts += self._constraints_without(leave_out)
        parts += [f"constraints {{ bool_and {{ literals: [{lit}] }} }}" for lit in true_literals]
        if with_objective and self.objective:
            parts.append(
                f"objective {{ vars: [{', '.join(str(v) for v, _ in self.objective)}] "
                f"coeffs: [{', '.join(str(c) for _, c in self.objective)}] }}"
            )
        if hint:
            keys = sorted(hint)
            parts.append(
                f"solution_hint {{ vars: [{', '.join(map(str, keys))}] "
                f"values: [{', '.join(str(hint[k]) for k in keys)}] }}"
            )
        if assumptions:
            parts.append(f"assumptions: [{', '.join(map(str, assumptions))}]")
        return "\n".join(parts)

    def _variables_text(self) -> list[str]:
        """The variables as proto text. Variables are only ever added, so the text is built
        once per variable: an explanation asks about a 1,000-unit model a hundred times, and
        escaping its names anew each time took a sixth of it."""
        made = self._variable_parts
        for n, (lo, hi) in zip(self.names[len(made) :], self.domains[len(made) :]):
            made.append(f'variables {{ name: "{_escape(n)}" domain: [{lo}, {hi}] }}')
        return list(made)

    def _constraints_without(self, leave_out) -> list[str]:
        """The constraints, less those enforced by any literal in `leave_out`: with such a
        literal free they need not hold, so leaving them out asks the same question of a
        smaller model. Where the enforcement literals are not all recorded, all are kept."""
        gone = set(leave_out)
        if not gone or len(self.enforcement) != len(self.constraints):
            return self.constraints
        return [
            text
            for text, enforce in zip(self.constraints, self.enforcement)
            if gone.isdisjoint(enforce)
        ]

    def solve(
        self,
        *,
        workers: int = 1,
        time_limit: float | None = None,
        assumptions=(),
        hint: dict[int, int] | None = None,
        with_objective: bool = True,
        true_literals=(),
        extra: str = "",
        leave_out=(),
        max_conflicts: int | None = None,
        first_solution: bool = False,
        presolve: bool = True,
        on_progress=None,
        on_solution=None,
        on_start=None,
    ) -> Result:
        """Solve. `true_literals` are fixed for this solve only (cheaper than assumptions,
        which switch off much of presolve); `extra` is more SatParameters in text format.
        Constraints enforced by a literal in `leave_out` are left out of this solve (those
        literals are free, so their constraints need not hold).

        `max_conflicts` stops the search after that many conflicts (status `unknown`): a limit
        that, unlike a time limit, gives the same answer on every machine with one worker.
        `first_solution` asks only whether a solution exists: the search stops at the first
        one (the objective, if any, only guides it), presolve skips the work that only serves
        optimisation (dual reductions, symmetry), which on large models costs far more than the
        question (10,000 units, two linear constraints: 14 s against 0.2 s), and the linear
        relaxation holds every linear constraint, so that a budget no pathway can keep is
        refuted at the root. `presolve=False` skips presolve altogether (the same question:
        0.05 s).

        `on_progress(kind, value)`, if given, is called from CP-SAT's thread while it works:
        ("solution", the objective of each solution found) and ("bound", each better bound,
        once there is one), as whole numbers; without it, CP-SAT makes no calls back into
        Python. `on_solution(values)`, if given, gets every solution found (one value per
        variable), in order: a caller that learns from the solutions on the way to the optimum
        (cohort_counts.py checks each). `on_start(stop)`, if given, gets a function that stops
        this search from another thread (see `race`)."""
        from ortools.sat.python import cp_model_helper as helper

        proto = helper.CpModelProto()
        if not proto.parse_text_format(
            self.proto_text(assumptions, hint, with_objective, true_literals, leave_out)
        ):
            raise RuntimeError("internal error: CP-SAT rejected the generated model text")
        params = helper.SatParameters()
        # SIGINT is left to Python (see _interruptible), so Ctrl-C stops the whole run.
        text = f"num_workers: {workers} random_seed: 0 catch_sigint_signal: false"
        if time_limit is not None:
            text += f" max_time_in_seconds: {max(time_limit, 0.001)}"
        if max_conflicts is not None:
            text += f" max_number_of_conflicts: {max(max_conflicts, 0)}"
        if first_solution:
            text += (
                " stop_after_first_solution: true linearization_level: 2"
                " keep_all_feasible_solutions_in_presolve: true symmetry_level: 0"
            )
        if not presolve:
            text += " cp_model_presolve: false"
        if extra:
            text += " " + extra
        if not params.parse_text_format(text):  # else CP-SAT would quietly use its defaults
            raise RuntimeError(f"internal error: CP-SAT rejected the parameters {text!r}")
        wrapper = helper.SolveWrapper()  # one per solve: reusing one is not supported
        wrapper.set_parameters(params)
        if on_start is not None:
            on_start(wrapper.stop_search)
        watcher = None
        if on_progress is not None and self.objective and with_objective:
            watcher = _solutions_class()(on_progress, on_solution)
            wrapper.add_best_bound_callback(lambda value: _report_bound(on_progress, value))
        elif on_solution is not None:
            watcher = _solutions_class()(None, on_solution)
        if watcher is not None:  # kept alive until the solve returns
            wrapper.add_solution_callback(watcher)
        response = _interruptible(wrapper, proto)
        status = STATUS_NAMES.get(int(response.status), "unknown")
        if status == "invalid":
            raise RuntimeError(
                "internal error: CP-SAT says the model is invalid: "
                + helper.CpSatHelper.validate_model(proto)
            )
        found = status in ("feasible", "optimal")
        has_objective = with_objective and bool(self.objective)
        return Result(
            status=status,
            values=list(response.solution) if found else [],
            objective=round(response.objective_value) if found and has_objective else None,
            bound=_bound(response.best_objective_bound) if has_objective else None,
            core=list(response.sufficient_assumptions_for_infeasibility),
            wall_time=response.wall_time,
            deterministic_time=response.deterministic_time,
        )

    def race(self, extras, *, time_limit: float | None = None, hint=None, on_progress=None):
        """One single-worker search per parameter set in `extras`, at the same time (a thread
        each: CP-SAT releases the GIL), for a caller with a core per search that wants the
        answer, not a particular run: the first to prove its answer (optimal or infeasible)
        stops the others. Returns that Result (else the best solution found, with the best
        bound of all) and the solutions its search found on the way (`on_solution`).
        `on_progress` gets each search's bounds, only as they rise. Which search wins depends
        on timing, so the solution may differ between runs; the value proven does not."""
        import threading

        stops: list = []
        results: list[Result | None] = [None] * len(extras)
        found: list[list[list[int]]] = [[] for _ in extras]
        failed: list[BaseException] = []
        done = threading.Event()
        lock = threading.Lock()
        best: list[int | None] = [None]

        def relay(kind: str, value: int) -> None:
            with lock:
                if kind == "bound" and (best[0] is None or value > best[0]):
                    best[0] = value
                    on_progress(kind, value)

        def started(stop) -> None:
            stops.append(stop)
            if done.is_set():  # another search won while this one was being set up
                stop()

        def run(i: int) -> None:
            if done.is_set():
                return
            try:
                r = self.solve(
                    workers=1,
                    time_limit=time_limit,
                    hint=hint,
                    extra=extras[i],
                    on_solution=found[i].append,
                    on_progress=None if on_progress is None else relay,
                    on_start=started,
                )
                results[i] = r
                if r.status in ("optimal", "infeasible"):
                    done.set()
            except BaseException as error:  # noqa: BLE001 - raised in the caller's thread
                failed.append(error)
                done.set()

        # The variables' text is cached on the model as it is first built: built here, once,
        # so that the searches only read it (two threads extending it corrupted the cache, and
        # every later solve of the model with it: a review finding).
        self._variables_text()
        threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(extras))]
        for thread in threads:
            thread.start()
        try:
            while any(t.is_alive() for t in threads) and not done.wait(0.05):
                pass
        finally:
            done.set()  # a search still being set up stops itself (Ctrl-C: at once)
            for stop in stops:
                stop()
            for thread in threads:
                thread.join()
        if failed:
            raise failed[0]
        ended = [(i, r) for i, r in enumerate(results) if r is not None]
        proven = [i for i, r in ended if r.status in ("optimal", "infeasible")]
        if proven:
            return results[proven[0]], found[proven[0]]
        # None proved: the best plan found (else the first search's answer), with the best
        # bound any of them proved.
        with_values = [(r.objective or 0, i) for i, r in ended if r.values]
        i = min(with_values)[1] if with_values else 0
        chosen = results[i]
        assert chosen is not None
        chosen.bound = max((r.bound for _, r in ended if r.bound is not None), default=None)
        return chosen, found[i]


class Relaxation:
    """The linear relaxation of a model for questions that differ only in which guards hold:
    GLOP (OR-Tools' simplex: one thread, so the same answer on every run) minimises
    `objective` (terms) over the linear constraints whose only enforcement literal is in
    `literals`, every variable continuous within its domain (other constraints are left out).
    The LP is built once; each `solve` only frees the rows of the literals not kept, so GLOP
    starts from the last basis (at 10,000 units: about 0.2 s built afresh, a few milliseconds
    so)."""

    def __init__(self, cp: CpModel, literals, objective):
        from ortools.linear_solver import pywraplp

        self._pywraplp = pywraplp
        lp = pywraplp.Solver.CreateSolver("GLOP")
        if lp is None:
            raise RuntimeError("internal error: OR-Tools has no GLOP")
        self.lp = lp
        self.columns: dict[int, Any] = {}  # pywraplp's variables, by CP-SAT variable
        self.rows: list[tuple[int, Any, float, float]] = []  # literal, row, lo, hi
        wanted = set(literals)
        for enforce, data in zip(cp.enforcement, cp.bodies):
            if data[0] != "linear" or len(enforce) != 1 or enforce[0] not in wanted:
                continue
            lo = -lp.infinity() if data[2] == INT_MIN else data[2]
            hi = lp.infinity() if data[3] == INT_MAX else data[3]
            row = lp.Constraint(lo, hi)
            for v, c in data[1]:
                row.SetCoefficient(self._column(cp, v), c)
            self.rows.append((enforce[0], row, lo, hi))
        goal = lp.Objective()
        for v, c in objective:
            goal.SetCoefficient(self._column(cp, v), c)
        goal.SetMinimization()
        self.optimum = 0.0

    def _column(self, cp: CpModel, v: int):
        if v not in self.columns:
            lo, hi = cp.domains[v]
            self.columns[v] = self.lp.NumVar(lo, hi, "")
        return self.columns[v]

    def solve(self, kept, time_limit: float | None = None) -> dict[int, float] | None:
        """The relaxation's optimal values (of the variables it has) with only the rows of
        `kept` literals; None when GLOP proves no optimum or `time_limit` seconds pass."""
        kept = set(kept)
        free = self.lp.infinity()
        for literal, row, lo, hi in self.rows:
            if literal in kept:
                row.SetBounds(lo, hi)
            else:
                row.SetBounds(-free, free)
        # Milliseconds; the limit stays set for the next solve, so "none" is set too.
        if time_limit is None or time_limit >= 1e9:
            self.lp.SetTimeLimit(NO_LP_LIMIT)
        else:
            self.lp.SetTimeLimit(max(1, int(time_limit * 1000)))
        if self.lp.Solve() != self._pywraplp.Solver.OPTIMAL:
            return None
        self.optimum = self.lp.Objective().Value()
        return {v: column.solution_value() for v, column in self.columns.items()}

    def binding(self) -> set[int]:
        """The literals of the rows with a non-zero dual value in the last solve."""
        return {literal for literal, row, _, _ in self.rows if abs(row.dual_value()) > 1e-9}


@functools.cache
def _solutions_class():
    """The solution callback's class, made on first use (OR-Tools is imported late)."""
    from ortools.sat.python import cp_model_helper as helper

    class Solutions(helper.SolutionCallback):
        """Passes each solution's objective value on, as ("solution", value), and (to
        `values`) the solution itself."""

        def __init__(self, report, values=None):
            helper.SolutionCallback.__init__(self)
            self.report = report
            self.values = values

        def OnSolutionCallback(self) -> None:  # CP-SAT calls it by this name
            if self.report is not None:
                self.report("solution", round(self.ObjectiveValue()))
            if self.values is not None:
                self.values(list(self.Response().solution))

    return Solutions


def _interruptible(wrapper, proto):
    """wrapper.solve(proto), in a thread (the solver releases the GIL) so that Ctrl-C reaches
    Python at once: the search is stopped and KeyboardInterrupt raised. CP-SAT's own SIGINT
    handler would instead end only the current search, quietly, as if a time limit had come,
    and the run would go on to the next solve. Where Ctrl-C cannot raise here (not the main
    thread, or SIGINT not Python's: a batch worker ignores it), the solve runs directly, which
    saves a thread per solve (about a tenth of a small solve's time)."""
    import signal
    import threading

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        return wrapper.solve(proto)
    done: list = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(wrapper.solve(proto))
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            failed.append(error)

    thread = threading.Thread(target=run, name="cp-sat", daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.05)
    except KeyboardInterrupt:
        wrapper.stop_search()
        thread.join()
        _ended(thread)
        raise
    if failed:
        raise failed[0]
    return done[0]


def _ended(thread, most: float = 1.0) -> None:
    """Wait (up to `most` seconds) until `thread` has ended natively too, not only for Python.
    A library caller interrupted by Ctrl-C may exit at once, and an interpreter that exited
    while the search's thread was still tearing down aborted in OR-Tools' destructors
    ("terminate called without an active exception", exit 134). Linux shows a thread's end in
    /proc; elsewhere this returns at once."""
    import os
    import time

    task = f"/proc/self/task/{thread.native_id}"
    until = time.monotonic() + most
    while os.path.exists(task) and time.monotonic() < until:
        time.sleep(0.001)


def _literal_value(values, literal: int) -> int:
    """A literal's value: a variable, or (as a negative number, -v - 1) its negation."""
    return values[literal] if literal >= 0 else 1 - values[-literal - 1]


def _bound(value: float) -> int | None:
    import math

    if math.isinf(value) or math.isnan(value):
        return None
    return math.ceil(value - 1e-9)


def _report_bound(on_progress, value: float) -> None:
    """A better bound, passed on as a whole number once it is one (CP-SAT starts from its
    own infinity, a float near 2**63)."""
    bound = _bound(value)
    if bound is not None and abs(bound) < 2**62:
        on_progress("bound", bound)


def _escape(text: str) -> str:
    """A name as a proto text string: names are for reading only, so characters the text
    format cannot hold unescaped (newlines, NUL, other controls) become '?'."""
    text = "".join("?" if ord(c) < 32 or ord(c) == 127 else c for c in text)
    return text.replace("\\", "\\\\").replace('"', '\\"')


def max_flow(arcs, source: int, sink: int) -> tuple[int, set[int]]:
    """The most that can flow from `source` to `sink` along `arcs` (tail, head, capacity), and
    the nodes on the source side of a minimum cut (OR-Tools' push-relabel)."""
    from ortools.graph.python import max_flow as flows

    network = flows.SimpleMaxFlow()
    for tail, head, capacity in arcs:
        network.add_arc_with_capacity(tail, head, capacity)
    if network.solve(source, sink) != network.OPTIMAL:
        raise RuntimeError("internal error: OR-Tools' max flow did not finish")
    # OR-Tools leaves out a source without arcs; it is on its own side all the same.
    return network.optimal_flow(), set(network.get_source_side_min_cut()) | {source}
