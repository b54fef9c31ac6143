"""Benchmark: reports of a large pathway (issue 10, item 4: reports linear in the pathway's size).

Each model has 50,000 units: a mandatory group of K units (so the best pathway holds exactly
those K units, found at once) and the rest in optional groups of 20. For each K the model is
loaded and solved once in this process, then every report `pathway solve` can print (json,
table, markdown, csv, html) is made ROUNDS times and its best CPU time kept. Linear means the
time per pathway unit stays about the same as K grows; the last column says how it grew from
the smallest K (1.0x is linear, Kx would be quadratic). Then `pathway solve FILE --format F`
runs end to end at the largest K, beside `pathway validate FILE` (start-up and load alone).

Usage: python bench/report_speed.py [ROUNDS]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from timing import ROOT, run

UNITS = 50_000
PATHWAYS = (1_000, 5_000, 20_000)
FORMATS = ("json", "table", "markdown", "csv", "html")
TARGET = "linear: time per pathway unit flat as K grows (growth ~1.0x, not Kx)"


def model(k: int) -> dict:
    """50,000 units; the first k form a mandatory group, the rest optional groups of 20."""
    units = [
        {"id": f"U{i}", "number": i, "title": f"Serve customers {i}", "credit": 1 + i % 7,
         "level": 1 + i % 3, "glh": 10 + i % 50}
        for i in range(1, UNITS + 1)
    ]  # fmt: skip
    groups = [{"id": "M", "mandatory": True, "units": [f"U{i}" for i in range(1, k + 1)]}]
    groups += [
        {"id": f"G{g}", "units": [f"U{i}" for i in range(s, min(UNITS, s + 19) + 1)]}
        for g, s in enumerate(range(k + 1, UNITS + 1, 20), start=1)
    ]
    rules = [{"kind": "credits", "min": 10}]
    return {"title": "Large", "level": 2, "units": units, "groups": groups, "rules": rules}


def reports():
    """Each format's report maker, as `pathway solve --format F` calls it."""
    from pathway.csv_report import solution_csv
    from pathway.html_report import solution_html
    from pathway.report import solution_json, solution_markdown, solution_table

    return {
        "json": lambda s: json.dumps(solution_json(s), indent=2),
        "table": lambda s: solution_table(s, width=100),
        "markdown": solution_markdown,
        "csv": solution_csv,
        "html": solution_html,
    }


def best_cpu(make, solution, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        make(solution)
        times.append(time.process_time() - started)
    return min(times)


def in_process(folder: Path, rounds: int) -> Path:
    import pathway

    makers = reports()
    per_unit: dict[str, list[float]] = {f: [] for f in FORMATS}
    print(f"reports made in this process, best CPU time of {rounds}; {TARGET}")
    print(f"{'pathway units':>13} " + " ".join(f"{f:>17}" for f in FORMATS))
    path = folder
    for k in PATHWAYS:
        path = folder / f"large-{k}.json"
        path.write_text(json.dumps(model(k)), encoding="utf-8")
        solution = pathway.solve(pathway.load(str(path)))
        assert len(solution.best.units) == k, (k, len(solution.best.units))
        cells = []
        for f in FORMATS:
            seconds = best_cpu(makers[f], solution, rounds)
            per_unit[f].append(seconds / k)
            growth = per_unit[f][-1] / per_unit[f][0]
            cells.append(f"{seconds:6.3f}s {growth:4.1f}x")
        print(f"{k:>13,} " + " ".join(f"{c:>17}" for c in cells))
    return path


def end_to_end(path: Path) -> None:
    cli = [sys.executable, "-m", "pathway.cli"]
    print(f"\nend to end, {path.name} ({PATHWAYS[-1]:,} of {UNITS:,} units), wall seconds:")
    validate = run([*cli, "validate", str(path)])
    print(f"  {'validate (start-up + load)':28} {validate.seconds:6.2f}s")
    for f in FORMATS:
        done = run([*cli, "solve", str(path), "--format", f])
        if done.returncode != 0:
            raise SystemExit(f"solve --format {f} exited {done.returncode}: {done.stderr[-300:]}")
        print(f"  {'solve --format ' + f:28} {done.seconds:6.2f}s")


def main(rounds: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        largest = in_process(Path(tmp), rounds)
        end_to_end(largest)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
