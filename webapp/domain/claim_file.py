"""Reading a claim file (YAML or JSON) into a ``Claim``, strictly.

Every problem is reported with its field path (``invoices[0].due``) and a French
message; unknown fields are errors, so that a typo is never silently ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as stdnum_siren

from . import bounds
from . import claim as c
from .errors import ClaimError

_COUNTRIES = frozenset(code for code in Locale("fr").territories if re.fullmatch(r"[A-Z]{2}", code))
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_AMOUNT_RE = re.compile(r"^\d+(\.\d+)?$")
_CENT = Decimal("0.01")


class _StringScalarLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML loader (libyaml's parser when available) that keeps dates and numbers as text,
    so we parse them with a path."""


_StringScalarLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


MAX_DEPTH = 12  # a claim nests 5 levels deep (debtor.proceedings.mandataire.address.line1)
MAX_NODES = 200_000  # values in one claim file, aliases counted each time they are used
_TOO_DEEP = ("(fichier)", f"le fichier imbrique trop de niveaux ou de valeurs ({MAX_DEPTH} niveaux au plus)")


def parse_document(text: str, suffix: str = ".yaml") -> Any:
    """Parse YAML or JSON text into plain data, keeping scalars as text where it matters.

    Nesting and size are bounded: 10 000 nested lists or a "billion laughs" of YAML
    aliases are a French message, not a crash or minutes of work.
    """
    if _bracket_depth(text) > MAX_DEPTH:
        raise ClaimError([_TOO_DEEP])
    try:
        if suffix.lower() == ".json":
            data = json.loads(text, parse_float=str, parse_int=str)
        else:
            data = yaml.load(text, Loader=_StringScalarLoader)
    except (yaml.YAMLError, json.JSONDecodeError, ValueError) as exc:
        raise ClaimError([("(fichier)", f"le fichier n'est pas un YAML ou JSON lisible : {exc}")]) from None
    except RecursionError:
        raise ClaimError([_TOO_DEEP]) from None
    _check_shape(data)
    return data


def _bracket_depth(text: str) -> int:
    """The deepest nesting of [ and { (flow style, JSON), counted before any parser recurses."""
    depth = deepest = 0
    for char in re.sub(r"[^\[\]{}]", "", text):
        depth = max(0, depth + (1 if char in "[{" else -1))
        deepest = max(deepest, depth)
    return deepest


def _check_shape(data: Any) -> None:
    """Refuse data nested deeper than MAX_DEPTH or larger than MAX_NODES (cycles included)."""
    stack, nodes = [(data, 0)], 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH or nodes > MAX_NODES:
            raise ClaimError([_TOO_DEEP])
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def load_claim(path: Path) -> c.Claim:
    """Read and validate a claim file; raises ClaimError listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimError([("(fichier)", f"impossible de lire {path} : {exc}")]) from None
    return claim_from_data(parse_document(text, path.suffix))


def claim_from_data(data: Any) -> c.Claim:
    """Validate plain data (as parsed from a claim file) into a Claim."""
    v = _Validator()
    result = v.claim(data)
    if v.problems:
        raise ClaimError(v.problems)
    return result


class _Validator:
    """Walks the claim data, collecting (path, message) problems."""

    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    # --- structure -------------------------------------------------------------
    def mapping(self, data: Any, path: str, allowed: set[str], required: set[str]) -> dict | None:
        if data is None and path and not path.endswith("]"):
            return None  # a missing field: its parent already says it is required
        if not isinstance(data, dict):
            self.fail(path, "un ensemble de champs est attendu ici")
            return None
        for key in data:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else str(key), "champ inconnu (faute de frappe ?)")
        for key in sorted(required):
            if data.get(key) in (None, ""):
                self.fail(f"{path}.{key}" if path else key, "champ obligatoire manquant")
        return data

    def listing(self, data: Any, path: str, item: Callable[[Any, str], Any]) -> tuple:
        if data is None:
            return ()
        if not isinstance(data, list):
            self.fail(path, "une liste est attendue ici")
            return ()
        items = (item(x, f"{path}[{i}]") for i, x in enumerate(data))
        return tuple(x for x in items if x is not None)

    # --- scalars ---------------------------------------------------------------
    def text(self, value: Any, path: str, required: bool = False) -> str | None:
        if value is None or value == "":
            if required:
                self.fail(path, "champ obligatoire manquant")
            return None
        if isinstance(value, (dict, list, bool)):
            self.fail(path, "du texte est attendu ici")
            return None
        return str(value).strip()

    def choice(self, value: Any, path: str, options: tuple[str, ...], default=None) -> str | None:
        if value is None:
            return default
        if value not in options:
            self.fail(path, f"valeur « {value} » inconnue ; valeurs possibles : {', '.join(options)}")
            return default
        return value

    def boolean(self, value: Any, path: str, default: bool | None = None) -> bool | None:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(path, "oui ou non attendu (true ou false)")
            return default
        return value

    def day(self, value: Any, path: str, required: bool = False) -> date | None:
        if value is None or value == "":
            if required:
                self.fail(path, "date obligatoire manquante")
            return None
        match = _DATE_RE.match(str(value).strip())
        if not match:
            self.fail(path, f"date attendue au format AAAA-MM-JJ, pas « {value} »")
            return None
        try:
            day = date(*(int(g) for g in match.groups()))
        except ValueError:
            self.fail(path, f"la date {value} n'existe pas")
            return None
        if not bounds.date_in_range(day):
            self.fail(path, f"{bounds.DATE_MESSAGE}, pas « {value} »")
            return None
        return day

    def amount(self, value: Any, path: str, positive: bool = True) -> Decimal | None:
        if value is None or value == "":
            self.fail(path, "montant obligatoire manquant")
            return None
        raw = str(value).strip().replace(" ", "")
        if raw.startswith("-"):
            self.fail(path, "le montant ne peut pas être négatif")
            return None
        if not _AMOUNT_RE.match(raw):
            self.fail(path, f"montant en euros attendu (par exemple 1200.00), pas « {value} »")
            return None
        number = Decimal(raw) if len(raw) <= bounds.MAX_AMOUNT_DIGITS else bounds.MAX_AMOUNT + 1
        if not bounds.amount_in_range(number):
            self.fail(path, f"{bounds.AMOUNT_MESSAGE}, pas « {raw[:24]}{'…' if len(raw) > 24 else ''} »")
            return None
        if number != number.quantize(_CENT):
            self.fail(path, "un montant en euros a au plus deux décimales (centimes)")
            return None
        if positive and number <= 0:
            self.fail(path, "le montant doit être supérieur à zéro")
            return None
        return number.quantize(_CENT)

    def siren(self, value: Any, path: str) -> str | None:
        raw = self.text(value, path)
        if raw is None:
            return None
        try:
            return stdnum_siren.validate(raw)
        except ValidationError:
            self.fail(path, f"numéro SIREN invalide « {raw} » (9 chiffres, clé de contrôle fausse ?)")
            return None

    def iban(self, value: Any, path: str) -> str | None:
        raw = self.text(value, path)
        if raw is None:
            return None
        try:
            return stdnum_iban.validate(raw)
        except ValidationError:
            self.fail(path, f"IBAN invalide « {raw} » (clé de contrôle ou longueur fausse)")
            return None

    def email(self, value: Any, path: str) -> str | None:
        raw = self.text(value, path)
        if raw is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", raw):
            self.fail(path, f"adresse e-mail invalide « {raw} »")
            return None
        return raw

    # --- objects ---------------------------------------------------------------
    def claim(self, data: Any) -> c.Claim | None:
        top = {
            "creditor",
            "debtor",
            "invoices",
            "payments",
            "terms",
            "evidence",
            "dispute",
            "history",
            "negotiation",
            "follow_up",
        }
        top |= {"filing", "credit_notes"}  # Dûment's optional filing; the contract's credit notes
        d = self.mapping(data, "", top, {"creditor", "debtor", "invoices"})
        if d is None:
            return None
        creditor = self.creditor(d.get("creditor"), "creditor")
        debtor = self.debtor(d.get("debtor"), "debtor")
        invoices = self.invoices(d.get("invoices"))
        numbers = {inv.number for inv in invoices}
        payments = self.listing(d.get("payments"), "payments", lambda x, p: self.payment(x, p, numbers))
        terms = self.terms(d.get("terms"), "terms")
        evidence = self.listing(d.get("evidence"), "evidence", self.evidence_item)
        dispute = self.dispute(d.get("dispute"), "dispute")
        history = self.history(d.get("history"), "history", numbers)
        negotiation = self.negotiation(d.get("negotiation"), "negotiation")
        follow_up = self.follow_up(d.get("follow_up"), "follow_up")
        filing = self.filing(d.get("filing"), "filing")
        credits = self.listing(d.get("credit_notes"), "credit_notes", lambda x, p: self.credit_note(x, p, numbers))
        if self.problems or creditor is None or debtor is None:
            return None
        return c.Claim(
            creditor,
            debtor,
            invoices,
            payments,
            terms,
            evidence,
            dispute,
            history,
            negotiation,
            follow_up=follow_up,
            filing=filing,
            credit_notes=credits,
        )

    def address(self, data: Any, path: str) -> c.Address | None:
        d = self.mapping(data, path, {"line1", "line2", "postcode", "city", "country"}, {"line1", "postcode", "city"})
        if d is None:
            return None
        country = (self.text(d.get("country"), f"{path}.country") or "FR").upper()
        if country not in _COUNTRIES:
            self.fail(f"{path}.country", f"code pays ISO à deux lettres attendu (FR, DE…), pas « {country} »")
        postcode = self.text(d.get("postcode"), f"{path}.postcode") or ""
        if country == "FR" and postcode and not re.fullmatch(r"\d{5}", postcode):
            self.fail(f"{path}.postcode", f"un code postal français a 5 chiffres, pas « {postcode} »")
        return c.Address(
            line1=self.text(d.get("line1"), f"{path}.line1") or "",
            line2=self.text(d.get("line2"), f"{path}.line2"),
            postcode=postcode,
            city=self.text(d.get("city"), f"{path}.city") or "",
            country=country,
        )

    _PARTY_COMMON = frozenset(
        {
            "name",
            "kind",
            "legal_form",
            "siren",
            "address",
            "email",
            "phone",
            "birth_date",
            "birth_place",
            "nationality",
            "profession",
        }
    )

    def party_fields(self, d: dict, path: str) -> dict[str, Any]:
        return {
            "name": self.text(d.get("name"), f"{path}.name") or "",
            "legal_form": self.text(d.get("legal_form"), f"{path}.legal_form"),
            "siren": self.siren(d.get("siren"), f"{path}.siren"),
            "address": self.address(d.get("address"), f"{path}.address"),
            "email": self.email(d.get("email"), f"{path}.email"),
            "phone": self.text(d.get("phone"), f"{path}.phone"),
            "birth_date": self.day(d.get("birth_date"), f"{path}.birth_date"),
            "birth_place": self.text(d.get("birth_place"), f"{path}.birth_place"),
            "nationality": self.text(d.get("nationality"), f"{path}.nationality"),
            "profession": self.text(d.get("profession"), f"{path}.profession"),
        }

    def creditor(self, data: Any, path: str) -> c.Party | None:
        allowed = self._PARTY_COMMON | {"signatory", "iban", "activity", "first_name", "last_name"}
        d = self.mapping(data, path, allowed, {"name", "kind", "address"})
        if d is None:
            return None
        kind = self.choice(d.get("kind"), f"{path}.kind", c.CREDITOR_KINDS)
        fields = self.party_fields(d, path)
        activity = self.choice(d.get("activity"), f"{path}.activity", c.ACTIVITIES)  # Dûment's optional field
        if kind in ("company", "sole_trader") and d.get("siren") in (None, ""):
            self.fail(f"{path}.siren", "le numéro SIREN est obligatoire pour une entreprise")
        if fields["address"] is None or kind is None:
            return None
        return c.Party(
            kind=kind,
            signatory=self.text(d.get("signatory"), f"{path}.signatory"),
            iban=self.iban(d.get("iban"), f"{path}.iban"),
            activity=activity,
            first_name=self.text(d.get("first_name"), f"{path}.first_name"),
            last_name=self.text(d.get("last_name"), f"{path}.last_name"),
            **fields,
        )

    def debtor(self, data: Any, path: str) -> c.Party | None:
        allowed = self._PARTY_COMMON | {"activity", "proceedings"}
        d = self.mapping(data, path, allowed, {"name", "kind", "address"})
        if d is None:
            return None
        kind = self.choice(d.get("kind"), f"{path}.kind", c.DEBTOR_KINDS)
        fields = self.party_fields(d, path)
        activity = self.choice(d.get("activity"), f"{path}.activity", c.ACTIVITIES)
        proceedings = self.proceedings(d.get("proceedings"), f"{path}.proceedings")
        if fields["address"] is None or kind is None:
            return None
        return c.Party(kind=kind, activity=activity, proceedings=proceedings, **fields)

    def proceedings(self, data: Any, path: str) -> c.Proceedings:
        if data is None:
            return c.Proceedings()
        d = self.mapping(data, path, {"kind", "opened", "published", "mandataire"}, set())
        if d is None:
            return c.Proceedings()
        kind = self.choice(d.get("kind"), f"{path}.kind", c.PROCEEDINGS_KINDS, "none")
        opened = self.day(d.get("opened"), f"{path}.opened", required=kind != "none")
        published = self.day(d.get("published"), f"{path}.published")
        if opened and published and published < opened:
            self.fail(f"{path}.published", "la publication au BODACC ne peut pas précéder le jugement d'ouverture")
        mandataire = None
        if d.get("mandataire") is not None:
            m = self.mapping(d["mandataire"], f"{path}.mandataire", {"name", "address"}, {"name"})
            if m is not None:
                address = None
                if m.get("address") is not None:
                    address = self.address(m["address"], f"{path}.mandataire.address")
                mandataire = c.Mandataire(self.text(m.get("name"), f"{path}.mandataire.name") or "", address)
        return c.Proceedings(kind, opened, published, mandataire)

    def invoices(self, data: Any) -> tuple[c.Invoice, ...]:
        if isinstance(data, list) and not data:
            self.fail("invoices", "indiquez au moins une facture")
        invoices = self.listing(data, "invoices", self.invoice)
        seen: set[str] = set()
        for i, inv in enumerate(invoices):
            if inv.number in seen:
                self.fail(f"invoices[{i}].number", f"le numéro de facture {inv.number} apparaît deux fois")
            seen.add(inv.number)
        return invoices

    def invoice(self, data: Any, path: str) -> c.Invoice | None:
        allowed = {"number", "issued", "performed", "due", "amount", "description", "file"}
        d = self.mapping(data, path, allowed, {"number", "issued", "amount"})
        if d is None:
            return None
        issued = self.day(d.get("issued"), f"{path}.issued", required=True)
        performed = self.day(d.get("performed"), f"{path}.performed")
        due = self.day(d.get("due"), f"{path}.due")
        if issued and due and due < issued:
            self.fail(f"{path}.due", "l'échéance ne peut pas précéder la date de la facture")
        amount = self.amount(d.get("amount"), f"{path}.amount") if "amount" in d else None
        number = self.text(d.get("number"), f"{path}.number")
        if issued is None or amount is None or not number:
            return None
        return c.Invoice(
            number,
            issued,
            amount,
            performed,
            due,
            self.text(d.get("description"), f"{path}.description"),
            self.text(d.get("file"), f"{path}.file"),
        )

    def payment(self, data: Any, path: str, numbers: set[str]) -> c.Payment | None:
        d = self.mapping(data, path, {"date", "amount", "invoice"}, {"date", "amount"})
        if d is None:
            return None
        day = self.day(d.get("date"), f"{path}.date", required=True)
        amount = self.amount(d.get("amount"), f"{path}.amount") if "amount" in d else None
        invoice = self.text(d.get("invoice"), f"{path}.invoice")
        if invoice is not None and invoice not in numbers:
            self.fail(f"{path}.invoice", f"aucune facture ne porte le numéro « {invoice} »")
        if day is None or amount is None:
            return None
        return c.Payment(day, amount, invoice)

    def credit_note(self, data: Any, path: str, numbers: set[str]) -> c.CreditNote | None:
        d = self.mapping(data, path, {"number", "date", "amount", "invoice", "file"}, {"number", "date", "amount"})
        if d is None:
            return None
        number = self.text(d.get("number"), f"{path}.number")
        day = self.day(d.get("date"), f"{path}.date", required=True)
        amount = self.amount(d.get("amount"), f"{path}.amount") if "amount" in d else None
        invoice = self.text(d.get("invoice"), f"{path}.invoice")
        if invoice is not None and invoice not in numbers:
            self.fail(f"{path}.invoice", f"aucune facture ne porte le numéro « {invoice} »")
        if not number or day is None or amount is None:
            return None
        return c.CreditNote(number, day, amount, invoice, self.text(d.get("file"), f"{path}.file"))

    def terms(self, data: Any, path: str) -> c.Terms:
        if data is None:
            return c.Terms()
        d = self.mapping(data, path, {"late_penalty_rate", "recovery_indemnity", "below_floor"}, set())
        if d is None:
            return c.Terms()
        return c.Terms(
            self.penalty_rate(d.get("late_penalty_rate"), f"{path}.late_penalty_rate"),
            self.boolean(d.get("recovery_indemnity"), f"{path}.recovery_indemnity"),
            self.choice(d.get("below_floor"), f"{path}.below_floor", c.FLOOR_READINGS),
        )

    def penalty_rate(self, value: Any, path: str) -> Decimal | str | None:
        if value is None or value in c.PENALTY_KEYWORDS:
            return value
        try:
            rate = Decimal(str(value).strip().rstrip("%").strip().replace(",", "."))
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or rate < 0 or rate > 100:
            self.fail(path, "taux annuel en % attendu (par exemple « 12 »), ou ecb_plus_10, ou three_times_legal")
            return None
        return rate

    def evidence_item(self, data: Any, path: str) -> c.Evidence | None:
        d = self.mapping(data, path, {"kind", "title", "date", "file"}, {"kind", "title"})
        if d is None:
            return None
        kind = self.choice(d.get("kind"), f"{path}.kind", c.EVIDENCE_KINDS)
        title = self.text(d.get("title"), f"{path}.title")
        day = self.day(d.get("date"), f"{path}.date")
        if kind is None or not title:
            return None
        return c.Evidence(kind, title, day, self.text(d.get("file"), f"{path}.file"))

    def dispute(self, data: Any, path: str) -> c.Dispute:
        if data is None:
            return c.Dispute()
        d = self.mapping(data, path, {"contested", "details"}, set())
        if d is None:
            return c.Dispute()
        return c.Dispute(
            bool(self.boolean(d.get("contested"), f"{path}.contested", False)),
            self.text(d.get("details"), f"{path}.details"),
        )

    def history(self, data: Any, path: str, numbers: set[str]) -> c.History:
        if data is None:
            return c.History()
        allowed = {"reminders", "formal_notice", "acknowledgments", "promises", "payment_plan", "order"}
        d = self.mapping(data, path, allowed, set())
        if d is None:
            return c.History()
        reminders = self.listing(d.get("reminders"), f"{path}.reminders", self.reminder)
        notice = self.formal_notice(d.get("formal_notice"), f"{path}.formal_notice")
        acks = self.listing(
            d.get("acknowledgments"), f"{path}.acknowledgments", lambda x, p: self.acknowledgment(x, p, numbers)
        )
        follow = _FollowUpValidator(self)
        promises = self.listing(d.get("promises"), f"{path}.promises", follow.promise)
        plan = follow.payment_plan(d.get("payment_plan"), f"{path}.payment_plan", numbers)
        order = follow.order(d.get("order"), f"{path}.order")
        return c.History(reminders, notice, acks, promises, plan, order)

    def follow_up(self, data: Any, path: str) -> c.FollowUp:
        return _FollowUpValidator(self).follow_up(data, path)

    def count(self, value: Any, path: str, low: int, high: int, what: str) -> int | None:
        """A whole number between ``low`` and ``high``, or a French message naming ``what``."""
        raw = str(value).strip()
        if isinstance(value, bool) or not re.fullmatch(r"\d{1,4}", raw) or not low <= int(raw) <= high:
            self.fail(path, f"{what} : nombre entier entre {low} et {high} attendu, pas « {value} »")
            return None
        return int(raw)

    def reminder(self, data: Any, path: str) -> c.Reminder | None:
        d = self.mapping(data, path, {"date", "channel"}, {"date", "channel"})
        if d is None:
            return None
        day = self.day(d.get("date"), f"{path}.date", required=True)
        channel = self.choice(d.get("channel"), f"{path}.channel", c.REMINDER_CHANNELS)
        return c.Reminder(day, channel) if day and channel else None

    def formal_notice(self, data: Any, path: str) -> c.FormalNotice | None:
        if data is None:
            return None
        d = self.mapping(data, path, {"sent", "registered", "received", "deadline_days"}, {"sent"})
        if d is None:
            return None
        sent = self.day(d.get("sent"), f"{path}.sent", required=True)
        received = self.day(d.get("received"), f"{path}.received")
        if sent and received and received < sent:
            self.fail(f"{path}.received", "la réception ne peut pas précéder l'envoi")
        registered = bool(self.boolean(d.get("registered"), f"{path}.registered", False))
        days = None
        if d.get("deadline_days") not in (None, ""):
            days = self.count(d["deadline_days"], f"{path}.deadline_days", 1, 365, "délai laissé pour payer, en jours")
        return c.FormalNotice(sent, registered, received, days) if sent else None

    def acknowledgment(self, data: Any, path: str, numbers: set[str]) -> c.Acknowledgment | None:
        d = self.mapping(data, path, {"date", "invoices"}, {"date"})
        if d is None:
            return None
        day = self.day(d.get("date"), f"{path}.date", required=True)
        invoices = d.get("invoices")
        if invoices is not None:
            if not isinstance(invoices, list):
                self.fail(f"{path}.invoices", "une liste de numéros de facture est attendue")
                invoices = None
            else:
                invoices = tuple(str(n) for n in invoices)
                for i, n in enumerate(invoices):
                    if n not in numbers:
                        self.fail(f"{path}.invoices[{i}]", f"aucune facture ne porte le numéro « {n} »")
        return c.Acknowledgment(day, invoices) if day else None

    def filing(self, data: Any, path: str) -> c.Filing:
        if data is None:
            return c.Filing()
        d = self.mapping(data, path, {"refer_on_opposition"}, set())
        if d is None:
            return c.Filing()
        refer = self.boolean(d.get("refer_on_opposition"), f"{path}.refer_on_opposition", default=False)
        return c.Filing(bool(refer))

    def negotiation(self, data: Any, path: str) -> c.Negotiation | None:
        if data is None:
            return None
        d = self.mapping(data, path, {"max_discount_percent", "max_instalments"}, set())
        if d is None:
            return None
        discount = None
        if d.get("max_discount_percent") is not None:
            discount = self.amount(d["max_discount_percent"], f"{path}.max_discount_percent", positive=False)
            if discount is not None and discount > 100:
                self.fail(f"{path}.max_discount_percent", "un pourcentage ne dépasse pas 100")
        instalments = None
        raw = d.get("max_instalments")
        if raw is not None:
            if not re.fullmatch(r"\d{1,3}", str(raw)) or int(str(raw)) < 1:
                self.fail(f"{path}.max_instalments", "nombre entier de mensualités attendu (1 ou plus)")
            else:
                instalments = int(str(raw))
        return c.Negotiation(discount, instalments)


class _FollowUpValidator:
    """The follow-up fields (promises, payment plan, ordonnance, reminder plan), strictly."""

    def __init__(self, v: _Validator):
        self.v = v

    def promise(self, data: Any, path: str) -> c.Promise | None:
        v = self.v
        d = v.mapping(data, path, {"made", "pay_by", "amount"}, {"made", "pay_by"})
        if d is None:
            return None
        made = v.day(d.get("made"), f"{path}.made", required=True)
        pay_by = v.day(d.get("pay_by"), f"{path}.pay_by", required=True)
        if made and pay_by and pay_by < made:
            v.fail(f"{path}.pay_by", "la date promise pour payer ne peut pas précéder la promesse")
        amount = v.amount(d["amount"], f"{path}.amount") if d.get("amount") not in (None, "") else None
        return c.Promise(made, pay_by, amount) if made and pay_by else None

    def payment_plan(self, data: Any, path: str, numbers: set[str]) -> c.PaymentPlan | None:
        v = self.v
        if data is None:
            return None
        allowed = {"agreed", "signed_by_debtor", "invoices", "instalments"}
        d = v.mapping(data, path, allowed, {"agreed", "instalments"})
        if d is None:
            return None
        agreed = v.day(d.get("agreed"), f"{path}.agreed", required=True)
        signed = bool(v.boolean(d.get("signed_by_debtor"), f"{path}.signed_by_debtor", False))
        invoices = self.invoice_numbers(d.get("invoices"), f"{path}.invoices", numbers)
        raw = d.get("instalments")
        if isinstance(raw, list) and not raw:
            v.fail(f"{path}.instalments", "indiquez au moins une échéance")
        instalments = v.listing(raw, f"{path}.instalments", self.instalment)
        for i, inst in enumerate(instalments):
            if agreed and inst.due < agreed:
                v.fail(f"{path}.instalments[{i}].due", "une échéance ne peut pas précéder l'accord")
            if i and inst.due <= instalments[i - 1].due:
                v.fail(f"{path}.instalments[{i}].due", "les échéances doivent se suivre dans l'ordre des dates")
        if agreed is None or not instalments:
            return None
        return c.PaymentPlan(agreed, instalments, signed, invoices)

    def instalment(self, data: Any, path: str) -> c.Instalment | None:
        v = self.v
        d = v.mapping(data, path, {"due", "amount"}, {"due", "amount"})
        if d is None:
            return None
        due = v.day(d.get("due"), f"{path}.due", required=True)
        amount = v.amount(d.get("amount"), f"{path}.amount") if "amount" in d else None
        return c.Instalment(due, amount) if due and amount else None

    def invoice_numbers(self, value: Any, path: str, numbers: set[str]) -> tuple[str, ...] | None:
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            self.v.fail(path, "une liste de numéros de facture est attendue")
            return None
        found = tuple(str(n) for n in value)
        for i, n in enumerate(found):
            if n not in numbers:
                self.v.fail(f"{path}[{i}]", f"aucune facture ne porte le numéro « {n} »")
        return found

    def order(self, data: Any, path: str) -> c.Order | None:
        v = self.v
        if data is None:
            return None
        allowed = {"filed", "rendered", "outcome", "served", "served_in_person", "opposition"}
        d = v.mapping(data, path, allowed, {"filed"})
        if d is None:
            return None
        filed = v.day(d.get("filed"), f"{path}.filed", required=True)
        rendered = v.day(d.get("rendered"), f"{path}.rendered")
        outcome = v.choice(d.get("outcome"), f"{path}.outcome", c.ORDER_OUTCOMES)
        served = v.day(d.get("served"), f"{path}.served")
        in_person = v.boolean(d.get("served_in_person"), f"{path}.served_in_person")
        opposition = v.day(d.get("opposition"), f"{path}.opposition")
        self.order_sequence(path, filed, rendered, outcome, served, opposition)
        return c.Order(filed, rendered, outcome, served, in_person, opposition) if filed else None

    def order_sequence(self, path, filed, rendered, outcome, served, opposition) -> None:
        """Each step of the ordonnance comes after the one before it, and only once it exists."""
        v = self.v
        if rendered and filed and rendered < filed:
            v.fail(f"{path}.rendered", "l'ordonnance ne peut pas précéder le dépôt de la requête")
        if outcome and not rendered:
            v.fail(f"{path}.rendered", "indiquez la date de l'ordonnance avec la décision du juge")
        if served and not rendered:
            v.fail(f"{path}.served", "une ordonnance ne peut être signifiée qu'une fois rendue (date de l'ordonnance)")
        if served and outcome == "rejected":
            v.fail(f"{path}.served", "une requête rejetée ne donne pas d'ordonnance à signifier")
        if served and rendered and served < rendered:
            v.fail(f"{path}.served", "la signification ne peut pas précéder l'ordonnance")
        if opposition and not served and not rendered:
            v.fail(f"{path}.opposition", "une opposition suppose une ordonnance rendue")
        if opposition and (served or rendered) and opposition < (served or rendered):
            v.fail(f"{path}.opposition", "l'opposition ne peut pas précéder l'ordonnance ni sa signification")

    def follow_up(self, data: Any, path: str) -> c.FollowUp:
        v = self.v
        if data is None:
            return c.FollowUp()
        d = v.mapping(data, path, {"plan", "paused"}, set())
        if d is None:
            return c.FollowUp()
        paused = bool(v.boolean(d.get("paused"), f"{path}.paused", False))
        plan = None
        if d.get("plan") is not None:
            plan = v.listing(d["plan"], f"{path}.plan", self.plan_step)
            for i in range(1, len(plan)):
                if plan[i].days <= plan[i - 1].days:
                    v.fail(f"{path}.plan[{i}].days", "les relances doivent se suivre : un nombre de jours croissant")
        return c.FollowUp(plan, paused)

    def plan_step(self, data: Any, path: str) -> c.PlanStep | None:
        v = self.v
        d = v.mapping(data, path, {"days", "channel"}, {"days"})
        if d is None:
            return None
        days = None
        if d.get("days") not in (None, ""):
            days = v.count(d["days"], f"{path}.days", 0, 365, "jours après l'échéance")
        channel = v.choice(d.get("channel"), f"{path}.channel", c.REMINDER_CHANNELS, "email")
        return c.PlanStep(days, channel) if days is not None and channel else None
