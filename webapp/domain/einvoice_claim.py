"""From e-invoices to a claim file: what each field of the claim is taken from.

Follows ``claim-format.md`` ("dument import"): the seller is the creditor, the buyer the
debtor, each invoice an ``invoices[]`` entry, prepaid amounts ``payments[]`` on their
invoice, credit notes ``credit_notes[]``, the purchase order and contract references
evidence to join. What the files do not say is left out and named, never invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from .einvoice import EInvoice, EParty, read_einvoice
from .einvoice_mentions import Mentions, check_mentions
from .parameters import Parameters

_ADDRESS_KEYS = ("line1", "line2", "postcode", "city", "country")
ASSUMED_KIND = "company"  # an e-invoice does not say whether a party is a company, a sole trader…
ASSUMED_REASON = (
    "valeur retenue, une facture électronique ne le disant pas ; "
    "corrigez pour un entrepreneur individuel, une association, un particulier ou une personne publique."
)
_SEPARATELY = {"seller": "émises par chaque vendeur (chaque créancier a son dossier)", "buyer": "de chaque client"}


class PartiesError(ValueError):
    """The files name more than one seller or buyer: a claim opposes one creditor to one debtor."""


@dataclass
class Imported:
    """A claim built from e-invoices, with what is missing and what the user should know."""

    data: dict[str, Any]
    missing: list[tuple[str, str]] = field(default_factory=list)  # (field path, French message)
    notes: list[str] = field(default_factory=list)
    mentions: list[Mentions] = field(default_factory=list)
    assumed: dict[str, str] = field(default_factory=dict)  # field path -> kind deduced, not read: to check


def import_claim(einvoices: list[EInvoice], params: Parameters) -> Imported:
    """The claim these e-invoices make; raises PartiesError for two sellers or two buyers."""
    seller = merged_party(einvoices, "seller", "vendeurs")
    buyer = merged_party(einvoices, "buyer", "acheteurs")
    result = Imported({})
    docs = _unique(einvoices, result.notes)
    invoices = [e for e in docs if not e.credit_note]
    first = invoices[0] if invoices else docs[0]
    creditor = _party_data(seller, "creditor", first, result.missing)
    iban = next((e.iban for e in docs if e.iban), None)
    if iban:
        creditor["iban"] = iban
    data: dict[str, Any] = {"creditor": creditor, "debtor": _party_data(buyer, "debtor", first, result.missing)}
    data["invoices"] = [_invoice(e) for e in invoices]
    if not invoices:
        result.missing.append(("invoices", "aucune facture parmi ces fichiers (seulement des avoirs), à compléter"))
    numbers = {e.number for e in invoices}
    payments = [{"date": e.issued, "amount": _fmt(e.prepaid), "invoice": e.number} for e in invoices if e.prepaid > 0]
    credits = [_credit_note(e, numbers, result.notes) for e in docs if e.credit_note]
    evidence = _evidence(invoices)
    result.mentions = [check_mentions(e, params) for e in invoices]
    terms = _terms(result.mentions)
    for key, value in (("payments", payments), ("credit_notes", credits), ("terms", terms), ("evidence", evidence)):
        if value:
            data[key] = value
    result.notes += _warnings(invoices, docs)
    result.assumed = {"creditor.kind": ASSUMED_KIND, "debtor.kind": ASSUMED_KIND}
    result.data = _plain(data)
    return result


def _warnings(invoices: list[EInvoice], docs: list[EInvoice]) -> list[str]:
    """What the user must check besides the parties' kind: odd due dates, other currencies."""
    notes = [
        f"La facture {e.number} indique une échéance ({e.due.isoformat()}) antérieure à sa date : ignorée, "
        f"le délai légal s'applique ; corrigez l'échéance si elle est fausse."
        for e in invoices
        if e.due and e.due < e.issued
    ]
    notes += [f"{e.source} : montants en {e.currency}, à convertir en euros." for e in docs if e.currency != "EUR"]
    return notes


def grouped(assumed: dict[str, str]) -> dict[str, list[str]]:
    """The assumed values, each with the field paths it was given to (said once for all)."""
    out: dict[str, list[str]] = {}
    for path, value in assumed.items():
        out.setdefault(value, []).append(path)
    return out


def _plain(value: Any) -> Any:
    """Dates as ISO strings, as a claim file (and the web app's JSON) holds them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def import_files(files: list[tuple[str, bytes]], params: Parameters) -> Imported:
    """Read every (name, bytes) file and build their claim; EInvoiceError names a bad file."""
    return import_claim([read_einvoice(data, name) for name, data in files], params)


def to_yaml(data: dict[str, Any]) -> str:
    """The claim file as YAML, in the contract's order, accents kept."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def merged_party(einvoices: list[EInvoice], role: str, plural: str) -> EParty:
    """The one seller (or buyer) of all files, its fields merged; PartiesError if several."""
    groups: list[list[tuple[EParty, str]]] = []
    for e in einvoices:
        party = getattr(e, role)
        group = next((g for g in groups if same_party(g[0][0], party)), None)
        if group is None:
            groups.append([(party, e.source)])
        else:
            group.append((party, e.source))
    if len(groups) > 1:
        names = " ; ".join(f"« {g[0][0].name or 'sans nom'} » ({', '.join(s for _, s in g)})" for g in groups)
        raise PartiesError(
            f"Ces fichiers nomment plusieurs {plural} : {names}. Une créance oppose un seul créancier à un "
            f"seul débiteur : importez séparément les factures {_SEPARATELY[role]}."
        )
    parties = [p for p, _ in groups[0]]
    merged = {k: next((getattr(p, k) for p in parties if getattr(p, k)), None) for k in EParty.__dataclass_fields__}
    return EParty(**merged)


def same_party(a: EParty, b: EParty) -> bool:
    """Same SIREN when both have one, else the same name (case and spacing aside)."""
    if a.siren and b.siren:
        return a.siren == b.siren
    return " ".join((a.name or "").upper().split()) == " ".join((b.name or "").upper().split())


def _unique(einvoices: list[EInvoice], notes: list[str]) -> list[EInvoice]:
    """Each document once (the same invoice may come as a PDF and as XML), by date then number."""
    seen: dict[tuple[bool, str], EInvoice] = {}
    for e in einvoices:
        key = (e.credit_note, e.number)
        if key in seen:
            what = "L'avoir" if e.credit_note else "La facture"
            notes.append(f"{what} {e.number} figure dans {seen[key].source} et {e.source} : une seule fois retenue.")
            continue
        seen[key] = e
    return sorted(seen.values(), key=lambda e: (e.issued, e.number))


def _party_data(p: EParty, path: str, first: EInvoice, missing: list[tuple[str, str]]) -> dict[str, Any]:
    """A creditor or debtor of the claim file; required fields the files lack are named."""
    absent = f"absent de la facture {first.number}, à compléter"
    address = {k: getattr(p, k) for k in _ADDRESS_KEYS if getattr(p, k)}
    data: dict[str, Any] = {
        "name": p.name,
        "kind": ASSUMED_KIND,
        "siren": p.siren,
        "address": address,
        "email": p.email,
    }
    if not p.name:
        missing.append((f"{path}.name", absent))
    lacking = [k for k in ("line1", "postcode", "city") if k not in address]
    if lacking:
        missing.append((f"{path}.address", absent if len(lacking) == 3 else f"{', '.join(lacking)} {absent}"))
    if p.siren_problem:
        missing.append((f"{path}.siren", f"{p.siren_problem} (facture {first.number}), à vérifier"))
    elif not p.siren and path == "creditor":  # required of a company creditor only
        missing.append((f"{path}.siren", absent))
    return {k: v for k, v in data.items() if v}


def _invoice(e: EInvoice) -> dict[str, Any]:
    data = {
        "number": e.number,
        "issued": e.issued,
        "performed": e.performed,
        "due": e.due if e.due and e.due >= e.issued else None,
        "amount": _fmt(e.amount),
        "description": e.description,
        "file": e.source,
    }
    return {k: v for k, v in data.items() if v is not None}


def _credit_note(e: EInvoice, numbers: set[str], notes: list[str]) -> dict[str, Any]:
    """A credit note on the invoice it names; without one among the files, on the oldest unpaid."""
    named = [n for n in e.preceding if n in numbers]
    data = {"number": e.number, "date": e.issued, "amount": _fmt(e.amount), "file": e.source}
    if named:
        data["invoice"] = named[0]
    elif e.preceding:
        notes.append(
            f"L'avoir {e.number} porte sur la facture {', '.join(e.preceding)}, absente des fichiers importés : "
            f"il est imputé sur la plus ancienne facture impayée ; importez cette facture ou corrigez l'avoir."
        )
    else:
        notes.append(f"L'avoir {e.number} ne nomme pas de facture : il est imputé sur la plus ancienne impayée.")
    return data


def _evidence(invoices: list[EInvoice]) -> list[dict[str, Any]]:
    """The purchase orders (BT-13) and contracts (BT-12) the invoices cite, to be joined."""
    cited: dict[tuple[str, str], list[EInvoice]] = {}
    for e in invoices:
        for kind, ref in (("purchase_order", e.order_ref), ("contract", e.contract_ref)):
            if ref:
                cited.setdefault((kind, ref), []).append(e)
    items = []
    for (kind, ref), by in cited.items():
        label = "Bon de commande" if kind == "purchase_order" else "Contrat"
        which = f"la facture {by[0].number}" if len(by) == 1 else f"les factures {', '.join(e.number for e in by)}"
        items.append({"kind": kind, "title": f"{label} n° {ref} (cité par {which})"})
    return items


def _terms(mentions: list[Mentions]) -> dict[str, Any]:
    """The penalty rate the invoices state, when they all state the same one."""
    rates = {m.rate for m in mentions}
    if len(rates) == 1 and None not in rates:
        return {"late_penalty_rate": rates.pop()}
    return {}


def _fmt(amount: Decimal) -> str:
    return f"{amount:.2f}"


def merge_into(claim: dict[str, Any], imported: Imported) -> tuple[dict[str, Any], list[str]]:
    """Add imported invoices to an existing claim (as saved data); PartiesError for another party.

    The dossier's creditor and debtor stay as typed; they are filled from the files only
    when still empty. Invoices and credit notes already there (same number) are skipped.
    """
    new = imported.data
    for role, label in (("creditor", "le créancier"), ("debtor", "le client")):
        _check_same(claim.get(role) or {}, new.get(role) or {}, label)
    merged, notes = dict(claim), []
    for role in ("creditor", "debtor", "terms"):
        if not merged.get(role) and new.get(role):
            merged[role] = new[role]
    known = {inv.get("number") for inv in merged.get("invoices", [])}
    added = [inv for inv in new.get("invoices", []) if inv["number"] not in known]
    notes += [
        f"La facture {inv['number']} est déjà dans ce dossier : ignorée."
        for inv in new.get("invoices", [])
        if inv["number"] in known
    ]
    credits_known = {n.get("number") for n in merged.get("credit_notes", [])}
    credits = [n for n in new.get("credit_notes", []) if n["number"] not in credits_known]
    numbers = {inv["number"] for inv in added}
    titles = {e.get("title") for e in merged.get("evidence", [])}
    extra = {
        "invoices": added,
        "payments": [p for p in new.get("payments", []) if p.get("invoice") in numbers],
        "credit_notes": credits,
        "evidence": [e for e in new.get("evidence", []) if e["title"] not in titles],
    }
    for key, items in extra.items():
        if items:
            merged[key] = [*merged.get(key, []), *items]
    return merged, notes


def _check_same(saved: dict[str, Any], found: dict[str, Any], label: str) -> None:
    """Refuse files whose seller or buyer is not the dossier's, naming both."""
    if not saved.get("name") or not found.get("name"):
        return
    a = EParty(name=saved.get("name"), siren=saved.get("siren"))
    b = EParty(name=found.get("name"), siren=found.get("siren"))
    if not same_party(a, b):
        raise PartiesError(
            f"Ces factures nomment « {b.name} » là où {label} de ce dossier est « {a.name} » : une créance oppose "
            f"un seul créancier à un seul débiteur ; commencez un autre dossier pour ces factures."
        )
