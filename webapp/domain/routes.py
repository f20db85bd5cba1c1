"""The route engine: which procedures are open for this claim, and what to do next.

Eligibility comes from the conditions of the procedure files, evaluated against the
facts of the claim on the as-of date. The next step follows the escalation a careful
practitioner follows: relance, mise en demeure, then procédure simplifiée or injonction
de payer, or an action on the merits when the claim is contested; déclaration de
créance when the debtor is in collective proceedings; the European order when the
debtor lives in another member state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .checks import Check, euros
from .claim import Claim
from .court import Court
from .parameters import Parameters
from .procedures import Condition, Library, Route

PROCEEDINGS_LABELS = {"sauvegarde": "procédure de sauvegarde",
                      "redressement": "redressement judiciaire",
                      "liquidation": "liquidation judiciaire"}


@dataclass(frozen=True)
class Facts:
    """What the checks of the procedure files look at."""

    claim: Claim
    params: Parameters
    as_of: date
    checks: dict[str, Check]
    prescribed: bool
    prescription_reason: str
    prescription_limit: date | None
    principal_and_interest: Decimal
    total: Decimal
    open_invoices_performed: tuple[date, ...]
    court: Court


@dataclass(frozen=True)
class RouteResult:
    route: Route
    eligible: bool
    reasons: tuple[str, ...]


def _verdict(check: Check, yes: str, no: str) -> tuple[bool, str]:
    detail = " ".join(r for r in check.reasons if r) if not check.ok else ""
    return check.ok, (yes if check.ok else f"{no} {detail}".strip())


def evaluate_check(cond: Condition, f: Facts) -> tuple[bool, str]:
    """One named check: whether it holds, and the fact behind it in plain French."""
    claim, debtor = f.claim, f.claim.debtor
    name = cond.name
    if name == "certain":
        return _verdict(f.checks["certain"], "La créance est certaine.", "La créance n'est pas certaine :")
    if name == "liquid":
        return _verdict(f.checks["liquid"], "La créance est liquide (montant déterminé).",
                        "La créance n'est pas liquide :")
    if name == "due":
        return _verdict(f.checks["due"], "La créance est exigible (l'échéance est passée).",
                        "La créance n'est pas exigible :")
    if name == "outstanding":
        ok = f.total > 0
        return ok, (f"Il reste {euros(f.total)} à payer." if ok else "Il ne reste rien à payer.")
    if name == "prescribed":
        return f.prescribed, _prescription_reason(f)
    if name == "contested":
        ok = claim.dispute.contested
        return ok, ("Le débiteur conteste la créance." if ok else
                    "Le débiteur ne conteste pas la créance.")
    if name == "in_proceedings":
        return _in_proceedings(claim)
    if name == "arose_before_opening":
        opened = debtor.proceedings.opened
        ok = opened is not None and any(d < opened for d in f.open_invoices_performed)
        return ok, ("La créance est née avant le jugement d'ouverture : elle doit être déclarée."
                    if ok else "Aucune facture impayée n'est née avant le jugement d'ouverture.")
    if name == "debtor_kind":
        ok = debtor.kind in cond.arg("in")
        return ok, _kind_reason(debtor.kind)
    if name == "debtor_in_france":
        ok = debtor.address.country == "FR"
        return ok, ("Le débiteur est établi en France." if ok else
                    f"Le débiteur est établi hors de France ({debtor.address.country}).")
    if name == "debtor_country_in":
        value = f.params.at(cond.arg("parameter"), f.as_of)
        ok = debtor.address.country in (value.value or ())
        label = f.params[cond.arg("parameter")].label
        return ok, (f"Le pays du débiteur ({debtor.address.country}) "
                    f"{'figure' if ok else 'ne figure pas'} parmi les {label[0].lower()}{label[1:]}.")
    if name == "cross_border":
        ok = claim.creditor.address.country != debtor.address.country
        return ok, ("Le créancier et le débiteur sont dans des pays différents." if ok else
                    "Le créancier et le débiteur sont dans le même pays : ce n'est pas un litige "
                    "transfrontalier.")
    if name == "amount_at_most":
        return _amount_at_most(cond, f)
    if name == "reminder_sent":
        ok = bool(claim.history.reminders)
        return ok, ("Une relance a déjà été faite." if ok else "Aucune relance n'a encore été faite.")
    if name == "formal_notice_sent":
        ok = claim.history.formal_notice is not None
        return ok, ("Une mise en demeure a été envoyée." if ok else
                    "Aucune mise en demeure n'a encore été envoyée.")
    raise ValueError(f"unknown check {name}")


def _prescription_reason(f: Facts) -> str:
    if f.prescribed:
        return f"Toutes les factures impayées sont prescrites. {f.prescription_reason}"
    if f.prescription_limit is None:
        return "Aucune facture impayée : la prescription ne se pose pas."
    return (f"La créance n'est pas prescrite : agir avant le "
            f"{f.prescription_limit.strftime('%d/%m/%Y')}.")


def _in_proceedings(claim: Claim) -> tuple[bool, str]:
    p = claim.debtor.proceedings
    if p.kind == "none":
        return False, "Le débiteur n'est pas en procédure collective."
    return True, (f"Le débiteur est en {PROCEEDINGS_LABELS[p.kind]} depuis le jugement du "
                  f"{p.opened.strftime('%d/%m/%Y')} : les poursuites individuelles sont arrêtées "
                  f"(art. L622-21 C. com.) ; seule la déclaration de créance est possible.")


def _kind_reason(kind: str) -> str:
    return {
        "company": "Le débiteur est une société.",
        "sole_trader": "Le débiteur est un entrepreneur individuel.",
        "association": "Le débiteur est une association.",
        "consumer": "Le débiteur est un particulier (consommateur).",
        "public_body": "Le débiteur est une personne publique (État, collectivité, établissement "
                       "public) : ses biens ne peuvent pas être saisis et le juge administratif "
                       "est compétent.",
    }[kind]


def _amount_at_most(cond: Condition, f: Facts) -> tuple[bool, str]:
    param = f.params[cond.arg("parameter")]
    ceiling = param.at(f.as_of)
    amount = f.principal_and_interest
    ok = ceiling.value is not None and amount <= ceiling.value
    sign = "≤" if ok else ">"
    return ok, (f"Principal et intérêts au {f.as_of.strftime('%d/%m/%Y')} : {euros(amount)} "
                f"{sign} {euros(ceiling.value)}, plafond en vigueur ({param.reference}).")


def evaluate(cond: Condition, f: Facts) -> tuple[bool, list[str]]:
    """A condition tree: whether it holds, and the reasons that decide it."""
    if cond.op == "check":
        ok, reason = evaluate_check(cond, f)
        return ok, [reason]
    if cond.op == "not":
        ok, reasons = evaluate(cond.children[0], f)
        return not ok, reasons
    results = [evaluate(child, f) for child in cond.children]
    ok = all(r[0] for r in results) if cond.op == "all" else any(r[0] for r in results)
    decisive = [r for r in results if r[0] == ok]
    return ok, _unique(reason for r in decisive for reason in r[1])


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def evaluate_routes(library: Library, f: Facts) -> list[RouteResult]:
    """Every route of the library with its eligibility and reasons."""
    results = []
    for route in library.routes:
        ok, reasons = evaluate(route.conditions, f)
        results.append(RouteResult(route, ok, tuple(reasons)))
    return results
