"""The glossary on a page: which terms its text uses, and a link on the first use of each.

The analysis page is built from route files, engine reasons and parameters, so its legal
words are only known once it is rendered: the rendered HTML is scanned, each glossary term
found is listed in a « Mots utilisés sur cette page » box, and its first use in running
text links to that box, with the explanation as a tooltip.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from markupsafe import Markup, escape

from ..domain.procedures import Term

_TAG = re.compile(r"(<[^>]*>)")
# No link inside these: a link in a link, a heading or a <summary> (which already toggles).
_NO_LINK = frozenset({"a", "summary", "dfn", "button", "label", "option", "textarea", "script", "style", "title"})
_NO_LINK |= {f"h{n}" for n in range(1, 7)}


class Explained(NamedTuple):
    html: Markup
    terms: list[Term]  # alphabetical, for the box


def explain_terms(page: str, glossary: dict[str, Term]) -> Explained:
    """``page`` with the first use of each glossary term linked to its entry, and the terms it uses."""
    terms = list(glossary.values())
    pattern = _term_pattern(tuple(t.term for t in terms))
    used = {int(m.lastgroup[1:]) for m in pattern.finditer(Markup(page).striptags())}
    linked: set[int] = set()
    parts, closed = [], []
    for chunk in _TAG.split(str(page)):
        if chunk.startswith("<"):
            _track(chunk, closed)
            parts.append(chunk)
        elif closed or not chunk.strip():
            parts.append(chunk)
        else:
            parts.append(pattern.sub(lambda m: _link(m, terms, linked), chunk))
    box = sorted((terms[i] for i in used), key=lambda t: _sort_key(t.term))
    return Explained(Markup("".join(parts)), box)


def anchor(term: Term) -> str:
    """The id of a term's entry in the box."""
    plain = unicodedata.normalize("NFKD", term.term).encode("ascii", "ignore").decode().lower()
    return "mot-" + re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _track(tag: str, closed: list[str]) -> None:
    """Keep the stack of open elements inside which no link may go."""
    name = re.match(r"</?\s*([a-zA-Z0-9]+)", tag)
    if name is None or tag.endswith("/>"):
        return
    name = name.group(1).lower()
    if name in _NO_LINK:
        if tag.startswith("</"):
            if name in closed:
                closed.remove(name)
        else:
            closed.append(name)


def _link(match: re.Match, terms: list[Term], linked: set[int]) -> str:
    index = int(match.lastgroup[1:])
    if index in linked:
        return match.group(0)
    linked.add(index)
    term = terms[index]
    return f'<a class="term" href="#{anchor(term)}" title="{escape(term.explanation)}">{match.group(0)}</a>'


def _sort_key(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


def _variants(term: str) -> set[str]:
    """How the page may write a term: as written, lower-case first, and for « Mot (précision) »
    the words alone, or the abbreviation in the brackets (« LRAR »)."""
    words = {term}
    bare = re.fullmatch(r"(.+?) \((.+)\)", term)
    if bare:
        words.add(bare.group(1))
        if bare.group(2).isupper():
            words.add(bare.group(2))
    return words | {w[0].lower() + w[1:] for w in words if not w.isupper()}


@functools.lru_cache(maxsize=4)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern:
    """One regex for every term (the longest first), as written or with a lower-case first letter, or plural."""
    alternatives = []
    for i, term in sorted(enumerate(terms), key=lambda it: -len(it[1])):
        variants = sorted(_variants(term), key=len, reverse=True)
        words = "|".join(re.escape(v) for v in variants)
        alternatives.append(rf"(?P<t{i}>(?<![\w.])(?:{words})(?:s|x)?(?!\w))")
    return re.compile("|".join(alternatives))
