"""French names of the claim's fields, for messages that point at a claim path (``debtor.address.city``)."""

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
    label = _BY_PATH.get(bare) or _BY_KEY.get(bare.rsplit(".", 1)[-1], bare.rsplit(".", 1)[-1])
    index = _INDEX.search(path)
    return f"{label} (ligne {int(index.group(1)) + 1})" if index else label
