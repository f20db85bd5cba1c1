"""The dashboard's plots, drawn on the server as SVG with pygal, shown as images without JavaScript.

Each SVG is embedded as a ``data:`` image: an image runs no script and fetches nothing,
the page's Content-Security-Policy already allows it, and no second request recomputes
the portfolio. pygal is told to link no script of its own (``js=[]``); the page gives each
plot a text title and a table of the same figures.
"""

from __future__ import annotations

import base64
import re
import sys
from decimal import Decimal

import pygal
from pygal.style import Style

from ..domain.portfolio import Portfolio

# pygal appends to sys.meta_path a finder for its map plugins (pygal.maps.*, unused here)
# that lacks find_spec: Python then warns on every later import (an error under pytest's
# filterwarnings=error). Taken out again; charts need no plugin.
sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, pygal.PluginImportFixer)]

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#6b6b6b",
    colors=("#1d4e89", "#b5462f", "#2e7d32"),
    font_family="DejaVu Sans, sans-serif",
    label_font_size=16,  # drawn 480 px wide, shown 360 px wide on a phone: still 12 px on screen
    major_label_font_size=16,
    value_font_size=15,
    title_font_size=17,
)
WIDTH, HEIGHT = 480, 320  # a phone shrinks the image to its width, and its labels with it: no wider than needed
COMMON = {
    "js": [],
    "style": STYLE,
    "disable_xml_declaration": True,
    "show_legend": False,
    "width": WIDTH,
    "height": HEIGHT,
    "print_values": True,
    "margin": 16,
    "truncate_label": -1,
}
SHORT_AGING_LABELS = ("Non échu", "1-30 j", "31-60 j", "61-90 j", "> 90 j")


def _data_uri(chart) -> str:
    """The chart as a ``data:`` image, without the tooltip script pygal writes inside (inert in an image anyway)."""
    svg = re.sub(r"<script\b.*?</script>", "", chart.render(is_unicode=True), flags=re.S)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _euros(value: float) -> str:
    return f"{value:,.0f} €".replace(",", "\u202f")


def aging(p: Portfolio) -> str:
    """Open amounts by days past due, one bar per bucket."""
    chart = pygal.Bar(**COMMON, value_formatter=_euros, title="Encours par ancienneté du retard")
    chart.x_labels = list(SHORT_AGING_LABELS)
    chart.add("Encours", [float(v) for v in p.aging.values()])
    return _data_uri(chart)


def lateness_trend(p: Portfolio) -> str:
    """The amount-weighted days late of the invoices paid each month."""
    chart = pygal.Line(
        **COMMON,
        value_formatter=lambda v: f"{v:.1f} j".replace(".", ","),
        title="Retard moyen, mois par mois (jours)",
        x_label_rotation=45,
        include_x_axis=True,  # the scale starts at 0 days: a 6-day delay does not look like none
        allow_interruptions=True,
    )
    chart.x_labels = [_month(m.month) for m in p.trend]
    chart.add("Retard moyen", [m.average_days_late for m in p.trend])
    return _data_uri(chart)


MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def _month(key: str) -> str:
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def month_label(key: str) -> str:
    """``2026-06`` as ``juin 2026``, for tables."""
    return _month(key)


def share(part: Decimal, whole: Decimal) -> str:
    """A percentage for tables: ``42 %``."""
    return f"{(part / whole * 100):.0f}\u00a0%" if whole else "—"
