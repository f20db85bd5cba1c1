"""Turning a claim's assessment into documents: which ones it may have, HTML, PDF.

Templates live in ``letter_templates/`` and run in their own Jinja environment
(autoescape, StrictUndefined): user text is always escaped, and a missing value is an
error rather than a silent blank. A document is available when a route open for this
claim produces it; otherwise the refusal says why, in the routes' own words.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..domain.assessment import Assessment
from ..domain.french import amount_in_words, euros, long_date, percent, short_date
from ..domain.procedures import Document, Library
from . import echeancier
from .context import DEFAULT_OPTIONS, Options, build_context
from .payment_qr import epc_data_uri
from .pdf import html_to_pdf

STYLESHEETS = ("css/documents.css",)


# Documents that no route produces: offered by a rule of their own.
_OWN_RULES = {echeancier.DOCUMENT_ID: echeancier.availability}


class DocumentUnavailable(Exception):
    """This claim cannot have this document; the message says why, in French."""


def availability(a: Assessment, document_id: str) -> tuple[bool, list[str]]:
    """Whether an open route produces the document, else the reasons that close them."""
    if document_id in _OWN_RULES:
        return _OWN_RULES[document_id](a)
    routes = [r for r in a.routes if document_id in r.route.documents]
    if any(r.eligible for r in routes):
        return True, []
    reasons = list(dict.fromkeys(reason for r in routes for reason in r.reasons))
    return False, reasons or ["aucune voie de recouvrement ne produit ce document"]


def check_available(a: Assessment, library: Library, document_id: str) -> Document:
    """The document, when this claim may have it; DocumentUnavailable says why not."""
    documents = library.documents
    if document_id not in documents:
        raise DocumentUnavailable(f"document inconnu « {document_id} » ; documents possibles : {', '.join(documents)}")
    ok, reasons = availability(a, document_id)
    doc = documents[document_id]
    if not ok:
        raise DocumentUnavailable(f"{doc.title} impossible pour cette créance : " + " ".join(reasons))
    return doc


@functools.lru_cache(maxsize=4)
def environment(templates_dir: str) -> Environment:
    """The documents' own Jinja environment: HTML escaped, undefined values are errors."""
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        nbsp=lambda text: str(text).replace(" ", "\u00a0"),
        euros=euros,
        words=amount_in_words,
        long_date=long_date,
        short_date=short_date,
        percent=percent,
    )
    env.globals["epc_qr"] = epc_data_uri
    return env


def render_html(doc: Document, context: dict[str, Any], templates_dir: Path) -> str:
    template = environment(str(templates_dir)).get_template(doc.template)
    return template.render(document=doc, **context)


def render_text(name: str, context: dict[str, Any], templates_dir: Path) -> str:
    """A plain-text template (the reminder as an e-mail): not HTML, so not escaped."""
    return environment(str(templates_dir)).get_template(name).render(**context)


def render_pdf(
    document_id: str,
    a: Assessment,
    library: Library,
    *,
    templates_dir: Path,
    static_dir: Path,
    options: Options = DEFAULT_OPTIONS,
) -> bytes:
    """One document of the claim as print-ready PDF bytes, with title, author and language."""
    doc = check_available(a, library, document_id)
    context = build_context(a, library, options)
    return html_to_pdf(
        render_html(doc, context, templates_dir),
        static_dir=static_dir,
        title=f"{doc.title} — {a.claim.debtor.name}",
        author=a.claim.creditor.name,
        stylesheets=STYLESHEETS,
    )


def relance_email(
    a: Assessment, library: Library, templates_dir: Path, options: Options = DEFAULT_OPTIONS
) -> tuple[str, str]:
    """The reminder as an e-mail to paste: (subject, body)."""
    check_available(a, library, "relance")
    text = render_text("relance-email.txt", build_context(a, library, options), templates_dir)
    subject, _, body = text.partition("\n")
    return subject.removeprefix("Objet : ").strip(), body.strip() + "\n"
