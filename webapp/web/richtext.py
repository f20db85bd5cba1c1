"""Markdown from the procedure files turned into safe HTML.

Python-Markdown passes raw HTML through, so its output is cleaned with nh3 against an
allow-list: no images, links to other schemes, styles or scripts can reach a page or the
PDF renderer.
"""

from __future__ import annotations

import functools

import markdown
import nh3

ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "br", "h3", "h4", "code", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


@functools.lru_cache(maxsize=2048)
def render_markdown(text: str) -> str:
    """Markdown to sanitized HTML: only simple formatting and https links survive.

    Cached: the texts are the procedure files' own, rendered again on every page view.
    """
    html = markdown.markdown(text, output_format="html")
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"https"}, link_rel="noopener noreferrer"
    )
