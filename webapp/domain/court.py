"""Which court hears an injonction de payer against this debtor, and why.

Territorially, the court of the place where the debtor lives or has its seat
(art. 1406 CPC, d'ordre public). Materially (L721-3 C. com.): the tribunal de commerce for
a commercial debtor, and for an artisan debtor when the creditor is itself a merchant or
an artisan; a tribunal des activités économiques in the twelve trial courts from 2025 to
2028, the chambre commerciale of the tribunal judiciaire in Alsace-Moselle, and the
tribunal judiciaire for everyone else.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from .claim import Address, Claim
from .errors import ParameterError
from .parameters import Parameters
from .parties import Standing, creditor_activity

TC = "tribunal de commerce"
TAE = "tribunal des activités économiques"
TJ = "tribunal judiciaire"
DIRECTORY = "https://www.annuaires.justice.gouv.fr/"


@dataclass(frozen=True)
class Court:
    """The court for an injonction de payer, and why.

    The reasons are written out when read, by ``write`` from ``args`` kept at assessment
    time (as ``Check`` does).
    """

    kind: str | None
    write: Callable[..., tuple[str, ...]] = field(repr=False)
    args: tuple = field(default=(), repr=False)
    seat_hint: str | None = None  # the city of the likely tribunal des activités économiques
    commercial_chamber: bool = False  # the chambre commerciale of an Alsace-Moselle TJ
    ressort_unknown: str | None = None  # a TAE seat in the debtor's department, the commune not its seat
    form: str | None = None  # the Cerfa number of the requête before this court, when one exists

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.write(*self.args)

    @property
    def name(self) -> str | None:
        """The court's full name when Dûment knows it (a TAE in its seat city), else None."""
        if self.kind == TAE and self.seat_hint:
            return f"{TAE} de {self.seat_hint}"
        return None

    @property
    def filing_label(self) -> str | None:
        """The court as a requête addresses it: the chambre commerciale in Alsace-Moselle."""
        return "chambre commerciale du tribunal judiciaire" if self.commercial_chamber else self.kind

    @property
    def commercial(self) -> bool:
        """Whether the commercial jurisdiction hears it (TC, TAE or chambre commerciale)."""
        return self.kind in (TC, TAE) or self.commercial_chamber

    @property
    def label(self) -> str | None:
        """The court as shown to the user: both candidates when the ressort is not known."""
        if self.ressort_unknown:
            return f"{TC} ou {TAE} de {self.ressort_unknown}, selon la commune (à vérifier)"
        return self.kind


@functools.lru_cache(maxsize=4096)
def _normal(city: str) -> str:
    text = unicodedata.normalize("NFKD", city).encode("ascii", "ignore").decode().upper()
    text = re.sub(r"[^A-Z0-9]+", " ", text).strip()
    return re.sub(r"^ST ", "SAINT ", text)


def tae_seat(city: str, department: str | None, params: Parameters, on: date) -> str | None:
    """The TAE whose city matches the debtor's, or whose ressort is the whole department."""
    seat = _matching_seat(_normal(city), params.at("tae_courts", on).value or ())
    if seat is not None:
        return seat
    whole = params.at("tae_whole_departments", on).value or ()
    if department in whole:
        return {"75": "Paris", "92": "Nanterre"}.get(department)
    return None


@functools.lru_cache(maxsize=4096)
def _matching_seat(wanted: str, seats: tuple[str, ...]) -> str | None:
    """The first seat whose city matches ``wanted`` (a normalized city): cached by city, as
    the same cities come back from claim to claim and matching tries every pattern."""
    for seat, pattern in _seat_patterns(seats):
        if pattern.fullmatch(wanted):
            return seat
    return None


@functools.lru_cache(maxsize=16)
def _seat_patterns(seats: tuple[str, ...]) -> tuple[tuple[str, re.Pattern], ...]:
    """A pattern per seat city that also accepts an arrondissement (``LYON 3E``)."""
    suffix = r"( \d+(E|ER|EME)?( ARRONDISSEMENT)?)?"
    return tuple((seat, re.compile(re.escape(_normal(seat)) + suffix)) for seat in seats)


_FORMS = {TJ: "cerfa_ip_tj", TC: "cerfa_ip_tc", TAE: "cerfa_ip_tc"}


def competent_court(claim: Claim, params: Parameters, as_of: date, parties: Standing) -> Court:
    """The court for an injonction de payer against the debtor, with its reasons and form."""
    court = _court(claim, params, as_of, parties)
    form = _FORMS.get(court.kind)
    if form is None:
        return court
    try:
        return replace(court, form=params.at(form, as_of).value)
    except ParameterError:  # before the form existed
        return court


def _court(claim: Claim, params: Parameters, as_of: date, parties: Standing) -> Court:
    debtor = claim.debtor
    address = debtor.address
    if debtor.kind == "public_body":
        return Court(None, _given, (_PUBLIC_BODY,))
    if address.country != "FR":
        return Court(None, _abroad, (address.country,))
    if debtor.kind == "consumer":
        return Court(TJ, _with_place, (_CONSUMER, address))
    activity = parties.debtor_activity
    if activity == "artisanal" and parties.creditor_activity not in (None, "commercial", "artisanal"):
        return Court(TJ, _with_place, (_ARTISAN_CIVIL_CREDITOR, address))
    if activity in ("commercial", "artisanal"):
        return _commercial_court(claim, params, as_of, activity)
    if activity is None:
        return Court(TJ, _with_place, (_UNKNOWN_ACTIVITY, address))
    return Court(
        TJ,
        _with_place,
        (f"{_CIVIL[activity]}) : la demande va au président du tribunal judiciaire (art. 1406 CPC).", address),
    )


_PUBLIC_BODY = (
    "Le débiteur est une personne publique : le juge judiciaire n'est pas compétent et "
    "l'injonction de payer n'est pas possible. Après une mise en demeure, on saisit le "
    "tribunal administratif, en général par un référé-provision (art. R541-1 du code "
    "de justice administrative)."
)
_CONSUMER = (
    "Le débiteur est un particulier (dette civile) : la demande va au président du tribunal judiciaire (art. 1406 CPC)."
)
_UNKNOWN_ACTIVITY = (
    "L'activité de l'entrepreneur individuel n'est pas précisée. S'il est commerçant ou "
    "artisan, la demande va au tribunal de commerce (art. L721-3 C. com.) ; s'il exerce "
    "une profession libérale ou agricole, au tribunal judiciaire, retenu ici à défaut. "
    "Précisez l'activité pour lever le doute."
)
_ARTISAN_CIVIL_CREDITOR = (
    "Le débiteur est artisan, mais le créancier n'est ni commerçant ni artisan : la "
    "juridiction commerciale ne connaît que des litiges entre commerçants, entre artisans "
    "ou entre artisans et commerçants, et des actes de commerce (art. L721-3 C. com.), ce "
    "que n'est pas l'activité d'un artisan. La demande va au président du tribunal "
    "judiciaire (art. 1406 CPC)."
)
_CIVIL = {
    "civil": "Le débiteur n'est ni commerçant ni artisan (activité civile",
    "liberal": "Le débiteur exerce une profession libérale (activité civile",
    "agricultural": "Le débiteur exerce une activité agricole (activité civile",
}
_ALSACE_MOSELLE = (
    "En Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle), il n'y a pas "
    "de tribunal de commerce : la demande va à la chambre commerciale du "
    "tribunal judiciaire."
)


def _given(*reasons: str) -> tuple[str, ...]:
    """Reasons already written: a court whose wording is fixed."""
    return reasons


def _abroad(country: str) -> tuple[str, ...]:
    return (
        f"Le débiteur est établi à l'étranger ({country}) : l'injonction de payer "
        "française vise un débiteur qui demeure en France (art. 1406 CPC). Voir "
        "l'injonction de payer européenne si le pays est membre de l'Union (sauf le "
        "Danemark), sinon les juridictions du pays du débiteur.",
    )


def _where(address: Address) -> str:
    return (
        f"Le tribunal compétent est celui du lieu où le débiteur demeure ou a son siège "
        f"({address.postcode} {address.city}) ; cette règle est d'ordre public (art. 1406 "
        f"CPC). Trouvez son adresse dans l'annuaire officiel : {DIRECTORY}"
    )


def _with_place(*args) -> tuple[str, ...]:
    """The given reasons, then where the court sits (the last argument, an address)."""
    *reasons, address = args
    return (*reasons, _where(address))


def _commercial_court(claim: Claim, params: Parameters, as_of: date, activity: str) -> Court:
    address = claim.debtor.address
    department = address.department
    if department in (params.at("alsace_moselle_departments", as_of).value or ()):
        return Court(TJ, _commercial_reasons, (claim, activity, _ALSACE_MOSELLE), commercial_chamber=True)
    seat = tae_seat(address.city, department, params, as_of)
    if seat:
        return Court(TAE, _commercial_reasons, (claim, activity, _tae_reason(seat)), seat)
    local = _seat_in_department(department, params, as_of)
    if local:
        reason = _ressort_reason(address, local)
        return Court(TC, _commercial_reasons, (claim, activity, reason), ressort_unknown=local)
    seats = ", ".join(params.at("tae_courts", as_of).value or ())
    return Court(TC, _commercial_reasons, (claim, activity, None, seats))


def _seat_in_department(department: str | None, params: Parameters, on: date) -> str | None:
    """The city of the tribunal des activités économiques seated in ``department``, if any."""
    for entry in params.at("tae_seat_departments", on).value or ():
        code, _, city = entry.partition(" ")
        if code == department:
            return city
    return None


def _ressort_reason(address: Address, seat: str) -> str:
    return (
        f"{address.city} n'est pas le siège d'un tribunal de commerce que Dûment connaisse, mais "
        f"son département compte le tribunal des activités économiques de {seat}, qui juge dans "
        f"tout son ressort, au-delà de sa ville. Selon la commune, la demande va à ce tribunal "
        f"ou à un autre tribunal de commerce du département : Dûment n'a pas encore la table "
        f"des ressorts et laisse le nom du tribunal en blanc. Cherchez la juridiction "
        f"compétente pour {address.postcode} {address.city} dans l'annuaire officiel : {DIRECTORY}"
    )


def _tae_reason(seat: str) -> str:
    return (
        f"Du 1er janvier 2025 au 31 décembre 2028, le tribunal de "
        f"commerce de {seat} est remplacé à titre expérimental par un "
        f"tribunal des activités économiques (loi n° 2023-1059, art. 26), "
        f"qui reprend ses compétences, injonctions de payer comprises "
        f"(point établi par une seule source : vérifiez auprès du greffe)."
    )


def _commercial_reasons(claim: Claim, activity: str, local: str | None, seats: str = "") -> tuple[str, ...]:
    """Why the commercial court hears it; ``local`` is the reason of a local exception, if any,
    and ``seats`` the TAE cities to mention when none is certain."""
    base = _commercial_base(claim, activity)
    where = _where(claim.debtor.address)
    if local is not None:
        return (base, local, where)
    extra = (
        (
            f" Si le siège du débiteur relève du ressort de l'un des tribunaux des activités "
            f"économiques ({seats}), c'est ce tribunal qui est compétent."
        )
        if seats
        else ""
    )
    return (base + extra, where)


def _commercial_base(claim: Claim, activity: str) -> str:
    """Why the claim is commercial (L721-3 C. com.), from both parties' activities."""
    creditor = creditor_activity(claim.creditor)
    if activity == "commercial":
        base = (
            "Le débiteur est commerçant : une créance contre lui relève de la juridiction commerciale "
            "(art. L721-3 C. com.)."
        )
        if creditor not in (None, "commercial", "artisanal"):
            base += (
                " Un créancier qui n'est ni commerçant ni artisan peut toutefois choisir le tribunal judiciaire "
                "pour agir contre un commerçant."
            )
        return base
    base = (
        "Le débiteur est artisan et le créancier commerçant ou artisan : le litige relève de la "
        "juridiction commerciale (art. L721-3 C. com.)."
    )
    if creditor is None:
        base += (
            " L'activité du créancier, entrepreneur individuel, n'est pas précisée : s'il n'est ni "
            "commerçant ni artisan (profession libérale, agriculteur), c'est le tribunal judiciaire "
            "qui est compétent. Précisez-la (creditor.activity)."
        )
    return base
