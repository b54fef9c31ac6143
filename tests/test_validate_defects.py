"""Defects of `pathway validate` and `pathway test`: titles in other scripts, cross-model warnings
that grew with the square of the models, folders and files that cannot be read, named pipes,
models read as scenarios, and symbolic-link loops in folders."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathway import lint
from pathway.cli import main
from pathway.lint import cross_model_warnings, normal_title
from pathway.loader import build_model, expand_paths
from pathway.source import parse_yaml

REPRO = Path("/work/shared/repro")
GUARD = 20.0  # seconds: a bound only a hang or a quadratic blow-up can break
TINY = Path(__file__).parent / "hostile" / "models" / "tiny.yaml"
ROOT = Path(__file__).parents[1]
MINIMAL = "title: T\nunits:\n  - {id: U1, number: 1, title: One, credit: 3, level: 2, glh: 10}\n"


def invoke(*args: str):
    started = time.perf_counter()
    result = CliRunner().invoke(main, list(args))
    return result, time.perf_counter() - started


def model_text(units: list[tuple[str, str, int]]) -> str:
    """A model of units (id, title, credit), each on its own line from line 3."""
    lines = ["title: T", "units:"]
    for number, (unit_id, title, credit) in enumerate(units, 1):
        unit = f"id: {unit_id}, number: {number}, title: {title!r}, credit: {credit}, level: 2"
        lines.append(f"  - {{{unit}}}")
    return "\n".join(lines) + "\n"


def model(path: Path, units: list[tuple[str, str, int]]) -> Path:
    path.write_text(model_text(units), encoding="utf-8")
    return path


def built(name: str, units: list[tuple[str, str, int]]):
    """A model object straight from text (no file), for lint tests on many models."""
    path = f"{name}.yaml"
    return build_model(parse_yaml(model_text(units), path), path)


# -- 1. titles in any script ---------------------------------------------------------------------


def test_titles_in_other_scripts_are_not_the_same_title():
    assert normal_title("Обслуживание клиентов") != normal_title("客户服务")
    assert normal_title("Обслуживание клиентов") == "обслуживание клиентов"
    assert normal_title("客户服务") == "客户服务"
    # marks are part of a word: these two Hindi titles differ only in a vowel sign
    assert normal_title("किताब") != normal_title("कोताब")


def test_title_normalisation_folds_case_width_punctuation_and_ampersand():
    assert normal_title("Customer  Service & Sales!") == normal_title("customer service and sales")
    assert normal_title("ＣＵＳＴＯＭＥＲ ｓｅｒｖｉｃｅ") == "customer service"  # full width
    assert normal_title("STRASSE") == normal_title("Straße")  # case folding, not lower()
    assert normal_title("Handle—complaints, (well)") == "handle complaints well"
    assert normal_title("Level 2: ﬁnance") == "level 2 finance"  # NFKC ligature


def test_validate_does_not_call_a_cyrillic_and_a_chinese_title_the_same(tmp_path):
    a = model(tmp_path / "a.yaml", [("U1", "Обслуживание клиентов", 3)])
    b = model(tmp_path / "b.yaml", [("V1", "客户服务", 7)])
    result, _ = invoke("validate", str(a), str(b))
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr


@pytest.mark.skipif(not REPRO.exists(), reason="needs the shared reproductions")
def test_the_reproduction_of_the_non_latin_titles():
    folder = REPRO / "lint-non-latin"
    result, _ = invoke("validate", str(folder / "a.yaml"), str(folder / "b.yaml"))
    assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr


def test_the_same_title_in_another_script_still_warns(tmp_path):
    a = model(tmp_path / "a.yaml", [("U1", "Обслуживание  клиентов", 3)])
    b = model(tmp_path / "b.yaml", [("V1", "ОБСЛУЖИВАНИЕ КЛИЕНТОВ!", 7)])
    result, _ = invoke("validate", str(a), str(b))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{a}:3: warning: unit 1, title 'Обслуживание  клиентов': credit 3 here but 7 in b unit 1"
    ]


# -- 2. cross-model warnings: once per URN or title, grouped, bounded ----------------------------


def test_three_hundred_models_sharing_a_urn_give_one_grouped_warning():
    models = [
        built(f"m{i:03}", [("A/100/0001", "Shared", 5 if i <= 150 else 6)]) for i in range(1, 301)
    ]
    started = time.perf_counter()
    warnings = cross_model_warnings(models)
    assert time.perf_counter() - started < GUARD
    assert [str(w) for w in warnings] == [
        (
            "m001.yaml:3: warning: unit 1, URN A/100/0001, in 300 models: "
            "credit 5 here and in 149 other models but 6 in 150 models (first: m151 unit 1)"
        )
    ]


def test_many_values_are_listed_up_to_a_bound():
    models = [built(f"m{i:03}", [("A/100/0001", "Shared", i)]) for i in range(1, 301)]
    (warning,) = cross_model_warnings(models)
    assert "credit 1 here but 2 in m002 unit 1" in warning.message
    assert warning.message.endswith("and 294 more values in 294 models")
    assert len(warning.message) < 500


def test_thousands_of_models_sharing_a_urn_take_near_linear_time():
    models = [built(f"m{i:04}", [("A/100/0001", "Shared", i % 2 + 1)]) for i in range(3000)]
    started = time.perf_counter()
    warnings = cross_model_warnings(models)
    assert time.perf_counter() - started < 2.0  # pairwise: 4.5 million comparisons
    assert len(warnings) == 1


def test_a_urn_and_a_title_shared_by_the_same_units_warn_once():
    a = built("a", [("A/100/0001", "Shared", 5)])
    b = built("b", [("A/100/0001", "Shared", 6)])
    assert [w.message for w in cross_model_warnings([a, b])] == [
        "unit 1, URN A/100/0001: credit 5 here but 6 in b unit 1"
    ]


def test_units_repeated_inside_one_model_are_not_compared():
    a = built("a", [("U1", "Shared", 5), ("U2", "Shared", 6)])
    b = built("b", [("V1", "Other", 5)])
    assert cross_model_warnings([a, b]) == []


def test_three_hundred_models_sharing_a_urn_print_one_line(tmp_path):
    paths = [
        str(model(tmp_path / f"m{i:03}.yaml", [("A/100/0001", "Shared", 5 if i <= 150 else 6)]))
        for i in range(1, 301)
    ]
    result, seconds = invoke("validate", *paths)
    assert result.exit_code == 0
    assert seconds < GUARD
    assert result.stderr.splitlines() == [
        (
            f"{paths[0]}:3: warning: unit 1, URN A/100/0001, in 300 models: "
            "credit 5 here and in 149 other models but 6 in 150 models (first: m151 unit 1)"
        )
    ]


def test_the_number_of_warning_lines_printed_is_bounded(tmp_path):
    count = lint.MAX_WARNINGS_SHOWN + 50
    a = model(tmp_path / "a.yaml", [(f"A/100/{i:04}", f"T{i}", 5) for i in range(count)])
    b = model(tmp_path / "b.yaml", [(f"A/100/{i:04}", f"T{i}", 6) for i in range(count)])
    result, _ = invoke("validate", str(a), str(b))
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == lint.MAX_WARNINGS_SHOWN + 1
    assert all(": warning: " in line for line in lines[:-1])
    assert lines[-1] == "50 more warnings not shown"


# -- 3. folders and files that cannot be read ----------------------------------------------------


def test_an_unreadable_subfolder_is_a_problem(tmp_path, monkeypatch):
    """For any user, root included: listing the subfolder fails."""
    (tmp_path / "models" / "locked").mkdir(parents=True)
    (tmp_path / "models" / "ok.yaml").write_text(MINIMAL)
    (tmp_path / "models" / "locked" / "broken.yaml").write_text("title: [\n")
    locked = tmp_path / "models" / "locked"
    real_scandir = os.scandir

    def refuse(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result, _ = invoke("validate", str(tmp_path / "models"))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"{locked}: cannot read folder: Permission denied",
        "1 of 2 files has problems",
    ]
    assert result.stdout == f"{tmp_path / 'models' / 'ok.yaml'}: ok (1 unit, 0 groups, 0 rules)\n"
    # and `pathway test` does not skip it either
    result, _ = invoke("test", str(tmp_path / "models"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{locked}: cannot read folder: Permission denied"]


def test_an_unreadable_folder_given_is_a_problem(tmp_path, monkeypatch):
    real_scandir = os.scandir

    def refuse(path="."):
        if Path(path) == tmp_path:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result, _ = invoke("validate", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path}: cannot read folder: Permission denied",
        "1 of 1 file has problems",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_an_unreadable_subfolder_by_its_mode(tmp_path):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "broken.yaml").write_text("title: [\n")
    (tmp_path / "ok.yaml").write_text(MINIMAL)
    (tmp_path / "locked").chmod(0)
    try:
        result, _ = invoke("validate", str(tmp_path))
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert result.exit_code == 2
    assert f"{tmp_path / 'locked'}: cannot read folder: Permission denied" in result.stderr


# -- 4. named pipes -------------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """In a fresh process with a timeout: a regression blocks on the pipe, not the suite."""
    return subprocess.run(
        [sys.executable, "-m", "pathway", *args],
        capture_output=True,
        check=False,
        text=True,
        timeout=GUARD,
        cwd=cwd,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_given_as_a_file_is_refused(tmp_path):
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    for command in ("validate", "solve", "test"):
        result = run_cli(command, str(pipe))
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert f"{pipe}: not a regular file (a named pipe)" in result.stderr.splitlines()
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_found_in_a_folder_is_refused(tmp_path):
    (tmp_path / "ok.yaml").write_text(MINIMAL)
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / "other-pipe")  # not a YAML name: not looked at
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'pipe.yaml'}: not a regular file (a named pipe)",
        "1 of 2 files has problems",
    ]
    result = run_cli("test", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path / 'pipe.yaml'}: not a regular file (a named pipe)" in result.stderr


# -- 5. `pathway test` on a folder that holds models --------------------------------------------


def scenario_folder(tmp_path: Path) -> Path:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "tiny.yaml").write_text(TINY.read_text(encoding="utf-8"))
    (tmp_path / "cheapest.yaml").write_text(
        "qualification: tiny\nexpect:\n  status: optimal\n  objective: 30\n"
    )
    (tmp_path / "no-expect.yaml").write_text("qualification: tiny\n")
    return tmp_path


def test_pathway_test_skips_models_silently(tmp_path):
    folder = scenario_folder(tmp_path)
    result, _ = invoke("test", str(folder))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"ok    {folder / 'cheapest.yaml'}  (optimal, min-glh = 30)",
        "1 passed, 0 failed, 1 skipped (skipped: no expect block)",
    ]
    assert result.stderr == ""


def test_pathway_test_of_models_alone_runs_nothing(tmp_path):
    # A run that tested nothing is a usage error (tests/test_test_walkthrough.py).
    result, _ = invoke("test", str(ROOT / "models"))
    assert result.exit_code == 2, result.output
    assert result.stdout == "0 passed, 0 failed\n"
    assert result.stderr == f"no scenario files in {ROOT / 'models'}\n"


def test_pathway_test_of_the_current_folder(tmp_path, monkeypatch):
    folder = scenario_folder(tmp_path)
    monkeypatch.chdir(folder)
    result, _ = invoke("test", ".")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[-1] == "1 passed, 0 failed, 1 skipped (skipped: no expect block)"
    )


def test_pathway_test_still_fails_on_a_broken_scenario(tmp_path):
    folder = scenario_folder(tmp_path)
    (folder / "broken.yaml").write_text("qualification: nowhere\nexpect: {status: optimal}\n")
    result, _ = invoke("test", str(folder))
    assert result.exit_code == 2
    assert str(folder / "broken.yaml") in result.stderr


# -- 6. symbolic links in folders ---------------------------------------------------------------


def test_a_symbolic_link_loop_does_not_hang_and_the_order_is_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.yaml").write_text(MINIMAL)
    (tmp_path / "b.yaml").write_text(MINIMAL)
    (tmp_path / "a.yml").write_text(MINIMAL)
    (tmp_path / "b" / "back").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "b" / "self").symlink_to(tmp_path / "b" / "self")
    (tmp_path / "b" / "notes.txt").write_text("not YAML")
    started = time.perf_counter()
    problems: list = []
    files = expand_paths([tmp_path], problems)
    assert time.perf_counter() - started < GUARD
    assert problems == []
    assert files == [tmp_path / "a.yml", tmp_path / "b" / "z.yaml", tmp_path / "b.yaml"]
    assert files == sorted(files)


def test_a_looping_link_with_a_yaml_name_is_a_problem_not_a_silence(tmp_path):
    (tmp_path / "ok.yaml").write_text(MINIMAL)
    (tmp_path / "self.yaml").symlink_to(tmp_path / "self.yaml")
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'self.yaml'}: cannot read: ")
    assert lines[1] == "1 of 2 files has problems"


def test_a_link_to_a_folder_is_not_followed_but_a_link_to_a_file_is(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "m.yaml").write_text(MINIMAL)
    (tmp_path / "top").mkdir()
    (tmp_path / "top" / "linked-folder.yaml").symlink_to(tmp_path / "real")
    (tmp_path / "top" / "linked-file.yaml").symlink_to(tmp_path / "real" / "m.yaml")
    assert expand_paths([tmp_path / "top"]) == [tmp_path / "top" / "linked-file.yaml"]
