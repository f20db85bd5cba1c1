"""Template helpers for the web pages: French money and dates, Markdown from procedures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from jinja2 import is_undefined
from markupsafe import Markup

from ..domain.french import euros, long_date, percent, short_date
from .field_labels import claim_label
from .fields import format_amount, format_date
from .page_glossary import anchor, explain_terms
from .richtext import render_markdown


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        euros=lambda v: euros(Decimal(v)) if not is_undefined(v) and v not in (None, "") else "",
        long_date=lambda d: long_date(date.fromisoformat(d) if isinstance(d, str) else d) if d else "",
        short_date=lambda d: short_date(date.fromisoformat(d) if isinstance(d, str) else d) if d else "",
        percent=percent,
        amount=format_amount,
        fr_date=format_date,
        markdown=lambda text: Markup(render_markdown(text or "")),
        claim_label=claim_label,
        explain_terms=explain_terms,
        term_anchor=anchor,
    )
