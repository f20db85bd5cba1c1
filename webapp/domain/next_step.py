"""The recommended next step, along the escalation a careful practitioner follows."""

from __future__ import annotations

from .checks import euros
from .court import TJ
from .dates import fr_short
from .followup import FollowUpState
from .order_stage import order_step
from .routes import Facts, RouteResult
from .steps import NextStep
from .timing import amicable_step, timed

__all__ = ["NextStep", "recommend"]


def recommend(results: list[RouteResult], f: Facts, fu: FollowUpState) -> NextStep:
    """The route to take, or None when none should be taken, with the reasons and the first
    day it may be taken (the follow-up ``fu`` says what it waits for)."""
    return timed(_recommend(results, f, fu), f, fu)


def _recommend(results: list[RouteResult], f: Facts, fu: FollowUpState) -> NextStep:
    open_ = {r.route.id: r for r in results if r.eligible}
    claim, history = f.claim, f.claim.history
    if f.total <= 0:
        return NextStep(None, ("Rien ne reste dû : aucune démarche n'est nécessaire.",))
    if claim.debtor.proceedings.kind != "none":
        return _in_proceedings(open_)
    if f.prescribed:
        return NextStep(
            None,
            (
                "Toutes les factures impayées sont prescrites : si le débiteur "
                "invoque la prescription, le juge rejettera la demande. Vous pouvez "
                "encore demander un paiement volontaire. " + f.prescription_reason,
            ),
        )
    if not f.checks["due"].ok:
        return NextStep(
            None, ("Aucune facture n'est encore échue : attendez l'échéance avant de réclamer le paiement.",)
        )
    if history.order is not None:
        return order_step(open_, f, fu)
    if _limit_is_near(f):
        return _urgent(open_, f)
    if _notice_needed(f, fu):
        step = amicable_step(open_, f, fu)
        if step is not None:
            return step
    return _after_formal_notice(open_, f)


def _notice_needed(f: Facts, fu: FollowUpState) -> bool:
    """No mise en demeure yet, or only one older than an échéancier since broken."""
    notice = f.claim.history.formal_notice
    if notice is None:
        return True
    plan = fu.plan
    return plan is not None and plan.missed is not None and notice.sent < plan.plan.agreed


def _limit_is_near(f: Facts) -> bool:
    """Whether the prescription ends too soon for a reminder, which does not interrupt it."""
    if f.open_limit is None:
        return False
    margin = f.params.at("prescription_warning_days", f.as_of).value
    return (f.open_limit - f.as_of).days <= margin


def _urgent(open_: dict[str, RouteResult], f: Facts) -> NextStep:
    warning = (
        f"La prescription approche ({fr_short(f.open_limit)}) et ni une relance ni une "
        f"mise en demeure ne l'interrompent : il faut agir en justice avant cette date, "
        f"ou obtenir du débiteur une reconnaissance de dette écrite ou un paiement partiel."
    )
    step = _after_formal_notice(open_, f)
    if step.route_id is None:
        return NextStep(None, (warning, *step.reasons))
    extra = (
        "Attention : selon une source, seule la signification de l'ordonnance d'injonction "
        "de payer interromprait la prescription, pas la requête ; ne tardez pas."
    )
    reasons = (warning, *step.reasons) + ((extra,) if step.route_id == "injonction-de-payer" else ())
    return NextStep(step.route_id, reasons)


def _in_proceedings(open_: dict[str, RouteResult]) -> NextStep:
    if "declaration-de-creance" in open_:
        return NextStep(
            "declaration-de-creance",
            (
                "Le débiteur est en procédure collective : les poursuites individuelles sont "
                "arrêtées et la seule voie est de déclarer la créance au mandataire judiciaire (au "
                "liquidateur en cas de liquidation), dans les deux mois de la publication au BODACC "
                "(art. L622-24 et R622-24 C. com.). Les factures nées après le jugement d'ouverture "
                "ne se déclarent pas : elles doivent être payées à l'échéance (art. L622-17).",
            ),
        )
    return NextStep(
        None,
        (
            "Le débiteur est en procédure collective, mais les factures impayées sont nées après le "
            "jugement d'ouverture : elles ne se déclarent pas ; elles doivent être payées à "
            "l'échéance (art. L622-17 C. com.). Adressez-vous à l'administrateur ou au mandataire "
            "judiciaire.",
        ),
    )


def _after_formal_notice(open_: dict[str, RouteResult], f: Facts) -> NextStep:
    claim = f.claim
    if claim.debtor.kind == "public_body":
        if "refere-provision" in open_:
            return NextStep(
                "refere-provision",
                (
                    "Contre une personne publique, après la mise en demeure, on demande au juge des "
                    "référés du tribunal administratif une provision (art. R541-1 du code de justice "
                    "administrative).",
                ),
            )
        return NextStep(
            None,
            (
                "Contre une personne publique, seul le juge administratif peut "
                "être saisi ; les conditions du référé-provision ne sont pas "
                "réunies.",
            ),
        )
    if claim.dispute.contested:
        return _merits(
            open_, f, "Le débiteur conteste la créance : seul un procès au fond permettra au juge de trancher."
        )
    if claim.debtor.address.country != "FR":
        if "injonction-de-payer-europeenne" in open_:
            return NextStep(
                "injonction-de-payer-europeenne",
                (
                    "Le débiteur est établi dans un autre État membre de l'Union : l'injonction de "
                    "payer européenne (règlement (CE) n° 1896/2006) donne un titre exécutoire dans "
                    "toute l'Union, sans audience.",
                ),
            )
        return NextStep(
            None,
            (
                "Le débiteur est établi hors de l'Union européenne ou au Danemark : aucune procédure "
                "française simplifiée ne s'applique. Il faut agir devant les juridictions compétentes "
                "selon les règles internationales, en général celles du pays du débiteur ; "
                "faites-vous conseiller.",
            ),
        )
    if not f.checks["certain"].ok:
        return _merits(
            open_,
            f,
            "La preuve écrite exigée manque : une injonction de payer "
            "risquerait d'être rejetée ; un procès au fond permet d'apporter "
            "d'autres preuves (art. 1361 et 1362 C. civ.).",
        )
    return _enforceable_title(open_, f)


def _enforceable_title(open_: dict[str, RouteResult], f: Facts) -> NextStep:
    if "procedure-simplifiee" in open_ and f.claim.negotiation is not None:
        return NextStep(
            "procedure-simplifiee",
            (
                "Vous êtes prêt à négocier (remise ou échéancier) et la créance ne dépasse pas le "
                "plafond : la procédure simplifiée, menée par un commissaire de justice, peut aboutir "
                "en un mois à un accord qui vaut titre exécutoire.",
            ),
        )
    if "injonction-de-payer" in open_:
        reasons = [
            f"{_notice_outcome(f)} : l'injonction de payer permet d'obtenir du juge, sans audience, "
            "une ordonnance qui oblige le débiteur à payer."
        ]
        if "procedure-simplifiee" in open_:
            reasons.append(
                "Autre voie possible : la procédure simplifiée de recouvrement des "
                "petites créances, si vous êtes prêt à accorder une remise ou des "
                "délais (indiquez votre marge de négociation pour la préparer)."
            )
        return NextStep("injonction-de-payer", tuple(reasons))
    return _merits(open_, f, "L'injonction de payer n'est pas possible pour cette créance.")


def _notice_outcome(f: Facts) -> str:
    """What became of the mise en demeure, in words that stay true on the as-of date."""
    notice = f.claim.history.formal_notice
    if notice is None:
        return "Sans paiement"
    if f.notice_running:
        return "Si la mise en demeure reste sans effet à la fin de son délai"
    return "La mise en demeure est restée sans effet"


def _merits(open_: dict[str, RouteResult], f: Facts, why: str) -> NextStep:
    if "assignation-au-fond" not in open_:
        return NextStep(None, (why, "Aucune action au fond n'est ouverte pour cette créance."))
    reasons = [why]
    threshold = f.params.at("amicable_attempt_threshold", f.as_of)
    if f.court.kind == TJ and threshold.value is not None and f.principal_and_interest <= threshold.value:
        caveat = (
            " Devant la chambre commerciale d'Alsace-Moselle, qui suit la procédure "
            "commerciale, cette obligation est incertaine : renseignez-vous auprès du greffe."
            if f.court.commercial_chamber
            else ""
        )
        reasons.append(
            f"Devant le tribunal judiciaire, pour {euros(threshold.value)} ou moins, une "
            f"tentative amiable (conciliateur de justice, médiation ou procédure participative) "
            f"est obligatoire avant d'assigner ({threshold.cite}).{caveat}"
        )
    return NextStep("assignation-au-fond", tuple(reasons))
