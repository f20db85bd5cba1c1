"""The route engine: which procedures are open for this claim, and what to do next.

Eligibility comes from the conditions of the procedure files, evaluated against the
facts of the claim on the as-of date. The next step follows the escalation a careful
practitioner follows: relance, mise en demeure, then procédure simplifiée or injonction
de payer, or an action on the merits when the claim is contested; déclaration de
créance when the debtor is in collective proceedings; the European order when the
debtor lives in another member state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, NamedTuple

from .checks import Check, euros
from .claim import Claim, Proceedings
from .court import Court
from .dates import fr_short
from .parameters import Parameter, Parameters
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
    notice_running: bool = False  # the délai given by the mise en demeure has not run yet

    @property
    def prescription_reason(self) -> str:
        return self.prescription_summary.basis


Reason = str | Callable[[], str]  # a text, or what writes it when it is read


def text(reason: Reason) -> str:
    """The text of a reason, written out now if it was deferred."""
    return reason if isinstance(reason, str) else reason()


@dataclass(frozen=True)
class RouteResult:
    """A route's eligibility, and the reasons that decide it, written out when read.

    ``write(*args)`` gives the deciding reasons (texts or writers, see ``text``): the
    failed conditions of a closed route, every condition of an open one.
    """

    route: Route
    eligible: bool
    write: Callable[..., list[Reason]] = field(repr=False)
    args: tuple = field(default=(), repr=False)

    @property
    def reasons(self) -> tuple[str, ...]:
        """The deciding reasons in plain French, each once, in order."""
        return tuple(dict.fromkeys(text(r) for r in self.write(*self.args)))


def _verdict(check: Check, yes: str, no: str) -> tuple[bool, Reason]:
    return check.ok, (yes if check.ok else partial(_failed, check, no))


def _failed(check: Check, no: str) -> str:
    detail = " ".join(r for r in check.reasons if r)
    return f"{no} {detail}".strip()


def _certain(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    return _verdict(f.checks["certain"], "La créance est certaine.", "La créance n'est pas certaine :")


def _liquid(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    return _verdict(f.checks["liquid"], "La créance est liquide (montant déterminé).", "La créance n'est pas liquide :")


def _due(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    return _verdict(
        f.checks["due"], "La créance est exigible (l'échéance est passée).", "La créance n'est pas exigible :"
    )


def _outstanding(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    ok = f.total > 0
    return ok, (partial(_left_to_pay, f.total) if ok else "Il ne reste rien à payer.")


def _left_to_pay(total: Decimal) -> str:
    return f"Il reste {euros(total)} à payer."


def _prescribed(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    return f.prescribed, partial(_prescription_reason, f)


def _contested(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    ok = f.claim.dispute.contested
    return ok, "Le débiteur conteste la créance." if ok else "Le débiteur ne conteste pas la créance."


def _arose_before_opening(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    opened = f.claim.debtor.proceedings.opened
    ok = opened is not None and any(d < opened for d in f.open_invoices_performed)
    return ok, (
        "La créance est née avant le jugement d'ouverture : elle doit être déclarée."
        if ok
        else "Aucune facture impayée n'est née avant le jugement d'ouverture."
    )


def _debtor_kind(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    kind = f.claim.debtor.kind
    return kind in cond.arg("in"), _kind_reason(kind)


def _debtor_in_france(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    country = f.claim.debtor.address.country
    ok = country == "FR"
    return ok, "Le débiteur est établi en France." if ok else f"Le débiteur est établi hors de France ({country})."


def _debtor_country_in(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    param = f.params[cond.arg("parameter")]
    country = f.claim.debtor.address.country
    ok = country in (param.at(f.as_of).value or ())
    return ok, partial(_country_listed, country, ok, param.label)


def _country_listed(country: str, ok: bool, label: str) -> str:
    label = label[0].lower() + label[1:]
    return f"Le pays du débiteur ({country}) {'figure' if ok else 'ne figure pas'} parmi les {label}."


def _cross_border(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    ok = f.claim.creditor.address.country != f.claim.debtor.address.country
    return ok, (
        "Le créancier et le débiteur sont dans des pays différents."
        if ok
        else "Le créancier et le débiteur sont dans le même pays : ce n'est pas un litige transfrontalier."
    )


def _reminder_sent(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    ok = bool(f.claim.history.reminders)
    return ok, "Une relance a déjà été faite." if ok else "Aucune relance n'a encore été faite."


def _formal_notice_sent(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    ok = f.claim.history.formal_notice is not None
    return ok, "Une mise en demeure a été envoyée." if ok else "Aucune mise en demeure n'a encore été envoyée."


def evaluate_check(cond: Condition, f: Facts) -> tuple[bool, str]:
    """One named check: whether it holds, and the fact behind it in plain French."""
    ok, reason = CHECK_FUNCTIONS[cond.name](cond, f)
    return ok, text(reason)


def _prescription_reason(f: Facts) -> str:
    if f.prescribed:
        return f"Toutes les factures impayées sont prescrites. {f.prescription_reason}"
    if f.open_limit is None:
        return "Aucune facture impayée : la prescription ne se pose pas."
    return f"La créance n'est pas prescrite : agir avant le {fr_short(f.open_limit)}."


def _in_proceedings(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    p = f.claim.debtor.proceedings
    if p.kind == "none":
        return False, "Le débiteur n'est pas en procédure collective."
    return True, partial(_proceedings_reason, p)


def _proceedings_reason(p: Proceedings) -> str:
    return (
        f"Le débiteur est en {PROCEEDINGS_LABELS[p.kind]} depuis le jugement du "
        f"{fr_short(p.opened)} : les poursuites individuelles sont arrêtées "
        f"(art. L622-21 C. com.) ; seule la déclaration de créance est possible."
    )


def _kind_reason(kind: str) -> str:
    return _KIND_REASONS[kind]


_KIND_REASONS = {
    "company": "Le débiteur est une société.",
    "sole_trader": "Le débiteur est un entrepreneur individuel.",
    "association": "Le débiteur est une association.",
    "consumer": "Le débiteur est un particulier (consommateur).",
    "public_body": "Le débiteur est une personne publique (État, collectivité, établissement "
    "public) : ses biens ne peuvent pas être saisis et le juge administratif "
    "est compétent.",
}


def _amount_at_most(cond: Condition, f: Facts) -> tuple[bool, Reason]:
    param = f.params[cond.arg("parameter")]
    ceiling = param.at(f.as_of)
    amount = f.principal_and_interest
    ok = ceiling.value is not None and amount <= ceiling.value
    return ok, partial(_ceiling_reason, f.as_of, amount, ok, ceiling.value, param)


def _ceiling_reason(as_of: date, amount: Decimal, ok: bool, ceiling: Decimal | None, param: Parameter) -> str:
    sign = "≤" if ok else ">"
    return (
        f"Principal et intérêts au {fr_short(as_of)} : {euros(amount)} "
        f"{sign} {euros(ceiling)}, plafond en vigueur ({param.cite})."
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


def evaluate(cond: Condition, f: Facts, seen: dict | None = None) -> tuple[bool, list[Reason]]:
    """A condition tree: whether it holds, and the reasons that decide it (see ``text``).

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
    return ok, [reason for r in results if r[0] == ok for reason in r[1]]


def _leaf(cond: Condition, f: Facts, seen: dict) -> tuple[bool, Reason]:
    """A named check, evaluated once per assessment however many routes use it."""
    key = (cond.name, cond.args)
    result = seen.get(key)
    if result is None:
        result = seen[key] = CHECK_FUNCTIONS[cond.name](cond, f)
    return result


def evaluate_routes(library: Library, f: Facts) -> list[RouteResult]:
    """Every route of the library with its eligibility and reasons.

    Each named check runs once, in the order the routes first use it. A route of named
    checks is then decided by comparing bits: bit i of ``held`` says whether check i holds
    (every check's verdict is a bool), and the route is open when its checks hold (or fail,
    for its negated ones) as it wants. The reasons are sorted out and written only when read.
    """
    plan = _plan(library.routes)
    results = [CHECK_FUNCTIONS[leaf.name](leaf, f) for leaf in plan.leaves]
    held = sum(1 << i for i, result in enumerate(results) if result[0])
    seen = None
    out = []
    for route, flat in plan.routes:
        if flat is None:
            seen = seen or dict(zip(plan.keys, results, strict=True))
            ok, reasons = evaluate(route.conditions, f, seen)
            out.append(RouteResult(route, ok, _given, (reasons,)))
        else:
            ok = (held & flat.mask) == flat.want
            out.append(RouteResult(route, ok, _deciding, (flat.items, results, ok)))
    return out


def _given(reasons: list[Reason]) -> list[Reason]:
    return reasons


def _deciding(items: tuple[tuple[bool, int], ...], results: list[tuple[bool, Reason]], ok: bool) -> list[Reason]:
    """The reasons of a route of named checks: the failed ones if closed, else all of them."""
    if ok:
        return [results[i][1] for _, i in items]
    return [results[i][1] for negated, i in items if results[i][0] == negated]


class _Flat(NamedTuple):
    """A route of (negated) named checks, as indexes into the plan's checks and as bits."""

    items: tuple[tuple[bool, int], ...]  # (negated, check index), in the route's order
    mask: int  # the bits of its checks
    want: int  # the bits that must be set: those of its checks that are not negated


@dataclass(frozen=True)
class _Plan:
    """How to evaluate a library's routes: its named checks once each, then each route."""

    leaves: tuple[Condition, ...]  # every distinct named check, in the order the routes first use it
    keys: tuple[tuple, ...]  # their memo keys (name, args), as ``evaluate`` uses them
    routes: tuple[tuple[Route, _Flat | None], ...]  # None: a route ``evaluate`` walks as a tree


_PLANS: dict[int, tuple[tuple[Route, ...], _Plan]] = {}  # by the identity of a loaded tuple of routes
_MAX_PLANS = 8  # libraries are loaded once per process; tests load a few


def _plan(routes: tuple[Route, ...]) -> _Plan:
    """The plan of a loaded (never mutated) tuple of routes, built on first use.

    The routes are kept with their plan, so that their identity cannot be reused by
    another tuple while the entry lives.
    """
    entry = _PLANS.get(id(routes))
    if entry is not None and entry[0] is routes:
        return entry[1]
    index: dict[tuple, int] = {}
    leaves = []
    for route in routes:
        for leaf in _leaves(route.conditions):
            key = (leaf.name, leaf.args)
            if key not in index:
                index[key] = len(leaves)
                leaves.append(leaf)
    steps = []
    for route in routes:
        flat = _flat(route.conditions)
        if flat is None:
            steps.append((route, None))
            continue
        items = tuple((negated, index[(leaf.name, leaf.args)]) for negated, leaf in flat)
        mask = sum({1 << i for _, i in items})
        want = sum({1 << i for negated, i in items if not negated})
        if any(want & (1 << i) for negated, i in items if negated):
            steps.append((route, None))  # a check both wanted and negated: left to ``evaluate``
            continue
        steps.append((route, _Flat(items, mask, want)))
    plan = _Plan(tuple(leaves), tuple(index), tuple(steps))
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()  # more libraries than a process keeps: start again rather than grow
    _PLANS[id(routes)] = (routes, plan)
    return plan


def _leaves(cond: Condition) -> list[Condition]:
    """The named checks of a tree, in the order ``evaluate`` runs them."""
    if cond.op == "check":
        return [cond]
    return [leaf for child in cond.children for leaf in _leaves(child)]


def _flat(cond: Condition) -> tuple[tuple[bool, Condition], ...] | None:
    """An `all` of (negated) named checks as (negated, check); None for other shapes."""
    if cond.op != "all":
        return None
    items = []
    for child in cond.children:
        negated = child.op == "not"
        leaf = child.children[0] if negated else child
        if leaf.op != "check":
            return None
        items.append((negated, leaf))
    return tuple(items)
