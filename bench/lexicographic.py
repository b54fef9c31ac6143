"""Benchmark: lexicographic objectives on large synthetic rules of combination.

For each ordered pair of objectives, `pathway solve FILE -o FIRST -o SECOND` is timed beside
`pathway solve FILE -o FIRST` alone, on the same seeded synthetic model (bench/synthetic.py,
with its random preference weights), both as subprocesses, wall time of the whole command.
The second objective costs what the pair takes beyond the first alone ("extra"). The pair's
first value must equal the first objective's optimum alone; a mismatch is printed loudly.

Before objectives were folded (solver.py, `_Search._folded`), each was fixed as a row before
the next was solved: at 3,000 units max-preference then min-units took 27-43 s.

Usage: python bench/lexicographic.py [--sizes 3000] [--seeds 0,1] [--time-limit 120]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from pathlib import Path

from large import last_json, limit_for, pathway_command, status_of
from synthetic import synthetic_model, synthetic_scenario, write_yaml
from timing import run

OBJECTIVES = ["min-glh", "max-preference", "min-units", "min-credits"]


def scenario(folder: Path, size: int, seed: int) -> Path:
    model = folder / f"synthetic-{size}-{seed}.yaml"
    path = folder / f"synthetic-{size}-{seed}-preferences.yaml"
    if not path.exists():
        write_yaml(synthetic_model(size, seed), model)
        write_yaml(synthetic_scenario(size, seed, model.name), path)
    return path


def timed(path: Path, objectives: list[str], time_limit: float):
    cmd = [*pathway_command(), "solve", str(path), "--format", "json"]
    for name in objectives:
        cmd += ["-o", name]
    r = run(cmd + ["--time-limit", str(time_limit)], timeout=limit_for(time_limit))
    doc = last_json(r.stdout) or {}
    value = (doc.get("objective") or {}).get("value")
    return r.seconds, status_of(r, doc), value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3000")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    seeds = [int(x) for x in args.seeds.split(",")]
    print(f"seeds {args.seeds}, --time-limit {args.time_limit:g}; wall s of the whole command")
    header = (
        f"{'units':>6} {'seed':>4} {'objectives':31} | {'pair':15} {'wall s':>7} |"
        f" {'first alone':13} {'wall s':>7} | {'extra s':>7} agree"
    )
    print(header)
    print("-" * len(header))
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size, seed in itertools.product(sizes, seeds):
            path = scenario(folder, size, seed)
            alone = {name: timed(path, [name], args.time_limit) for name in OBJECTIVES}
            for pair in itertools.permutations(OBJECTIVES, 2):
                seconds, status, value = timed(path, list(pair), args.time_limit)
                first_seconds, first_status, first_value = alone[pair[0]]
                agree = "-"
                if status.startswith("optimal") and first_status.startswith("optimal"):
                    agree = "yes" if value and value[0] == first_value else "NO: BUG"
                    bad += agree != "yes"
                print(
                    f"{size:>6} {seed:>4} {','.join(pair):31} | {status:15} {seconds:7.2f} |"
                    f" {first_status:13} {first_seconds:7.2f} |"
                    f" {seconds - first_seconds:7.2f} {agree}",
                    flush=True,
                )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
