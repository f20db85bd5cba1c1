"""Assessment output: the JSON object of the claim-format contract, and a French summary."""

from __future__ import annotations

from typing import Any

from .assessment import Assessment
from .followup import STOP_REASONS
from .french import euros, long_date, short_date
from .money import fmt
from .reminder_wording import step_line

_CHECK_LABELS = {"certain": "Certaine", "liquid": "Liquide", "due": "Exigible"}


def to_json(a: Assessment) -> dict[str, Any]:
    """The ``dument assess --json`` object: amounts as strings, dates as ISO strings."""
    return {
        "as_of": a.as_of.isoformat(),
        "regime": a.regime.value,
        "amounts": {
            "principal": fmt(a.amounts.principal),
            "interest": fmt(a.amounts.interest),
            "indemnity": fmt(a.amounts.indemnity),
            "total": fmt(a.amounts.total),
            "provisional": a.amounts.provisional,
        },
        "invoices": [_invoice_json(a, acc) for acc in a.accounts],
        "checks": {k: {"ok": c.ok, "reasons": list(c.reasons)} for k, c in a.checks.items()},
        "prescription": {
            "limit": a.prescription.limit.isoformat() if a.prescription.limit else None,
            "prescribed": a.prescription.prescribed,
            "basis": a.prescription.basis,
            "open_limit": a.prescription.open_limit.isoformat() if a.prescription.open_limit else None,
            "barred_invoices": list(a.prescription.barred),
        },
        "court": {"kind": a.court.kind, "reasons": list(a.court.reasons)},
        "alternatives": [alt.id for alt in a.alternatives],
        "routes": [
            {
                "id": r.route.id,
                "title": r.route.title,
                "eligible": r.eligible,
                "reasons": list(r.reasons),
                "documents": list(r.route.documents),
            }
            for r in a.routes
        ],
        "next_step": a.next_step.route_id,
        "next_step_reasons": list(a.next_step.reasons),
        "next_step_from": _iso(a.next_step_from),
        "deadlines": [_deadline_json(d) for d in a.deadlines],
        "reminders": {
            "plan": [
                {"step": s.step, "date": s.date.isoformat(), "channel": s.channel, "status": s.status}
                for s in a.reminders.steps
            ],
            "stopped": a.reminders.stopped,
        },
        "notes": list(a.notes),
    } | _credit_notes_json(a)


def _credit_notes_json(a: Assessment) -> dict[str, Any]:
    """The optional ``credit_notes`` key: each avoir and the invoice it lowered (absent when none)."""
    if not a.claim.credit_notes:
        return {}
    applied = sorted(
        (
            {"number": c.number, "date": c.date.isoformat(), "amount": fmt(c.amount), "invoice": acc.invoice.number}
            for acc in a.accounts
            for c in acc.credits
        ),
        key=lambda c: (c["date"], c["number"]),
    )
    return {"credit_notes": applied}


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _deadline_json(d) -> dict[str, Any]:
    out = {"id": d.id, "date": d.date.isoformat(), "passed": d.passed, "label": d.label, "basis": d.basis}
    if d.invoice is not None:
        out["invoice"] = d.invoice
    return out


def _invoice_json(a: Assessment, acc) -> dict[str, Any]:
    p = a.prescriptions[acc.invoice.number]
    return {
        "number": acc.invoice.number,
        "amount": fmt(acc.invoice.amount),
        "paid": fmt(acc.paid),
        "outstanding": fmt(acc.principal),
        "due": acc.due.isoformat(),
        "due_is_default": acc.due_reason is not None,
        "days_late": acc.days_late(a.as_of),
        "interest": fmt(acc.interest),
        "indemnity": fmt(acc.indemnity),
        "provisional": acc.provisional,
        "periods": [
            {
                "start": x.start.isoformat(),
                "end": x.end.isoformat(),
                "days": x.days,
                "principal": fmt(x.principal),
                "rate": str(x.rate),
                "basis": x.basis,
                "year_days": x.year_days,
                "interest": fmt(x.interest),
                "provisional": x.provisional,
            }
            for x in acc.periods
        ],
        "prescription_limit": p.limit.isoformat(),
        "prescribed": p.prescribed,
        "prescription_basis": p.basis,
    } | ({"credited": fmt(acc.credited)} if a.claim.credit_notes else {})


def to_text(a: Assessment) -> str:
    """A readable French summary: amounts, checks, prescription, court, routes, next step."""
    d = short_date
    flag = " (provisoire)" if a.amounts.provisional else ""
    lines = [
        f"Évaluation de la créance au {d(a.as_of)}",
        f"Créancier : {a.claim.creditor.name} — Débiteur : {a.claim.debtor.name}",
        "",
        "Montants dus" + flag,
    ]
    for acc in a.accounts:
        lines.append(
            f"  Facture {acc.invoice.number} : reste {euros(acc.principal)}, intérêts "
            f"{euros(acc.interest)}, indemnité {euros(acc.indemnity)} ; échéance "
            f"{d(acc.due)}, {acc.days_late(a.as_of)} jours de retard"
        )
        lines += [f"    avoir {c.number} du {d(c.date)} : − {euros(c.amount)}" for c in acc.credits]
    m = a.amounts
    lines += [
        f"  Principal : {euros(m.principal)}",
        f"  Intérêts : {euros(m.interest)}{flag}",
        f"  Indemnités forfaitaires : {euros(m.indemnity)}",
        f"  TOTAL : {euros(m.total)}{flag}",
        "",
        "Conditions",
    ]
    for key, check in a.checks.items():
        lines.append(f"  {_CHECK_LABELS[key]} : {'oui' if check.ok else 'NON'}")
        lines += [f"    - {r}" for r in check.reasons]
    status = "PRESCRITE" if a.prescription.prescribed else "non prescrite"
    limit = f", agir avant le {d(a.prescription.open_limit)}" if a.prescription.open_limit else ""
    lines += [
        "",
        f"Prescription : {status}{limit}",
        f"  {a.prescription.basis}",
        "",
        f"Tribunal pour une injonction de payer : {a.court.label or 'aucun tribunal civil français'}",
    ]
    lines += [f"  - {r}" for r in a.court.reasons]
    lines += ["", "Voies possibles"]
    for r in a.routes:
        lines.append(f"  [{'ouverte' if r.eligible else 'fermée'}] {r.route.title}")
        lines += [f"      - {reason}" for reason in r.reasons]
    title = next((r.route.title for r in a.routes if r.route.id == a.next_step.route_id), None)
    when = f", à partir du {long_date(a.next_step_from)}" if a.next_step_from else ""
    lines += ["", f"Prochaine étape : {title or 'aucune démarche pour le moment'}{when}"]
    lines += [f"  {r}" for r in a.next_step.reasons]
    lines += _follow_up_text(a)
    if a.notes:
        lines += ["", "À savoir"] + [f"  - {n}" for n in a.notes]
    if a.alternatives:
        lines += ["", "Autres solutions"] + [f"  - {alt.title} : {alt.summary}" for alt in a.alternatives]
    return "\n".join(lines) + "\n"


def _follow_up_text(a: Assessment) -> list[str]:
    """The deadlines and the reminder plan, in French."""
    lines = []
    if a.deadlines:
        lines += ["", "Échéances"]
        for d in a.deadlines:
            left = "passée" if d.passed else f"dans {(d.date - a.as_of).days} j"
            lines.append(f"  {long_date(d.date)} ({left}) : {d.label}")
    if a.reminders.steps:
        lines += ["", "Plan de relances"]
        lines += [f"  {step_line(s, a.reminders, a.as_of)}" for s in a.reminders.steps]
        if a.reminders.stopped:
            lines.append(f"  Relances arrêtées : {STOP_REASONS[a.reminders.stopped]}")
    return lines
