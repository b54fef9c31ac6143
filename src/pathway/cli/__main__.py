"""`python -m pathway.cli`, as the `pathway` program."""

from . import entry

entry()
