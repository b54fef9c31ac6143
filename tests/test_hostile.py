"""Hostile input: every bad model or scenario gets one located message and exit status 2, with
no traceback, in seconds; rules that are well-formed but contradict each other are not bad input,
they are infeasible (exit 1) and the explanation names the colliding rules.

The corpus lives in tests/hostile/, one bad input per file, and each file says on its first line
what is wrong and what must be reported:

    # <what is wrong> -- expect: <line, or - for none>: <message fragment>
          [-- problems: <lines, when not 1>] [-- also: <text in a later line>]
    # <what is wrong> -- infeasible: <kind> <key>[; <kind> <key> ...]

Models are tests/hostile/*.yaml (run through validate, check and solve), scenarios are
tests/hostile/scenario/*.yaml (solve, validate and test), contradictions are
tests/hostile/infeasible/*.yaml; tests/hostile/models/ holds the models those scenarios name.
Inputs too big or too odd to keep as files (50 MB, a million items, 100,000-deep nesting,
unreadable files, other encodings) are generated below.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway.cli import main

HOSTILE = Path(__file__).parent / "hostile"
MODEL_CASES = sorted(HOSTILE.glob("*.yaml"))
SCENARIO_CASES = sorted((HOSTILE / "scenario").glob("*.yaml"))
INFEASIBLE_CASES = sorted((HOSTILE / "infeasible").glob("*.yaml"))
TINY = HOSTILE / "models" / "tiny.yaml"

HANG_GUARD = 10.0  # seconds: not a speed test, a bound that only a hang or blow-up can break
BIG_GUARD = 20.0  # for the generated million-item inputs, run in a fresh process
MEMORY_CAP = 1536 * 2**20  # address space for those processes: a blow-up fails, not swaps

HEADER = re.compile(
    r"# (?P<what>.+?) -- expect: (?P<line>\d+|-): (?P<fragment>.+?)"
    r"(?: -- problems: (?P<problems>\d+))?(?: -- also: (?P<also>.+))?\Z"
)
INFEASIBLE = re.compile(r"# (?P<what>.+?) -- infeasible: (?P<conflicts>.+)\Z")
LOCATED = re.compile(r"^.+?:\d+:(?:\d+:)? ")  # path:line: or path:line:col:
SUMMARY = re.compile(r"^\d+ of \d+ files? (has|have) problems$")


@dataclass
class Expect:
    what: str
    line: int | None
    fragment: str
    problems: int = 1
    also: str | None = None


def first_line(path: Path) -> str:
    with path.open("rb") as f:  # bytes: some corpus files are deliberately not UTF-8 further on
        return f.readline().decode("ascii").rstrip("\n")


def expectation(path: Path) -> Expect:
    m = HEADER.match(first_line(path))
    assert m, f"{path.name}: first line must be '# what -- expect: LINE: fragment'"
    return Expect(
        what=m["what"],
        line=None if m["line"] == "-" else int(m["line"]),
        fragment=m["fragment"],
        problems=int(m["problems"] or 1),
        also=m["also"],
    )


def invoke(*args: str):
    started = time.perf_counter()
    result = CliRunner().invoke(main, list(args))
    return result, time.perf_counter() - started


def problem_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if not SUMMARY.match(line)]


def assert_bad_input(
    result, seconds: float, path: Path | str, expect: Expect, stdout: str = ""
) -> list[str]:
    """Exit 2, `stdout` on stdout (nothing but a test report), no traceback, in time, and the
    expected located lines."""
    shown = f"exit {result.exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert result.exit_code == 2, shown
    assert result.stdout == stdout, shown
    assert seconds < HANG_GUARD, f"took {seconds:.1f} s"
    lines = problem_lines(result)
    assert len(lines) == expect.problems, shown
    where = f"{path}:{expect.line}:" if expect.line is not None else f"{path}: "
    assert lines[0].startswith(where), f"expected {where!r} first\n{shown}"
    assert expect.fragment in lines[0], f"expected {expect.fragment!r}\n{shown}"
    if expect.line is not None:
        assert LOCATED.match(lines[0]), shown
    if expect.also is not None:
        assert any(expect.also in line for line in lines[1:]), shown
    return lines


def case_id(path: Path) -> str:
    return path.name.removesuffix(".yaml")


# -- the corpus ---------------------------------------------------------------------------------


def test_the_corpus_is_big_enough():
    assert len(MODEL_CASES) + len(SCENARIO_CASES) >= 50
    assert len(INFEASIBLE_CASES) >= 5


@pytest.mark.parametrize("path", MODEL_CASES, ids=case_id)
def test_bad_model(path):
    """validate, check and solve each report the model's problem, the same way."""
    expect = expectation(path)
    result, seconds = invoke("validate", str(path))
    lines = assert_bad_input(result, seconds, path, expect)
    assert result.stderr.splitlines()[-1] == "1 of 1 file has problems"
    for command in (["check", str(path), "--units", "1"], ["solve", str(path)]):
        other, seconds = invoke(*command)
        assert assert_bad_input(other, seconds, path, expect) == lines, command[0]


@pytest.mark.parametrize("path", SCENARIO_CASES, ids=case_id)
def test_bad_scenario(path):
    """solve, validate and test each report the scenario's problem, the same way."""
    expect = expectation(path)
    result, seconds = invoke("solve", str(path))
    lines = assert_bad_input(result, seconds, path, expect)
    other, seconds = invoke("validate", str(path))
    assert assert_bad_input(other, seconds, path, expect) == lines, "validate"
    # `pathway test` goes on past a bad file, so its report lists it as an error.
    report = f"ERROR {path}\n0 passed, 0 failed, 1 error\n"
    other, seconds = invoke("test", str(path))
    assert assert_bad_input(other, seconds, path, expect, report) == lines, "test"


@pytest.mark.parametrize("path", INFEASIBLE_CASES, ids=case_id)
def test_contradictory_rules_are_infeasible_and_explained(path):
    """Well-formed, so valid; no pathway, so exit 1 naming exactly the colliding constraints."""
    m = INFEASIBLE.match(first_line(path))
    assert m, f"{path.name}: first line must be '# what -- infeasible: kind key; ...'"
    wanted = sorted(tuple(c.split(" ", 1)) for c in m["conflicts"].split("; "))

    valid, _ = invoke("validate", str(path))
    assert valid.exit_code == 0, valid.stderr

    result, seconds = invoke("solve", str(path), "--format", "json")
    assert result.exit_code == 1, result.output
    assert seconds < HANG_GUARD
    doc = json.loads(result.stdout)
    assert doc["status"] == "infeasible"
    conflicts = doc["explanation"]["conflicts"]
    assert sorted((c["kind"], c["key"]) for c in conflicts) == wanted

    table, _ = invoke("solve", str(path))
    assert table.exit_code == 1 and "No pathway exists" in table.stdout
    assert "Traceback" not in table.stdout + table.stderr
    for conflict in conflicts:
        assert conflict["says"] in table.stdout
        if conflict["kind"] == "rule":
            assert f"  - {conflict['key']} " in table.stdout


# -- generated inputs ---------------------------------------------------------------------------


def run_fresh(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    """`python -m pathway ARGS` in its own process with capped memory: a crash in C code (a
    segfault) or a memory blow-up fails this test instead of killing the test run."""

    def cap_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pathway", *args],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=cap_memory,
        timeout=120,
    )
    return done, time.perf_counter() - started


MINIMAL = "title: T\nunits:\n  - {id: U1, number: 1, title: One, credit: 3, level: 2, glh: 10}\n"


@pytest.mark.parametrize("text", ["", "   \n\n", "\n# a comment\n", "\ufeff"], ids=repr)
def test_empty_files(tmp_path, text):
    path = tmp_path / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    for command in ("validate", "solve"):
        result, seconds = invoke(command, str(path))
        assert_bad_input(result, seconds, path, Expect("empty", None, "file is empty"))


def test_a_real_50_mb_file_is_refused_by_size_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    block = (
        MINIMAL + "notes:\n" + "  - padding padding padding padding padding\n" * 20_000
    ).encode()
    with path.open("wb") as f:
        for _ in range(50 * 2**20 // len(block) + 1):
            f.write(block)
    assert path.stat().st_size > 50 * 2**20

    def never(text, shown):
        raise AssertionError("a file over the size limit was parsed")

    monkeypatch.setattr("pathway.source.parse_yaml", never)
    size = f"{path.stat().st_size:,}"
    for command in ("validate", "solve"):
        result, seconds = invoke(command, str(path))
        assert_bad_input(result, seconds, path, Expect("huge", None, f"file is {size} bytes"))
        assert "the limit is 16,777,216" in result.stderr
        assert seconds < 5


def test_a_model_over_the_size_limit_is_named_from_its_scenario(tmp_path, monkeypatch):
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "big.yaml"
    model.write_text(MINIMAL + "notes: [" + "x, " * 200 + "x]\n")
    scenario = tmp_path / "s.yaml"
    scenario.write_text("qualification: big\n")
    monkeypatch.setattr("pathway.source.MAX_FILE_BYTES", 300)
    result, seconds = invoke("solve", str(scenario))
    expect = Expect("big model", 1, "big.yaml has problems", problems=2, also="the limit is 300")
    assert_bad_input(result, seconds, scenario, expect)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_read_only_to_the_limit():
    """/dev/zero reports a size of 0; reading it whole never ends."""
    result, seconds = invoke("validate", "/dev/zero")
    assert_bad_input(result, seconds, "/dev/zero", Expect("zero", None, "larger than the limit"))


def test_a_very_long_line_is_read_in_bounded_time(tmp_path):
    path = tmp_path / "long-title.yaml"
    path.write_text("title: " + "very long " * 500_000 + "\n" + MINIMAL.split("\n", 1)[1])
    result, seconds = invoke("validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert seconds < HANG_GUARD


def test_a_megabyte_long_bad_value_is_quoted_shortly(tmp_path):
    path = tmp_path / "long-ref.yaml"
    path.write_text(MINIMAL + "groups:\n  - {id: A, units: [" + "9" * 2_000_000 + "]}\n")
    result, seconds = invoke("validate", str(path))
    (line,) = assert_bad_input(result, seconds, path, Expect("long", 5, "names unknown unit '99"))
    assert "characters ...]" in line and len(line) < 1200


def test_a_million_item_flow_list_is_refused_in_bounded_time_and_memory(tmp_path):
    path = tmp_path / "million.yaml"
    path.write_text(MINIMAL + "notes: [" + "x, " * 1_000_000 + "x]\n")
    assert path.stat().st_size < 16 * 2**20  # within the size limit: the value count refuses it
    done, seconds = run_fresh("validate", str(path))
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert re.match(rf"{re.escape(str(path))}:4:\d+: more than 1,000,000 values", done.stderr)
    assert seconds < BIG_GUARD


def test_a_flood_of_problems_prints_a_bounded_report(tmp_path):
    path = tmp_path / "flood.yaml"
    path.write_text(MINIMAL + "groups:\n  - {id: A, units: [" + "Z, " * 199_999 + "Z]}\n")
    result, seconds = invoke("validate", str(path))
    assert result.exit_code == 2 and seconds < HANG_GUARD
    lines = problem_lines(result)
    assert len(lines) == 101
    assert all(line.startswith(f"{path}:5:") for line in lines[:100])
    assert lines[100] == f"{path}: 199,900 more problems not shown"


def test_a_large_valid_model_validates_in_seconds(tmp_path):
    """30,000 units in one group: anything quadratic in the loader or lint would take minutes."""
    n = 30_000
    units = "".join(
        f"  - {{id: U{i}, number: {i}, title: Unit {i}, credit: 1, level: 2}}\n" for i in range(n)
    )
    refs = ", ".join(str(i) for i in range(n))
    path = tmp_path / "large.yaml"
    path.write_text(
        f"title: T\nunits:\n{units}groups:\n  - {{id: A, units: [{refs}]}}\n"
        "rules:\n  - {kind: credits, groups: [A], min: 5}\n  - {kind: mandatory, groups: [A]}\n"
    )
    result, seconds = invoke("validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert seconds < HANG_GUARD


@pytest.mark.parametrize(
    "nesting",
    ["[" * 100_000 + "]" * 100_000, "\n  " + "- " * 100_000 + "x"],
    ids=["flow", "block"],
)
def test_nesting_100000_deep_is_refused_without_crashing(tmp_path, nesting):
    """PyYAML's C composer recursed once per level and crashed the interpreter here."""
    path = tmp_path / "deep.yaml"
    path.write_text("title: T\nnotes: " + nesting + "\n" + MINIMAL.split("\n", 1)[1])
    done, seconds = run_fresh("validate", str(path))
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: nested more than 64 deep\n", done.stderr)
    assert seconds < HANG_GUARD


def test_other_encodings(tmp_path):
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes(MINIMAL.encode("utf-16"))  # with its byte-order mark, as Notepad saves
    result, seconds = invoke("validate", str(utf16))
    assert_bad_input(result, seconds, utf16, Expect("utf-16", 1, "not UTF-8 text (byte 0xff)"))

    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())  # a UTF-8 byte-order mark is fine
    result, _ = invoke("validate", str(bom))
    assert result.exit_code == 0, result.stderr

    bom_bad = tmp_path / "bom-bad.yaml"
    bom_bad.write_bytes(b"\xef\xbb\xbf" + MINIMAL.replace("level: 2", "level: 9").encode())
    result, seconds = invoke("validate", str(bom_bad))
    lines = assert_bad_input(result, seconds, bom_bad, Expect("bom", 3, "at most 8, not 9"))
    plain = tmp_path / "plain-bad.yaml"
    plain.write_bytes(bom_bad.read_bytes()[3:])
    same, _ = invoke("validate", str(plain))
    assert problem_lines(same) == [lines[0].replace("bom-bad", "plain-bad")]  # no shift


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_model_named_by_a_scenario(tmp_path):
    model = tmp_path / "locked.yaml"
    model.write_text(MINIMAL)
    model.chmod(0)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("qualification: locked\n")
    try:
        result, seconds = invoke("solve", str(scenario))
        expect = Expect("locked", 1, "locked.yaml has problems", problems=2, also="cannot read")
        assert_bad_input(result, seconds, scenario, expect)
    finally:
        model.chmod(0o644)


def test_a_model_that_cannot_be_read_named_by_a_scenario(tmp_path, monkeypatch):
    """The same as above for any user, root included: opening the model fails."""
    model = tmp_path / "locked.yaml"
    model.write_text(MINIMAL)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("qualification: locked\n")
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result, seconds = invoke("solve", str(scenario))
    expect = Expect("locked", 1, "locked.yaml has problems", problems=2, also="Permission denied")
    lines = assert_bad_input(result, seconds, scenario, expect)
    assert lines[1] == f"{model}: cannot read: Permission denied"


def test_a_scenario_run_from_its_own_folder_finds_models_beside_it(monkeypatch):
    """A bare file name: the scenario's folder is ".", and ../models/ must still be searched."""
    monkeypatch.chdir(HOSTILE / "scenario")
    path = Path("achieved-unknown-unit.scenario.yaml")
    result, seconds = invoke("solve", str(path))
    assert_bad_input(result, seconds, path, expectation(path))  # tiny was found and read
