"""The legal core imports no web framework, template engine, database or PDF renderer."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

FORBIDDEN = ("flask", "werkzeug", "wtforms", "flask_wtf", "jinja2", "sqlalchemy", "weasyprint")


def test_domain_imports_nothing_forbidden():
    code = (
        "import pkgutil, importlib, sys, webapp.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__): importlib.import_module('webapp.domain.' + m.name)\n"
        "import webapp.cli\n"
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_domain_never_reads_the_clock():
    for path in (ROOT / "webapp" / "domain").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "date.today" not in text and "datetime.now" not in text, path.name
