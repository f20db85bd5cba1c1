"""Procedure files: every legal route described as data, loaded and validated once.

A route file says what the route is, when it fits, the conditions under which it is
open (named checks with parameters, combined with all/any/not — never code), its
steps, deadlines, costs, court, documents and references. A broken file fails with
``file: field: what is wrong``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .alternatives import Alternative, parse_alternatives
from .errors import DataFileError
from .parameters import CONFIDENCES, Parameters, load_parameters

ROUTE_IDS = (
    "relance",
    "mise-en-demeure",
    "procedure-simplifiee",
    "injonction-de-payer",
    "refere-provision",
    "assignation-au-fond",
    "declaration-de-creance",
    "injonction-de-payer-europeenne",
)
DEBTOR_KINDS = ("company", "sole_trader", "association", "consumer", "public_body")

# Named checks and the parameters each takes (name -> required parameter names).
CHECKS: dict[str, set[str]] = {
    "certain": set(),
    "liquid": set(),
    "due": set(),
    "outstanding": set(),
    "prescribed": set(),
    "contested": set(),
    "in_proceedings": set(),
    "arose_before_opening": set(),
    "debtor_kind": {"in"},
    "debtor_in_france": set(),
    "debtor_country_in": {"parameter"},
    "cross_border": set(),
    "amount_at_most": {"parameter", "basis"},
    "reminder_sent": set(),
    "formal_notice_sent": set(),
    "creditor_professional": set(),
}
AMOUNT_BASES = ("principal_and_interest",)

_ROUTE_KEYS = {
    "id",
    "title",
    "summary",
    "explanation",
    "when_it_fits",
    "conditions",
    "prerequisites",
    "steps",
    "deadlines",
    "costs",
    "court",
    "documents",
    "references",
    "notes",
}
_REQUIRED = ("id", "title", "summary", "explanation", "when_it_fits", "conditions", "steps", "court", "references")

# libyaml's parser when PyYAML was built with it: about ten times faster at start-up.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Condition:
    """A node of a route's condition tree: a named check, or all/any/not of others."""

    op: str  # "check" | "all" | "any" | "not"
    name: str | None = None
    args: tuple[tuple[str, Any], ...] = ()
    children: tuple[Condition, ...] = ()

    def arg(self, key: str) -> Any:
        for name, value in self.args:  # a few pairs: scanned rather than turned into a dict
            if name == key:
                return value
        raise KeyError(key)


@dataclass(frozen=True)
class Item:
    """A labelled piece of a route: a step, a deadline or a cost."""

    label: str
    text: str
    parameter: str | None = None
    reference: str | None = None
    confidence: str | None = None


@dataclass(frozen=True)
class Reference:
    label: str
    url: str


@dataclass(frozen=True)
class Route:
    id: str
    title: str
    summary: str
    explanation: str
    when_it_fits: str
    conditions: Condition
    prerequisites: tuple[str, ...]
    steps: tuple[Item, ...]
    deadlines: tuple[Item, ...]
    costs: tuple[Item, ...]
    court: str
    documents: tuple[str, ...]
    references: tuple[Reference, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    term: str
    explanation: str
    reference: str | None = None
    url: str | None = None  # the official text or page the explanation rests on


@dataclass(frozen=True)
class Document:
    """A document Dûment produces (``procedures/documents.yaml``)."""

    id: str
    title: str
    template: str


@dataclass(frozen=True)
class Library:
    """Everything loaded from ``procedures/``: routes in escalation order, terms, values,
    and the documents the routes offer."""

    routes: tuple[Route, ...]
    glossary: tuple[Term, ...]
    parameters: Parameters
    documents: dict[str, Document]
    alternatives: tuple[Alternative, ...] = ()  # the other ways out (alternatives.yaml)

    def route(self, route_id: str) -> Route:
        return next(r for r in self.routes if r.id == route_id)


def load_library(folder: Path) -> Library:
    """Load and validate parameters, route files and glossary from ``folder``."""
    params = load_parameters(folder / "parameters")
    documents = _parse_documents("documents.yaml", _read(folder / "documents.yaml"))
    routes = []
    for route_id in ROUTE_IDS:
        path = folder / f"{route_id}.yaml"
        if not path.exists():
            raise DataFileError(path.name, "-", "fichier de procédure manquant")
        routes.append(_parse_route(path.name, _read(path), params, documents))
    extra = {p.stem for p in folder.glob("*.yaml")} - set(ROUTE_IDS) - {"glossary", "documents", "alternatives"}
    if extra:
        raise DataFileError(f"{sorted(extra)[0]}.yaml", "id", "procédure inconnue du moteur")
    glossary = _parse_glossary("glossary.yaml", _read(folder / "glossary.yaml"))
    alternatives = parse_alternatives("alternatives.yaml", _read(folder / "alternatives.yaml"), params)
    return Library(tuple(routes), glossary, params, documents, alternatives)


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except FileNotFoundError:
        raise DataFileError(path.name, "-", "fichier manquant") from None
    except yaml.YAMLError as exc:
        raise DataFileError(path.name, "-", f"YAML illisible : {exc}") from None


def _text(file: str, field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(file, field, "texte non vide attendu")
    return value.strip()


def _parse_documents(file: str, data: Any) -> dict[str, Document]:
    """The declared documents by id; each needs an id, a title and a template."""
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise DataFileError(file, "documents", "liste de documents attendue")
    documents: dict[str, Document] = {}
    for i, entry in enumerate(data["documents"]):
        if not isinstance(entry, dict):
            raise DataFileError(file, f"documents[{i}]", "objet attendu")
        doc = Document(*(_text(file, f"documents[{i}].{key}", entry.get(key)) for key in ("id", "title", "template")))
        if doc.id in documents:
            raise DataFileError(file, f"documents[{i}].id", f"document en double « {doc.id} »")
        documents[doc.id] = doc
    return documents


def _parse_route(file: str, d: Any, params: Parameters, known_documents: dict[str, Document]) -> Route:
    if not isinstance(d, dict):
        raise DataFileError(file, "-", "le fichier doit décrire une procédure (dictionnaire)")
    for key in d:
        if key not in _ROUTE_KEYS:
            raise DataFileError(file, str(key), "champ inconnu")
    for key in _REQUIRED:
        if key not in d:
            raise DataFileError(file, key, "champ obligatoire manquant")
    if d["id"] != file.removesuffix(".yaml"):
        raise DataFileError(file, "id", f"« {d['id']} » ne correspond pas au nom du fichier")
    documents = tuple(d.get("documents") or ())
    for i, doc in enumerate(documents):
        if doc not in known_documents:
            raise DataFileError(file, f"documents[{i}]", f"document inconnu « {doc} »")
    return Route(
        id=d["id"],
        title=_text(file, "title", d["title"]),
        summary=_text(file, "summary", d["summary"]),
        explanation=_text(file, "explanation", d["explanation"]),
        when_it_fits=_text(file, "when_it_fits", d["when_it_fits"]),
        conditions=_parse_condition(file, "conditions", d["conditions"], params),
        prerequisites=tuple(_text(file, f"prerequisites[{i}]", t) for i, t in enumerate(d.get("prerequisites") or ())),
        steps=_items(file, "steps", d["steps"], params, label_key="title"),
        deadlines=_items(file, "deadlines", d.get("deadlines") or [], params),
        costs=_items(file, "costs", d.get("costs") or [], params),
        court=_text(file, "court", d["court"]),
        documents=documents,
        references=_references(file, d["references"]),
        notes=tuple(_text(file, f"notes[{i}]", t) for i, t in enumerate(d.get("notes") or ())),
    )


def _items(file: str, field: str, data: Any, params: Parameters, label_key: str = "label"):
    if not isinstance(data, list):
        raise DataFileError(file, field, "une liste est attendue")
    allowed = {label_key, "text", "parameter", "reference", "confidence"}
    items = []
    for i, d in enumerate(data):
        where = f"{field}[{i}]"
        if not isinstance(d, dict):
            raise DataFileError(file, where, "un dictionnaire est attendu")
        for key in d:
            if key not in allowed:
                raise DataFileError(file, f"{where}.{key}", "champ inconnu")
        parameter = d.get("parameter")
        if parameter is not None and parameter not in params:
            raise DataFileError(file, f"{where}.parameter", f"paramètre inconnu « {parameter} »")
        confidence = d.get("confidence")
        if confidence is not None and confidence not in CONFIDENCES:
            raise DataFileError(file, f"{where}.confidence", f"doit être l'un de {sorted(CONFIDENCES)}")
        items.append(
            Item(
                _text(file, f"{where}.{label_key}", d.get(label_key)),
                _text(file, f"{where}.text", d.get("text")),
                parameter,
                d.get("reference"),
                confidence,
            )
        )
    return tuple(items)


def _references(file: str, data: Any) -> tuple[Reference, ...]:
    if not isinstance(data, list) or not data:
        raise DataFileError(file, "references", "au moins une référence officielle est attendue")
    refs = []
    for i, d in enumerate(data):
        if not isinstance(d, dict) or set(d) != {"label", "url"}:
            raise DataFileError(file, f"references[{i}]", "attendu : label et url")
        url = _text(file, f"references[{i}].url", d["url"])
        if not url.startswith("https://"):
            raise DataFileError(file, f"references[{i}].url", "une adresse https:// est attendue")
        refs.append(Reference(_text(file, f"references[{i}].label", d["label"]), url))
    return tuple(refs)


def _parse_condition(file: str, where: str, d: Any, params: Parameters) -> Condition:
    if not isinstance(d, dict) or not d:
        raise DataFileError(file, where, "une condition (check, all, any ou not) est attendue")
    if "check" in d:
        return _parse_check(file, where, d, params)
    if len(d) != 1:
        raise DataFileError(file, where, "une seule des clés all, any, not est attendue")
    ((op, value),) = d.items()
    if op == "not":
        return Condition("not", children=(_parse_condition(file, f"{where}.not", value, params),))
    if op in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise DataFileError(file, f"{where}.{op}", "une liste non vide de conditions est attendue")
        children = tuple(_parse_condition(file, f"{where}.{op}[{i}]", c, params) for i, c in enumerate(value))
        return Condition(op, children=children)
    raise DataFileError(file, f"{where}.{op}", "opérateur inconnu (check, all, any ou not)")


def _parse_check(file: str, where: str, d: dict, params: Parameters) -> Condition:
    name = d["check"]
    if name not in CHECKS:
        raise DataFileError(file, f"{where}.check", f"vérification inconnue « {name} »")
    args = {k: v for k, v in d.items() if k != "check"}
    if set(args) != CHECKS[name]:
        expected = ", ".join(sorted(CHECKS[name])) or "aucun"
        raise DataFileError(file, where, f"paramètres de « {name} » attendus : {expected}")
    if "parameter" in args and args["parameter"] not in params:
        raise DataFileError(file, f"{where}.parameter", f"paramètre inconnu « {args['parameter']} »")
    if "basis" in args and args["basis"] not in AMOUNT_BASES:
        raise DataFileError(file, f"{where}.basis", f"base inconnue « {args['basis']} »")
    if "in" in args:
        kinds = args["in"]
        if not isinstance(kinds, list) or not set(kinds) <= set(DEBTOR_KINDS):
            raise DataFileError(file, f"{where}.in", f"liste parmi {', '.join(DEBTOR_KINDS)} attendue")
        args["in"] = tuple(kinds)
    return Condition("check", name, tuple(sorted(args.items())))


def _parse_glossary(file: str, data: Any) -> tuple[Term, ...]:
    if not isinstance(data, list) or not data:
        raise DataFileError(file, "-", "une liste de termes est attendue")
    terms = []
    for i, d in enumerate(data):
        if (
            not isinstance(d, dict)
            or not {"term", "explanation"} <= set(d)
            or not set(d) <= {"term", "explanation", "reference", "url"}
        ):
            raise DataFileError(file, f"[{i}]", "attendu : term, explanation, reference et url facultatives")
        url = d.get("url")
        if url is not None and not (isinstance(url, str) and url.startswith("https://")):
            raise DataFileError(file, f"[{i}].url", "adresse https:// attendue")
        terms.append(
            Term(
                _text(file, f"[{i}].term", d["term"]),
                _text(file, f"[{i}].explanation", d["explanation"]),
                d.get("reference"),
                url,
            )
        )
    return tuple(terms)
