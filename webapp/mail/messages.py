"""The texts of e-mails: a French text part and an HTML part from the templates in ``templates/``.

Each message has ``NAME.txt`` (first line ``Objet : …``, then the body) and, when its HTML
needs more than paragraphs, ``NAME.html``; otherwise the HTML part is the text's paragraphs.
HTML is autoescaped: user text never reaches it unescaped. Its own Jinja environment with
``StrictUndefined``, like the documents: a missing value is an error, not a blank.
"""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..domain.french import amount_in_words, euros, long_date
from ..store.outbox import Draft

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(euros=euros, words=amount_in_words, long_date=long_date)
    return env


def compose(template: str, to: str, reply_to: str | None = None, attachment=None, **context) -> Draft:
    """The message ``template`` for ``to``: subject and text from ``NAME.txt``, HTML from ``NAME.html``."""
    env = environment()
    text = env.get_template(f"{template}.txt").render(**context)
    first, _, body = text.partition("\n")
    subject = " ".join(first.removeprefix("Objet :").split())  # one line: no header injection
    body = body.strip() + "\n"
    if (TEMPLATES / f"{template}.html").exists():
        html = env.get_template(f"{template}.html").render(subject=subject, **context)
    else:  # the same words, paragraph by paragraph, escaped
        paragraphs = [block.splitlines() for block in body.split("\n\n") if block.strip()]
        html = env.get_template("_from_text.html").render(subject=subject, paragraphs=paragraphs)
    return Draft(to=to, subject=subject, text=body, html=html, reply_to=reply_to, attachment=attachment)
