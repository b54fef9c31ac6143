"""`python -m pathway`: the same command line as the `pathway` script."""

from .cli import main

main()
