"""Rank a whole catalogue for one learner (`pathway rank`): every model read, situated and
solved as `compare` does (compare.assess), in worker processes on every core, then put in a
total order (compare.Row.sort_key), so the answer never depends on which worker finished first.
"""

from __future__ import annotations

import os
from pathlib import Path

from .compare import (
    DEFAULT_OBJECTIVES,
    Comparison,
    Learner,
    Row,
    assess,
    check_forms,
    check_found,
    situate,
)
from .errors import InputError, Problem

PARALLEL_FROM = 16  # qualifications: fewer are ranked in this process (a pool costs ~0.1 s)
CHUNKS_PER_WORKER = 16  # ~0.2 s each on 1,000 small models: the last to finish waits little


def catalogue(folder: Path | str) -> list[Path]:
    """The files of a catalogue folder (models; scenarios in it are skipped when read)."""
    from .loader import expand_paths

    if not Path(folder).is_dir():
        raise InputError(Problem(str(folder), None, None, "no such folder (--models)"))
    return expand_paths([folder])


def _rank_chunk(paths: list[str], learner: Learner, objectives: list[str], every: bool):
    """Rows for some of a catalogue's files (run in a worker process): each model read,
    situated, skipped when no held unit counts in it (unless `every`), and solved."""
    from .loader import model_file

    rows: list[Row] = []
    matched: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for path in paths:
        try:
            q = model_file(path)
            if q is None:
                continue  # a scenario kept beside the models
            s, found = situate(q, learner)
        except InputError as error:
            problems += error.problems
            continue
        matched |= found
        if every or not learner.achieved or s.held:
            rows.append(assess(s, objectives))
    return rows, matched, problems


def rank(
    folder: Path | str,
    learner: Learner,
    limit: int | None = None,
    every: bool = False,
    workers: int | None = None,
    progress=None,
) -> Comparison:
    """Every qualification of a catalogue for one learner, best first: by default only those
    where a held unit counts (`every` for all). Solved in `workers` processes (default: every
    core); the order is a total one (Row.sort_key), so it never depends on which finished
    first. `progress(done, total)` is called as files are finished."""
    check_forms(learner)
    objectives = list(learner.objectives or DEFAULT_OBJECTIVES)
    files = [str(p) for p in catalogue(folder)]
    workers = max(1, workers or os.cpu_count() or 1)
    rows: list[Row] = []
    matched: set[tuple[str, str]] = set()
    problems: list[Problem] = []

    def take(result, size: int, done: list[int]) -> None:
        rows.extend(result[0])
        matched.update(result[1])
        problems.extend(result[2])
        done[0] += size
        if progress is not None:
            progress(done[0], len(files))

    done = [0]
    if workers == 1 or len(files) < PARALLEL_FROM:
        for path in files:
            take(_rank_chunk([path], learner, objectives, every), 1, done)
    else:
        from concurrent.futures import as_completed

        from .workers import pool

        n = min(len(files), workers * CHUNKS_PER_WORKER)
        chunks = [files[i::n] for i in range(n)]
        with pool(workers, finish_on_interrupt=False) as running:
            try:
                futures = {
                    running.submit(_rank_chunk, chunk, learner, objectives, every): len(chunk)
                    for chunk in chunks
                }
                for future in as_completed(futures):
                    take(future.result(), futures[future], done)
            except BaseException:
                # Ctrl-C: the workers have ended (Ctrl-C at a terminal reaches them too) or
                # end with their chunk; the chunks not started are dropped.
                running.shutdown(wait=True, cancel_futures=True)
                raise
    if problems:
        raise InputError(sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message)))
    check_found(learner, matched, f"any qualification in {folder}")
    rows.sort(key=Row.sort_key)
    notes = []
    if not every and learner.achieved:
        notes.append("Only qualifications where a held unit counts (--all for every one).")
    if limit is not None and len(rows) > limit:
        notes.append(f"The {limit:,} best of {len(rows):,} (--limit).")
        rows = rows[:limit]
    return Comparison(objectives, rows, notes)
