"""docs/scenario-format.md is run, not just read: its `# name.yaml` files are written beside a
copy of the shipped models/, and its `$ pathway ...  # exit N` commands run in order, in one
folder, as a reader following the page would run them (so `--update` changes the file the next
command reads). Each must give its exit status and, where shown, exactly its output.

Also here: every relative link in README.md and docs/*.md names a file that exists."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pathway.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "scenario-format.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
COMMAND = re.compile(r"^\$ pathway (.*?)\s+# exit (\d+)\b")


def blocks() -> list[tuple[str, str, int]]:
    doc = DOC.read_text(encoding="utf-8")
    return [
        (m.group(1), m.group(2), doc.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(doc)
    ]


def test_every_command_on_the_page_gives_what_it_says(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "models", tmp_path / "models")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COLUMNS", raising=False)
    ran = files = 0
    steps: list[tuple[str, object]] = []
    for lang, text, line in blocks():
        if lang == "yaml":
            first = text.splitlines()[0]
            assert re.fullmatch(r"# [\w.-]+\.yaml", first), f"line {line}: no file name"
            steps.append(("file", (first[2:], text)))
        elif lang == "console":
            for j, row in enumerate(text.splitlines()):
                m = COMMAND.match(row)
                if m:
                    steps.append(("run", [m.group(1), int(m.group(2)), [], line + 1 + j]))
                else:
                    assert steps and steps[-1][0] == "run", f"line {line + 1 + j}: output first"
                    steps[-1][1][2].append(row)  # type: ignore[index]
    for kind, step in steps:
        if kind == "file":
            name, text = step  # type: ignore[misc]
            (tmp_path / name).write_text(text, encoding="utf-8")
            files += 1
            continue
        command, status, output, where = step  # type: ignore[misc]
        args = shlex.split(command)
        given = None
        if "<" in args:
            at = args.index("<")
            given = (tmp_path / args[at + 1]).read_text(encoding="utf-8")
            args = args[:at] + args[at + 2 :]
        result = CliRunner().invoke(main, args, input=given)
        label = f"line {where}: pathway {command}"
        assert result.exception is None or isinstance(result.exception, SystemExit), label
        assert result.exit_code == status, f"{label}\n{result.output}"
        if output:
            assert result.output.splitlines() == output, label
        ran += 1
    assert files >= 5 and ran >= 15


def test_the_page_documents_every_scenario_field_and_expect_key():
    from pathway.formats import SCENARIO

    doc = DOC.read_text(encoding="utf-8")
    for name in SCENARIO.fields:
        assert f"| `{name}` |" in doc, name
    for key in ("status", "objective", "units", "includes", "excludes", "explanation_mentions"):
        assert f"| `{key}` |" in doc, key


def test_the_junit_report_the_page_writes_is_valid(tmp_path, monkeypatch):
    import xml.etree.ElementTree as ET

    test_every_command_on_the_page_gives_what_it_says(tmp_path, monkeypatch)
    suite = ET.parse(tmp_path / "report.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    assert (tmp_path / "apprentice.md").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_completion_line_the_page_gives_prints_a_bash_script(tmp_path):
    doc = DOC.read_text(encoding="utf-8")
    assert 'eval "$(_PATHWAY_COMPLETE=bash_source pathway)"' in doc
    program = Path(sys.executable).parent / "pathway"
    done = subprocess.run(
        [str(program)],
        env={"_PATHWAY_COMPLETE": "bash_source", "PATH": str(program.parent)},
        capture_output=True,
        check=False,
        text=True,
    )
    assert done.returncode == 0
    assert "complete -o nosort -F _pathway_completion pathway" in done.stdout


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_every_relative_link_in_the_docs_resolves():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # a URL or a link inside the page
            path = (page.parent / target.split("#")[0]).resolve()
            assert path.exists(), f"{page.relative_to(ROOT)}: link to missing {target}"
            checked += 1
    assert checked >= 3
