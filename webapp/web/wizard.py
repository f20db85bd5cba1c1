"""The guided steps: each page loads the dossier, validates its form, saves, redirects.

Every step saves to the database as soon as it is valid (post/redirect/get); a form with
errors is shown again with what was typed and the French message next to each field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..store import accounts, audit, dossiers
from ..store.models import Dossier
from . import claim_forms, db, journal, ownership
from . import forms as f
from .common import STEPS, current_account, dossier_or_404, forget, problems_by_step, step_after
from .fields import format_amount
from .files import store_upload, upload_problem

bp = Blueprint("wizard", __name__, url_prefix="/dossier/<token>")


def _save(dossier: Dossier, claim: dict[str, Any], what: str = "") -> None:
    """Save the claim and record who changed which step (or what), in one transaction."""
    what = what or (request.view_args or {}).get("slug") or (request.endpoint or "").removeprefix("wizard.")
    journal.record(dossier.id, "modifié", what)
    dossiers.save_claim(db.session(), dossier, claim)


def _page(dossier: Dossier, step: str, template: str, **context):
    return render_template(template, dossier=dossier, claim=dossier.claim, steps=STEPS, current=step, **context)


def _next(dossier: Dossier, slug: str):
    return redirect(url_for("wizard.step", token=dossier.token, slug=step_after(slug).slug))


@bp.route("/", endpoint="start")
def start(token):
    dossier = dossier_or_404(token)
    return redirect(url_for("wizard.step", token=dossier.token, slug=STEPS[0].slug))


@bp.route("/etape/<slug>", methods=["GET", "POST"], endpoint="step")
def step(token, slug):
    dossier = dossier_or_404(token)
    handler = HANDLERS.get(slug)
    if handler is None:
        return render_template("error.html", title="Étape inconnue", message="Cette étape n'existe pas."), 404
    return handler(dossier)


# --- 1. Creditor -------------------------------------------------------------------
def creditor(dossier: Dossier):
    form = f.CreditorForm()
    claim = dossier.claim
    if request.method == "GET" and claim.get("creditor"):
        claim_forms.fill(form, claim["creditor"])
    if form.validate_on_submit():
        _save(dossier, {**claim, "creditor": claim_forms.creditor(form)})
        return _next(dossier, "creancier")
    return _page(dossier, "creancier", "steps/creditor.html", form=form)


# --- 2. Debtor ---------------------------------------------------------------------
PROCEEDINGS_FIELDS = ("proceedings", "opened", "published", "mandataire")  # grouped under ``proceedings``


def debtor(dossier: Dossier):
    form = f.DebtorForm()
    claim = dossier.claim
    if request.method == "GET" and claim.get("debtor"):
        data = claim["debtor"]
        claim_forms.fill(form, data, skip=PROCEEDINGS_FIELDS)
        proceedings = data.get("proceedings") or {}
        mandataire = (proceedings.get("mandataire") or {}).get("name")
        shown = {**proceedings, "proceedings": proceedings.get("kind", "none"), "mandataire": mandataire}
        claim_forms.fill(form, shown, skip=("kind",))
    if form.validate_on_submit():
        data = claim_forms.section(form, skip=PROCEEDINGS_FIELDS)
        if form.proceedings.data != "none":
            mandataire = form.mandataire.data.strip() if form.mandataire.data else ""
            data["proceedings"] = claim_forms.clean(
                {
                    "kind": form.proceedings.data,
                    "opened": form.opened.data_iso,
                    "published": form.published.data_iso,
                    "mandataire": {"name": mandataire} if mandataire else None,
                }
            )
        _save(dossier, {**claim, "debtor": data})
        return _next(dossier, "client")
    return _page(dossier, "client", "steps/debtor.html", form=form)


# --- 3. Invoices -------------------------------------------------------------------
def invoices(dossier: Dossier):
    form = f.InvoiceForm()
    claim = dossier.claim
    items = list(claim.get("invoices", []))
    if form.validate_on_submit():
        number = form.number.data.strip()
        if any(inv["number"] == number for inv in items):
            form.number.errors.append("Une facture porte déjà ce numéro dans ce dossier.")
        else:
            path, error = store_upload(dossier, form.file.data, "invoice")
            if error:
                form.file.errors.append(error)
            else:
                items.append(claim_forms.clean({**claim_forms.section(form), "file": path}))
                _save(dossier, {**claim, "invoices": items})
                flash(f"Facture {number} ajoutée.")
                return redirect(url_for("wizard.step", token=dossier.token, slug="factures"))
    elif form.is_submitted():
        _say_file_problem(form)
    return _page(dossier, "factures", "steps/invoices.html", form=form, items=items, delete=f.EmptyForm())


def _say_file_problem(form) -> None:
    """A form refused for other fields also says at once what is wrong with its file."""
    if not form.file.errors and (problem := upload_problem(form.file.data)):
        form.file.errors = [*form.file.errors, problem]


@bp.route("/factures/<int:index>/supprimer", methods=["POST"], endpoint="delete_invoice")
def delete_invoice(token, index):
    return _delete_item(token, "invoices", index, "factures")


def _delete_item(token: str, section: str, index: int, slug: str, parent: str | None = None):
    """Remove one item of a list (and its file); CSRFProtect has checked the token."""
    dossier = dossier_or_404(token)
    claim = dict(dossier.claim)
    holder = dict(claim.get(parent, {})) if parent else claim
    items = list(holder.get(section, []))
    if 0 <= index < len(items):
        removed = items.pop(index)
        dossiers.remove_file(db.session(), dossier, removed.get("file") if isinstance(removed, dict) else None)
        holder[section] = items
        if parent:
            claim[parent] = claim_forms.clean(holder)
        if section == "invoices":
            claim = _forget_invoice(claim, removed["number"])
        _save(dossier, claim_forms.clean(claim), f"{slug} : ligne {index + 1} supprimée ({_label(removed)})")
    return redirect(url_for("wizard.step", token=dossier.token, slug=slug))


def _label(item: Any) -> str:
    """A few words naming a removed line, for the journal."""
    if not isinstance(item, dict):
        return str(item)[:60]
    parts = [item.get(k) for k in ("number", "title", "date", "amount", "file") if item.get(k)]
    return ", ".join(map(str, parts))[:120]


def _forget_invoice(claim: dict[str, Any], number: str) -> dict[str, Any]:
    """Payments and acknowledgments that named a removed invoice no longer name it."""
    payments = [{k: v for k, v in p.items() if not (k == "invoice" and v == number)} for p in claim.get("payments", [])]
    history = dict(claim.get("history", {}))
    acks = []
    for ack in history.get("acknowledgments", []):
        named = [n for n in ack.get("invoices", []) if n != number]
        acks.append(claim_forms.clean({"date": ack["date"], "invoices": named}))
    if acks:
        history["acknowledgments"] = acks
    return claim_forms.clean({**claim, "payments": payments, "history": claim_forms.clean(history)})


# --- 4. Payments -------------------------------------------------------------------
def payments(dossier: Dossier):
    form = f.PaymentForm()
    claim = dossier.claim
    numbers = [inv["number"] for inv in claim.get("invoices", [])]
    form.invoice.choices = f.options(
        [("", "Aucune en particulier (imputation selon la loi)")] + [(n, n) for n in numbers]
    )
    items = list(claim.get("payments", []))
    if form.validate_on_submit():
        if form.invoice.data and form.invoice.data not in numbers:
            form.invoice.errors.append("Choisissez une facture de la liste.")
        elif problem := _above_due(claim, form.invoice.data, Decimal(form.amount.data_claim)):
            form.amount.errors.append(problem)
        else:
            items.append(claim_forms.section(form))
            _save(dossier, {**claim, "payments": items})
            flash("Paiement enregistré.")
            return redirect(url_for("wizard.step", token=dossier.token, slug="paiements"))
    return _page(dossier, "paiements", "steps/payments.html", form=form, items=items, delete=f.EmptyForm())


def _above_due(claim: dict[str, Any], invoice: str | None, amount: Decimal) -> str | None:
    """Why a payment cannot be recorded (more than what is still due), or None."""
    invoices = [i for i in claim.get("invoices", []) if not invoice or i["number"] == invoice]
    if not invoices:
        return None  # nothing to compare with yet: the review page checks it once invoices are in
    billed = sum(Decimal(i["amount"]) for i in invoices)
    paid = sum(Decimal(p["amount"]) for p in claim.get("payments", []) if not invoice or p.get("invoice") == invoice)
    left = max(billed - paid, Decimal(0))
    if amount <= left:
        return None
    where = f"la facture {invoice}" if invoice else "vos factures"
    return (
        f"Ce paiement ({format_amount(str(amount))} €) dépasse ce qui reste dû sur {where} "
        f"({format_amount(str(left))} €). Vérifiez le montant, ou ajoutez d'abord la facture qu'il règle."
    )


@bp.route("/paiements/<int:index>/supprimer", methods=["POST"], endpoint="delete_payment")
def delete_payment(token, index):
    return _delete_item(token, "payments", index, "paiements")


# --- 5. Terms and negotiation ------------------------------------------------------
def terms(dossier: Dossier):
    form = f.TermsForm()
    claim = dossier.claim
    if request.method == "GET":
        rate = (claim.get("terms") or {}).get("late_penalty_rate")
        form.penalty.data = "" if rate is None else rate if rate in ("ecb_plus_10", "three_times_legal") else "custom"
        form.rate.data = rate if form.penalty.data == "custom" else ""
        form.indemnity.data = "no" if (claim.get("terms") or {}).get("recovery_indemnity") is False else "yes"
        form.below_floor.data = (claim.get("terms") or {}).get("below_floor", "")
        form.refer_on_opposition.data = bool((claim.get("filing") or {}).get("refer_on_opposition"))
        negotiation = claim.get("negotiation") or {}
        form.max_discount.data = negotiation.get("max_discount_percent", "")
        form.max_instalments.data = int(negotiation["max_instalments"]) if "max_instalments" in negotiation else None
    if form.validate_on_submit():
        rate = form.penalty.data or None
        if rate == "custom":
            rate = (form.rate.data or "").replace(",", ".").replace("%", "").strip()
        terms_data = claim_forms.clean(
            {
                "late_penalty_rate": rate,
                "recovery_indemnity": form.indemnity.data == "yes",
                "below_floor": form.below_floor.data if rate else None,
            }
        )
        discount = (form.max_discount.data or "").replace(",", ".").replace("%", "").strip()
        instalments = form.max_instalments.data
        negotiation = claim_forms.clean(
            {"max_discount_percent": discount, "max_instalments": None if instalments is None else str(instalments)}
        )
        filing = {"refer_on_opposition": True} if form.refer_on_opposition.data else None
        _save(dossier, claim_forms.clean({**claim, "terms": terms_data, "negotiation": negotiation, "filing": filing}))
        return _next(dossier, "conditions")
    return _page(dossier, "conditions", "steps/terms.html", form=form)


# --- 6. Evidence and dispute -------------------------------------------------------
def evidence(dossier: Dossier):
    claim = dossier.claim
    form = f.EvidenceForm(prefix="piece")
    dispute = f.DisputeForm(prefix="litige")
    items = list(claim.get("evidence", []))
    if request.method == "GET":
        d = claim.get("dispute") or {}
        dispute.contested.data = "yes" if d.get("contested") else "no"
        dispute.details.data = d.get("details", "")
    if request.method == "POST" and "litige-contested" in request.form:
        if dispute.validate_on_submit():
            data = claim_forms.clean({"contested": dispute.contested.data == "yes", "details": dispute.details.data})
            _save(dossier, {**claim, "dispute": data})
            return _next(dossier, "preuves")
    elif form.validate_on_submit():
        path, error = store_upload(dossier, form.file.data, "evidence")
        if error:
            form.file.errors.append(error)
        else:
            items.append(claim_forms.clean({**claim_forms.section(form), "file": path}))
            _save(dossier, {**claim, "evidence": items})
            flash("Pièce ajoutée.")
            return redirect(url_for("wizard.step", token=dossier.token, slug="preuves"))
    elif form.is_submitted() and "litige-contested" not in request.form:
        _say_file_problem(form)
    return _page(
        dossier, "preuves", "steps/evidence.html", form=form, dispute=dispute, items=items, delete=f.EmptyForm()
    )


@bp.route("/preuves/<int:index>/supprimer", methods=["POST"], endpoint="delete_evidence")
def delete_evidence(token, index):
    return _delete_item(token, "evidence", index, "preuves")


# --- 7. What was already done ------------------------------------------------------
def history(dossier: Dossier):
    claim = dossier.claim
    hist = dict(claim.get("history") or {})
    reminder = f.ReminderForm(prefix="relance")
    notice = f.NoticeForm(prefix="med")
    ack = f.AcknowledgmentForm(prefix="rec")
    ack.invoices.choices = f.options([(inv["number"], inv["number"]) for inv in claim.get("invoices", [])])
    if hist.get("formal_notice") and request.form.get("action") != "med":  # keep it shown after another form's error
        claim_forms.fill(notice, hist["formal_notice"])
    action = request.form.get("action")
    if action == "relance" and reminder.validate_on_submit():
        hist["reminders"] = [*hist.get("reminders", []), claim_forms.section(reminder)]
        return _save_history(dossier, hist, "Relance enregistrée.")
    if action == "med" and notice.validate_on_submit():
        kept = {k: v for k, v in (hist.get("formal_notice") or {}).items() if k not in notice}  # e.g. its délai
        hist["formal_notice"] = {**kept, **claim_forms.section(notice)} if notice.sent.data_iso else None
        return _save_history(dossier, hist, "Mise en demeure enregistrée.")
    if action == "reconnaissance" and ack.validate_on_submit():
        hist["acknowledgments"] = [
            *hist.get("acknowledgments", []),
            claim_forms.section(ack),
        ]
        return _save_history(dossier, hist, "Reconnaissance de dette enregistrée.")
    return _page(
        dossier,
        "demarches",
        "steps/history.html",
        reminder=reminder,
        notice=notice,
        ack=ack,
        history=hist,
        delete=f.EmptyForm(),
    )


def _save_history(dossier: Dossier, hist: dict[str, Any], message: str):
    _save(dossier, claim_forms.clean({**dossier.claim, "history": claim_forms.clean(hist)}))
    flash(message)
    return redirect(url_for("wizard.step", token=dossier.token, slug="demarches"))


@bp.route("/demarches/<kind>/<int:index>/supprimer", methods=["POST"], endpoint="delete_history")
def delete_history(token, kind, index):
    section = {"relance": "reminders", "reconnaissance": "acknowledgments"}.get(kind)
    if section is None:
        return render_template("error.html", title="Action inconnue", message="Cette action n'existe pas."), 404
    return _delete_item(token, section, index, "demarches", parent="history")


# --- 8. Review ---------------------------------------------------------------------
def review(dossier: Dossier):
    problems = problems_by_step(dossier)
    return _page(
        dossier,
        "recapitulatif",
        "steps/review.html",
        problems=problems,
        resume_url=url_for("home.resume", token=dossier.token, _external=True),
        events=audit.history(db.session(), dossier.id),
        **ownership.panel(dossier),
    )


@bp.route("/supprimer", methods=["GET", "POST"], endpoint="delete_dossier")
def delete_dossier(token):
    """Ask, then delete the dossier and its files for good (works without JavaScript)."""
    dossier = dossier_or_404(token)
    if dossier.organisation_id is not None and not accounts.can_verify(current_account(), dossier):
        message = "Seul un superviseur de l'équipe peut supprimer un dossier de l'équipe."
        return render_template("error.html", title="Suppression réservée", message=message), 403
    form = f.EmptyForm()
    if form.validate_on_submit():
        journal.record(dossier.id, "supprimé", "dossier et pièces effacés")
        dossiers.delete(db.session(), dossier)
        forget(dossier.id)
        flash("Le dossier et toutes ses pièces ont été supprimés définitivement.")
        return redirect(url_for("home.index"))
    return render_template("delete.html", dossier=dossier, form=form)


HANDLERS = {
    "creancier": creditor,
    "client": debtor,
    "factures": invoices,
    "paiements": payments,
    "conditions": terms,
    "preuves": evidence,
    "demarches": history,
    "recapitulatif": review,
}
