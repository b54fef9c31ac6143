"""The catalogue of real qualifications in models/ and `pathway models` (issue 13, item 3).

Every model validates; every catalogue model has a scenario whose expectation the exact oracle
confirms (objective and the tie-break's pathway); the minimum GLH that `pathway models` lists is
the oracle's optimum, or "unknown" exactly where a unit has no GLH; bad folders exit 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from oracle import Problem, is_feasible, optimum, optimum_lex, tie_break_winner
from pathway.catalogue import catalogue
from pathway.cli import main
from pathway.loader import load_model
from pathway.scenario import load_scenario
from pathway.validate import validate_paths

ROOT = Path(__file__).parent.parent
MODELS = ROOT / "models"
SCENARIOS = ROOT / "scenarios"

# The catalogue added for issue 13 (the six seed models are tested elsewhere).
CATALOGUE = [
    "cg-3815-l3-award-operational-delivery",
    "cg-l2-award-operational-delivery",
    "cg-l3-certificate-assessing-vocational-achievement",
    "iq-l4-award-understanding-iqa",
    "ncfe-l3-award-assessing-competence-work-environment",
    "ocr-l4-award-iqa",
    "othm-l4-diploma-business-management",
    "othm-l5-diploma-business-management",
    "othm-l5-diploma-information-technology",
    "qualifi-l3-diploma-accounting-finance",
    "qualifi-l3-diploma-business-management",
    "tquk-l3-certificate-assessing-vocational-achievement",
    # second wave: real choice (optional groups, floors, caps, barred pairs, size bands)
    "ocr-l2-diploma-team-leading",
    "cipd-l3-foundation-certificate-learning-development",
    "cipd-l3-foundation-diploma-learning-development",
    "cipd-l3-foundation-certificate-hr-practice",
    "cipd-l3-foundation-diploma-hr-practice",
    "cipd-l3-foundation-award-hr-practice",
]

# Minimum GLH for a new learner, worked by hand from each document (None: a unit has no GLH).
HAND_WORKED = {
    "qualifi-l3-diploma-business-management": 6 * 65,  # 4 mandatory + 2 of 3 optional
    "qualifi-l3-diploma-accounting-finance": 3 * 80,
    "othm-l4-diploma-business-management": 6 * 100,  # the page's 600 GLH
    "tquk-l3-certificate-assessing-vocational-achievement": 24 + 30 + 30,  # the page's 84
    "ncfe-l3-award-assessing-competence-work-environment": 24 + 30,
    "iq-l4-award-understanding-iqa": 45,
    # the five mandatory units (135) and, for 18 optional credits with units 8/9 and 7/12
    # barred: 7 (7), 13 (14), 14 (25), 16 (14), 26 (11)
    "ocr-l2-diploma-team-leading": 135 + 7 + 14 + 25 + 14 + 11,
    "cipd-l3-foundation-certificate-learning-development": 20 + 20 + 15 + 30 + 30 + 15,
    "cipd-l3-foundation-diploma-learning-development": 130 + 2 * 30,  # core and two optional
    "cipd-l3-foundation-certificate-hr-practice": None,  # no GLH printed
    "cipd-l3-foundation-diploma-hr-practice": None,
    "cipd-l3-foundation-award-hr-practice": None,
}


def scenarios_of(model_id: str) -> list[Path]:
    return [
        p
        for p in sorted(SCENARIOS.glob("*.yaml"))
        if load_scenario(p).qualification.id == model_id and load_scenario(p).expect
    ]


def test_every_model_validates():
    report = validate_paths([str(MODELS)])
    assert report.problems == []
    assert report.files == len(list(MODELS.glob("*.yaml")))
    for name in CATALOGUE:
        q = load_model(MODELS / f"{name}.yaml")
        assert q.source and "read at http" in " ".join(q.source.split()), name
        assert q.notes, name


@pytest.mark.parametrize("name", CATALOGUE)
def test_each_model_has_a_scenario_the_oracle_confirms(name):
    paths = scenarios_of(name)
    assert paths, f"no scenario with an expect block for {name}"
    for path in paths:
        s = load_scenario(path)
        problem = Problem.of_scenario(s)
        if s.expect["status"] == "infeasible":
            assert optimum_lex(problem, list(s.objectives)) is None, path
            continue
        want = s.expect["objective"]
        want = want if isinstance(want, list) else [want]
        assert optimum_lex(problem, list(s.objectives)) == [int(v) for v in want], path
        expected = {s.qualification.find(str(r)).id for r in s.expect["units"]}
        assert is_feasible(problem, expected), path
        assert tie_break_winner(problem, list(s.objectives)) == expected, path


def test_listed_min_glh_is_the_oracles_optimum():
    listed = {e.id: e for e in catalogue(MODELS).entries}
    assert sorted(listed) == sorted(p.stem for p in MODELS.glob("*.yaml"))
    for name, entry in listed.items():
        q = load_model(MODELS / f"{name}.yaml")
        missing = [u for u in q.units if u.glh is None]
        if missing:
            assert (entry.min_glh, entry.min_glh_status) == (None, "unknown"), name
            assert entry.missing_glh == len(missing)
        else:
            assert entry.min_glh_status == "optimal", name
            assert entry.min_glh == optimum(Problem(q), "min-glh"), name
        if name in HAND_WORKED:
            assert entry.min_glh == HAND_WORKED[name], name
            if HAND_WORKED[name] is None:
                assert entry.min_glh_status == "unknown", name
        assert entry.units == len(q.units)
        assert (entry.title, entry.level) == (q.title, q.level)


def run(*args):
    return CliRunner().invoke(main, ["models", *args])


def test_json_keys_and_values():
    result = run(str(MODELS), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"folder", "models"}
    keys = {
        "id",
        "title",
        "awarding_body",
        "qualification_number",
        "level",
        "units",
        "min_glh",
        "min_glh_status",
        "units_without_glh",
        "source",
        "path",
    }
    assert all(set(m) == keys for m in doc["models"])
    by_id = {m["id"]: m for m in doc["models"]}
    assert by_id["qualifi-l3-diploma-business-management"]["min_glh"] == 390
    assert by_id["othm-l5-diploma-business-management"]["min_glh"] is None
    assert by_id["othm-l5-diploma-business-management"]["units_without_glh"] == 6


def test_table_csv_and_markdown_agree():
    table = run(str(MODELS))
    assert table.exit_code == 0
    assert "unknown (no GLH for 6 units)" in table.stdout
    assert table.stdout.rstrip().endswith(f"{len(list(MODELS.glob('*.yaml')))} models in {MODELS}")
    rows = list(csv.DictReader(io.StringIO(run(str(MODELS), "--format", "csv").stdout)))
    assert {r["id"]: r["min_glh"] for r in rows}["othm-l4-diploma-business-management"] == "600"
    markdown = run(str(MODELS), "--format", "markdown").stdout.splitlines()
    table = markdown[markdown.index("| id | title | awarding body | level | units | min GLH |") :]
    assert len(table) == 2 + len(rows)
    assert markdown[2].startswith("**Question:** ")  # then the situation, before the table


def test_csv_lines_end_as_every_other_commands_do():
    """RFC 4180's \\r\\n, as csv_report writes every command's CSV (the test runner's
    `stdout` hides them, so the bytes are read)."""
    data = run(str(MODELS), "--format", "csv").stdout_bytes
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)
    assert len(lines) - 1 == 1 + len(list(MODELS.glob("*.yaml")))


def test_the_readme_example_piped_through_grep_prints_what_it_shows(monkeypatch):
    """README.md's `pathway models --format csv | grep -E '...'`, with grep's pattern applied
    here: the lines shown, each ending in \\r\\n as CSV does (invisible on a terminal)."""
    import re
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"^\$ pathway models --format csv \| grep -E (.*)\n((?:[^`$].*\n)+)", readme, re.MULTILINE
    )
    assert block, "the README's example is gone"
    (pattern,) = shlex.split(block.group(1))
    shown = block.group(2).splitlines()
    monkeypatch.chdir(ROOT)
    lines = run("--format", "csv").stdout_bytes.decode("utf-8").split("\r\n")
    assert [line for line in lines if re.search(pattern, line)] == shown


def test_default_folder_is_models(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("--format", "csv")
    assert result.exit_code == 0
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == len(list(MODELS.glob("*.yaml")))


def test_bad_folders_exit_2(tmp_path):
    missing = run(str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "no such folder" in missing.stderr
    assert missing.stdout == ""
    empty = run(str(tmp_path))
    assert empty.exit_code == 2 and "no model files found" in empty.stderr
    not_folder = run(str(MODELS / "ocr-l2-nvq-customer-service.yaml"))
    assert not_folder.exit_code == 2 and "not a folder" in not_folder.stderr
    (tmp_path / "broken.yaml").write_text("title: Broken\nunits:\n  - id: U1\n    level: 9\n")
    broken = run(str(tmp_path))
    assert broken.exit_code == 2
    assert f"{tmp_path / 'broken.yaml'}:4:12: units[1].level must be at most 8" in broken.stderr
    assert "Traceback" not in broken.stderr and broken.stdout == ""


def test_scenarios_in_the_folder_are_not_models(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "title: M\nunits:\n  - {id: U1, title: One, credit: 1, level: 1, glh: 7}\n"
        "groups:\n  - {id: A, mandatory: true, units: [U1]}\n"
    )
    (tmp_path / "s.yaml").write_text("title: S\nqualification: m\n")
    doc = json.loads(run(str(tmp_path), "--format", "json").stdout)
    assert [(m["id"], m["min_glh"]) for m in doc["models"]] == [("m", 7)]


def test_second_wave_models_offer_a_real_choice():
    """Each added model of the second wave has more than one feasible pathway (brute force
    over its open units is too large for some, so the oracle's count of feasible sets is used),
    except the Learning and Development Certificate, which is its six core units."""
    from oracle import count_feasible

    for name in CATALOGUE[-6:]:
        q = load_model(MODELS / f"{name}.yaml")
        count = count_feasible(Problem(q))
        if name == "cipd-l3-foundation-certificate-learning-development":
            assert count == 1, name  # the six core units, nothing else
        else:
            assert count > 1, name


def test_size_bands_share_one_unit_list():
    """The Diploma and Award extend the Certificate: the same units, the same ids (the L&D
    Diploma adds its optional units to the Certificate's core)."""
    cert = load_model(MODELS / "cipd-l3-foundation-certificate-hr-practice.yaml")
    for band in ("cipd-l3-foundation-diploma-hr-practice", "cipd-l3-foundation-award-hr-practice"):
        q = load_model(MODELS / f"{band}.yaml")
        assert [u.id for u in q.units] == [u.id for u in cert.units], band
    ld = load_model(MODELS / "cipd-l3-foundation-certificate-learning-development.yaml")
    dip = load_model(MODELS / "cipd-l3-foundation-diploma-learning-development.yaml")
    assert [u.id for u in dip.units][: len(ld.units)] == [u.id for u in ld.units]
    assert len(dip.units) == len(ld.units) + 6  # the Diploma adds the six optional units
