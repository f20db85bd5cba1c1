"""Exhibits: uploads checked by content, stamps on every displayed page, atomic output."""

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from webapp.documents import atomic
from webapp.documents.atomic import write_atomically
from webapp.documents.exhibits import (
    Exhibit,
    ExhibitError,
    PageRange,
    load_exhibit_pages,
    stamp_and_merge,
)
from webapp.documents.pdf import html_to_pdf

STATIC = Path(__file__).resolve().parent.parent / "static"
MM = 72 / 25.4

requires_poppler = pytest.mark.usefixtures("poppler")


def invoice_pdf(number: int, pages: int = 1, size: str = "A4") -> bytes:
    """A plain invoice-like PDF of `pages` pages, made with WeasyPrint."""
    sections = "".join(
        f"<section style='page-break-after: always'><h1>FACTURE FA-2026-{number:04d}</h1>"
        f"<p>Page {page} sur {pages}. Prestation de conseil : 1 234,56 €</p></section>"
        for page in range(1, pages + 1)
    )
    html = f"<style>@page {{ size: {size}; margin: 25mm }}</style>{sections}"
    return html_to_pdf(html, static_dir=STATIC, title="Facture", author="ACME SAS")


def transformed(data: bytes, rotate: int = 0, origin: tuple[float, float] = (0, 0)) -> bytes:
    """The same PDF with /Rotate set and the media box moved to a non-zero origin."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            ox, oy = origin
            page.obj.MediaBox = pikepdf.Array([ox, oy, ox + x1 - x0, oy + y1 - y0])
            page.contents_add(f"1 0 0 1 {ox} {oy} cm\n".encode(), prepend=True)
            page.obj.Rotate = rotate
        return saved(pdf)


def saved(pdf: pikepdf.Pdf, **options) -> bytes:
    """Bytes of a pikepdf document."""
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    return buffer.getvalue()


def classic_xref(data: bytes) -> bytes:
    """The PDF rewritten with a plain xref table and no object streams."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.disable)


def image_bytes(kind: str, size=(1600, 1200), orientation: int | None = None) -> bytes:
    """A JPEG or PNG with a dark band along its stored top edge."""
    image = Image.new("RGB", size, "#dde3ee")
    ImageDraw.Draw(image).rectangle((0, 0, size[0], size[1] // 8), fill="navy")
    buffer = io.BytesIO()
    options = {}
    if orientation:
        exif = image.getexif()
        exif[0x0112] = orientation
        options["exif"] = exif
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def words_by_page(pdf: bytes, tmp_path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Words with their boxes in displayed coordinates (y down), per page, via pdftotext."""
    source = tmp_path / "words.pdf"
    source.write_bytes(pdf)
    xhtml = subprocess.run(["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True, text=True).stdout
    word = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<')
    return [[(*map(float, match[:4]), match[4]) for match in word.findall(page)] for page in xhtml.split("<page ")[1:]]


def displayed_size(page: pikepdf.Page) -> tuple[float, float]:
    """Width and height of the page as a viewer shows it."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    width, height = abs(x1 - x0), abs(y1 - y0)
    return (height, width) if page.rotation % 180 else (width, height)


@pytest.fixture(scope="module")
def dossier() -> tuple[bytes, list[PageRange], list[Exhibit]]:
    """A stamped dossier mixing sizes, rotations, an offset media box and two images."""
    a5 = transformed(invoice_pdf(3, size="A5"), rotate=90)
    letter = transformed(invoice_pdf(4, size="letter landscape"), rotate=270)
    offset = transformed(invoice_pdf(5), rotate=180, origin=(100, -50))
    exhibits = [
        Exhibit(1, "Facture A4", data=invoice_pdf(1), filename="fa1.pdf"),
        Exhibit(2, "Facture de 3 pages", data=invoice_pdf(2, pages=3), filename="fa2.pdf"),
        Exhibit(3, "A5 tournée à 90°", data=a5, filename="a5.pdf"),
        Exhibit(4, "Letter paysage à 270°", data=letter, filename="us.pdf"),
        Exhibit(5, "A4 à 180°, origine décalée", data=offset, filename="fa5.pdf"),
        Exhibit(6, "Photo", data=image_bytes("JPEG", orientation=6), filename="photo.jpg"),
        Exhibit(7, "Capture d'écran", data=image_bytes("PNG"), filename="capture.png"),
    ]
    pdf, ranges = stamp_and_merge(exhibits, static_dir=STATIC)
    return pdf, ranges, exhibits


def test_page_ranges_follow_the_exhibits(dossier):
    _, ranges, _ = dossier
    assert [(r.number, r.first, r.last) for r in ranges] == [
        (1, 1, 1), (2, 2, 4), (3, 5, 5), (4, 6, 6), (5, 7, 7), (6, 8, 8), (7, 9, 9),
    ]  # fmt: skip
    assert [r.count for r in ranges] == [1, 3, 1, 1, 1, 1, 1]


@requires_poppler
def test_every_page_has_its_stamp_at_the_displayed_top_right(dossier, tmp_path):
    pdf, ranges, _ = dossier
    expected = [r.number for r in ranges for _ in range(r.count)]
    with pikepdf.open(io.BytesIO(pdf)) as merged:
        sizes = [displayed_size(page) for page in merged.pages]
        rotations = [page.rotation for page in merged.pages]
    assert {90, 180, 270} <= set(rotations)
    pages = words_by_page(pdf, tmp_path)
    assert len(pages) == len(expected)
    for number, (width, _), words in zip(expected, sizes, pages, strict=True):
        text = " ".join(w[4] for w in words)
        assert f"Pièce n° {number}" in text
        stamp = [w for w in words if w[4] == "Pièce"]
        assert len(stamp) == 1
        x_min, y_min, x_max, _, _ = stamp[0]
        assert x_min > width / 2 and x_max < width - 6 * MM
        assert 6 * MM < y_min < 25 * MM


@requires_poppler
def test_multi_page_exhibit_numbers_its_pages(dossier, tmp_path):
    pdf, _, _ = dossier
    pages = words_by_page(pdf, tmp_path)
    texts = [" ".join(w[4] for w in words) for words in pages]
    assert ["p. 1/3" in texts[1], "p. 2/3" in texts[2], "p. 3/3" in texts[3]] == [True] * 3
    assert "p. 1/1" not in " ".join(texts)


def test_image_exhibit_becomes_an_upright_a4_page(dossier):
    pdf, _, _ = dossier
    with pikepdf.open(io.BytesIO(pdf)) as merged:
        photo, capture = merged.pages[7], merged.pages[8]
        assert displayed_size(photo) == pytest.approx((210 * MM, 297 * MM), abs=0.5)
        assert photo.rotation == 90  # EXIF orientation 6, kept losslessly as /Rotate
        assert displayed_size(capture) == pytest.approx((297 * MM, 210 * MM), abs=0.5)


def test_dossier_has_one_bookmark_per_exhibit(dossier):
    pdf, _, exhibits = dossier
    with pikepdf.open(io.BytesIO(pdf)) as merged, merged.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles == [f"Pièce n° {e.number} : {e.title}" for e in exhibits]


def test_exhibit_from_path_uses_the_file_name(tmp_path):
    path = tmp_path / "facture.pdf"
    path.write_bytes(invoice_pdf(8, pages=2))
    with load_exhibit_pages(Exhibit(8, "Facture", path=path)) as pdf:
        assert len(pdf.pages) == 2
    assert Exhibit(8, "Facture", path=path).filename == "facture.pdf"


def test_jpeg_renamed_pdf_is_read_as_an_image():
    exhibit = Exhibit(4, "Photo", data=image_bytes("JPEG"), filename="facture.pdf")
    with load_exhibit_pages(exhibit) as pdf:
        assert len(pdf.pages) == 1
        assert len(pdf.pages[0].get_images()) == 1


def test_png_is_accepted():
    with load_exhibit_pages(Exhibit(5, "Scan", data=image_bytes("PNG"), filename="scan.png")) as pdf:
        assert len(pdf.pages) == 1


def test_owner_password_only_pdf_is_accepted():
    with pikepdf.open(io.BytesIO(invoice_pdf(9))) as pdf:
        data = saved(pdf, encryption=pikepdf.Encryption(owner="secret", user=""))
    with load_exhibit_pages(Exhibit(9, "Facture", data=data, filename="f.pdf")) as pdf:
        assert len(pdf.pages) == 1


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: d.replace(b"startxref\n", b"startxref\n9"), id="wrong-startxref"),
        pytest.param(lambda d: b"\x00garbage" * 80 + d, id="junk-before-header"),
    ],
)
def test_repairable_pdf_is_repaired(damage):
    data = damage(classic_xref(invoice_pdf(10, pages=2)))
    with load_exhibit_pages(Exhibit(10, "Facture", data=data, filename="f.pdf")) as pdf:
        assert len(pdf.pages) == 2


def encrypted_pdf() -> bytes:
    """A PDF that needs a user password to open."""
    with pikepdf.open(io.BytesIO(invoice_pdf(3))) as pdf:
        return saved(pdf, encryption=pikepdf.Encryption(owner="o", user="u"))


def truncated(data: bytes, fraction: float) -> bytes:
    """The first `fraction` of the bytes, as an interrupted upload leaves them."""
    return data[: int(len(data) * fraction)]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (encrypted_pdf, "est protégée par un mot de passe : "),
        (lambda: truncated(classic_xref(invoice_pdf(3, pages=3)), 0.5), "est incomplète"),
        (lambda: truncated(invoice_pdf(3, pages=3), 0.7), "est un PDF endommagé"),
        (lambda: b"", "est un fichier vide"),
        (lambda: b"\x00\x01 ceci n'est pas un PDF " * 40, "n'est ni un PDF, ni une image"),
        (lambda: b"%PDF-1.7\n%%EOF\n", "est un PDF endommagé"),
        (lambda: truncated(image_bytes("JPEG"), 0.6), "est une image endommagée ou incomplète"),
        (lambda: truncated(image_bytes("PNG"), 0.6), "est une image endommagée ou incomplète"),
    ],
    ids=["encrypted", "truncated", "truncated-xref-stream", "empty", "garbage", "no-pages",
         "truncated-jpeg", "truncated-png"],
)  # fmt: skip
def test_unusable_upload_is_refused_with_a_message_naming_the_file(make, message):
    exhibit = Exhibit(3, "Facture", data=make(), filename="facture.pdf")
    with pytest.raises(ExhibitError) as caught:
        load_exhibit_pages(exhibit)
    assert str(caught.value).startswith("La pièce n° 3 (facture.pdf) ")
    assert message in str(caught.value)
    assert (caught.value.number, caught.value.filename) == (3, "facture.pdf")


def test_size_and_page_limits_are_enforced():
    data = invoice_pdf(2, pages=3)
    with pytest.raises(ExhibitError, match="est trop volumineuse"):
        load_exhibit_pages(Exhibit(2, "F", data=data, filename="f.pdf"), max_bytes=len(data) - 1)
    with pytest.raises(ExhibitError, match="compte 3 pages : 2 au maximum"):
        load_exhibit_pages(Exhibit(2, "F", data=data, filename="f.pdf"), max_pages=2)


def test_oversized_image_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000 * 1000)
    data = image_bytes("PNG", size=(1200, 1000))
    with pytest.raises(ExhibitError, match=r"est une image trop grande"):
        load_exhibit_pages(Exhibit(1, "Scan", data=data, filename="scan.png"))


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ExhibitError, match=r"La pièce n° 1 \(absente.pdf\) est introuvable"):
        load_exhibit_pages(Exhibit(1, "F", path=tmp_path / "absente.pdf"))


def test_bad_exhibit_lists_are_programming_errors():
    one = Exhibit(1, "F", data=b"x", filename="f.pdf")
    with pytest.raises(ValueError):
        stamp_and_merge([], static_dir=STATIC)
    with pytest.raises(ValueError):
        stamp_and_merge([one, one], static_dir=STATIC)
    with pytest.raises(ValueError):
        Exhibit(1, "F", data=b"x")


def test_merge_stops_on_the_first_bad_exhibit():
    good = Exhibit(1, "F", data=invoice_pdf(1), filename="ok.pdf")
    bad = Exhibit(2, "F", data=encrypted_pdf(), filename="bloquée.pdf")
    with pytest.raises(ExhibitError, match=r"La pièce n° 2 \(bloquée.pdf\)"):
        stamp_and_merge([good, bad], static_dir=STATIC)


def test_write_atomically_replaces_the_file(tmp_path):
    target = tmp_path / "dossier.pdf"
    target.write_bytes(b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.pdf"]


def test_write_atomically_leaves_nothing_half_written(tmp_path, monkeypatch):
    target = tmp_path / "dossier.pdf"
    target.write_bytes(b"old")

    def failing_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.pdf"]
