"""What every page of a dossier needs: finding it by its link, the steps, the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user

from ..domain.assessment import Assessment, assess
from ..domain.errors import ClaimError, ParameterError
from ..domain.procedures import Library
from ..store import accounts, dossiers
from ..store.models import Account, Dossier
from . import db
from .field_labels import field_label, field_rank

MISSING = "champ obligatoire manquant"  # the claim validation's message for an empty required field
SESSION_KEY = "dossiers"
MAX_REMEMBERED = 50


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    section: str  # the claim-file key it fills (for the review page's links)


STEPS = (
    Step("creancier", "Vous", "creditor"),
    Step("client", "Votre client", "debtor"),
    Step("factures", "Factures", "invoices"),
    Step("paiements", "Paiements reçus", "payments"),
    Step("conditions", "Conditions de paiement", "terms"),
    Step("preuves", "Preuves et litige", "evidence"),
    Step("demarches", "Démarches déjà faites", "history"),
    Step("recapitulatif", "Récapitulatif", ""),
)
SECTION_STEP = {s.section: s for s in STEPS if s.section} | {
    "dispute": STEPS[5],
    "negotiation": STEPS[4],
    "credit_notes": STEPS[2],  # credit notes come with the invoices (e-invoice import)
    "follow_up": STEPS[6],  # the reminder plan: with what was already done
}


def step_after(slug: str) -> Step:
    index = next(i for i, s in enumerate(STEPS) if s.slug == slug)
    return STEPS[min(index + 1, len(STEPS) - 1)]


def library() -> Library:
    return current_app.extensions["dument_library"]


def current_account() -> Account | None:
    """The signed-in account, or None for an anonymous visitor."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def dossier_or_404(token: str) -> Dossier:
    """The dossier this link opens; 404 for anyone without the right link.

    A link alone opens only an anonymous dossier: an account's dossier also needs its
    owner signed in, a team's dossier one of its members (``accounts.can_open``). Anyone
    else gets the same 404 as for a link that does not exist, so nothing leaks.

    A change (POST) must say which version of the dossier it was made on: if someone else
    saved in between, nothing is written and the user is told, rather than silently
    overwriting their work (or deleting the wrong line of a list that has moved).
    """
    dossier = dossiers.by_token(db.session(), token)
    if dossier is None or not accounts.can_open(current_account(), dossier):
        abort(404)
    remember(dossier)
    if request.method == "POST" and (request.form.get("version") or request.args.get("v")) != str(dossier.version):
        abort(conflict())
    return dossier


def conflict():
    """Back to the page, saying the change was not saved because the dossier changed meanwhile."""
    flash(
        "Ce dossier a été modifié entre-temps (dans un autre onglet ou par une autre personne) : "
        "votre dernière modification n'a pas été enregistrée. Voici le dossier à jour ; refaites-la si "
        "elle est toujours utile.",
        "conflict",
    )
    token = (request.view_args or {}).get("token")
    fallback = url_for("wizard.step", token=token, slug="recapitulatif") if token else url_for("home.index")
    return redirect(request.referrer or fallback)


def remember(dossier: Dossier) -> None:
    """Keep an anonymous dossier's id in this browser's session, for "mes dossiers"."""
    if dossier.owner_id is not None or dossier.organisation_id is not None:
        return  # found through the account instead
    ids = [i for i in session.get(SESSION_KEY, []) if i != dossier.id]
    session[SESSION_KEY] = [dossier.id, *ids][:MAX_REMEMBERED]
    session.permanent = True


def forget(dossier_id: str) -> None:
    session[SESSION_KEY] = [i for i in session.get(SESSION_KEY, []) if i != dossier_id]


def remembered() -> list[Dossier]:
    """The dossiers this browser opened that it may still open (one may have been claimed since)."""
    found = dossiers.by_ids(db.session(), session.get(SESSION_KEY, []))
    return [d for d in found if accounts.can_open(current_account(), d)]


def assessment(dossier: Dossier, on: date | None = None) -> Assessment:
    """The engine's assessment of a complete dossier; raises ClaimError while incomplete."""
    return assess(dossiers.valid_claim(dossier), library(), on or date.today())


def problems_by_step(dossier: Dossier) -> dict[str, list[tuple[str, str]]]:
    """What is missing or wrong in the dossier, grouped by the step that fixes it."""
    try:
        assessment(dossier)  # also finds what only the accounts show (a payment above what was due)
    except ParameterError as error:
        return {STEPS[2].slug: [("invoices", str(error))]}
    except ClaimError as error:
        grouped: dict[str, list[tuple[str, str]]] = {}
        for path, message in error.problems:
            section = path.split(".")[0].split("[")[0]
            step = SECTION_STEP.get(section, STEPS[0])
            grouped.setdefault(step.slug, []).append((path, message))
        return {slug: _name_missing(items) for slug, items in grouped.items()}
    return {}


def _name_missing(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One message naming every missing field of a step by its French label, then the other problems."""
    missing = [path for path, message in items if message == MISSING and ("." in path or "[" in path)]
    if not missing:
        return items
    missing.sort(key=field_rank)
    labels = list(dict.fromkeys(field_label(p) for p in missing))
    head = "champs obligatoires manquants" if len(labels) > 1 else "champ obligatoire manquant"
    others = [(p, m) for p, m in items if p not in missing]
    return [(missing[0], f"{head} : {', '.join(labels)}"), *others]
