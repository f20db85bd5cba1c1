"""HTML to PDF: real renders, metadata, bundled fonts, and a fetcher that lets nothing out."""

import html
import http.server
import io
import shutil
import subprocess
import threading
from pathlib import Path

import pikepdf
import pytest
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from webapp.documents import pdf as pdf_module
from webapp.documents.pdf import DocumentRenderError, SafeFetcher, html_to_pdf

STATIC = Path(__file__).resolve().parent.parent / "static"
LETTER = """<!DOCTYPE html><html lang="fr"><body>
<p>ACME SAS<br>12 rue de la République<br>69002 LYON</p>
<p>Lyon, le 1er décembre 2026</p>
<p><strong>Objet : mise en demeure de payer 1\u202f234,56\u00a0€</strong></p>
<p>Madame, Monsieur, nous vous mettons en demeure de régler la facture FA-2026-0001.</p>
</body></html>"""

requires_poppler = pytest.mark.usefixtures("poppler")


def render(markup: str = LETTER, **options) -> bytes:
    """A render through html_to_pdf with the application's static folder."""
    options = {"static_dir": STATIC, "title": "Mise en demeure", "author": "ACME SAS", **options}
    return html_to_pdf(markup, **options)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """Text of a PDF as pdftotext extracts it."""
    source = tmp_path / "text.pdf"
    source.write_bytes(data)
    return subprocess.run(["pdftotext", str(source), "-"], check=True, capture_output=True, text=True).stdout


def font_names(data: bytes) -> set[str]:
    """Base font names used by the pages, without subset prefixes."""
    with pikepdf.open(io.BytesIO(data)) as document:
        return {
            str(font.BaseFont).split("+")[-1]
            for page in document.pages
            for font in page.resources.get("/Font", {}).values()
        }


def test_render_sets_title_author_and_language():
    with pikepdf.open(io.BytesIO(render())) as document:
        assert str(document.docinfo["/Title"]) == "Mise en demeure"
        assert str(document.docinfo["/Author"]) == "ACME SAS"
        assert str(document.Root.Lang) == "fr"
        assert len(document.pages) == 1


@requires_poppler
def test_french_text_is_extractable(tmp_path):
    text = " ".join(pdf_text(render(), tmp_path).split())  # pdftotext turns NBSP into spaces
    assert "Objet : mise en demeure de payer 1 234,56 €" in text
    assert "Lyon, le 1er décembre 2026" in text
    assert "69002 LYON" in text


def test_text_uses_the_bundled_dejavu_fonts():
    markup = "<p>Sans <b>gras</b> <i>italique</i></p><p style='font-family: DejaVu Serif'>Serif</p>"
    names = font_names(render(markup))
    assert {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Serif"} <= names
    assert all(name.startswith("DejaVu") for name in names)


def test_fonts_css_loads_every_bundled_face_through_the_fetcher():
    fetched = []

    class RecordingFetcher(SafeFetcher):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    fonts_css = STATIC / "css" / "fonts.css"
    CSS(filename=fonts_css, url_fetcher=RecordingFetcher(STATIC), font_config=FontConfiguration())
    assert sorted(Path(url).name for url in fetched) == sorted(path.name for path in (STATIC / "fonts").glob("*.ttf"))
    assert (STATIC / "fonts" / "LICENSE").is_file()


def test_parsed_stylesheets_are_reused_until_the_file_changes(tmp_path):
    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "fonts.css"
    sheet.write_text("html { font-family: 'DejaVu Sans' }")
    fetcher = SafeFetcher(tmp_path)
    first = pdf_module._cached_css(fetcher, "css/fonts.css")
    assert pdf_module._cached_css(fetcher, "css/fonts.css") is first
    sheet.write_text("html { font-family: 'DejaVu Serif' }")
    assert pdf_module._cached_css(fetcher, "css/fonts.css") is not first
    assert pdf_module._font_config() is pdf_module._font_config()


def test_static_stylesheets_and_images_are_allowed(tmp_path):
    shutil.copytree(STATIC, tmp_path / "static")
    (tmp_path / "static" / "css" / "extra.css").write_text("h1 { color: #123456 }")
    (tmp_path / "static" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>'
    )
    markup = '<h1>Titre</h1><img src="logo.svg"><link rel="stylesheet" href="css/extra.css">'
    data = render(markup, static_dir=tmp_path / "static", stylesheets=["css/extra.css"])
    assert data.startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["css/absent.css", "../pyproject.toml"])
def test_stylesheet_must_exist_inside_the_static_folder(name):
    with pytest.raises(DocumentRenderError):
        render(stylesheets=[name])


def test_safe_fetcher_allows_only_regular_files_under_the_static_root(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p {}")
    (tmp_path / "secret.txt").write_text("hunter2")
    (static / "link.txt").symlink_to(tmp_path / "secret.txt")
    fetcher = SafeFetcher(static)
    assert fetcher.fetch((static / "ok.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,bonjour").read() == b"bonjour"
    refused = [
        (tmp_path / "secret.txt").as_uri(),
        (static / "link.txt").as_uri(),
        static.as_uri() + "/../secret.txt",
        static.as_uri(),
        "file://evil.example" + str(static / "ok.css"),
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "ftp://127.0.0.1/x",
    ]
    for url in refused:
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)


@pytest.fixture
def http_probe():
    """A loopback HTTP server counting the requests it receives."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


ATTACKS = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<a rel="attachment" href="file:///etc/passwd">pièce</a>',
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/x">',
    '<img src="http://127.0.0.1:{port}/y">',
    "<p style=\"background: url('http://127.0.0.1:{port}/z')\">fond</p>",
    '<style>@import "http://127.0.0.1:{port}/i";</style>',
]


@pytest.mark.parametrize("attack", [*ATTACKS, "".join(ATTACKS)])
def test_injected_html_fails_closed_before_any_file_or_server_is_read(attack, http_probe):
    port, hits = http_probe
    markup = f"<html><body><p>Client</p>{attack.format(port=port)}</body></html>"
    with pytest.raises(DocumentRenderError, match="ressource non autorisée"):
        render(markup)
    assert hits == []


def test_attachment_attack_is_real_with_weasyprint_defaults_but_not_here(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-DB-PASSWORD=hunter2")
    markup = f'<p>Client</p><link rel="attachment" href="{secret.as_uri()}">'
    unsafe = HTML(string=markup).write_pdf()  # the default fetcher: what we must prevent
    with pikepdf.open(io.BytesIO(unsafe)) as document:
        assert list(document.attachments) == ["secret.txt"]
    with pytest.raises(DocumentRenderError):
        render(markup)


def test_render_error_is_an_ordinary_exception():
    assert issubclass(DocumentRenderError, Exception)
    with pytest.raises(Exception, match="file:///etc/passwd"):
        render('<img src="file:///etc/passwd">')


@requires_poppler
def test_escaped_injection_renders_as_literal_text(http_probe, tmp_path):
    port, hits = http_probe
    payload = f'<img src="file:///etc/passwd"><link rel=stylesheet href="http://127.0.0.1:{port}/x">'
    data = render(f"<p>Client : {html.escape(payload)}</p>")
    text = "".join(pdf_text(data, tmp_path).split())  # ignore where lines wrap
    assert "".join(payload.split()) in text
    assert hits == []


def test_text_before_an_inline_element_breaks_where_it_should(poppler):
    """WeasyPrint 70 broke this paragraph after "Il" when "… de" exactly filled the line."""
    paragraph = (
        "<p>Il s'agit sans doute d'un simple oubli. Nous vous remercions de bien vouloir nous régler la "
        "somme de <strong>850,00\u00a0€</strong> (huit cent cinquante euros) au plus tard le "
        "1er décembre 2026.</p>"
    )
    pdf = html_to_pdf(paragraph, static_dir=STATIC, title="t", author="a", stylesheets=["css/documents.css"])
    first_line = (
        subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .strip()
        .splitlines()[0]
    )
    assert first_line.startswith("Il s'agit sans doute")
