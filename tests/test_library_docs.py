"""docs/library.md is run: its Python examples execute in order in one namespace from the
repository's root, and every name it documents is in `pathway.__all__` and importable."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pathway

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "library.md"
PYTHON = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def test_every_example_on_the_page_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    text = DOC.read_text(encoding="utf-8")
    examples = PYTHON.findall(text)
    assert len(examples) >= 6
    namespace: dict = {}
    for i, code in enumerate(examples, start=1):
        line = text.count("\n", 0, text.index(code)) + 1
        exec(compile(code, f"{DOC}:{line} (example {i})", "exec"), namespace)  # noqa: S102


def test_every_public_name_is_importable_and_documented_or_typed():
    text = DOC.read_text(encoding="utf-8")
    for name in pathway.__all__:
        assert getattr(pathway, name) is not None
    for name in ("load", "load_model", "with_situation", "solve", "audit", "Status"):
        assert name in pathway.__all__ and f"pathway.{name}" in text


def test_importing_the_library_does_not_import_the_solver():
    """`import pathway` is cheap: OR-Tools (and with it numpy) loads only to solve."""
    code = "import sys, pathway; pathway.load_model; print('ortools' in ' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
