"""User-facing errors: every problem names a file, a line and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

MAX_MESSAGE = 1000  # characters; a message quoting a megabyte-long value keeps its two ends


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at its file, line and column."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        message = self.message
        if len(message) > MAX_MESSAGE:
            cut = len(message) - MAX_MESSAGE
            message = (
                f"{message[: MAX_MESSAGE // 2]}[... {cut:,} characters ...]"
                + message[-(MAX_MESSAGE // 2) :]
            )
        return f"{where}: {message}"


class InputError(Exception):
    """Bad input from the user (exit status 2). Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InternalError(Exception):
    """A bug in pathway itself, e.g. the auditor rejecting a solver answer. Never user input."""
