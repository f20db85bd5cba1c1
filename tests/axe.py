"""axe-core in the browser tests: every page a test shows is checked against WCAG 2.1 A and AA.

The vendored axe.min.js (tests/data/axe/, MPL-2.0) is evaluated through Playwright, which the
pages' Content-Security-Policy does not block (an injected <script> would be).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent / "data" / "axe" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as shown, one line each."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s), first: {v['nodes'][0]['target']}"
        for v in result["violations"]
    ]
