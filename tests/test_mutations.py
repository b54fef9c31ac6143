"""Seed models and shipped scenarios, damaged at random (lines dropped, doubled, values swapped
for hostile tokens), through every command: each run must end with a result or one clear
message, never a traceback. The hostile corpus holds the cases we thought of; this finds the
ones we did not. CI runs 200 fixed cases; PATHWAY_MUTATION_CASES=3000 runs more."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway.cli import main

ROOT = Path(__file__).resolve().parents[1]
CASES = int(os.environ.get("PATHWAY_MUTATION_CASES", "200"))
SOURCES = sorted((ROOT / "models").glob("*.yaml")) + sorted((ROOT / "scenarios").glob("*.yaml"))
TOKENS = [
    "", "-1", "0", "1.5", "x", "[]", "{}", "null", "~", "&a x", "*a", "!!python/object:os.system",
    "'", '"', "\t", ": ", "- ", "[1, 2", "99999999999999999999", "yes", "A", "Z", "min-glh",
    "kind: any-of", "rules: []", "\x00", "é", "@", "%YAML 1.1", "---", "<<: *a",
]  # fmt: skip


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        j = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.3:
            del lines[j]
        elif op < 0.6 and ":" in lines[j]:
            lines[j] = lines[j][: lines[j].index(":") + 1] + " " + rng.choice(TOKENS)
        elif op < 0.8:
            lines.insert(j, lines[rng.randrange(len(lines))])
        else:
            at = rng.randrange(len(lines[j]) + 1)
            lines[j] = lines[j][:at] + rng.choice(TOKENS) + lines[j][at:]
        if not lines:
            lines = [""]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", range(CASES))
def test_damaged_files_give_a_result_or_a_message(case, tmp_path, monkeypatch):
    rng = random.Random(case)
    shutil.copytree(ROOT / "models", tmp_path / "models")
    (tmp_path / "scenarios").mkdir()
    source = rng.choice(SOURCES)
    target = tmp_path / source.parent.name / source.name
    target.write_text(mutate(source.read_text(encoding="utf-8"), rng), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    commands = [["validate", str(target)], ["solve", str(target), "--format", "json"]]
    if source.parent.name == "models":
        commands.append(["check", str(target), "--units", "1,2,3"])
    else:
        commands.append(["test", str(target)])
    for command in commands:
        result = CliRunner().invoke(main, [*command])
        said = f"{command[0]} on {source.name} damaged as:\n{target.read_text()}\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), said
        assert result.exit_code in (0, 1, 2, 3), said
        if result.exit_code == 2:
            assert result.stderr.strip() and "Traceback" not in result.stderr, said
