"""pathway: provably best pathways through UK vocational qualifications.

The library behind the `pathway` command, in stages, each its own module:
load (YAML -> model, every error located) -> scenario (the learner's situation, resolved) ->
compile (rules -> CP-SAT) -> solve -> audit (a plain-Python check of every rule) -> report.

    import pathway
    s = pathway.load("scenarios/ocr-l2-diploma-cheapest.yaml")
    s = pathway.with_situation(s, achieved=["1"], excluded=["37"])
    solution = pathway.solve(s)
    solution.status, solution.best.values, solution.best.units

Names are imported when first used, so `import pathway` (and `pathway validate`) stays quick:
the solver's dependencies load only when something is solved. See docs/library.md.
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

# public name -> the module that defines it
_EXPORTS = {
    "load": "api",
    "load_model": "loader",
    "load_scenario": "scenario",
    "with_situation": "api",  # names its parameters in messages (scenario's names the flags)
    "Scenario": "scenario",
    "Budget": "scenario",
    "solve": "solver",
    "Solution": "solver",
    "Pathway": "solver",
    "Status": "solver",
    "audit": "auditor",
    "Audit": "auditor",
    "RuleResult": "auditor",
    "Qualification": "model",
    "Unit": "model",
    "Group": "model",
    "Explanation": "explain",
    "solution_json": "report",
    "InputError": "errors",
    "InternalError": "errors",
    "Problem": "errors",
}
__all__ = [
    "Audit",
    "Budget",
    "Explanation",
    "Group",
    "InputError",
    "InternalError",
    "Pathway",
    "Problem",
    "Qualification",
    "RuleResult",
    "Scenario",
    "Solution",
    "Status",
    "Unit",
    "audit",
    "load",
    "load_model",
    "load_scenario",
    "solution_json",
    "solve",
    "with_situation",
]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pathway' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
