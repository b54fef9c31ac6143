"""The shape the code keeps (STYLE.md, issue 9): no import cycles between pathway's modules,
counting imports inside functions too; only compile.py and cpsat.py know CP-SAT; a rule kind's
meaning lives in the compiler and the auditor, which do not import each other."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pathway"


def imports() -> dict[str, set[str]]:
    """module -> the pathway modules it imports, anywhere in the file."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        name = path.stem
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1 and node.module:
                    found.add(node.module.split(".")[0])
                elif node.level == 1:
                    found.update(a.name for a in node.names)
                elif node.module and node.module.startswith("pathway."):
                    found.add(node.module.split(".")[1])
        graph[name] = found - {name}
    return graph


def test_there_are_no_import_cycles():
    graph = imports()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = path[path.index(module) :] + [module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done or module not in graph:
            return
        for other in sorted(graph[module]):
            visit(other, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_only_the_compiler_and_the_solver_wrapper_build_cp_sat_models():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(n == "ortools" or n.startswith("ortools.") for n in names):
                assert path.stem == "cpsat", f"{path.name} imports OR-Tools"
    users = {m for m, deps in imports().items() if "cpsat" in deps}
    assert users == {"compile"}


def test_rule_kinds_are_read_only_by_the_compiler_the_auditor_and_the_loader():
    kinds = {"Mandatory", "Amount", "Barred", "AnyOf", "AllOf"}
    readers = set()
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module == "model"):
                continue
            if kinds & {a.name for a in node.names}:
                readers.add(path.stem)
    # The loader builds rules; the compiler and the auditor give them meaning, independently.
    assert readers == {"loader", "compile", "auditor"}
    graph = imports()
    assert "compile" not in graph["auditor"] and "auditor" not in graph["compile"]
