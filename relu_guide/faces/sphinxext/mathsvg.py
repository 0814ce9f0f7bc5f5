"""Math without any CDN: the ``relu_svg`` HTML math renderer (MathJax at build time, inline SVG)."""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator

from relu_guide.faces.sphinxext.scraping import _one_line

__all__ = ["share_glyphs", "start_before_writing", "tex_to_svg"]

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# Math: MathJax at build time, inline SVG in the page
# --------------------------------------------------------------------------------------------

_renderer: Any = None
_STRIP = re.compile(r' (?:data-[a-z-]+|xmlns(?::xlink)?)="[^"]*"')
_IDS = re.compile(r"MJX-\d+-")


def tex_to_svg(tex: str, *, display: bool = False) -> str:
    """Typeset TeX into an inline ``<svg>`` (MathJax 4 via ``quickjax``), labelled with the TeX.

    The SVG draws in ``currentColor`` (it follows the theme) and holds no URL. Its glyphs are
    ``<path id="mjx-...">`` definitions named by font and character, the same in every
    formula, so a page can define each glyph once (see :func:`share_glyphs`). A TeX error
    raises :class:`ValueError`.

    Examples
    --------
    >>> svg = tex_to_svg(r"\\max(0, x)")
    >>> svg.startswith("<svg") and 'aria-label="\\\\max(0, x)"' in svg and "http" not in svg
    True
    >>> tex_to_svg(r"\\frac{1}{")
    Traceback (most recent call last):
    ...
    ValueError: TeX error in '\\\\frac{1}{': Missing close brace
    """
    return _typeset(tex, display)


def _start() -> Any:
    """The renderer of this process, made on first use (a third of a second: MathJax loads)."""
    global _renderer  # noqa: PLW0603  (one renderer per process)
    if _renderer is None:
        from quickjax import MathJaxRenderer

        _renderer = MathJaxRenderer()
    return _renderer


def start_before_writing(app: Sphinx, builder: Builder) -> None:
    """Make the renderer before the pages are written: the writers forked after inherit it."""
    if builder.format == "html" and app.config.html_math_renderer == "relu_svg":
        _start()


@functools.cache
def _typeset(tex: str, display: bool) -> str:
    """:func:`tex_to_svg`, once per formula and process (half the site's formulas repeat)."""
    svg = str(_start().render(tex, display=display))
    error = re.search(r'data-mjx-error="([^"]*)"', svg)
    if error:
        msg = f"TeX error in {tex!r}: {html.unescape(error.group(1))}"
        raise ValueError(msg)
    svg = _STRIP.sub("", svg).replace("xlink:href=", "href=")
    svg = _IDS.sub("mjx-", svg)
    label = html.escape(_one_line(tex), quote=True)
    return svg.replace('role="img"', f'role="img" aria-label="{label}"', 1)


_GLYPH = re.compile(r'<path id="(mjx-[^"]+)" d="([^"]*)"\s*/>')


def share_glyphs(svg: str, defined: dict[str, str]) -> str:
    """Drop the glyph definitions of ``svg`` that an earlier formula of the page already made.

    ``defined`` maps glyph id to path for the page so far and is updated. An SVG ``<use>``
    may point at a ``<path>`` in any SVG of the same HTML page, so each glyph is drawn from
    the first formula that defined it: a page of formulas weighs a third as much.

    Examples
    --------
    >>> page: dict[str, str] = {}
    >>> first = share_glyphs(tex_to_svg("x + x"), page)
    >>> second = share_glyphs(tex_to_svg("x"), page)
    >>> first.count("<path id="), second.count("<path id="), second.count("<use")
    (2, 0, 1)
    """

    out = []
    for match in _GLYPH.finditer(svg):
        glyph, path = match.group(1), match.group(2)
        out.append((match, glyph in defined and defined[glyph] == path))
        defined.setdefault(glyph, path)
    for match, seen in reversed(out):
        if seen:
            svg = svg[: match.start()] + svg[match.end() :]
    return svg


def _math_svg(self: HTML5Translator, tex: str, display: bool, node: nodes.Element) -> str:
    glyphs: dict[str, str] = self.__dict__.setdefault("_relu_math_glyphs", {})
    try:
        return share_glyphs(tex_to_svg(tex, display=display), glyphs)
    except ValueError as err:
        logger.warning("%s", err, location=node)
        return f"<code>{html.escape(tex)}</code>"


def _visit_math_html(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(_math_svg(self, node.astext(), False, node))
    self.body.append("</span>")
    raise nodes.SkipNode


def _visit_math_block_html(self: HTML5Translator, node: nodes.math_block) -> None:
    from sphinx.util.math import get_node_equation_number

    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, "Link to this equation")
        self.body.append("</span>")
    parts = [p for p in node.astext().split("\n\n") if p.strip()]
    if len(parts) > 1:
        tex = r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}"
    elif parts and r"\\" in parts[0] and r"\begin" not in parts[0]:
        tex = r"\begin{split}" + parts[0] + r"\end{split}"
    else:
        tex = parts[0] if parts else ""
    self.body.append(_math_svg(self, tex, True, node))
    self.body.append("</div>\n")
    raise nodes.SkipNode
