"""Benchmark of issue 11: `pathway rank` over a generated catalogue of 1,000 qualifications.

Each qualification is a seeded synthetic rule of combination (bench/synthetic.py: groups of
about 20 units with credit floors and caps, at least one unit per group, a total and a Level-4
floor, barred pairs), of 20 to 60 units, written to a temporary folder. Units carry URNs drawn
from a shared pool, so one learner's held units count in many qualifications, as a real
catalogue's shared units do. The learner holds 20 URNs of the pool.

Timed, in this process, through the library call behind the command (pathway.rank.rank):
- `rank --all` with every core (the command's default), the figure the issue sets a target
  for: 1,000 qualifications in at most 5 s on 2 cores;
- the floor beside it: the same reads and solves one after another in one process.
Both include reading every model; the two rankings must be identical (a mismatch is printed
loudly and the exit status is 1).

Usage: python bench/rank_speed.py [--count 1000] [--jobs N] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import random
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: every core)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    learner = Learner(
        achieved=tuple(urn(k) for k in random.Random(args.seed).sample(range(POOL), 20))
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_catalogue(folder, args.count, args.seed)
        print(
            f"catalogue: {args.count:,} qualifications written in {time.perf_counter() - started:.1f} s"
        )
        cores = args.jobs or os.cpu_count() or 1
        started = time.perf_counter()
        parallel = rank(folder, learner, every=True, workers=cores)
        pooled = time.perf_counter() - started
        started = time.perf_counter()
        serial = rank(folder, learner, every=True, workers=1)
        floor = time.perf_counter() - started
    same = [r.to_dict() for r in parallel.rows] == [r.to_dict() for r in serial.rows]
    statuses = {}
    for r in parallel.rows:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    print(
        f"ranked: {len(parallel.rows):,} ({', '.join(f'{n:,} {s}' for s, n in sorted(statuses.items()))})"
    )
    print(
        f"rank --all, {cores} process{'es' * (cores != 1)}: {pooled:.2f} s "
        f"(target: at most {TARGET_SECONDS:.0f} s on 2 cores)"
    )
    print(f"floor, the same reads and solves serially in one process: {floor:.2f} s")
    print(f"speed-up over the floor: {floor / pooled:.2f}x")
    if not same:
        print("MISMATCH: the parallel and serial rankings differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
