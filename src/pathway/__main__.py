"""`python -m pathway`: the same command line as the `pathway` script, exit statuses included."""

from .cli import entry

entry()
