"""Turning a claim's assessment into documents: which ones it may have, HTML, PDF.

Templates live in ``letter_templates/`` and run in their own Jinja environment
(autoescape, StrictUndefined): user text is always escaped, and a missing value is an
error rather than a silent blank. A document is available when a route open for this
claim produces it; otherwise the refusal says why, in the routes' own words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..domain.assessment import Assessment
from ..domain.procedures import Library
from . import echeancier
from .context import DEFAULT_OPTIONS, Options, build_context
from .french import date_courte, date_longue, format_euros, format_percent, montant_en_lettres
from .payment_qr import epc_data_uri
from .pdf import html_to_pdf

STYLESHEETS = ("css/documents.css",)


@dataclass(frozen=True)
class DocumentType:
    id: str
    title: str
    template: str


DOCUMENTS = {
    d.id: d
    for d in (
        DocumentType("relance", "Relance amiable", "relance.html"),
        DocumentType("mise-en-demeure", "Mise en demeure de payer", "mise-en-demeure.html"),
        DocumentType(
            "demande-procedure-simplifiee",
            "Demande de procédure simplifiée de recouvrement des petites créances",
            "demande-procedure-simplifiee.html",
        ),
        DocumentType(
            "requete-injonction-de-payer", "Requête en injonction de payer", "requete-injonction-de-payer.html"
        ),
        DocumentType("decompte", "Décompte des sommes dues", "decompte.html"),
        DocumentType("bordereau-pieces", "Bordereau de pièces", "bordereau-pieces.html"),
        DocumentType("declaration-de-creance", "Déclaration de créance", "declaration-de-creance.html"),
        DocumentType(echeancier.DOCUMENT_ID, "Échéancier et reconnaissance de dette", "echeancier.html"),
    )
}
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


def check_available(a: Assessment, document_id: str) -> None:
    if document_id not in DOCUMENTS:
        raise DocumentUnavailable(f"document inconnu « {document_id} » ; documents possibles : {', '.join(DOCUMENTS)}")
    ok, reasons = availability(a, document_id)
    if not ok:
        title = DOCUMENTS[document_id].title
        raise DocumentUnavailable(f"{title} impossible pour cette créance : " + " ".join(reasons))


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
        euros=format_euros,
        words=montant_en_lettres,
        long_date=date_longue,
        short_date=date_courte,
        percent=format_percent,
    )
    env.globals["epc_qr"] = epc_data_uri
    return env


def render_html(document_id: str, context: dict[str, Any], templates_dir: Path) -> str:
    doc = DOCUMENTS[document_id]
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
    check_available(a, document_id)
    context = build_context(a, library, options)
    return html_to_pdf(
        render_html(document_id, context, templates_dir),
        static_dir=static_dir,
        title=f"{DOCUMENTS[document_id].title} — {a.claim.debtor.name}",
        author=a.claim.creditor.name,
        stylesheets=STYLESHEETS,
    )


def relance_email(
    a: Assessment, library: Library, templates_dir: Path, options: Options = DEFAULT_OPTIONS
) -> tuple[str, str]:
    """The reminder as an e-mail to paste: (subject, body)."""
    check_available(a, "relance")
    text = render_text("relance-email.txt", build_context(a, library, options), templates_dir)
    subject, _, body = text.partition("\n")
    return subject.removeprefix("Objet : ").strip(), body.strip() + "\n"
