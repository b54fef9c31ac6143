"""`pathway --version`: versions read from installed package metadata, so nothing heavy (OR-Tools
pulls in numpy and protobuf) is imported to print them."""

from __future__ import annotations

import platform
from importlib import metadata

SOLVER_DISTRIBUTION = "ortools"  # read from metadata only: nothing of it is imported here


def installed(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def version_text() -> str:
    """'pathway 0.2.0 (OR-Tools 9.15.6755, Python 3.11.2)'."""
    return (
        f"pathway {installed('pathway')} (OR-Tools {installed(SOLVER_DISTRIBUTION)}, "
        f"Python {platform.python_version()})"
    )
