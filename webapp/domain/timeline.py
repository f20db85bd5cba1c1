"""What happened to a claim, in date order, in plain French: the "Suivi" page's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .checks import euros
from .claim import Claim
from .deadlines import long_date

CHANNELS = {
    "email": "par e-mail",
    "letter": "par courrier",
    "phone": "par téléphone",
    "registered_letter": "en recommandé",
}
OUTCOMES = {
    "granted": "accorde la demande",
    "partly_granted": "accorde une partie de la demande",
    "rejected": "rejette la requête",
}


@dataclass(frozen=True, slots=True)
class Event:
    date: date
    kind: str  # invoice | due | payment | reminder | notice | acknowledgment | promise | plan | order
    text: str


def timeline(claim: Claim) -> list[Event]:
    """Every dated event of the claim, oldest first (same-day events in the order they happen)."""
    events = []
    for inv in claim.invoices:
        events.append(Event(inv.issued, "invoice", f"Facture {inv.number} émise ({euros(inv.amount)} TTC)"))
        if inv.due:
            events.append(Event(inv.due, "due", f"Échéance de la facture {inv.number}"))
    for p in claim.payments:
        target = f" (facture {p.invoice})" if p.invoice else ""
        events.append(Event(p.date, "payment", f"Paiement reçu : {euros(p.amount)}{target}"))
    events += _history(claim)
    order = {kind: i for i, kind in enumerate(("invoice", "due", "notice", "reminder", "promise", "plan", "order"))}
    return sorted(events, key=lambda e: (e.date, order.get(e.kind, 9)))


def _history(claim: Claim) -> list[Event]:
    h, events = claim.history, []
    for r in h.reminders:
        events.append(Event(r.date, "reminder", f"Relance {CHANNELS.get(r.channel, r.channel)}"))
    if h.formal_notice:
        n = h.formal_notice
        how = " en recommandé avec avis de réception" if n.registered else ""
        days = f", délai de {n.deadline_days} jours" if n.deadline_days else ""
        events.append(Event(n.sent, "notice", f"Mise en demeure envoyée{how}{days}"))
        if n.received:
            events.append(Event(n.received, "notice", "Mise en demeure reçue par le débiteur"))
    for a in h.acknowledgments:
        which = f" (factures {', '.join(a.invoices)})" if a.invoices else ""
        events.append(Event(a.date, "acknowledgment", f"Reconnaissance de dette écrite{which}"))
    for p in h.promises:
        what = euros(p.amount) if p.amount is not None else "la totalité"
        events.append(
            Event(p.made, "promise", f"Le débiteur promet de payer {what} au plus tard le {long_date(p.pay_by)}")
        )
    if h.payment_plan:
        plan = h.payment_plan
        signed = ", signé par le débiteur" if plan.signed_by_debtor else ", non signé"
        total = sum((i.amount for i in plan.instalments), plan.instalments[0].amount * 0)
        events.append(
            Event(
                plan.agreed, "plan", f"Échéancier convenu : {len(plan.instalments)} échéances, {euros(total)}{signed}"
            )
        )
    events += _order(claim)
    return events


def _order(claim: Claim) -> list[Event]:
    o = claim.history.order
    if o is None:
        return []
    events = [Event(o.filed, "order", "Requête en injonction de payer déposée")]
    if o.rendered:
        what = OUTCOMES.get(o.outcome or "", "rend sa décision")
        events.append(Event(o.rendered, "order", f"Ordonnance : le juge {what}"))
    if o.served:
        how = " à la personne du débiteur" if o.served_in_person else ""
        events.append(Event(o.served, "order", f"Ordonnance signifiée par commissaire de justice{how}"))
    if o.opposition:
        events.append(Event(o.opposition, "order", "Le débiteur forme opposition"))
    return events
