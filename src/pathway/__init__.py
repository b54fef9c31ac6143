"""pathway: provably best pathways through UK vocational qualifications.

The library behind the `pathway` command. Stages, each its own module:
load (YAML -> model, every error located) -> audit (plain-Python rule check) -> compile (rules
-> CP-SAT) -> solve -> verify (the auditor again) -> report.
"""

from .audit import Audit, audit
from .errors import InputError, InternalError, Problem
from .load import load_model

__all__ = ["Audit", "InputError", "InternalError", "Problem", "audit", "load_model"]
__version__ = "0.1.0"
