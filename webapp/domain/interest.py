"""Late-payment interest: which rate applies on which day, and from when it runs.

Between professionals, penalties run from the day after the due date at the rate of the
terms (never below 3 × the legal rate) or, by default, the ECB rate of 1 January or
1 July + 10 points (L441-10 II C. com.). A public buyer owes the ECB rate of the half-year
in which interest starts + 8 points (R2192-31 CCP). Against a consumer or between
private persons, interest at the legal rate runs from the mise en demeure
(art. 1231-6, 1344-1 C. civ.).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .claim import Claim, Invoice
from .dates import ONE_DAY, add_months, days_in_year, half_year_start, next_half_year
from .french import plain_number, short_date
from .money import to_cents
from .parameters import Parameters
from .parties import B2B, CONSUMER, PUBLIC, Regime
from .terms import DEFAULT, RAISE, proven_rate, reading

HUNDRED = Decimal(100)
ZERO = Decimal(0)
FLOOR_MARK = "au plancher légal"  # in the basis of every period where a clause is below the floor
_MAX_RUN = 40  # half-years looked ahead when merging a run: 20 years, beyond any claim


@dataclass(frozen=True)
class DayRate:
    """The annual rate (in %) that applies on a day, and how it was obtained."""

    rate: Decimal
    basis: str
    provisional: bool
    # Rests on a rate not yet published without being one (a clause valid only above a floor
    # not yet known): provisional too, but not a reason to cut the statement into periods.
    unsure: bool = field(default=False, compare=False)


class Run(NamedTuple):
    """A run of half-years at one rate, as the accrual loop reads it."""

    last: date  # its last day
    rate: Decimal
    basis: str
    provisional: bool
    year_days: int
    divisor: Decimal  # 100 × year_days: the rate is in % per year
    unsure_from: date | None = None  # from this day the rate rests on an unpublished one


@dataclass(slots=True)
class Period:
    """Interest accrued on a constant principal at a constant rate."""

    start: date  # first day of interest
    end: date  # last day of interest
    principal: Decimal
    rate: Decimal
    basis: str
    year_days: int
    interest: Decimal  # rounded to the cent
    provisional: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class RatePlan:
    """The rate of one invoice, day by day, and the day interest starts."""

    def __init__(self, claim: Claim, invoice: Invoice, due: date, params: Parameters, kind: Regime):
        self.claim, self.invoice, self.due, self.params = claim, invoice, due, params
        self.regime = kind
        self.terms_rate = proven_rate(claim)  # a rate no piece proves is not claimed
        self.reading = reading(claim)
        self._first = self._first_day()
        self._key = (
            self.regime,
            self.terms_rate,
            self.reading,
            claim.creditor.kind == "individual",
            half_year_start(self._first) if self.regime is PUBLIC else None,
        )
        # The runs of this kind of rate by half-year number (see ``run_at``), shared by every
        # plan with the same key; ``accrue`` reads it directly and asks ``run_at`` when missing.
        runs = params.memo.get(("runs", self._key))
        if runs is None:
            runs = params.memo[("runs", self._key)] = {}
        self.runs: dict[int, Run] = runs

    def first_day(self) -> date | None:
        """The first day that bears interest; None when no interest runs yet."""
        return self._first

    def _first_day(self) -> date | None:
        if self.regime is B2B or self.regime is PUBLIC:
            return self.due + ONE_DAY
        notice = self.claim.history.formal_notice
        if notice is None or notice.effective < self.due:
            return None  # a notice sent before the debt was due does not make interest run
        return notice.effective + ONE_DAY

    def explanation(self) -> str:
        """In plain French: from when interest runs and at which rate, for this claim."""
        if self.regime is B2B:
            return (
                "Entre professionnels, les pénalités de retard courent de plein droit dès le "
                "lendemain de l'échéance, sans relance (art. L441-10 II C. com.)."
            )
        if self.regime is PUBLIC:
            return (
                "Un acheteur public doit des intérêts moratoires dès le lendemain de "
                "l'échéance, au taux BCE du semestre où ils commencent à courir majoré de "
                "8 points (art. R2192-31 du code de la commande publique)."
            )
        who = "Contre un particulier" if self.regime is CONSUMER else "Quand le créancier n'agit pas en professionnel"
        return (
            f"{who}, les intérêts au taux légal ne courent qu'à partir de la mise en demeure, "
            f"pour les factures déjà échues à sa réception (art. 1231-6 et 1344-1 C. civ.)."
        )

    def rate_on(self, day: date) -> DayRate:
        """The annual rate in % applicable on ``day``; constant within a half-year."""
        return self.half_year(half_year_start(day))[1]

    def half_year(self, start: date) -> tuple[date, DayRate, int]:
        """For the half-year beginning on ``start``: its last day, its rate, its year length.

        Memoized across invoices and claims: rates depend only on the half-year and the
        kind of rate, and the tables never change while the program runs.
        """
        key = (self._key, start)
        memo = self.params.memo
        if key not in memo:
            last = next_half_year(start) - ONE_DAY
            memo[key] = (last, self._rate(start), days_in_year(start.year))
        return memo[key]

    def run_from(self, start: date) -> tuple[date, DayRate, int, date | None]:
        """The longest run of half-years from ``start`` with the same rate and year length.

        Returns its last day, its rate, its year length and the first day from which the rate
        rests on an unpublished one (``DayRate.unsure``), if any; memoized like ``half_year``.
        A run never spans a change of rate, of basis, of provisional status or of year
        length, so each run is exactly one period of the statement.
        """
        key = ("run", self._key, start)
        memo = self.params.memo
        if key not in memo:
            last, rate, year_days = self.half_year(start)
            signature = (rate, year_days)
            unsure_from = start if rate.unsure else None
            for _ in range(_MAX_RUN):
                next_last, next_rate, next_days = self.half_year(last + ONE_DAY)
                if (next_rate, next_days) != signature:
                    break
                if unsure_from is None and next_rate.unsure:
                    unsure_from = last + ONE_DAY
                last = next_last
            memo[key] = (last, rate, year_days, unsure_from)
        return memo[key]

    def run_at(self, day: date) -> Run:
        """The run (as ``run_from``) that holds ``day``, flattened for the accrual loop.

        Looked up by half-year number rather than by date: the accrual asks once per
        period, and building a date and a key tuple each time cost more than the interest.
        """
        number = day.year * 2 + (day.month > 6)
        run = self.runs.get(number)
        if run is None:
            last, rate, days, unsure_from = self.run_from(half_year_start(day))
            run = Run(last, rate.rate, rate.basis, rate.provisional, days, HUNDRED * days, unsure_from)
            self.runs[number] = run
        return run

    def _rate(self, day: date) -> DayRate:
        if self.regime is PUBLIC:
            return self._public_rate()
        if self.regime is B2B:
            return self._b2b_rate(day)
        return self._civil_rate(day)

    def _ecb_plus(self, reference: date, margin_name: str, label: str) -> DayRate:
        ecb = self.params.at("ecb_main_refinancing_rate", reference)
        margin = self.params.at(margin_name, reference).value
        rate = f"{plain_number(ecb.value)} %"
        # Past the table's known_until the rate is only the last one verified: the line says so itself.
        shown = f" : {rate} (dernier taux vérifié, provisoire)" if ecb.provisional else f" ({rate})"
        basis = f"taux BCE au {short_date(reference)}{shown} + {margin} points {label}"
        return DayRate(ecb.value + margin, basis, ecb.provisional)

    def _floor(self, day: date) -> DayRate:
        legal = self.params.at("legal_interest_rate", day)
        multiplier = self.params.at("late_penalty_floor_multiplier", day).value
        rate = multiplier * legal.value["autres_cas"]
        return DayRate(
            rate, f"{multiplier} × taux légal ({plain_number(legal.value['autres_cas'])} %)", legal.provisional
        )

    def _prudent_floor(self, day: date) -> Decimal:
        """The floor with the highest legal rate published in the year before the last one:
        past the last published rate, a clause above it is taken as valid, one below it may
        yet be raised to a floor not published (so it stays provisional)."""
        legal = self.params["legal_interest_rate"]
        months = self.params.at("provisional_floor_lookback_months", day).value
        since = add_months(legal.known_until, -months)
        recent = [e.value["autres_cas"] for e in legal.entries if since < e.start <= legal.known_until]
        multiplier = self.params.at("late_penalty_floor_multiplier", day).value
        return multiplier * max(recent or [legal.entries[-1].value["autres_cas"]])

    def _b2b_rate(self, day: date) -> DayRate:
        if self.terms_rate in (None, "ecb_plus_10"):
            label = "(taux légal par défaut" if self.terms_rate is None else "(taux des conditions"
            return self._ecb_plus(half_year_start(day), "late_penalty_margin_points", f"{label}, art. L441-10 C. com.)")
        floor = self._floor(day)
        if self.terms_rate == "three_times_legal":
            return floor
        if self.terms_rate >= floor.rate:  # valid only above a floor that may not be published yet
            unsure = floor.provisional and self.terms_rate < self._prudent_floor(day)
            return DayRate(self.terms_rate, "taux des conditions générales", False, unsure=unsure)
        return self._below_floor(day, floor)

    def _below_floor(self, day: date, floor: DayRate) -> DayRate:
        """A clause below 3 × the legal rate, by the reading the claim uses (see ``terms``).

        The text states what is claimed, never the doubt: that belongs to the analysis.
        """
        clause = f"taux des conditions ({plain_number(self.terms_rate)} %)"
        raised = DayRate(floor.rate, f"{clause} relevé {FLOOR_MARK} : {floor.basis}", floor.provisional)
        reference = half_year_start(day)
        label = f"(la clause, inférieure {FLOOR_MARK}, étant sans effet : art. L441-10 C. com.)"
        default = self._ecb_plus(reference, "late_penalty_margin_points", label)
        if self.reading == RAISE:
            return raised
        if self.reading == DEFAULT:
            return default
        low = raised if raised.rate <= default.rate else default
        other = default if low is raised else raised
        basis = (
            f"{clause} inférieur {FLOOR_MARK} ; réclamé : le moindre de {floor.basis} et du "
            f"{self._ecb_plus(reference, 'late_penalty_margin_points', '').basis.strip()} (art. L441-10 II C. com.)"
        )
        return DayRate(low.rate, basis, low.provisional, unsure=other.provisional)

    def _public_rate(self) -> DayRate:
        start = self.first_day()
        return self._ecb_plus(
            half_year_start(start), "public_late_interest_margin_points", "(art. R2192-31 code de la commande publique)"
        )

    def _civil_rate(self, day: date) -> DayRate:
        if isinstance(self.terms_rate, Decimal):
            return DayRate(self.terms_rate, "taux prévu au contrat", False)
        if self.terms_rate == "three_times_legal":
            return self._floor(day)
        if self.terms_rate == "ecb_plus_10":
            return self._ecb_plus(half_year_start(day), "late_penalty_margin_points", "(contrat)")
        column = "particuliers" if self.claim.creditor.kind == "individual" else "autres_cas"
        legal = self.params.at("legal_interest_rate", day)
        who = "créancier particulier" if column == "particuliers" else "créancier professionnel"
        return DayRate(legal.value[column], f"taux de l'intérêt légal ({who})", legal.provisional)


def accrue(plan: RatePlan, principal: Decimal, start: date, end: date) -> list[Period]:
    """Interest on ``principal`` for the days ``start``..``end`` inclusive, by period.

    Each day bears rate / (days in its year). The days are cut where the rate (which may
    change on 1 January and 1 July) or the year length changes; each period is rounded
    to the cent, so the periods add up to the total.
    """
    if principal <= 0 or end < start:
        return []
    periods: list[Period] = []
    runs = plan.runs
    day = start
    while day <= end:
        run = runs.get(day.year * 2 + (day.month > 6)) or plan.run_at(day)  # run_at, without the call when known
        last, rate, basis, provisional, year_days, divisor, unsure_from = run
        stop = last if last < end else end
        if unsure_from is not None and stop >= unsure_from:
            provisional = True  # the days from ``unsure_from`` rest on a rate not yet published
        interest = to_cents(principal * rate * ((stop - day).days + 1) / divisor)
        periods.append(Period(day, stop, principal, rate, basis, year_days, interest, provisional))
        day = stop + ONE_DAY
    return periods
