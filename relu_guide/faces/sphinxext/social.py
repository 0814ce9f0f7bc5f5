"""Open Graph tags: what a link to a page shows when it is shared (title, text, picture).

Every page read from a source gets ``og:title``, ``og:type``, ``og:url`` (``html_baseurl``
plus the page), ``og:site_name`` (``html_title``), ``og:description`` and a ``description``
(its first paragraphs as plain text, formulas as a reader would say them, at most
:data:`DESCRIPTION_LENGTH` characters, cut between words), and ``og:image`` with
``og:image:alt`` (``relu_guide_social_image`` and ``relu_guide_social_image_alt``, set in
``conf.py``). This is what sphinxext-opengraph did for the site, without its import of
matplotlib (2.6 s of every rebuild, for social cards the site does not make), and without
raw TeX in the descriptions.

Examples
--------
>>> from docutils.core import publish_doctree
>>> tree = publish_doctree("Title\\n=====\\n\\nA ReLU is *two* half-lines.\\n\\nThen more.")
>>> description(tree)
'A ReLU is two half-lines. Then more.'
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes

from relu_guide.faces.sphinxext.scraping import _plain_tex

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["DESCRIPTION_LENGTH", "description"]

#: Longest description, in characters (what link previews show).
DESCRIPTION_LENGTH = 200
#: Paragraphs inside these say nothing about the page as a whole.
_ASIDE = (nodes.Admonition, nodes.sidebar, nodes.topic, nodes.table, nodes.caption, nodes.footnote)


def _text(paragraph: nodes.paragraph) -> str:
    parts = []
    for node in paragraph.findall(lambda n: isinstance(n, (nodes.Text, nodes.math))):
        if isinstance(node, nodes.math):
            parts.append(_plain_tex(node.astext()))
        elif not isinstance(node.parent, nodes.math):
            parts.append(node.astext())
    return " ".join("".join(parts).split())


def description(doctree: nodes.Node, length: int = DESCRIPTION_LENGTH) -> str:
    """The first paragraphs of a page as plain text, cut between words at ``length``."""
    text = ""
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(a, _ASIDE) for a in _ancestors(paragraph)):
            continue
        text = f"{text} {_text(paragraph)}".strip()
        if len(text) > length:
            cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:")
            return cut + "…"
    return text


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    out = []
    while node.parent is not None:
        node = node.parent
        out.append(node)
    return out


def _tags(app: Sphinx, pagename: str, context: dict[str, Any], doctree: nodes.Node) -> str:
    base = (app.config.html_baseurl or "").rstrip("/") + "/"
    title = html.unescape(re.sub(r"<[^>]+>", "", str(context.get("title", ""))))
    text = description(doctree)
    tags = {
        "og:title": title,
        "og:type": "website",
        "og:url": base + app.builder.get_target_uri(pagename),
        "og:site_name": app.config.html_title or app.config.project,
        "og:description": text,
    }
    image = app.config.relu_guide_social_image
    if image:
        tags["og:image"] = base + image
        tags["og:image:alt"] = app.config.relu_guide_social_image_alt or tags["og:site_name"]
    lines = [
        f'<meta property="{k}" content="{html.escape(v, quote=True)}" />'
        for k, v in tags.items()
        if v
    ]
    if text:
        lines.append(f'<meta name="description" content="{html.escape(text, quote=True)}" />')
    return "\n".join(lines) + "\n"


def _add_social_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is not None:
        context["metatags"] = context.get("metatags", "") + _tags(app, pagename, context, doctree)


def setup_social(app: Sphinx) -> None:
    """Register the configuration values and the page hook (called by the extension's setup)."""
    app.add_config_value("relu_guide_social_image", "", "html", types=frozenset({str}))
    app.add_config_value("relu_guide_social_image_alt", "", "html", types=frozenset({str}))
    app.connect("html-page-context", _add_social_tags)
