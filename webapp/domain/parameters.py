"""Dated legal values (thresholds, rates, deadlines) read from ``procedures/parameters``.

A legal number is never a constant: each value holds from a date until the next one,
carries its article and source, and a table may say how far it is known. Looking a value
up past that point returns the last value, flagged as provisional.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError, ParameterError

UNITS = {"EUR", "percent", "points", "multiplier", "days", "months", "years", "count", "list", "text"}
CONFIDENCES = {"verified", "single_source", "unverified", "derived"}
_DEF_KEYS = {"label", "unit", "reference", "url", "values", "columns", "known_until", "note"}
_ENTRY_KEYS = {"from", "value", "source", "confidence"}

# libyaml's parser when PyYAML was built with it: about ten times faster at start-up.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Entry:
    """One dated value of a parameter, with where it comes from."""

    start: date
    value: Any
    source: str
    confidence: str


@dataclass(frozen=True, slots=True)
class Value:
    """The result of a lookup: the value on a date, and whether it is provisional.

    Frozen: each parameter builds its values once and every lookup shares them.
    """

    value: Any
    start: date
    provisional: bool
    confidence: str
    reference: str
    cite: str = field(init=False, repr=False, compare=False)  # the reference as written inside a sentence

    def __post_init__(self):
        object.__setattr__(self, "cite", _cite(self.reference))


def _cite(reference: str) -> str:
    return reference[:1].lower() + reference[1:]


CONFIDENCE_NOTES = {
    "single_source": " (valeur à confirmer : une seule source)",
    "unverified": " (valeur non vérifiée : à confirmer avant de l'utiliser)",
}


def confidence_note(value: Value) -> str:
    """What the user must be told about how sure a value is; empty when it is verified."""
    return CONFIDENCE_NOTES.get(value.confidence, "")


@dataclass(frozen=True)
class Parameter:
    """A legal value that changes over time."""

    name: str
    label: str
    unit: str
    reference: str
    url: str
    entries: tuple[Entry, ...]
    known_until: date | None = None
    note: str = ""
    _starts: tuple[date, ...] = field(default=(), repr=False, compare=False)
    _values: tuple[tuple[Value, ...], tuple[Value, ...]] = field(default=((), ()), repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_starts", tuple(e.start for e in self.entries))
        # Every possible lookup result, built once: (firm values, provisional values) by entry.
        values = tuple(
            tuple(Value(e.value, e.start, provisional, e.confidence, self.reference) for e in self.entries)
            for provisional in (False, True)
        )
        object.__setattr__(self, "_values", values)

    @property
    def cite(self) -> str:
        """The reference as written inside a sentence."""
        return _cite(self.reference)

    def at(self, on: date) -> Value:
        """The value in force on ``on``; raises ParameterError before the first entry."""
        index = bisect.bisect_right(self._starts, on) - 1
        if index < 0:
            first = self.entries[0].start.isoformat()
            raise ParameterError(
                f"{self.label} : aucune valeur connue au {on.isoformat()} (la table commence le {first})."
            )
        provisional = self.known_until is not None and on > self.known_until
        return self._values[provisional][index]


class Memo(dict):
    """Derived values (rates by half-year…), safe to keep because the data never change.

    Some keys come from claims (a contractual rate, a date), so a long-running server
    would otherwise grow it without bound: past ``limit`` entries it starts afresh.
    """

    def __init__(self, limit: int = 20_000):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.limit:
            self.clear()
        super().__setitem__(key, value)


class Parameters:
    """All dated parameters, by name."""

    def __init__(self, params: dict[str, Parameter]):
        self._params = params
        self.memo = Memo()

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._params[name]
        except KeyError:
            raise ParameterError(f"paramètre inconnu : {name}") from None

    def __contains__(self, name: str) -> bool:
        return name in self._params

    def __iter__(self):
        return iter(self._params.values())

    def at(self, name: str, on: date) -> Value:
        """Shortcut for ``params[name].at(on)``."""
        return (self._params.get(name) or self[name]).at(on)


def load_parameters(folder: Path) -> Parameters:
    """Read and validate every ``*.yaml`` of ``folder``; fail with file, field and fault."""
    params: dict[str, Parameter] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        except yaml.YAMLError as exc:
            raise DataFileError(path.name, "-", f"YAML illisible : {exc}") from None
        if not isinstance(data, dict):
            raise DataFileError(path.name, "-", "le fichier doit associer des noms à des définitions")
        for name, definition in data.items():
            if name in params:
                raise DataFileError(path.name, name, "paramètre défini deux fois")
            params[name] = _parse_parameter(path.name, name, definition)
    return Parameters(params)


def _parse_parameter(file: str, name: str, d: Any) -> Parameter:
    if not isinstance(d, dict):
        raise DataFileError(file, name, "la définition doit être un dictionnaire")
    unknown = set(d) - _DEF_KEYS
    if unknown:
        raise DataFileError(file, f"{name}.{sorted(unknown)[0]}", "champ inconnu")
    for key in ("label", "unit", "reference", "url", "values"):
        if not d.get(key):
            raise DataFileError(file, f"{name}.{key}", "champ obligatoire manquant")
    if d["unit"] not in UNITS:
        raise DataFileError(file, f"{name}.unit", f"unité inconnue {d['unit']!r}")
    if not str(d["url"]).startswith("https://"):
        raise DataFileError(file, f"{name}.url", "doit être une adresse https:// officielle")
    columns = d.get("columns")
    entries = tuple(_parse_entry(file, f"{name}.values[{i}]", e, d["unit"], columns) for i, e in enumerate(d["values"]))
    for i in range(1, len(entries)):
        if entries[i].start <= entries[i - 1].start:
            raise DataFileError(file, f"{name}.values[{i}].from", "les dates doivent croître")
    known_until = d.get("known_until")
    if known_until is not None and not isinstance(known_until, date):
        raise DataFileError(file, f"{name}.known_until", "doit être une date AAAA-MM-JJ")
    return Parameter(
        name,
        d["label"],
        d["unit"],
        d["reference"],
        d["url"],
        entries,
        known_until,
        d.get("note", ""),
    )


def _parse_entry(file: str, where: str, e: Any, unit: str, columns: list | None) -> Entry:
    if not isinstance(e, dict):
        raise DataFileError(file, where, "chaque valeur doit être un dictionnaire")
    allowed = _ENTRY_KEYS | set(columns or ())
    unknown = set(e) - allowed
    if unknown:
        raise DataFileError(file, f"{where}.{sorted(unknown)[0]}", "champ inconnu")
    if not isinstance(e.get("from"), date):
        raise DataFileError(file, f"{where}.from", "doit être une date AAAA-MM-JJ")
    if e.get("confidence") not in CONFIDENCES:
        raise DataFileError(file, f"{where}.confidence", f"doit être l'un de {sorted(CONFIDENCES)}")
    if not e.get("source"):
        raise DataFileError(file, f"{where}.source", "la source est obligatoire")
    if columns:
        value = {c: _convert(file, f"{where}.{c}", e.get(c), unit) for c in columns}
    else:
        if "value" not in e:
            raise DataFileError(file, f"{where}.value", "champ obligatoire manquant")
        value = _convert(file, f"{where}.value", e["value"], unit)
    return Entry(e["from"], value, e["source"], e["confidence"])


def _convert(file: str, where: str, raw: Any, unit: str) -> Any:
    """Turn a raw YAML value into the Python type its unit calls for."""
    if raw is None:
        return None
    if unit == "text":
        return str(raw)
    if unit == "list":
        if not isinstance(raw, list):
            raise DataFileError(file, where, "doit être une liste")
        return tuple(str(x) for x in raw)
    if isinstance(raw, float):
        raise DataFileError(file, where, "écrivez le nombre entre guillemets (pas de nombre à virgule flottante)")
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise DataFileError(file, where, f"nombre attendu, pas {raw!r}") from None
    if unit in {"days", "months", "years", "count"}:
        if number != number.to_integral_value():
            raise DataFileError(file, where, "nombre entier attendu")
        return int(number)
    return number
