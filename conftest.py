"""Collect scenario files with an `expect:` block as pytest items (pytest's documented way of
collecting non-Python tests), so `pytest` alone runs the regression scenarios."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]  # tests/test_regression.py runs pytest on scenario folders


def pytest_collect_file(parent, file_path):
    if file_path.suffix in (".yaml", ".yml") and "scenarios" in file_path.parts:
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        from pathway.source import load_yaml_file

        doc = load_yaml_file(self.path)
        if isinstance(doc, dict) and "expect" in doc:
            yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioMismatch(Exception):
    pass


class ScenarioItem(pytest.Item):
    def runtest(self):
        from pathway.expect import run_expectation

        outcome = run_expectation(self.path)
        if outcome is not None and not outcome.passed:
            raise ScenarioMismatch(outcome.mismatches)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioMismatch):
            lines = [f"scenario {self.path.name} does not meet its expectation:"]
            lines += [f"  {m}" for m in excinfo.value.args[0]]
            return "\n".join(lines)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"scenario: {self.name}"
