"""Scenario files with an `expect:` block are collected by pathway's own pytest plugin
(`src/pathway/pytest_plugin.py`, entry point `pytest11: pathway`), not here: defining a collector
here too would collect each scenario twice."""

from __future__ import annotations

pytest_plugins = ["pytester"]  # tests/test_regression.py runs pytest on scenario folders
