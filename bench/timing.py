"""Shared by the benchmarks: wall time of a command, as on a user's machine."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Python caches compiled modules on a user's machine. Some sandboxes set PYTHONDONTWRITEBYTECODE,
# which makes every run compile pathway's sources again while a peer's site-packages were
# compiled at install time: an unfair race, so it is unset for the commands timed.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str]) -> float:
    """Seconds one run of `cmd` takes, its output thrown away."""
    started = time.perf_counter()
    subprocess.run(
        cmd, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - started
