"""Benchmark of issue 11: `pathway rank` over a generated catalogue of 1,000 qualifications.

Each qualification is a seeded synthetic rule of combination (bench/synthetic.py: groups of
about 20 units with credit floors and caps, at least one unit per group, a total and a Level-4
floor, barred pairs), of 20 to 60 units, written to a temporary folder. Units carry URNs drawn
from a shared pool, so one learner's held units count in many qualifications, as a real
catalogue's shared units do. The learner holds 20 URNs of the pool.

Timed, in this process, through the library call behind the command (pathway.rank.rank):
- `rank --all` with every core (the command's default), the figure the issue sets a target
  for: 1,000 qualifications in at most 5 s on 2 cores;
- the floor beside it: the same reads and solves one after another in one process;
- `rank` without --all (the command's default: only qualifications where a held unit counts,
  about a quarter of them here; every file is still read), with every core.
Each is given in wall seconds and in CPU seconds (this process and its workers, which are
forked from it and waited for), and the parallel and serial runs alternate over `--rounds`:
on a machine shared with other work the wall figures say how busy it was, the CPU figures
what the work costs. All include reading every model; the rankings must be identical (a
mismatch is printed loudly and the exit status is 1).

Usage: python bench/rank_speed.py [--count 1000] [--jobs N] [--seed 0] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from synthetic import synthetic_model, write_yaml

from pathway.compare import Learner
from pathway.rank import rank

POOL = 3000  # URNs shared across the catalogue
TARGET_SECONDS = 5.0


def urn(k: int) -> str:
    return f"Y/{500 + k // 10000:03d}/{k % 10000:04d}"


def write_catalogue(folder: Path, count: int, seed: int) -> None:
    rng = random.Random(f"pathway-rank-{count}-{seed}")
    for i in range(count):
        doc = synthetic_model(rng.randint(20, 60), seed * 100_000 + i)
        for unit, k in zip(doc["units"], rng.sample(range(POOL), len(doc["units"]))):
            unit["urn"] = urn(k)
        write_yaml(doc, folder / f"q{i:04d}.yaml")


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the forked workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(folder: Path, learner: Learner, every: bool, workers: int):
    """(ranking, wall seconds, CPU seconds) of one rank call."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    ranking = rank(folder, learner, every=every, workers=workers)
    return ranking, time.perf_counter() - wall, cpu_seconds() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: every core)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1, help="medians over this many runs")
    args = parser.parse_args()
    learner = Learner(
        achieved=tuple(urn(k) for k in random.Random(args.seed).sample(range(POOL), 20))
    )
    cores = args.jobs or os.cpu_count() or 1
    runs: dict[str, list[tuple[float, float]]] = {"all": [], "floor": [], "default": []}
    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_catalogue(folder, args.count, args.seed)
        print(
            f"catalogue: {args.count:,} qualifications written in {time.perf_counter() - started:.1f} s"
        )
        same = True
        for _ in range(max(args.rounds, 1)):
            parallel, wall, cpu = timed(folder, learner, True, cores)
            runs["all"].append((wall, cpu))
            serial, wall, cpu = timed(folder, learner, True, 1)
            runs["floor"].append((wall, cpu))
            default, wall, cpu = timed(folder, learner, False, cores)
            runs["default"].append((wall, cpu))
            rows = [r.to_dict() for r in parallel.rows]
            same &= rows == [r.to_dict() for r in serial.rows]
            same &= [r.to_dict() for r in default.rows] == [
                r for r, row in zip(rows, parallel.rows) if row.held_count
            ]
    statuses: dict[str, int] = {}
    for r in parallel.rows:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    print(
        f"ranked: {len(parallel.rows):,} ({', '.join(f'{n:,} {s}' for s, n in sorted(statuses.items()))}); "
        f"without --all: {len(default.rows):,}"
    )
    wall, cpu = (statistics.median(x) for x in zip(*runs["all"]))
    print(
        f"rank --all, {cores} process{'es' * (cores != 1)}: {wall:.2f} s, {cpu:.2f} CPU-s "
        f"(target: at most {TARGET_SECONDS:.0f} s on 2 cores)"
    )
    floor, floor_cpu = (statistics.median(x) for x in zip(*runs["floor"]))
    print(
        f"floor, the same reads and solves serially in one process: {floor:.2f} s, "
        f"{floor_cpu:.2f} CPU-s ({floor_cpu / args.count * 1000:.1f} ms a qualification)"
    )
    print(f"speed-up over the floor: {floor / wall:.2f}x")
    wall, cpu = (statistics.median(x) for x in zip(*runs["default"]))
    print(f"rank (only where a held unit counts), {cores} processes: {wall:.2f} s, {cpu:.2f} CPU-s")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if not same:
        print("MISMATCH: the parallel, serial and default rankings differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
