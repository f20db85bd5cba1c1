"""French names of the claim's fields, for every page that points at a claim path (``debtor.address.city``):
in a sentence of a step (``field_label``) or on its own (``claim_label``)."""

from __future__ import annotations

import re

# A full path wins over its last key: "kind" means a different question for each party.
_BY_PATH = {
    "creditor.kind": "votre statut (« Vous êtes »)",
    "debtor.kind": "type de client",
    "debtor.name": "nom ou raison sociale du client",
    "debtor.proceedings.opened": "date du jugement d'ouverture",
    "debtor.mandataire.name": "nom du mandataire ou liquidateur judiciaire",
}
_BY_KEY = {
    "name": "nom ou raison sociale",
    "address": "adresse",
    "line1": "adresse (numéro et rue)",
    "postcode": "code postal",
    "city": "ville",
    "country": "pays",
    "siren": "numéro SIREN",
    "number": "numéro de la facture",
    "issued": "date de la facture",
    "due": "date d'échéance",
    "amount": "montant",
    "date": "date",
    "invoices": "factures",
}
_INDEX = re.compile(r"\[(\d+)\]")
# The order the forms ask for them, so a list of missing fields reads like the page.
_ORDER = ("name", "kind", "legal_form", "siren", "address", "line1", "line2", "postcode", "city", "country")


def field_rank(path: str) -> tuple[str, int]:
    """A sort key putting the fields of a step in the order its form shows them."""
    key = _INDEX.sub("", path).rpartition(".")[2]
    return (path.split(".")[0], _ORDER.index(key) if key in _ORDER else len(_ORDER))


def field_label(path: str) -> str:
    """The French label of the field at ``path``, with the line number for a list item."""
    bare = _INDEX.sub("", path)
    key = bare.rsplit(".", 1)[-1]
    label = _BY_PATH.get(bare) or _BY_KEY.get(key) or FIELD_LABELS.get(key, key)
    index = _INDEX.search(path)
    return f"{label} (ligne {int(index.group(1)) + 1})" if index else label


SECTION_LABELS = {
    "creditor": "Vous",
    "debtor": "Votre client",
    "invoices": "Facture",
    "payments": "Paiement",
    "credit_notes": "Avoir",
    "evidence": "Pièce",
    "terms": "Conditions de paiement",
    "dispute": "Litige",
    "negotiation": "Négociation",
    "history": "Démarches déjà faites",
    "follow_up": "Relances prévues",
}
PATH_LABELS = {  # whole paths that read better as one phrase
    "invoices": "Factures",
    "payments": "Paiements",
    "credit_notes": "Avoirs",
    "evidence": "Pièces",
    "creditor.name": "Votre nom",
    "creditor.kind": "Vous : type",
    "creditor.siren": "Votre SIREN",
    "creditor.address": "Votre adresse",
    "creditor.email": "Votre adresse électronique",
    "creditor.iban": "Votre IBAN",
    "debtor.name": "Nom de votre client",
    "debtor.kind": "Votre client : type",
    "debtor.siren": "SIREN de votre client",
    "debtor.address": "Adresse de votre client",
    "debtor.email": "Adresse électronique de votre client",
}
FIELD_LABELS = {
    "name": "nom",
    "kind": "type",
    "siren": "SIREN",
    "legal_form": "forme juridique",
    "address": "adresse",
    "line1": "adresse",
    "line2": "complément d'adresse",
    "postcode": "code postal",
    "city": "ville",
    "country": "pays",
    "email": "adresse électronique",
    "iban": "IBAN",
    "signatory": "signataire",
    "number": "numéro",
    "issued": "date",
    "performed": "date de livraison ou de prestation",
    "due": "échéance",
    "amount": "montant",
    "date": "date",
    "invoice": "facture",
    "description": "description",
    "file": "fichier",
    "title": "titre",
    "late_penalty_rate": "taux des pénalités de retard",
    "reminders": "relance",
    "acknowledgments": "reconnaissance de dette",
}


def claim_label(path: str) -> str:
    """A claim-file path in the person's words: ``creditor.siren`` is « Votre SIREN », ``invoices[1].due``
    « Facture 2 : échéance »; the one mapping for every page that names a field of the claim."""
    if path in PATH_LABELS:
        return PATH_LABELS[path]
    head, _, rest = path.partition(".")
    name, _, index = head.partition("[")
    if name not in SECTION_LABELS:
        return path  # not a claim path (a file name, "(fichier)"): shown as it is
    first = rest.split(".")[0]
    if not index and f"{name}.{first}" in PATH_LABELS:
        label, fields = PATH_LABELS[f"{name}.{first}"], rest.split(".")[1:]
    else:
        label = SECTION_LABELS[name] + (f" {int(index.rstrip(']')) + 1}" if index.rstrip("]").isdigit() else "")
        fields = rest.split(".") if rest else []
    words = [FIELD_LABELS.get(f.partition("[")[0], f.partition("[")[0]) for f in fields]
    return " : ".join([label, *words])
