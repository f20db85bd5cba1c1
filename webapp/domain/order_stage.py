"""Where an injonction de payer already requested stands, and what is due next.

Filed, then the judge's decision (art. 1409 CPC), service within the délai of art. 1411
(6 months, 3 for an ordonnance rendered from 1 September 2026, décret 2026-96), the
debtor's opposition (art. 1416), and enforceability once its délai has run (art. 1422).
"""

from __future__ import annotations

from .checks import euros
from .dates import ONE_DAY
from .deadlines import long_date
from .followup import FollowUpState
from .routes import Facts, RouteResult
from .steps import NextStep

_IP = "injonction-de-payer"


def order_step(open_: dict[str, RouteResult], f: Facts, fu: FollowUpState) -> NextStep:
    """The next step once a requête was filed."""
    order = f.claim.history.order
    if order.rendered is None:
        return NextStep(
            None,
            (
                f"La requête en injonction de payer a été déposée le {long_date(order.filed)} : attendez la "
                "décision du juge, qui statue sans audience. Notez-la dans le suivi dès que le greffe vous la "
                "remet.",
            ),
        )
    if order.outcome == "rejected":
        return _rejected(open_, order)
    if order.opposition is not None:
        lawyer = f.params.at("lawyer_required_above", f.as_of)
        return NextStep(
            None,
            (
                f"Le débiteur a formé opposition le {long_date(order.opposition)} : l'affaire sera jugée à une "
                "audience, à laquelle le greffe convoque les parties. Préparez vos pièces ; un avocat est "
                f"obligatoire au-delà de {euros(lawyer.value)} ({lawyer.cite}).",
            ),
        )
    if order.served is None:
        return _to_serve(open_, f, fu, order)
    return _after_service(f, fu, order)


def _rejected(open_: dict[str, RouteResult], order) -> NextStep:
    why = (
        f"Le juge a rejeté la requête le {long_date(order.rendered)} : ce refus n'est pas susceptible "
        "d'appel, mais vous pouvez agir par une procédure ordinaire (art. 1409 CPC)."
    )
    if "assignation-au-fond" in open_:
        return NextStep("assignation-au-fond", (why,))
    return NextStep(None, (why,))


def _deadline(fu: FollowUpState, ident: str):
    return next((d for d in fu.deadlines if d.id == ident), None)


def _to_serve(open_: dict[str, RouteResult], f: Facts, fu: FollowUpState, order) -> NextStep:
    service = _deadline(fu, "order_service")
    if service is not None and service.passed:
        reasons = (
            f"L'ordonnance du {long_date(order.rendered)} n'a pas été signifiée au plus tard le "
            f"{long_date(service.date)} : elle est non avenue (art. 1411 CPC). Il faut déposer une nouvelle "
            "requête.",
        )
        return NextStep(_IP if _IP in open_ else None, reasons)
    reasons = [
        f"Le juge a rendu l'ordonnance le {long_date(order.rendered)} : faites-la signifier au débiteur par "
        f"un commissaire de justice au plus tard le {long_date(service.date)}, sinon elle sera non avenue "
        "(art. 1411 CPC)."
    ]
    if order.outcome == "partly_granted":
        reasons.append(
            "Le juge n'a accordé qu'une partie de la demande : si vous faites signifier l'ordonnance, vous "
            "renoncez au surplus ; vous pouvez aussi ne pas la signifier et agir au fond pour le tout."
        )
    return NextStep(_IP, tuple(reasons))


def _after_service(f: Facts, fu: FollowUpState, order) -> NextStep:
    months = f.params.at("ip_opposition_deadline_months", order.served).value
    if not order.served_in_person:
        return NextStep(
            _IP,
            (
                f"L'ordonnance a été signifiée le {long_date(order.served)}, mais pas à la personne du débiteur : "
                f"il peut former opposition jusqu'à {months} mois après le premier acte qui lui sera signifié à "
                "personne ou, à défaut, après la première mesure d'exécution qui rend ses biens indisponibles "
                "(art. 1416 CPC). Voyez avec le commissaire de justice la suite de l'exécution.",
            ),
        )
    opposition = _deadline(fu, "opposition")
    if f.as_of <= opposition.date:
        wait = (
            f"le débiteur peut former opposition jusqu'au {long_date(opposition.date)} inclus ({months} mois après la "
            f"signification à personne du {long_date(order.served)}, art. 1416 CPC) ; ce délai suspend "
            "l'exécution (art. 1422 CPC)"
        )
        after = (
            "Ensuite, demandez au greffe un certificat de non-opposition et confiez l'ordonnance à un "
            "commissaire de justice pour l'exécuter."
        )
        return NextStep(_IP, (after,), opposition.date + ONE_DAY, wait)
    return NextStep(
        _IP,
        (
            f"Aucune opposition n'a été formée au plus tard le {long_date(opposition.date)} : l'ordonnance est "
            f"exécutoire depuis le {long_date(opposition.date + ONE_DAY)} (art. 1422 CPC). Demandez au greffe un "
            "certificat de non-opposition et confiez-la à un commissaire de justice pour l'exécution forcée.",
        ),
    )
