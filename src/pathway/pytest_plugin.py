"""pytest plugin (entry point `pytest11: pathway`): scenario files with an `expect:` block are
pytest items, so a repository of models and scenarios needs no conftest.py: `pytest` runs them.

Collected: `.yaml`/`.yml` files under a folder named `scenarios` (relative to pytest's rootdir),
plus any YAML file matching a glob of the `pathway_scenarios` ini option, whose document is a
scenario with an `expect:` block. Models and scenarios without `expect:` are not collected; a
file that cannot be read as YAML is a failing item showing the loader's `path:line:col: message`.

pytest loads this module for every project once pathway is installed, so at the top level it
imports only pytest and the standard library; the loader and solver are imported when a
scenario file is collected or run. Turn it off with `-p no:pathway`.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

INI_NAME = "pathway_scenarios"
SUFFIXES = (".yaml", ".yml")
FOLDER = "scenarios"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        INI_NAME,
        type="args",
        default=[],
        help=(
            "pathway: glob patterns of more YAML files to run as scenarios, besides those under "
            "a 'scenarios' folder. A pattern without '/' matches the file name; one with '/' "
            "matches the path relative to the rootdir ('*' also matches '/')."
        ),
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix not in SUFFIXES or not _wanted(file_path, parent.config):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


def _wanted(path: Path, config: pytest.Config) -> bool:
    """Under a `scenarios` folder, or matching one of the ini option's patterns."""
    try:
        relative = path.relative_to(config.rootpath)
    except ValueError:
        relative = path
    if FOLDER in relative.parts[:-1]:
        return True
    shown = relative.as_posix()
    for pattern in config.getini(INI_NAME):
        target = shown if "/" in pattern else path.name
        if fnmatch.fnmatch(target, pattern):
            return True
    return False


class ScenarioFile(pytest.File):
    def collect(self):
        from pathway.errors import InputError
        from pathway.loader import is_scenario
        from pathway.source import load_yaml_file

        try:
            doc = load_yaml_file(self.path)
        except InputError as error:
            # Not readable as YAML: a failing item with the located message, not a crash.
            yield ScenarioItem.from_parent(self, name=self.path.stem, error=error)
            return
        if is_scenario(doc) and "expect" in doc:
            yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioMismatch(Exception):
    """The solution differs from the `expect:` block; args[0] is the list of mismatches."""


class ScenarioItem(pytest.Item):
    def __init__(self, *, error: Exception | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.error = error  # an InputError met while collecting the file

    def runtest(self) -> None:
        if self.error is not None:
            raise self.error
        from pathway.expect import run_expectation

        outcome = run_expectation(self.path)
        if outcome is not None and not outcome.passed:
            raise ScenarioMismatch(outcome.mismatches)

    def repr_failure(self, excinfo, style=None):
        from pathway.errors import InputError

        error = excinfo.value
        if isinstance(error, ScenarioMismatch):
            lines = [f"scenario {self.path.name} does not meet its expectation:"]
            lines += [f"  {m}" for m in error.args[0]]
            return "\n".join(lines)
        if isinstance(error, InputError):
            lines = [f"scenario {self.path.name} is not valid input:"]
            lines += [f"  {p}" for p in error.problems]
            return "\n".join(lines)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, 0, f"scenario: {self.name}"
