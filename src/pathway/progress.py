"""A progress line on standard error, for commands that can run longer than a second (solve,
plan, rank, batch).

Drawn only when standard error is a terminal, so files, pipes and CI logs never see it; never
on TERM=dumb (which cannot be trusted to overwrite a line); never in colour, so NO_COLOR holds
by construction. It appears only once `after` seconds have passed (quick commands print nothing
extra), is redrawn at most every `every` seconds by a background thread (which also keeps the
seconds moving while CP-SAT works, when the library has nothing new to say), never wraps (it is
cut to the terminal's width) and is wiped at the end, so what follows starts on a clean line.
Standard output is never touched.

`PATHWAY_PROGRESS_AFTER` (seconds, default 1) changes when it appears; 0 draws it at once."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Mapping

AFTER = 1.0  # seconds before the line appears
EVERY = 0.25  # seconds between redraws: a few a second, no flicker, no cost


def wanted(stream=None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to draw a progress line on `stream` (default standard error)."""
    env = os.environ if environ is None else environ
    if env.get("TERM") == "dumb":
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _after(environ: Mapping[str, str]) -> float:
    try:
        return max(0.0, float(environ.get("PATHWAY_PROGRESS_AFTER", AFTER)))
    except ValueError:
        return AFTER


def _columns(stream) -> int:
    """The terminal's width (the line must not wrap, or \\r would not go back over it)."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        columns = 0
    return columns if columns > 0 else 80


class Line:
    """One line on standard error, rewritten in place while a `with` block runs; `text(seconds)`
    says what to show after that many seconds. A no-op unless `wanted()`."""

    def __init__(
        self,
        text: Callable[[float], str],
        stream=None,
        environ: Mapping[str, str] | None = None,
        after: float | None = None,
        every: float = EVERY,
    ):
        env = os.environ if environ is None else environ
        self.text = text
        self.stream = sys.stderr if stream is None else stream
        self.on = wanted(self.stream, env)
        self.after = _after(env) if after is None else after
        self.every = every
        self.started = time.monotonic()
        self.shown = 0  # columns of the line on screen now
        self.draws = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> Line:
        """Start the clock (and, on a terminal, the thread that draws the line)."""
        self.started = time.monotonic()
        if self.on:
            if self.after <= 0:
                self.draw()
            self._thread = threading.Thread(target=self._run, name="progress", daemon=True)
            self._thread.start()
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def _run(self) -> None:
        if self._stop.wait(self.after):
            return
        while True:
            self.draw()
            if self._stop.wait(self.every):
                return

    def draw(self) -> None:
        """Rewrite the line now (the thread does this; callers need not)."""
        from .terminal import clip, display_width

        with self._lock:
            if not self.on or self._stop.is_set():
                return
            line = clip(self.text(time.monotonic() - self.started), _columns(self.stream) - 1)
            width = display_width(line)
            self._write("\r" + line + " " * max(0, self.shown - width))
            # What is on the screen now: the line and the spaces over a longer one before it.
            self.shown = max(width, self.shown)
            self.draws += 1

    def close(self) -> None:
        """Stop redrawing and wipe the line (spaces over it, cursor back to its start)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        with self._lock:
            if self.shown:
                self._write("\r" + " " * self.shown + "\r")
                self.shown = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.on = False  # a terminal that went away: the answer matters, progress does not


def seconds(elapsed: float) -> str:
    """'7 s', '2 min 5 s'."""
    whole = int(elapsed)
    return f"{whole} s" if whole < 60 else f"{whole // 60} min {whole % 60} s"


class Watch:
    """What a progress line says, kept up to date by the library's callback (the subclass is
    that callback); `line()` is the Line that shows it."""

    def text(self, elapsed: float) -> str:
        raise NotImplementedError

    def line(self, **options) -> Line:
        return Line(self.text, **options)


class Count(Watch):
    """`done of total` for work in pieces (rank's files, batch's learners): pass the instance
    as the library's `progress(done, total)` callback and `line()` to a `with` block."""

    def __init__(self, what: str, unit: str):
        self.what, self.unit = what, unit
        self.done, self.total = 0, 0

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def text(self, elapsed: float) -> str:
        if not self.total:
            return f"{self.what}: {seconds(elapsed)}"
        return f"{self.what} {self.done:,} of {self.total:,} {self.unit}: {seconds(elapsed)}"


OBJECTIVE_UNITS = {
    "min-glh": "GLH",
    "min-credits": "credits",
    "min-units": "units",
    "max-preference": "preference",
}
SOLVE_PHASES = {
    "reading": "reading",
    "objective": "solving",
    "tie_break": "settling ties",
    "explanation": "no pathway; finding why",
}


class Solving(Watch):
    """What `pathway.solve(progress=...)` reports, as a line: the phase, the seconds, and the
    best value of the first objective found so far (once the tie-break starts, that value is
    proven optimal), with the bound proven so far beside it. The library calls it with
    `(phase, best)`: `best` is None at the start of a solve, else the first objective's value
    of a pathway just found; phase "bound" carries a better bound instead."""

    def __init__(self, objective: str | None = None):
        self.objective = objective
        self.phase = "reading"
        self.best: int | None = None
        self.bound: int | None = None  # proven: no pathway is better than this

    def __call__(self, phase: str, best: int | None = None) -> None:
        if phase == "bound":  # not a phase: a better bound proven while solving
            if best is not None and (self.bound is None or self._better(self.bound, best)):
                self.bound = best
            return
        self.phase = phase
        if best is not None and (self.best is None or self._better(best, self.best)):
            self.best = best

    def _better(self, one: int, other: int) -> bool:
        return one > other if self.objective == "max-preference" else one < other

    def aim(self, objective: str) -> None:
        """The first objective, once known (a scenario file may name it)."""
        self.objective = objective

    def text(self, elapsed: float) -> str:
        words = f"{SOLVE_PHASES.get(self.phase, self.phase)}: {seconds(elapsed)}"
        if self.best is not None:
            unit = OBJECTIVE_UNITS.get(self.objective or "", "")
            words += f", best {self.best:,} {unit}".rstrip()
            if self.phase in ("tie_break", "explanation") or self.bound == self.best:
                words += " (proven)"
            elif self.bound is not None:
                side = "most" if self.objective == "max-preference" else "least"
                words += f" (the optimum is at {side} {self.bound:,})"
        return words


PLAN_PHASES = {
    "reading": "reading the cohort",
    "alone": "each learner's own pathway",
    "completing": "most learners completing",
    "taught_glh": "least taught GLH",
    "preferences": "learners' preferences best met",
    "learners_glh": "least GLH for the learners",
    "explanation": "finding who cannot complete",
}


class Planning(Watch):
    """What `cohort_plan.plan(progress=...)` reports, as a line. The library calls it with
    `(phase, best, done, total)`: `best` the value of the plan a solve just found (taught GLH,
    or learners completing), `done of total` for the learners' own pathways."""

    def __init__(self):
        self.phase = "reading"
        self.best: int | None = None
        self.bound: int | None = None  # proven on the phase's aim: no plan does better
        self.count: tuple[int, int] | None = None

    def __call__(
        self,
        phase: str,
        best: int | None = None,
        done: int | None = None,
        total: int | None = None,
    ) -> None:
        if phase == "bound":  # not a phase: a better bound proven on this phase's aim
            # Several searches prove bounds on one aim (the first try, counts, the joint
            # model): the line keeps the best of them.
            if self.bound is None or best is None:
                self.bound = best if self.bound is None else self.bound
            elif self.phase == "completing":
                self.bound = min(self.bound, best)
            else:
                self.bound = max(self.bound, best)
            return
        if phase != self.phase:
            self.best, self.bound, self.count = None, None, None
        self.phase = phase
        if best is not None:
            self.best = best
        if done is not None and total is not None:
            self.count = (done, total)

    def text(self, elapsed: float) -> str:
        words = f"planning: {seconds(elapsed)}, {PLAN_PHASES.get(self.phase, self.phase)}"
        if self.count is not None:
            words += f" ({self.count[0]:,} of {self.count[1]:,})"
        if self.best is not None:
            unit = "completing" if self.phase == "completing" else "GLH"
            words += f", best so far {self.best:,} {unit}"
            if self.bound is not None and self.bound != self.best:
                side = "most" if self.phase == "completing" else "least"
                words += f" (the optimum is at {side} {self.bound:,})"
        return words
