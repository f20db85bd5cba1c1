"""Exhibit stamps ("Pièce n° N"): drawn once with WeasyPrint, overlaid as form XObjects."""

from html import escape
from pathlib import Path

import pikepdf

from webapp.documents.pdf import html_to_pdf

MM = 72 / 25.4
MARGIN = 6 * MM  # from the displayed top and right edges: inside most printers' reach

_STAMP_CSS = """
@page { size: 42mm 13mm; margin: 0; }
html, body { margin: 0; }
.stamp {
  box-sizing: border-box; width: 42mm; height: 13mm; page-break-after: always;
  border: 0.6mm solid #b00020; border-radius: 1mm; background: rgba(255, 255, 255, 0.8);
  color: #b00020; text-align: center; white-space: nowrap;
  display: flex; flex-direction: column; justify-content: center;
}
.stamp:last-child { page-break-after: auto; }
.piece { font-weight: bold; font-size: 11pt; line-height: 1.15; }
.folio { font-size: 8pt; line-height: 1.15; }
"""


def stamp_labels(number: int, page_count: int) -> list[tuple[str, str]]:
    """One (main line, page line) per page; the page line is empty for one-page exhibits."""
    main = f"Pièce n° {number}"
    if page_count == 1:
        return [(main, "")]
    return [(main, f"p. {page}/{page_count}") for page in range(1, page_count + 1)]


def render_stamps(labels: list[tuple[str, str]], static_dir: Path) -> bytes:
    """A PDF with one small page per label, in the bundled font."""
    blocks = "".join(
        f'<div class="stamp"><div class="piece">{escape(main)}</div>'
        + (f'<div class="folio">{escape(folio)}</div>' if folio else "")
        + "</div>"
        for main, folio in labels
    )
    html = f"<!DOCTYPE html><html lang='fr'><style>{_STAMP_CSS}</style><body>{blocks}</body></html>"
    return html_to_pdf(html, static_dir=static_dir, title="Tampons des pièces", author="Dûment")


def stamp_matrix(
    rotation: int,
    box: tuple[float, float, float, float],
    width: float,
    height: float,
    margin: float = MARGIN,
) -> tuple[float, ...]:
    """cm operands putting a width × height stamp upright at the displayed top-right corner."""
    x0, y0, x1, y1 = box
    rotation %= 360
    if rotation == 90:
        return (0, 1, -1, 0, x0 + margin + height, y1 - margin - width)
    if rotation == 180:
        return (-1, 0, 0, -1, x0 + margin + width, y0 + margin + height)
    if rotation == 270:
        return (0, -1, 1, 0, x1 - margin - height, y0 + margin + width)
    return (1, 0, 0, 1, x1 - margin - width, y1 - margin - height)


def visible_box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """The displayed area in user space: crop box clipped to the media box, normalised."""
    boxes = [_normalised(page.mediabox), _normalised(page.cropbox)]
    x0, y0 = max(b[0] for b in boxes), max(b[1] for b in boxes)
    x1, y1 = min(b[2] for b in boxes), min(b[3] for b in boxes)
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else boxes[0]


def _normalised(box: pikepdf.Array) -> tuple[float, float, float, float]:
    """Rectangle as (left, bottom, right, top), whatever the corner order in the file."""
    x0, y0, x1, y1 = (float(value) for value in box)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def apply_stamp(page: pikepdf.Page, stamp: pikepdf.Object, size: tuple[float, float]) -> None:
    """Draw the stamp XObject over the page, isolated from the page's graphics state."""
    rotation = page.rotation % 360
    matrix = stamp_matrix(rotation if rotation % 90 == 0 else 0, visible_box(page), *size)
    name = page.add_resource(stamp, pikepdf.Name.XObject, prefix="Piece")
    operands = " ".join(f"{value:.4f}" for value in matrix)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(f"\nQ q {operands} cm {name} Do Q\n".encode())
