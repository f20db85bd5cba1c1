"""From the ledger to dossiers: import a FEC or a CSV, see each client's open invoices, tick, create.

One dossier per client, with the invoices ticked, their payments and lettering, and the
creditor's profile; the person then completes what a FEC does not carry (the debtor's
address, SIREN, kind).
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from ..domain.ledger_claims import add_to_claim, claim_data
from ..domain.receivables import LedgerFileError
from ..domain.sources import read_ledger
from ..store import dossiers, portfolios
from ..store.models import Dossier, LedgerImport
from ..store.portfolios import Scope
from . import db, journal
from .common import current_account, library
from .dashboard import scope_of
from .fields import FrenchDateField
from .forms import EmptyForm

bp = Blueprint("ledger", __name__, url_prefix="/portefeuille")


class LedgerForm(FlaskForm):
    """The upload of an accounting export, with the payment terms a FEC does not say."""

    file = FileField("Fichier des écritures comptables (FEC) ou tableau de factures (CSV)")
    terms = IntegerField(
        "Délai de paiement de vos factures (jours)",
        validators=[
            InputRequired("Indiquez le délai de paiement, en jours."),
            NumberRange(0, 365, "Un délai entre 0 et 365 jours."),
        ],
    )
    as_of = FrenchDateField("Lire les écritures jusqu'au", validators=[Optional()])


@bp.route("/importer", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/equipe/<int:organisation_id>/importer", methods=["GET", "POST"])
@login_required
def upload(organisation_id):
    """Import a FEC or CSV for the account or one of its teams."""
    scope, label = scope_of(organisation_id)
    form = LedgerForm()
    if request.method == "GET":
        form.terms.data = _legal_terms()
    if form.validate_on_submit():
        record = _read(form, scope)
        if record is not None:
            db.session().commit()
            return redirect(url_for("ledger.choose", import_id=record.id))
    status = 400 if form.errors else 200
    return render_template("ledger/upload.html", form=form, label=label, organisation_id=organisation_id), status


def _legal_terms() -> int:
    """The legal payment term between businesses when none was agreed, proposed on the form."""
    return library().parameters.at("default_payment_term_days", date.today()).value


def _read(form: LedgerForm, scope: Scope) -> LedgerImport | None:
    """Read the upload into an import record, or put the French reason next to the file field."""
    upload = form.file.data
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = upload.read(limit + 1) if upload and getattr(upload, "filename", "") else b""
    name = (upload.filename if upload else "") or "fichier"
    problem = None
    if not data:
        problem = "Choisissez le fichier exporté par votre logiciel de comptabilité."
    elif len(data) > limit:
        problem = f"Le fichier dépasse {limit // (1024 * 1024)} Mo."
    elif b"\x00" in data[:4096]:
        problem = "Ce fichier n'est pas un fichier texte : exportez le FEC (.txt) ou un tableau en CSV."
    if problem is None:
        as_of = date.fromisoformat(form.as_of.data_iso) if form.as_of.data_iso else date.today()
        try:
            ledger = read_ledger(data, as_of, form.terms.data, name)
        except LedgerFileError as error:
            problem = f"Fichier refusé, rien n'a été importé : {error}."
        else:
            if ledger is None:
                problem = (
                    "Ce fichier n'est ni un FEC (sa première ligne nomme les colonnes JournalCode, EcritureNum…) "
                    "ni un tableau CSV aux colonnes client ; numéro ; date ; échéance ; montant TTC ; payé ; "
                    "date de paiement."
                )
            else:
                return portfolios.save_import(db.session(), scope, ledger, name, as_of, form.terms.data)
    form.file.errors = [problem]
    return None


def _import_or_404(import_id: int) -> tuple[LedgerImport, Scope, str]:
    """An import the signed-in account may see (its own, or its team's), else 404."""
    record = db.session().get(LedgerImport, import_id)
    if record is None:
        abort(404)
    if record.organisation_id is None and record.owner_id != current_account().id:
        abort(404)
    scope, label = scope_of(record.organisation_id)
    return record, scope, label


def _pursued(scope: Scope) -> dict[str, list[Dossier]]:
    """The scope's dossiers made from a ledger, by client account."""
    query = select(Dossier).where(scope.where(Dossier), Dossier.ledger_account.is_not(None))
    found: dict[str, list[Dossier]] = {}
    for d in db.session().scalars(query):
        found.setdefault(d.ledger_account, []).append(d)
    return found


def _held(pursued: dict[str, list[Dossier]]) -> dict[tuple[str, str], Dossier]:
    """Which dossier already holds each (client account, invoice number)."""
    return {
        (account, inv.get("number")): d
        for account, found in pursued.items()
        for d in found
        for inv in d.claim.get("invoices", [])
    }


@bp.route("/<int:import_id>")
@login_required
def choose(import_id):
    """The clients with open invoices, each invoice a box to tick."""
    record, scope, label = _import_or_404(import_id)
    clients = portfolios.import_clients(record)
    as_of = record.as_of  # lateness on the date the ledger was read, like its open amounts
    rows = [(i, c, [r for r in c.invoices if r.open > 0]) for i, c in enumerate(clients)]
    rows = [row for row in rows if row[2]]
    rows.sort(key=lambda row: -sum(r.open for r in row[2] if r.due < as_of))
    pursued = _pursued(scope)
    return render_template(
        "ledger/choose.html",
        record=record,
        rows=rows,
        label=label,
        as_of=as_of,
        pursued=pursued,
        held=_held(pursued),
        settled=len(clients) - len(rows),
        form=EmptyForm(),
    )


@bp.route("/<int:import_id>/dossiers", methods=["POST"])
@login_required
def create(import_id):
    """One dossier per client for the ticked invoices."""
    record, scope, _ = _import_or_404(import_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    clients = portfolios.import_clients(record)
    chosen: dict[int, set[str]] = {}
    for value in request.form.getlist("facture"):
        index, _, number = value.partition(":")
        if index.isdigit() and int(index) < len(clients):
            chosen.setdefault(int(index), set()).add(number)
    if not chosen:
        flash("Cochez au moins une facture à recouvrer.", "conflict")
        return redirect(url_for("ledger.choose", import_id=record.id))
    pursued = _pursued(scope)
    held = _held(pursued)
    created, messages = 0, []
    for index, numbers in sorted(chosen.items()):
        client = clients[index]
        fresh = {n for n in numbers if (client.account, n) not in held}
        existing = pursued.get(client.account) if client.account else None
        if not fresh:
            messages.append(f"{client.name} : ces factures sont déjà dans son dossier, rien n'a été ajouté.")
        elif existing:
            messages.append(_add(existing[0], client, fresh, record))
        else:
            _create(client, fresh, record, scope)
            created += 1
    db.session().commit()
    if created:
        flash(
            f"{created} dossier{'s' if created > 1 else ''} créé{'s' if created > 1 else ''}. "
            "Complétez pour chacun l'adresse et le numéro SIREN du client : un FEC ne les contient pas."
        )
    for message in messages:
        flash(message)
    return redirect(url_for("ledger.choose", import_id=record.id))


def _create(client, numbers: set[str], record: LedgerImport, scope: Scope) -> None:
    """A new dossier for this client's chosen invoices, with the creditor's profile."""
    session = db.session()
    creditor = portfolios.profile(session, scope)
    data = claim_data(client, numbers, creditor)
    dossier = dossiers.create(session, data, current_account().id, scope.organisation_id)
    dossier.ledger_account = client.account
    journal.record(dossier.id, "créé", f"depuis la comptabilité « {record.filename} » : {len(numbers)} facture(s)")


def _add(dossier: Dossier, client, numbers: set[str], record: LedgerImport) -> str:
    """More invoices of a client who already has a dossier: added to it (one client, one claim)."""
    claim, added = add_to_claim(dossier.claim, claim_data(client, numbers))
    listed = ", ".join(sorted(added))
    what = f"depuis la comptabilité « {record.filename} » : facture(s) {listed} ajoutée(s)"
    journal.record(dossier.id, "modifié", what)
    dossiers.save_claim(db.session(), dossier, claim)
    return (
        f"{client.name} a déjà un dossier : facture{'s' if len(added) > 1 else ''} {listed} "
        f"ajoutée{'s' if len(added) > 1 else ''} à ce dossier. Vérifiez-le avant d'envoyer un nouveau courrier."
    )
