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
from typing import Any

from .checks import Check, euros
from .claim import Claim
from .court import Court
from .dates import fr_short
from .parameters import Parameters
from .procedures import Condition, Library, Route

PROCEEDINGS_LABELS = {
    "sauvegarde": "procédure de sauvegarde",
    "redressement": "redressement judiciaire",
    "liquidation": "liquidation judiciaire",
}


@dataclass(frozen=True)
class Facts:
    """What the checks of the procedure files look at."""

    claim: Claim
    params: Parameters
    as_of: date
    checks: dict[str, Check]
    prescribed: bool
    prescription_summary: Any  # anything with a ``basis`` text, written out only if shown
    prescription_limit: date | None
    open_limit: date | None  # earliest limit among unpaid invoices not yet time-barred
    principal_and_interest: Decimal
    total: Decimal
    open_invoices_performed: tuple[date, ...]
    court: Court

    @property
    def prescription_reason(self) -> str:
        return self.prescription_summary.basis


@dataclass(frozen=True)
class RouteResult:
    route: Route
    eligible: bool
    reasons: tuple[str, ...]


def _verdict(check: Check, yes: str, no: str) -> tuple[bool, str]:
    detail = " ".join(r for r in check.reasons if r) if not check.ok else ""
    return check.ok, (yes if check.ok else f"{no} {detail}".strip())


def _certain(cond: Condition, f: Facts) -> tuple[bool, str]:
    return _verdict(f.checks["certain"], "La créance est certaine.", "La créance n'est pas certaine :")


def _liquid(cond: Condition, f: Facts) -> tuple[bool, str]:
    return _verdict(f.checks["liquid"], "La créance est liquide (montant déterminé).", "La créance n'est pas liquide :")


def _due(cond: Condition, f: Facts) -> tuple[bool, str]:
    return _verdict(
        f.checks["due"], "La créance est exigible (l'échéance est passée).", "La créance n'est pas exigible :"
    )


def _outstanding(cond: Condition, f: Facts) -> tuple[bool, str]:
    ok = f.total > 0
    return ok, (f"Il reste {euros(f.total)} à payer." if ok else "Il ne reste rien à payer.")


def _prescribed(cond: Condition, f: Facts) -> tuple[bool, str]:
    return f.prescribed, _prescription_reason(f)


def _contested(cond: Condition, f: Facts) -> tuple[bool, str]:
    ok = f.claim.dispute.contested
    return ok, "Le débiteur conteste la créance." if ok else "Le débiteur ne conteste pas la créance."


def _arose_before_opening(cond: Condition, f: Facts) -> tuple[bool, str]:
    opened = f.claim.debtor.proceedings.opened
    ok = opened is not None and any(d < opened for d in f.open_invoices_performed)
    return ok, (
        "La créance est née avant le jugement d'ouverture : elle doit être déclarée."
        if ok
        else "Aucune facture impayée n'est née avant le jugement d'ouverture."
    )


def _debtor_kind(cond: Condition, f: Facts) -> tuple[bool, str]:
    kind = f.claim.debtor.kind
    return kind in cond.arg("in"), _kind_reason(kind)


def _debtor_in_france(cond: Condition, f: Facts) -> tuple[bool, str]:
    country = f.claim.debtor.address.country
    ok = country == "FR"
    return ok, "Le débiteur est établi en France." if ok else f"Le débiteur est établi hors de France ({country})."


def _debtor_country_in(cond: Condition, f: Facts) -> tuple[bool, str]:
    param = f.params[cond.arg("parameter")]
    country = f.claim.debtor.address.country
    ok = country in (param.at(f.as_of).value or ())
    label = param.label[0].lower() + param.label[1:]
    return ok, f"Le pays du débiteur ({country}) {'figure' if ok else 'ne figure pas'} parmi les {label}."


def _cross_border(cond: Condition, f: Facts) -> tuple[bool, str]:
    ok = f.claim.creditor.address.country != f.claim.debtor.address.country
    return ok, (
        "Le créancier et le débiteur sont dans des pays différents."
        if ok
        else "Le créancier et le débiteur sont dans le même pays : ce n'est pas un litige transfrontalier."
    )


def _reminder_sent(cond: Condition, f: Facts) -> tuple[bool, str]:
    ok = bool(f.claim.history.reminders)
    return ok, "Une relance a déjà été faite." if ok else "Aucune relance n'a encore été faite."


def _formal_notice_sent(cond: Condition, f: Facts) -> tuple[bool, str]:
    ok = f.claim.history.formal_notice is not None
    return ok, "Une mise en demeure a été envoyée." if ok else "Aucune mise en demeure n'a encore été envoyée."


def evaluate_check(cond: Condition, f: Facts) -> tuple[bool, str]:
    """One named check: whether it holds, and the fact behind it in plain French."""
    return CHECK_FUNCTIONS[cond.name](cond, f)


def _prescription_reason(f: Facts) -> str:
    if f.prescribed:
        return f"Toutes les factures impayées sont prescrites. {f.prescription_reason}"
    if f.open_limit is None:
        return "Aucune facture impayée : la prescription ne se pose pas."
    return f"La créance n'est pas prescrite : agir avant le {fr_short(f.open_limit)}."


def _in_proceedings(cond: Condition, f: Facts) -> tuple[bool, str]:
    p = f.claim.debtor.proceedings
    if p.kind == "none":
        return False, "Le débiteur n'est pas en procédure collective."
    return True, (
        f"Le débiteur est en {PROCEEDINGS_LABELS[p.kind]} depuis le jugement du "
        f"{fr_short(p.opened)} : les poursuites individuelles sont arrêtées "
        f"(art. L622-21 C. com.) ; seule la déclaration de créance est possible."
    )


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
    return ok, (
        f"Principal et intérêts au {fr_short(f.as_of)} : {euros(amount)} "
        f"{sign} {euros(ceiling.value)}, plafond en vigueur ({param.cite})."
    )


CHECK_FUNCTIONS = {
    "certain": _certain,
    "liquid": _liquid,
    "due": _due,
    "outstanding": _outstanding,
    "prescribed": _prescribed,
    "contested": _contested,
    "in_proceedings": _in_proceedings,
    "arose_before_opening": _arose_before_opening,
    "debtor_kind": _debtor_kind,
    "debtor_in_france": _debtor_in_france,
    "debtor_country_in": _debtor_country_in,
    "cross_border": _cross_border,
    "amount_at_most": _amount_at_most,
    "reminder_sent": _reminder_sent,
    "formal_notice_sent": _formal_notice_sent,
}


def evaluate(cond: Condition, f: Facts, seen: dict | None = None) -> tuple[bool, list[str]]:
    """A condition tree: whether it holds, and the reasons that decide it.

    ``seen`` memoizes named checks, which several routes share.
    """
    seen = {} if seen is None else seen
    op = cond.op
    if op == "check":
        ok, reason = _leaf(cond, f, seen)
        return ok, [reason]
    if op == "not":
        ok, reasons = evaluate(cond.children[0], f, seen)
        return not ok, reasons
    results = []
    for child in cond.children:  # leaves inline: most trees are an `all` of (not) checks
        if child.op == "check":
            ok, reason = _leaf(child, f, seen)
            results.append((ok, (reason,)))
        elif child.op == "not" and child.children[0].op == "check":
            ok, reason = _leaf(child.children[0], f, seen)
            results.append((not ok, (reason,)))
        else:
            results.append(evaluate(child, f, seen))
    ok = all(r[0] for r in results) if op == "all" else any(r[0] for r in results)
    reasons = [reason for r in results if r[0] == ok for reason in r[1]]
    return ok, list(dict.fromkeys(reasons))


def _leaf(cond: Condition, f: Facts, seen: dict) -> tuple[bool, str]:
    """A named check, evaluated once per assessment however many routes use it."""
    key = (cond.name, cond.args)
    result = seen.get(key)
    if result is None:
        result = seen[key] = CHECK_FUNCTIONS[cond.name](cond, f)
    return result


def evaluate_routes(library: Library, f: Facts) -> list[RouteResult]:
    """Every route of the library with its eligibility and reasons."""
    results, seen = [], {}
    for route in library.routes:
        flat = _FLAT.get(id(route.conditions), _MISSING)
        if flat is _MISSING:
            flat = _FLAT[id(route.conditions)] = _flat(route.conditions)
        ok, reasons = _evaluate_flat(flat, f, seen) if flat else evaluate(route.conditions, f, seen)
        results.append(RouteResult(route, ok, tuple(reasons)))
    return results


_FLAT: dict[int, tuple | None] = {}  # by the identity of a loaded (never mutated) condition tree
_MISSING = object()


def _flat(cond: Condition) -> tuple[tuple[bool, tuple, Condition], ...] | None:
    """An `all` of (negated) named checks as (negated, memo key, check); None for other shapes."""
    if cond.op != "all":
        return None
    items = []
    for child in cond.children:
        negated = child.op == "not"
        leaf = child.children[0] if negated else child
        if leaf.op != "check":
            return None
        items.append((negated, (leaf.name, leaf.args), leaf))
    return tuple(items)


def _evaluate_flat(items, f: Facts, seen: dict) -> tuple[bool, list[str]]:
    """The common case, evaluated without recursion: every route file is such a list."""
    passed, failed = [], []
    for negated, key, leaf in items:
        result = seen.get(key)
        if result is None:
            result = seen[key] = CHECK_FUNCTIONS[leaf.name](leaf, f)
        (passed if result[0] != negated else failed).append(result[1])
    if failed:
        return False, list(dict.fromkeys(failed))
    return True, list(dict.fromkeys(passed))
