"""Files named on the command line, where `-` means standard input.

A scenario, model or cohort piped in is read like a file of that text: the same size limit, UTF-8
check and located messages, with `<stdin>` as its name (`<stdin>:3:7: ...`). Model ids in a
piped scenario are looked up from the current folder (its models/ and ../models/), as for a
scenario file in the current folder."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import InputError, Problem
from .source import STDIN, is_stdin


def read_stdin(stream=None, max_bytes: int | None = None) -> str:
    """Standard input as text, bounded like a file (a runaway producer is refused, not read
    for ever into memory)."""
    from .source import MAX_FILE_BYTES, decode_text

    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    stream = sys.stdin.buffer if stream is None else stream
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise InputError(Problem(STDIN, None, None, f"cannot read: {exc.strerror}")) from None
    if isinstance(data, str):  # a text stream (an embedding program's)
        data = data.encode("utf-8")
    if len(data) > limit:
        raise InputError(Problem(STDIN, None, None, f"input is larger than {limit:,} bytes"))
    return decode_text(data, STDIN)


def load_document(path, stream=None):
    """The located document of a file, or of standard input for `-` (YAML or JSON: JSON is
    read as YAML there, since there is no file name to tell)."""
    from .source import load_yaml_file, parse_yaml

    if is_stdin(path):
        return parse_yaml(read_stdin(stream), STDIN)
    return load_yaml_file(path)


def load(path, stream=None):
    """`pathway.load` for a path or `-`: a scenario, or a model as a scenario with defaults."""
    from .api import load as load_file
    from .loader import build_model, is_scenario
    from .scenario import build_scenario, scenario_for_model

    if not is_stdin(path):
        return load_file(path)
    doc = load_document(path, stream)
    if is_scenario(doc):
        return build_scenario(doc, Path(STDIN))
    return scenario_for_model(build_model(doc, Path(STDIN)))


def load_model(path, stream=None):
    """A model from a path or `-`."""
    from .loader import build_model
    from .loader import load_model as load_model_file

    if not is_stdin(path):
        return load_model_file(path)
    return build_model(load_document(path, stream), Path(STDIN))


def load_cohort(path, stream=None):
    """A cohort (`pathway plan`) from a path or `-`; files and model ids a piped cohort names
    are found from the current folder."""
    from .cohort import cohort_from_document
    from .cohort import load_cohort as load_cohort_file

    if not is_stdin(path):
        return load_cohort_file(path)
    return cohort_from_document(load_document(path, stream), Path(STDIN))


def validate_stdin(stream=None):
    """`pathway validate -`: (the ok line, problems) for the document on standard input, a
    model, scenario or cohort checked as a file of it would be (no cross-model warnings)."""
    from .validate import check_document

    try:
        line, _ = check_document(load_document("-", stream), STDIN)
    except InputError as error:
        return None, list(error.problems)
    return line, []
