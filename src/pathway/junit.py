"""JUnit XML, the test report CI systems read (Jenkins, GitLab, GitHub Actions reporters).

The layout follows what pytest's `--junit-xml` writes (the "xunit2" family): one <testsuites>
holding one <testsuite>, a <testcase> per scenario with <failure>, <error> or <skipped>
inside. Characters XML 1.0 cannot hold (a NUL from a damaged file) are replaced by U+FFFD, so
the report always parses."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Case:
    """One scenario's result, as the report shows it."""

    name: str
    classname: str
    file: str
    kind: str  # "passed", "failed", "error", "skipped" or "deselected" (not in the XML)
    seconds: float = 0.0
    message: str = ""
    details: list[str] = field(default_factory=list)
    output: str = ""  # printed as <system-out> (what --update changed)
    outcome: object = field(default=None, repr=False)  # expect.Outcome, when run
    error: object = field(default=None, repr=False)  # errors.InputError, for kind "error"


def _safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit_xml(cases: list[Case], suite: str = "pathway", seconds: float = 0.0) -> str:
    """The report as text, with an XML declaration."""
    cases = [c for c in cases if c.kind != "deselected"]
    counts = {kind: sum(c.kind == kind for c in cases) for kind in ("failed", "error", "skipped")}
    totals = {
        "tests": str(len(cases)),
        "failures": str(counts["failed"]),
        "errors": str(counts["error"]),
        "skipped": str(counts["skipped"]),
        "time": f"{seconds:.3f}",
    }
    root = ET.Element("testsuites", {"name": suite, **totals})
    suite_element = ET.SubElement(root, "testsuite", {"name": suite, **totals})
    for case in cases:
        if case.kind == "deselected":
            continue
        element = ET.SubElement(
            suite_element,
            "testcase",
            {
                "classname": _safe(case.classname),
                "name": _safe(case.name),
                "file": _safe(case.file),
                "time": f"{case.seconds:.3f}",
            },
        )
        tag = {"failed": "failure", "error": "error", "skipped": "skipped"}.get(case.kind)
        if tag:
            inner = ET.SubElement(
                element,
                tag,
                {"message": _safe(case.message), "type": _TYPES[case.kind]},
            )
            if case.details:
                inner.text = _safe("\n".join(case.details))
        if case.output:
            ET.SubElement(element, "system-out").text = _safe(case.output)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=False).join(
        ['<?xml version="1.0" encoding="utf-8"?>\n', "\n"]
    )


_REPORT_START = re.compile(r"\s*(<\?xml[^>]*\?>\s*)?<testsuites?[\s>]")


def replace_problem(path, inputs) -> str | None:
    """Why `--junit-xml PATH` must not be written, or None. An earlier report is replaced (CI
    writes one on every run, as pytest does); anything else there is the user's file: a
    scenario being tested, or notes named by mistake, would be lost without a word."""
    import os

    target = Path(path)
    for given in inputs:
        try:
            if os.path.samefile(target, given):
                return "--junit-xml would replace a file being tested; give another file"
        except OSError:  # either one missing or unreadable: not the same existing file
            continue
    if not os.path.lexists(target):
        return None
    if not target.is_file():  # a pipe or a device would block or be lost; a dangling link
        return "--junit-xml would replace something that is not a regular file"
    try:
        with open(target, "rb") as stream:
            head = stream.read(4096).decode("utf-8-sig", errors="replace")
    except OSError as error:
        return f"--junit-xml cannot check the file there is a JUnit report: {error.strerror}"
    if _REPORT_START.match(head):
        return None
    return (
        "--junit-xml would replace a file that is not a JUnit report; "
        "remove it or give another file"
    )


_TYPES = {
    "failed": "pathway.ExpectationFailed",
    "error": "pathway.InputError",
    "skipped": "pathway.NoExpectBlock",
}
