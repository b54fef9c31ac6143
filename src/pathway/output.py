"""Writing reports to files: atomically, and never over a file the user did not mean to lose.

`pathway` cannot know who created an existing file (a report it wrote yesterday looks like any
other file), so the rule is simple: an existing file is refused unless `force` is given. The
refusal itself is atomic: without `force` the finished temporary file is hard-linked to the
name, which fails if the name exists, so a file that appears meanwhile is not overwritten."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError, Problem


class WriteError(Exception):
    """The file could not be written (no such folder, no permission, disk full)."""

    def __init__(self, path: str, error: OSError):
        super().__init__(f"{path}: cannot write: {error.strerror or error}")
        self.path = path
        self.error = error


EXISTS = "already exists; give --force to replace it (nothing written)"


def taken(path: str | os.PathLike) -> bool:
    """Whether the name is in use: by a file, a folder, or a link (a dangling one too, which a
    write would follow)."""
    return os.path.lexists(path)


def exists_problem(path: str) -> InputError:
    return InputError(Problem(path, None, None, EXISTS))


def write_atomic(
    path: str | os.PathLike, text: str, force: bool = False, keep_mode: bool = False
) -> None:
    """Write `text` (UTF-8) to `path` through a temporary file in the same folder, so a reader
    never sees half a file and a failure leaves the old file as it was.

    Raises InputError when the file exists and `force` is false, WriteError when writing
    fails. `keep_mode` keeps an existing file's permissions (for files edited in place)."""
    target = Path(path)
    shown = str(path)
    if not force and taken(target):
        raise exists_problem(shown)
    folder = target.parent if str(target.parent) else Path(".")
    mode = None
    if keep_mode:
        try:
            mode = target.stat().st_mode & 0o7777
        except OSError:
            mode = None
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise WriteError(shown, error) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, mode)
        if force:
            os.replace(temp, target)
        else:
            _link_new(temp, target, shown)
    except OSError as error:
        _remove(temp)
        raise WriteError(shown, error) from None
    except BaseException:
        _remove(temp)
        raise
    _remove(temp)


def _link_new(temp: str, target: Path, shown: str) -> None:
    """Give the finished file its name only if the name is still free."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise exists_problem(shown) from None
    except OSError:
        # A file system without hard links: checked just before, so only a race can lose.
        if target.exists():
            raise exists_problem(shown) from None
        os.replace(temp, target)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
