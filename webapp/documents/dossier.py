"""The complete injonction de payer dossier as one PDF, ready to print or file.

Order: a table of contents giving every part's page range, the requête, the décompte,
the bordereau, then every exhibit in the bordereau's order (invoices first), each page
stamped "Pièce n° N". The court copy holds only what goes to the court: a piece without a
file is neither listed nor given a placeholder page (the Documents page and the checklist
say what is missing), so the bordereau and the stamps number the same pieces.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pikepdf

from ..domain.assessment import Assessment
from ..domain.procedures import Library
from .context import DEFAULT_OPTIONS, Options, build_context
from .einvoice_page import einvoice_html, xml_einvoice
from .exhibits import Exhibit, stamp_and_merge
from .pdf import html_to_pdf
from .render import STYLESHEETS, check_available, environment, render_html

PARTS = ("requete-injonction-de-payer", "decompte", "bordereau-pieces")
_MAX_TOC_PASSES = 3


@dataclass(frozen=True)
class Part:
    title: str
    pdf: bytes
    pages: int


def build_dossier(
    a: Assessment,
    library: Library,
    *,
    templates_dir: Path,
    static_dir: Path,
    base_dir: Path | None = None,
    files: Mapping[str, bytes] | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> bytes:
    """Render, number, stamp and merge everything the court needs, as one PDF.

    Evidence files are read from ``base_dir`` (the claim file's folder, for the command
    line) or taken from ``files`` (path -> bytes, for the web app's database).
    """
    requete = check_available(a, library, "requete-injonction-de-payer")
    context = build_context(a, library, options)
    context = {**context, "pieces": court_pieces(context["pieces"])}
    render = _renderer(a, templates_dir, static_dir)
    documents = [library.documents[d] for d in PARTS]
    parts = [Part(doc.title, pdf := render(render_html(doc, context, templates_dir)), _count(pdf)) for doc in documents]
    exhibits = _exhibits(context["pieces"], base_dir, files, render)
    exhibits_pdf, ranges = stamp_and_merge(exhibits, static_dir=static_dir) if exhibits else (None, [])
    toc = _table_of_contents(context, parts, ranges, render, templates_dir, requete)
    return _merge(a, [toc, *parts], exhibits_pdf, [(e.number, e.title) for e in exhibits], [r.count for r in ranges])


def court_pieces(pieces: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pieces that have a file, numbered again from 1: what the court copy lists and holds."""
    return [{**piece, "number": n} for n, piece in enumerate((p for p in pieces if p["file"]), start=1)]


def _renderer(a: Assessment, templates_dir: Path, static_dir: Path):
    def render(html: str) -> bytes:
        return html_to_pdf(
            html,
            static_dir=static_dir,
            stylesheets=STYLESHEETS,
            title=f"Dossier d'injonction de payer — {a.claim.debtor.name}",
            author=a.claim.creditor.name,
        )

    return render


def _count(pdf: bytes) -> int:
    with pikepdf.open(BytesIO(pdf)) as doc:
        return len(doc.pages)


def _exhibits(pieces: list[dict[str, Any]], base_dir: Path | None, files: Mapping[str, bytes] | None, render):
    """Each piece of the court copy as an exhibit, from the database's files or the claim's folder
    (a CII or UBL e-invoice becomes its readable page)."""
    exhibits = []
    for piece in pieces:
        title, path = piece["title"], piece["file"]
        einvoice = xml_einvoice(path, base_dir, files)
        if einvoice is not None:  # a CII/UBL e-invoice: its readable page is the exhibit
            page = render(einvoice_html(einvoice, piece["number"]))
            exhibits.append(Exhibit(piece["number"], title, data=page, filename=path))
        elif files is not None:
            exhibits.append(Exhibit(piece["number"], title, data=files.get(path, b""), filename=path))
        else:
            exhibits.append(Exhibit(piece["number"], title, path=(base_dir or Path()) / path, filename=path))
    return exhibits


def _table_of_contents(context, parts: list[Part], ranges, render, templates_dir: Path, requete) -> Part:
    """The front table: pages of each part and of each exhibit, settled in a few passes."""
    toc_pages = 1
    for _ in range(_MAX_TOC_PASSES):
        rows, page = [], toc_pages + 1
        for part in parts:
            rows.append({"title": part.title, "first": page, "last": page + part.pages - 1})
            page += part.pages
        exhibits = [{"number": r.number, "first": page + r.first - 1, "last": page + r.last - 1} for r in ranges]
        html = _toc_html(context, rows, exhibits, templates_dir, requete)
        pdf = render(html)
        count = _count(pdf)
        if count == toc_pages:
            return Part("Sommaire", pdf, count)
        toc_pages = count
    raise RuntimeError("table of contents did not settle")


def _toc_html(context, rows, exhibits, templates_dir: Path, requete) -> str:
    template = environment(str(templates_dir)).get_template("sommaire-dossier.html")
    titles = {p["number"]: p["title"] for p in context["pieces"]}
    exhibit_rows = [{**e, "title": titles[e["number"]]} for e in exhibits]
    return template.render(document=requete, parts=rows, exhibit_rows=exhibit_rows, **context)


def _merge(a: Assessment, parts: list[Part], exhibits_pdf: bytes | None, exhibit_titles, counts) -> bytes:
    """Concatenate the parts and the stamped exhibits, with bookmarks and metadata."""
    with ExitStack() as stack:
        out = stack.enter_context(pikepdf.new())
        sources = [stack.enter_context(pikepdf.open(BytesIO(p.pdf))) for p in parts]
        if exhibits_pdf is not None:
            sources.append(stack.enter_context(pikepdf.open(BytesIO(exhibits_pdf))))
        for source in sources:
            out.pages.extend(source.pages)
        with out.open_outline() as outline:
            page = 0
            for part in parts:
                outline.root.append(pikepdf.OutlineItem(part.title, page))
                page += part.pages
            for (number, title), count in zip(exhibit_titles, counts, strict=True):
                outline.root.append(pikepdf.OutlineItem(f"Pièce n° {number} : {title}", page))
                page += count
        out.docinfo["/Title"] = f"Dossier d'injonction de payer — {a.claim.debtor.name}"
        out.docinfo["/Author"] = a.claim.creditor.name
        out.docinfo["/Creator"] = "Dûment"
        out.Root.Lang = pikepdf.String("fr")
        buffer = BytesIO()
        out.save(buffer)
    return buffer.getvalue()
