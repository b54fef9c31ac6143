"""The command line: parse, call the library, print. No rule logic lives here.

`base` holds the group, the exit statuses and what every command shares (reading situation
flags, writing reports); the commands live by whom they serve: `learner` (check, solve,
batch), `planner` (compare, rank, impact, plan) and `files` (validate, test, models, schema,
import). Importing them registers their commands on `main`; each imports the library only
when it runs, so `pathway --help` stays light."""

from __future__ import annotations

from . import files, learner, planner  # noqa: F401 - registers the commands on main
from .base import (
    EXIT_BAD_INPUT,
    EXIT_FOUND,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NOT_FOUND,
    EXIT_OUTPUT,
    EXIT_UNKNOWN,
    entry,
    main,
)

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FOUND",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_OUTPUT",
    "EXIT_UNKNOWN",
    "entry",
    "main",
]
