"""Every command is documented (as sqlite-utils' test_docs does): a row of the README's
Commands table, help text of its own, and help text on every option."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pathway.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
TABLE = README.split("## Commands", 1)[1].split("\n\n", 2)[1]
DOCUMENTED = set(re.findall(r"^\| `pathway ([a-z]+)", TABLE, re.MULTILINE))
COMMANDS = sorted(main.commands)


def test_the_table_was_found_and_names_only_real_commands():
    assert len(DOCUMENTED) >= 10
    assert DOCUMENTED <= set(COMMANDS), DOCUMENTED - set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_row_and_help(name):
    command = main.commands[name]
    assert name in DOCUMENTED, f"pathway {name} has no row in the README's Commands table"
    assert (command.help or "").strip(), f"pathway {name} has no help text"
    for param in command.params:
        if param.param_type_name == "option" and not getattr(param, "hidden", False):
            assert getattr(param, "help", None), f"pathway {name} {param.opts[0]} has no help"
