"""What a document template receives: plain values built from an assessment.

Templates never see engine objects, only strings, Decimals, dates, lists and dicts, so
they stay simple and the same context serves previews, PDFs and tests. Mentions the
claim file lacks are listed in ``missing`` and shown as blanks to fill, never invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from stdnum import iban as stdnum_iban
from stdnum.fr import siren as stdnum_siren

from ..domain.assessment import Assessment
from ..domain.claim import Claim, Party
from ..domain.court import DIRECTORY, TAE, TC
from ..domain.french import amount_in_words, short_date
from ..domain.ledger import InvoiceAccount
from ..domain.parties import Regime, kind_label
from ..domain.procedures import Library
from ..domain.routes import PROCEEDINGS_LABELS
from .echeancier import plan_context
from .postal import country_name, postal_block
from .sender import sender_name

EVIDENCE_LABELS = {
    "signed_quote": "Devis signé",
    "purchase_order": "Bon de commande",
    "contract": "Contrat",
    "delivery_note": "Bon de livraison",
    "acceptance": "Procès-verbal de réception ou acceptation",
    "general_terms": "Conditions générales",
    "correspondence": "Correspondance",
    "formal_notice_receipt": "Mise en demeure et avis de réception",
    "other": "Pièce",
}


@dataclass(frozen=True)
class Options:
    """Choices the user makes for a document, beyond the claim file."""

    payment_deadline_days: int = 8
    draft: bool = False  # a team's dossier not yet verified: every page says "projet"


DEFAULT_OPTIONS = Options()


def piece_list(claim: Claim) -> list[dict[str, Any]]:
    """Every exhibit in the bordereau's order: invoices first, then the other evidence."""
    pieces = []
    for inv in claim.invoices:
        pieces.append(
            {
                "title": f"Facture n° {inv.number}",
                "date": inv.issued,
                "amount": inv.amount,
                "kind": "invoice",
                "kind_label": "Facture",
                "file": inv.file,
            }
        )
    pieces += _credit_note_pieces(claim)
    for ev in claim.evidence:
        pieces.append(
            {
                "title": ev.title,
                "date": ev.date,
                "amount": None,
                "kind": ev.kind,
                "kind_label": EVIDENCE_LABELS[ev.kind],
                "file": ev.file,
            }
        )
    pieces += _history_pieces(claim)
    for number, piece in enumerate(pieces, start=1):
        piece["number"] = number
    return pieces


def _credit_note_pieces(claim: Claim) -> list[dict[str, Any]]:
    """The credit notes granted, right after the invoices they lower."""
    return [
        {
            "title": f"Avoir n° {n.number}" + (f" sur la facture n° {n.invoice}" if n.invoice else ""),
            "date": n.date,
            "amount": n.amount,
            "kind": "credit_note",
            "kind_label": "Avoir",
            "file": n.file,
        }
        for n in claim.credit_notes
    ]


def _history_pieces(claim: Claim) -> list[dict[str, Any]]:
    """What the requête relies on beyond the listed evidence: the mise en demeure and the written
    acknowledgments. Listed to be joined (no file). A contractual rate is claimed only when a
    listed piece proves it (``domain.terms``), so no piece is announced for it here."""
    kinds = {ev.kind for ev in claim.evidence}
    titles = {ev.title for ev in claim.evidence}
    pieces = []

    def add(title, day, evidence_kind):
        if title in titles:  # already given as evidence (with its file), e.g. from the Documents page
            return
        pieces.append(
            {
                "title": title,
                "date": day,
                "amount": None,
                "kind": "other",
                "kind_label": "Pièce",
                "file": None,
                "evidence_kind": evidence_kind,  # what it becomes once its file is given
            }
        )

    notice = claim.history.formal_notice
    if notice and "formal_notice_receipt" not in kinds:
        received = f" et avis de réception du {short_date(notice.received)}" if notice.received else ""
        add(f"Lettre de mise en demeure du {short_date(notice.sent)}{received}", notice.sent, "formal_notice_receipt")
    for ack in claim.history.acknowledgments:
        add(f"Reconnaissance de dette écrite du {short_date(ack.date)}", ack.date, "other")
    return pieces


def build_context(a: Assessment, library: Library, options: Options = DEFAULT_OPTIONS) -> dict[str, Any]:
    """The full template context for every document of this claim on ``a.as_of``."""
    claim = a.claim
    missing: list[str] = []
    creditor, debtor = _party(claim.creditor, missing, "créancier"), _party(claim.debtor, [], "débiteur")
    creditor |= _as_sender(claim.creditor, library, a.as_of)
    deadline = a.as_of + timedelta(days=options.payment_deadline_days)
    live = [acc for acc in a.accounts if not a.prescriptions[acc.invoice.number].prescribed]
    amounts = _amounts(a, live)
    _identity_gaps(claim, missing)
    return {
        "as_of": a.as_of,
        "place": claim.creditor.address.city,
        "creditor": creditor,
        "debtor": debtor,
        "recipient": _recipient(claim),
        "regime": a.regime.value,
        "b2b": a.regime is Regime.B2B,
        "consumer": a.regime is Regime.CONSUMER,
        "public": a.regime is Regime.PUBLIC,
        "invoices": [_invoice(a, acc) for acc in live if acc.balance > 0 or acc.indemnity > 0],
        "barred_invoices": [acc.invoice.number for acc in a.accounts if acc not in live and acc.balance > 0],
        "current_rate": _current_rate(a, live),
        "all_invoices": [_invoice(a, acc) for acc in a.accounts],
        "payments": _payments(a),
        "credit_notes": _credit_notes(a),
        "amounts": {**amounts, "total_words": amount_in_words(amounts["total"])},
        "interest_explanation": a.accounts[0].plan.explanation() if a.accounts else "",
        "deadline_days": options.payment_deadline_days,
        "draft": options.draft,
        "deadline_date": deadline,
        "court": _court(a, missing),
        "pieces": piece_list(claim),
        "dispute": claim.dispute,
        "history": claim.history,
        "formal_notice_unanswered": _notice_unanswered(a),
        "payment_plan": plan_context(a, library),
        "negotiation": claim.negotiation,
        "filing": {"refer_on_opposition": claim.filing.refer_on_opposition},
        "threshold": a.simplified_threshold,
        "proceedings": _proceedings(a),
        "prescription": a.prescription,
        "notes": list(a.notes),
        "missing": missing,
        "address_problems": list(_recipient(claim)["problems"]),
    }


def _notice_unanswered(a: Assessment) -> bool:
    """Whether the délai the mise en demeure gave has run: only then was it "restée sans effet"."""
    expiry = next((d for d in a.deadlines if d.id == "formal_notice_expiry"), None)
    return expiry is not None and expiry.passed


def _party(p: Party, missing: list[str], role: str) -> dict[str, Any]:
    natural = p.kind in ("sole_trader", "individual", "consumer")
    if natural and role == "créancier":
        for field, label in (
            ("birth_date", "date de naissance"),
            ("birth_place", "lieu de naissance"),
            ("nationality", "nationalité"),
            ("profession", "profession"),
        ):
            if getattr(p, field) is None:
                missing.append(f"{label} du créancier (art. 54 CPC)")
    return {
        "name": p.name,
        "person_name": f"{p.first_name} {p.last_name.upper()}" if natural and p.first_name and p.last_name else None,
        "kind": p.kind,
        "kind_label": kind_label(p),
        "legal_form": p.legal_form,
        "siren": stdnum_siren.format(p.siren) if p.siren else None,
        "address_lines": _address_lines(p),
        "city": p.address.city,
        "email": p.email,
        "phone": p.phone,
        "signatory": p.signatory or p.name,
        "iban": stdnum_iban.format(p.iban) if p.iban else None,
        "natural_person": natural,
        "birth_date": p.birth_date,
        "birth_place": p.birth_place,
        "nationality": p.nationality,
        "profession": p.profession,
        "activity": p.activity,
    }


def _as_sender(p: Party, library: Library, on) -> dict[str, str]:
    """The name the letters print as sender and signer (an EI's carries its mention)."""
    name = sender_name(p, library.parameters, on)
    same = p.signatory is None or p.signatory == p.name
    return {"sender_name": name, "signatory": name if same else p.signatory}


def _address_lines(p: Party) -> list[str]:
    a = p.address
    lines = [a.line1] + ([a.line2] if a.line2 else []) + [f"{a.postcode} {a.city}"]
    if a.country != "FR":
        lines.append(country_name(a.country))
    return lines


def _recipient(claim: Claim) -> dict[str, Any]:
    block = postal_block(claim.debtor.name, claim.debtor.address)
    return {"lines": list(block.lines), "problems": list(block.problems)}


def _invoice(a: Assessment, acc: InvoiceAccount) -> dict[str, Any]:
    inv = acc.invoice
    return {
        "number": inv.number,
        "issued": inv.issued,
        "performed": inv.performed,
        "due": acc.due,
        "due_is_default": acc.due_reason is not None,
        "due_reason": acc.due_reason,
        "description": inv.description,
        "amount": inv.amount,
        "paid": acc.paid,
        "outstanding": acc.principal,
        "interest": acc.interest,
        "interest_paid": acc.interest_paid,
        "indemnity": acc.indemnity,
        "days_late": acc.days_late(a.as_of),
        "provisional": acc.provisional,
        "balance": acc.principal + acc.interest + acc.indemnity,
        "periods": [
            {
                "start": p.start,
                "end": p.end,
                "days": p.days,
                "principal": p.principal,
                "rate": p.rate,
                "basis": p.basis,
                "year_days": p.year_days,
                "interest": p.interest,
                "provisional": p.provisional,
            }
            for p in acc.periods
        ],
        "imputations": [
            {"date": i.date, "to_interest": i.to_interest, "to_principal": i.to_principal, "assigned": i.assigned}
            for i in acc.imputations
        ],
        "credits": [{"number": c.number, "date": c.date, "amount": c.amount} for c in acc.credits],
        "credited": acc.credited,
        "prescribed": a.prescriptions[inv.number].prescribed,
    }


def _payments(a: Assessment) -> list[dict[str, Any]]:
    rows = []
    for acc in a.accounts:
        for i in acc.imputations:
            rows.append(
                {
                    "date": i.date,
                    "invoice": acc.invoice.number,
                    "amount": i.to_interest + i.to_principal,
                    "to_interest": i.to_interest,
                    "to_principal": i.to_principal,
                    "assigned": i.assigned,
                }
            )
    return sorted(rows, key=lambda r: (r["date"], r["invoice"]))


def _credit_notes(a: Assessment) -> list[dict[str, Any]]:
    """Every credit note with the invoice it lowered, in date order."""
    rows = [
        {"number": c.number, "date": c.date, "amount": c.amount, "invoice": acc.invoice.number}
        for acc in a.accounts
        for c in acc.credits
    ]
    return sorted(rows, key=lambda r: (r["date"], r["number"]))


def _amounts(a: Assessment, live: list[InvoiceAccount]) -> dict[str, Any]:
    """What the documents claim: the invoices not time-barred (a barred debt is not sued for)."""
    total = lambda key: sum((getattr(acc, key) for acc in live), Decimal(0))  # noqa: E731
    principal, interest, indemnity = total("principal"), total("interest"), total("indemnity")
    return {
        "principal": principal,
        "interest": interest,
        "indemnity": indemnity,
        "total": principal + interest + indemnity,
        "provisional": any(acc.provisional for acc in live),
        "invoiced": sum((acc.invoice.amount for acc in live), Decimal(0)),
        "paid": total("paid"),
        "principal_and_interest": principal + interest,
    }


def _current_rate(a: Assessment, live: list[InvoiceAccount]) -> dict[str, Any] | None:
    """The rate running after the as-of date, for "jusqu'à parfait paiement"; None when none runs."""
    last = [acc.periods[-1] for acc in live if acc.principal > 0 and acc.periods and acc.periods[-1].end == a.as_of]
    if not last:
        return None
    rates = {(p.rate, p.basis) for p in last}
    rate, basis = next(iter(rates)) if len(rates) == 1 else (None, "")
    variable = "BCE" in basis or "légal" in basis
    return {"rate": rate, "basis": basis, "since": a.as_of + timedelta(days=1), "variable": variable}


def _identity_gaps(claim: Claim, missing: list[str]) -> None:
    """Mentions a court request needs about the parties that the claim file cannot give."""
    creditor, debtor = claim.creditor, claim.debtor
    if creditor.kind in ("company", "association") and not creditor.signatory:
        missing.append("nom et qualité du représentant légal du créancier (art. 54 CPC)")
    for party, article in ((creditor, "54"), (debtor, "57")):
        if party.kind == "sole_trader" and not (party.first_name and party.last_name):
            missing.append(
                f"nom et prénoms de l'entrepreneur individuel si « {party.name} » est un nom "
                f"commercial (art. {article} CPC)"
            )


def _court(a: Assessment, missing: list[str]) -> dict[str, Any]:
    """The court the requête is addressed to, as the assessment found it; a marked blank where
    the exact one is unknown."""
    court = a.court
    kind, place = court.kind, f"{a.claim.debtor.address.postcode} {a.claim.debtor.address.city}"
    if court.ressort_unknown:
        missing.append(
            f"tribunal compétent pour {place} : {TC} ou {TAE} de {court.ressort_unknown}, "
            f"selon le ressort de la commune ; vérifiez dans l'annuaire officiel : {DIRECTORY}"
        )
    elif kind and not court.name:
        missing.append(
            f"nom exact du {kind} compétent (celui du siège ou du domicile du débiteur, {place}) : {DIRECTORY}"
        )
    if kind == TAE:
        missing.append(
            "vérifiez auprès du greffe que le tribunal des activités économiques reçoit les "
            "injonctions de payer (point établi par une seule source)"
        )
    label = court.filing_label
    return {
        "kind": kind,
        "label": label,
        "of_label": ("de la " if label and label.startswith("chambre") else "du ") + (label or ""),
        "name": court.name,
        "reasons": list(court.reasons),
        "directory": DIRECTORY,
        "cerfa": court.form,
        "commercial": court.commercial,
        "debtor_place": place,
        "ressort_unknown": court.ressort_unknown,
    }


def _proceedings(a: Assessment) -> dict[str, Any] | None:
    p = a.claim.debtor.proceedings
    if p.kind == "none":
        return None
    mandataire = None
    if p.mandataire:
        lines = [p.mandataire.name]
        if p.mandataire.address:
            lines = list(postal_block(p.mandataire.name, p.mandataire.address).lines)
        mandataire = {"name": p.mandataire.name, "lines": lines}
    declared = [_invoice(a, acc) for acc in a.declared]
    totals = {
        key: sum((i[key] for i in declared), Decimal(0)) for key in ("outstanding", "interest", "indemnity", "balance")
    }
    return {
        "kind": p.kind,
        "label": PROCEEDINGS_LABELS[p.kind],
        "opened": p.opened,
        "published": p.published,
        "deadline": a.declaration_deadline,
        "mandataire": mandataire,
        "liquidation": p.kind == "liquidation",
        "declared": declared,
        "totals": totals,
        "total_words": amount_in_words(totals["balance"]),
    }
