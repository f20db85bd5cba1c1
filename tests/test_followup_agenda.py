"""The timeline of a claim and the dated items of the Suivi page, the home page and the calendars."""

from __future__ import annotations

from datetime import date

from webapp.domain.claim_file import claim_from_data
from webapp.domain.timeline import timeline
from webapp.web.agenda import items, this_week, when


def busy(claim_data):
    claim_data["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande"}]
    claim_data["payments"] = [{"date": "2025-02-20", "amount": "100.00"}]
    claim_data["history"] = {
        "reminders": [{"date": "2025-02-03", "channel": "phone"}],
        "formal_notice": {"sent": "2025-03-01", "registered": True, "received": "2025-03-03"},
        "promises": [{"made": "2025-03-05", "pay_by": "2025-03-20"}],
        "order": {"filed": "2025-04-01", "rendered": "2025-04-10", "outcome": "partly_granted"},
    }
    return claim_data


def test_timeline_tells_the_story_in_date_order(claim_data):
    events = timeline(claim_from_data(busy(claim_data)))
    assert [e.date for e in events] == sorted(e.date for e in events)
    texts = [e.text for e in events]
    assert texts[0] == "Facture F-1 émise (1\u202f000,00\xa0€ TTC)"
    assert "Relance par téléphone" in texts
    assert "Mise en demeure envoyée en recommandé avec avis de réception" in texts
    assert "Le débiteur promet de payer la totalité au plus tard le 20 mars 2025" in texts
    assert texts[-1] == "Ordonnance : le juge accorde une partie de la demande"


def test_items_give_deadlines_the_reminder_due_and_when_the_next_step_opens(claim_data, run):
    claim_data["invoices"][0].update(issued="2026-10-01", due="2026-11-02")
    claim_data["history"] = {"formal_notice": {"sent": "2026-11-27", "received": "2026-11-30"}}
    a = run(claim_data, "2026-12-01")
    found = items(a, {"injonction-de-payer": "Injonction de payer"})
    kinds = [(i.kind, i.date.isoformat()) for i in found]
    assert ("formal_notice_expiry", "2026-12-08") in kinds and ("next_step", "2026-12-09") in kinds
    week = this_week(found, date(2026, 12, 2))  # 2 to 8 December
    assert [i.kind for i in week] == ["formal_notice_expiry"]
    assert when(week[0], date(2026, 12, 2)) == "8 décembre 2026 (dans 6 jours)"
    assert this_week(found, date(2026, 12, 1)) == []  # 8 December is seven days after the 1st
    plan = run({**claim_data, "history": {}}, "2026-11-13")
    reminders = [i for i in items(plan, {}) if i.kind == "reminder"]
    assert [(i.label, i.date.isoformat()) for i in reminders] == [
        ("Relance 1 à envoyer", "2026-11-13"),  # overdue: shown today, one at a time
        ("Relance 3 prévue", "2026-11-23"),  # step 2's own date has passed: it follows step 1
    ]
