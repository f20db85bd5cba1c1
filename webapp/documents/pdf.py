"""HTML to PDF with WeasyPrint, fetching nothing but data: URLs and the app's static files."""

import os
import re
import threading
from collections.abc import Sequence
from mimetypes import guess_type
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

FONTS_CSS = "css/fonts.css"

# One FontConfiguration per process: a new one per render leaks memory (ecosystem.md §10).
_FONT_CONFIG: FontConfiguration | None = None
# (static root, stylesheet path) -> (mtime_ns, size, parsed CSS).
_CSS_CACHE: dict[tuple[str, str], tuple[int, int, CSS]] = {}
# WeasyPrint and Pango's font map are not documented as thread-safe; render one at a time.
_RENDER_LOCK = threading.Lock()


class DocumentRenderError(Exception):
    """A document could not be rendered to PDF (forbidden resource, missing stylesheet)."""


class SafeFetcher(URLFetcher):
    """URL fetcher allowing only data: URLs and regular files inside one static folder."""

    def __init__(self, static_dir: Path | str):
        super().__init__(timeout=5, allow_redirects=False, allowed_protocols={"data", "file"})
        self.static_root = os.path.realpath(static_dir)

    def fetch(self, url, headers=None):
        """Return the resource, or raise FatalURLFetchingError so the render stops."""
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._static_path(url)
        if path is None:
            raise FatalURLFetchingError(f"ressource non autorisée : {url}")
        with open(path, "rb") as file:  # read ourselves: no redirect, no handler
            body = file.read()
        content_type = guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _static_path(self, url: str) -> str | None:
        """Real path of a file: URL if it is a regular file under the static root."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = os.path.realpath(url2pathname(parts.path))
        inside = os.path.commonpath([path, self.static_root]) == self.static_root
        return path if inside and os.path.isfile(path) else None


def html_to_pdf(
    html: str,
    *,
    static_dir: Path,
    title: str,
    author: str,
    lang: str = "fr",
    stylesheets: Sequence[str] = (),
    pdf_variant: str | None = None,
) -> bytes:
    """Render trusted-template HTML to PDF bytes with the bundled fonts and PDF metadata.

    `stylesheets` are paths relative to `static_dir` (css/fonts.css is always applied
    first); relative URLs in the HTML resolve against `static_dir`.
    """
    html = _space_into_inline(html)
    fetcher = SafeFetcher(static_dir)
    base_url = fetcher.static_root + os.sep
    with _RENDER_LOCK:
        try:
            css = [_cached_css(fetcher, name) for name in (FONTS_CSS, *stylesheets)]
            document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                font_config=_font_config(), stylesheets=css
            )
            document.metadata.title = title
            document.metadata.authors = [author]
            document.metadata.lang = lang
            return document.write_pdf(pdf_variant=pdf_variant)
        except FatalURLFetchingError as error:
            raise DocumentRenderError(f"Rendu du PDF interrompu : {error}") from error


_SPACE_BEFORE_INLINE = re.compile(r"(?<=[^\s>])\s+(<(?:strong|b|em|i|span)(?:\s[^>]*)?>)")


def _space_into_inline(html: str) -> str:
    """Move the space before an inline element inside it: "de <strong>" -> "de<strong> ".

    WeasyPrint 70 measures the trailing space of the text before an inline element; when
    that text fits the line only without the space, it breaks after the paragraph's first
    word instead ("Il" alone on a line). Inside the element the space breaks normally.
    """
    return _SPACE_BEFORE_INLINE.sub(r"\1 ", html)


def _font_config() -> FontConfiguration:
    """The process-wide FontConfiguration, created on first use."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


def _cached_css(fetcher: SafeFetcher, name: str) -> CSS:
    """Parsed stylesheet from the static folder, re-parsed only when the file changes."""
    path = os.path.realpath(os.path.join(fetcher.static_root, name))
    if os.path.commonpath([path, fetcher.static_root]) != fetcher.static_root:
        raise DocumentRenderError(f"Feuille de style hors du dossier static : {name}")
    try:
        stat = os.stat(path)
    except OSError as error:
        raise DocumentRenderError(f"Feuille de style introuvable : {name}") from error
    key = (fetcher.static_root, path)
    cached = _CSS_CACHE.get(key)
    if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    css = CSS(
        string=Path(path).read_text(encoding="utf-8"),
        base_url=path,
        url_fetcher=fetcher,
        font_config=_font_config(),
    )
    _CSS_CACHE[key] = (stat.st_mtime_ns, stat.st_size, css)
    return css
