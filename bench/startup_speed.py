"""Benchmark: commands that never solve, against `python -c "import yaml, click"`.

`pathway validate models/`, `validate models/ scenarios/`, `check`, `schema` and `--help` need
only YAML and click, so each should cost little more than importing those two (target, issue 9:
at most 1.5x). The installed `pathway` script is run (what a user runs), alternately with the
peer so machine noise hits both alike; medians and ratios are printed.

Usage: python bench/startup_speed.py [ROUNDS]
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from timing import wall

ROOT = Path(__file__).resolve().parent.parent
PEER = [sys.executable, "-c", "import yaml, click"]
TARGET = 1.5


def pathway_command() -> list[str]:
    script = Path(sys.executable).parent / "pathway"
    if script.exists():
        return [str(script)]
    found = shutil.which("pathway")
    return [found] if found else [sys.executable, "-m", "pathway.cli"]


def main(rounds: int) -> None:
    pathway = pathway_command()
    cases = {
        "validate models/": ["validate", "models/"],
        "validate models/ scenarios/": ["validate", "models/", "scenarios/"],
        "check": ["check", "models/ocr-l2-diploma-customer-service.yaml", "-u", "1,2,3"],
        "schema model": ["schema", "model"],
        "--help": ["--help"],
    }
    print(f"peer: {' '.join(PEER[1:])!r}; {rounds} rounds, medians")
    print(f"{'command':32} {'pathway':>9} {'peer':>9} {'ratio':>6}  target <= {TARGET}")
    for name, args in cases.items():
        ok = (0, 1) if name == "check" else (0,)  # check: 1 says the units fall short
        wall([*pathway, *args], ok)  # warm up: the compiled-module cache, the file cache
        ours, peer = [], []
        for _ in range(rounds):
            ours.append(wall([*pathway, *args], ok))
            peer.append(wall(PEER))
        a, b = statistics.median(ours), statistics.median(peer)
        verdict = "ok" if a / b <= TARGET else "OVER"
        print(f"{name:32} {a * 1000:7.0f}ms {b * 1000:7.0f}ms {a / b:6.2f}  {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
