"""Exhibit stamps ("Pièce n° N", "p. k/n"): drawn straight into each page with pikepdf.

A stamp is a small form XObject: a framed box and one or two centred lines of text in
the bundled DejaVu Sans, embedded once per dossier as a subset (fontTools, which
WeasyPrint already brings). No layout engine runs per stamp: laying out one page per
stamp with WeasyPrint cost 5-10 ms a stamp.
"""

import functools
from io import BytesIO
from pathlib import Path

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont
from pikepdf import ContentStreamInstruction as Op
from pikepdf import Name, Operator, String

MM = 72 / 25.4
MARGIN = 6 * MM  # from the displayed top and right edges: inside most printers' reach
WIDTH, HEIGHT = 42 * MM, 13 * MM
BORDER = 0.6 * MM
RED = (176 / 255, 0, 32 / 255)  # #b00020, the colour of a court stamp
MAIN_SIZE, FOLIO_SIZE, LINE_HEIGHT = 11, 8, 1.15
CHARSET = "Pièce n°0123456789p./ "
FONTS = {"Main": "DejaVuSans-Bold.ttf", "Folio": "DejaVuSans.ttf"}


def stamp_labels(number: int, page_count: int) -> list[tuple[str, str]]:
    """One (main line, page line) per page; the page line is empty for one-page exhibits."""
    main = f"Pièce n° {number}"
    if page_count == 1:
        return [(main, "")]
    return [(main, f"p. {page}/{page_count}") for page in range(1, page_count + 1)]


class Stamper:
    """Makes the stamps of one output PDF, sharing its fonts and transparency state."""

    def __init__(self, pdf: pikepdf.Pdf, static_dir: Path):
        self.pdf = pdf
        self.metrics = {key: _font(static_dir / "fonts" / name) for key, name in FONTS.items()}
        fonts = {key: pdf.make_indirect(_font_dictionary(pdf, m)) for key, m in self.metrics.items()}
        self.resources = pdf.make_indirect(
            pikepdf.Dictionary(
                Font=pikepdf.Dictionary({f"/{key}": font for key, font in fonts.items()}),
                ExtGState=pikepdf.Dictionary(Veil=pikepdf.Dictionary(Type=Name.ExtGState, ca=0.8)),
            )
        )

    def stamp(self, main: str, folio: str) -> pikepdf.Object:
        """The stamp as a form XObject of WIDTH × HEIGHT points."""
        lines = [("Main", MAIN_SIZE, main)] + ([("Folio", FOLIO_SIZE, folio)] if folio else [])
        ops = [*_frame(), *self._text(lines)]
        return self.pdf.make_stream(
            pikepdf.unparse_content_stream(ops),
            Type=Name.XObject,
            Subtype=Name.Form,
            BBox=[0, 0, WIDTH, HEIGHT],
            Resources=self.resources,
        )

    def _text(self, lines: list[tuple[str, int, str]]) -> list[Op]:
        """Centred lines, stacked as CSS stacks them (line height 1.15, block centred)."""
        ops = [Op([*RED], Operator("rg"))]
        top = (HEIGHT - sum(size * LINE_HEIGHT for _, size, _ in lines)) / 2
        for key, size, text in lines:
            metrics = self.metrics[key]
            half_leading = (size * LINE_HEIGHT - size * (metrics.ascent - metrics.descent)) / 2
            baseline = HEIGHT - (top + half_leading + size * metrics.ascent)
            x = (WIDTH - metrics.width(text) * size) / 2
            encoded = String(text.encode("cp1252"))
            ops += [Op([], Operator("BT")), Op([Name(f"/{key}"), size], Operator("Tf"))]
            ops += [Op([x, baseline], Operator("Td")), Op([encoded], Operator("Tj")), Op([], Operator("ET"))]
            top += size * LINE_HEIGHT
        return ops


def _frame() -> list[Op]:
    """The box: white at 80 % over the page, a red border inside the stamp's area."""
    inset = BORDER / 2
    rect = [inset, inset, WIDTH - BORDER, HEIGHT - BORDER]
    return [
        Op([Name.Veil], Operator("gs")),
        Op([1, 1, 1], Operator("rg")),
        Op([*RED], Operator("RG")),
        Op([BORDER], Operator("w")),
        Op(rect, Operator("re")),
        Op([], Operator("B")),
    ]


class FontMetrics:
    """A subset of a TrueType font with what a simple PDF font needs: file, widths, extents."""

    def __init__(self, data: bytes, font: TTFont):
        scale = 1000 / font["head"].unitsPerEm
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        self.data = data
        self.name = font["name"].getDebugName(6) or "DejaVuSans"
        self.advances = {char: hmtx[cmap[ord(char)]][0] * scale for char in CHARSET}
        self.ascent = font["hhea"].ascent * scale / 1000
        self.descent = font["hhea"].descent * scale / 1000
        head = font["head"]
        self.bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.cap_height = round(getattr(font["OS/2"], "sCapHeight", 700) * scale)

    def width(self, text: str) -> float:
        """Width of ``text`` at size 1, in points."""
        return sum(self.advances[char] for char in text) / 1000


@functools.cache
def _font(path: Path) -> FontMetrics:
    """The font subset to the stamps' characters, read once per process."""
    font = TTFont(path)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM"]  # FontForge timestamps: nothing to subset
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=CHARSET)
    subsetter.subset(font)
    buffer = BytesIO()
    font.save(buffer)
    return FontMetrics(buffer.getvalue(), font)


def _font_dictionary(pdf: pikepdf.Pdf, metrics: FontMetrics) -> pikepdf.Dictionary:
    """A simple TrueType font in WinAnsiEncoding, the subset embedded (PDF 32000 §9.6.3)."""
    codes = range(32, 256)
    widths = []
    for code in codes:
        char = bytes([code]).decode("cp1252", errors="ignore")
        widths.append(round(metrics.advances.get(char, 0)))
    descriptor = pikepdf.Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name(f"/STAMPS+{metrics.name}"),
        Flags=32,  # nonsymbolic: codes map through WinAnsiEncoding to the font's Unicode cmap
        FontBBox=metrics.bbox,
        ItalicAngle=0,
        Ascent=round(metrics.ascent * 1000),
        Descent=round(metrics.descent * 1000),
        CapHeight=metrics.cap_height,
        StemV=80,
        FontFile2=pdf.make_stream(metrics.data),
    )
    return pikepdf.Dictionary(
        Type=Name.Font,
        Subtype=Name.TrueType,
        BaseFont=Name(f"/STAMPS+{metrics.name}"),
        FirstChar=codes.start,
        LastChar=codes.stop - 1,
        Widths=widths,
        Encoding=Name.WinAnsiEncoding,
        FontDescriptor=pdf.make_indirect(descriptor),
    )


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
