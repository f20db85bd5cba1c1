"""Template helpers for the web pages: French money and dates, Markdown from procedures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from markupsafe import Markup

from ..documents.french import date_courte, date_longue, format_euros, format_percent
from .fields import format_amount, format_date
from .richtext import render_markdown


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        euros=lambda v: format_euros(Decimal(v)) if v not in (None, "") else "",
        long_date=lambda d: date_longue(date.fromisoformat(d) if isinstance(d, str) else d) if d else "",
        short_date=lambda d: date_courte(date.fromisoformat(d) if isinstance(d, str) else d) if d else "",
        percent=format_percent,
        amount=format_amount,
        fr_date=format_date,
        markdown=lambda text: Markup(render_markdown(text or "")),
    )
