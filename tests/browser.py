"""Headless chromium for the HTML tests (test_html.py, test_html_planning.py): find it, measure
a page's layout in it, keep screenshots of it.

CI installs chromium and sets PATHWAY_REQUIRE_BROWSER=1, so that there a missing browser fails
these tests instead of skipping them."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

BROWSER = next(
    (shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)),
    None,
)
if BROWSER is None and os.environ.get("PATHWAY_REQUIRE_BROWSER") == "1":
    raise RuntimeError("PATHWAY_REQUIRE_BROWSER=1 but no chromium is installed")
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no chromium installed")


def chromium(*args: str, cwd: Path) -> str:
    """Run headless chromium with `args`; its standard output. Fails the test if it fails."""
    done = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            f"--user-data-dir={cwd / 'profile'}",
            *args,
        ],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# Run in the measured page: `probe`'s statements return what a test looks for (bars, rows);
# added here is the layout every test checks, and all of it is written, as JSON, into a
# <pre id="probe"> of the outer page, where `chromium --dump-dom` shows it.
FRAMED_PROBE = """
<script>
(function () {
  var seen = (function () {
/* the probe */
  })();
  var root = document.documentElement;
  seen.innerWidth = window.innerWidth;
  seen.scrollWidth = root.scrollWidth;
  seen.clientWidth = root.clientWidth;
  seen.bodyScrollWidth = document.body.scrollWidth;
  seen.text = document.body.innerText;
  var out = window.parent.document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(seen);
  window.parent.document.body.appendChild(out);
})();
</script>
"""


def measure(page: Path, width: int, probe: str) -> dict:
    """What the browser laid out for `page` at `width` px: what `probe` (JavaScript statements
    that return an object) returns, plus the inner, scroll and client widths and the visible
    text. The page is shown in an iframe, since headless chromium will not make a window
    narrower than 500 px."""
    framed = page.with_name(f"{page.stem}-probe-{width}.html")
    script = FRAMED_PROBE.replace("/* the probe */", probe)
    inner = page.read_text(encoding="utf-8").replace("</body>", script + "</body>")
    framed.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe style="border:0;width:{width}px;height:800px" '
        f'srcdoc="{html.escape(inner, quote=True)}"></iframe></body></html>',
        encoding="utf-8",
    )
    dom = chromium("--window-size=1400,900", "--dump-dom", framed.as_uri(), cwd=page.parent)
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


def artefact_folder(tmp_path_factory) -> Path:
    """Where screenshots are kept: PATHWAY_TEST_ARTEFACTS, else pytest's temporary folder."""
    named = os.environ.get("PATHWAY_TEST_ARTEFACTS")
    folder = Path(named) if named else tmp_path_factory.mktemp("html-artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"HTML screenshots in {folder}")
    return folder


def screenshot(page: Path, shot: Path, width: int, height: int) -> int:
    """Keep a screenshot of `page` as `shot`; the width its PNG header gives."""
    chromium(
        f"--window-size={width},{height}", f"--screenshot={shot}", page.as_uri(), cwd=page.parent
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big")
