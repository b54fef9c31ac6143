"""docs/model-format.md is run, not just read: its files are written out, and every `$ pathway`
command in it must give the exit status written beside it and, where shown, exactly its output.
A doc example that no longer validates, or an audit that changed verdict, fails here."""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "model-format.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
COMMAND = re.compile(r"^\$ pathway (.*?)\s+# exit (\d)\b")
BASE = "example.yaml"


@dataclass
class Block:
    lang: str
    text: str
    line: int


@functools.cache
def blocks() -> list[Block]:
    """The page's fenced blocks, read once: every parametrised command replays them."""
    doc = DOC.read_text(encoding="utf-8")
    return [
        Block(m.group(1), m.group(2), doc.count("\n", 0, m.start()) + 1)
        for m in FENCE.finditer(doc)
    ]


def files_before(index: int) -> dict[str, str]:
    """The files as a reader following the page would have them at block `index`."""
    files: dict[str, str] = {}
    for block in blocks()[:index]:
        if block.lang != "yaml":
            continue
        first = block.text.splitlines()[0]
        if first.startswith("rules:"):
            base = files[BASE]
            files[BASE] = base[: base.index("\nrules:\n") + 1] + block.text
        elif re.fullmatch(r"# [\w.-]+\.yaml", first):
            files[first[2:]] = block.text
    return files


@dataclass
class Command:
    args: list[str]
    exit: int
    output: list[str]
    block: int
    line: int

    def __str__(self):
        return f"line {self.line}: pathway {' '.join(self.args)}"


def commands() -> list[Command]:
    found = []
    for i, block in enumerate(blocks()):
        if block.lang != "console":
            continue
        for j, line in enumerate(block.text.splitlines()):
            m = COMMAND.match(line)
            if m:
                found.append(
                    Command(shlex.split(m.group(1)), int(m.group(2)), [], i, block.line + 1 + j)
                )
            else:
                assert found and found[-1].block == i, f"output before any command: {line!r}"
                found[-1].output.append(line)
    return found


def run(args, where: Path, monkeypatch):
    monkeypatch.chdir(where)
    return CliRunner().invoke(main, args)


def test_the_page_has_examples_to_run():
    kinds = [b.lang for b in blocks()]
    assert kinds.count("yaml") >= 10 and len(commands()) >= 20


@pytest.mark.parametrize("command", commands(), ids=str)
def test_command_gives_what_the_page_says(command: Command, tmp_path, monkeypatch):
    for name, text in files_before(command.block).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run(command.args, tmp_path, monkeypatch)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == command.exit, result.output
    if command.output:
        assert result.output.splitlines() == command.output


def test_every_file_on_the_page_is_followed_by_commands_that_use_it():
    all_blocks = blocks()
    for i, block in enumerate(all_blocks):
        if block.lang != "yaml" or block.text.startswith("# yaml-language-server"):
            continue
        after = all_blocks[i + 1] if i + 1 < len(all_blocks) else None
        assert after is not None and after.lang == "console", f"line {block.line}: not run"


def test_the_rule_examples_cover_every_rule_kind():
    from pathway.formats import RULE

    shown = set()
    for block in blocks():
        if block.lang == "yaml":
            shown |= set(re.findall(r"kind: ([\w-]+)", block.text))
    assert shown == set(RULE.variants)


def test_the_editor_example_validates_against_the_printed_schema(tmp_path, monkeypatch):
    import json

    import jsonschema
    import yaml

    (editor,) = [b for b in blocks() if b.text.startswith("# yaml-language-server")]
    schema = json.loads(run(["schema", "model"], tmp_path, monkeypatch).output)
    jsonschema.validate(yaml.safe_load(editor.text), schema)
    (tmp_path / "editor.yaml").write_text(editor.text, encoding="utf-8")
    assert run(["validate", "editor.yaml"], tmp_path, monkeypatch).exit_code == 0


def test_the_quoted_cross_model_warning_is_what_validate_prints(monkeypatch):
    quoted = [b.text.strip() for b in blocks() if b.lang == "text" and "warning:" in b.text]
    assert quoted
    printed = run(["validate", "models/"], ROOT, monkeypatch)
    assert printed.exit_code == 0
    for line in quoted:
        assert line in printed.output.splitlines()


def test_an_equivalent_or_a_urn_held_elsewhere_counts_as_the_unit(tmp_path, monkeypatch):
    """The page's claim about `equivalents:` and URNs, checked through `pathway solve`."""
    import json

    doc = DOC.read_text(encoding="utf-8")
    assert "holds `Y/000/0099` counts as holding unit 3" in doc
    assert "holds `A/000/0004` under any qualification counts as holding unit 4" in doc
    for name, text in files_before(len(blocks())).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for held, unit in (("Y/000/0099", "3"), ("A/000/0004", "4")):
        args = ["solve", BASE, "--achieved", held, "--require", unit, "--format", "json"]
        result = run(args, tmp_path, monkeypatch)
        assert result.exit_code == 0, result.output
        achieved = {
            u["number"] for u in json.loads(result.output)["pathway"]["units"] if u["achieved"]
        }
        assert achieved == {unit}
