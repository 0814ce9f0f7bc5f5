"""The ``relu-playground`` directive: a live ``<relu-playground>`` in the page.

In MyST::

    ```{relu-playground}
    :preset: twenty
    :share:
    ```

Options are the element's attributes (all optional): ``target``, ``width``, ``activation``,
``lr``, ``batch``, ``seed``, ``slope``, ``preset`` (``one``, ``two``, ``twenty``: the guide's
nets, see :mod:`relu_guide.faces.playground`), ``speed`` (steps per frame while playing),
and the flags ``share`` (keep the state in the URL hash) and ``autoplay`` (never under
prefers-reduced-motion). A bad value stops the build, naming it.

The element carries the data relu_guide computes (presets, best errors) as JSON and, for a
reader without JavaScript, a poster (an inline SVG of the target and the starting net, drawn
at build time) and one sentence. ``playground.js`` and ``playground.css`` are copied to
``_static/relu-playground/`` only if some page uses the directive, and only those pages load
them.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

from relu_guide.core import reference

__all__ = ["PlaygroundDirective", "playground"]

#: Where the widget's files go inside the output's ``_static`` folder.
STATIC_SUBDIR = "relu-playground"
FILES = ("playground.js", "playground.css")


class playground(nodes.General, nodes.Element):
    """A ``<relu-playground>`` with its attributes, data and poster."""


def _choice(values: tuple[str, ...]) -> Any:
    return lambda arg: directives.choice(arg, values)


def _batch(arg: str | None) -> str:
    value = (arg or "").strip()
    if value != "full" and not (value.isdigit() and 1 <= int(value) <= reference.N_POINTS):
        msg = f'batch must be "full" or 1 to {reference.N_POINTS}, got {arg!r}'
        raise ValueError(msg)
    return value


def _width(arg: str | None) -> str:
    value = directives.positive_int(arg)
    if value > 64:
        msg = f"width must be 1 to 64, got {arg!r}"
        raise ValueError(msg)
    return str(value)


def _positive(arg: str | None) -> str:
    try:
        value = float(arg or "")
    except ValueError:
        value = float("nan")
    if not (np.isfinite(value) and value > 0):
        msg = f"must be a positive number, got {arg!r}"
        raise ValueError(msg)
    return (arg or "").strip()


def _number(arg: str | None) -> str:
    try:
        float(arg or "")
    except ValueError:
        msg = f"must be a number, got {arg!r}"
        raise ValueError(msg) from None
    return (arg or "").strip()


class PlaygroundDirective(SphinxDirective):
    """The ``relu-playground`` directive (see the module docstring)."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "target": _choice(tuple(reference.TARGETS)),
        "width": _width,
        "activation": _choice(reference.ACTIVATIONS),
        "lr": _positive,
        "batch": _batch,
        "seed": directives.nonnegative_int,
        "slope": _number,
        "preset": _choice(("one", "two", "twenty")),
        "speed": directives.positive_int,
        "share": directives.flag,
        "autoplay": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        from relu_guide.faces.playground import page_data

        attrs = {k: ("" if v is None else str(v)) for k, v in self.options.items()}
        env = self.env
        if not hasattr(env, "relu_playground_docs"):
            env.relu_playground_docs = set()  # type: ignore[attr-defined]
        env.relu_playground_docs.add(env.docname)  # type: ignore[attr-defined]
        return [playground(attrs=attrs, data=page_data())]


def _start(attrs: dict[str, str], data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The target and the initial parameters the element starts from."""
    if "preset" in attrs:
        p = data["presets"][attrs["preset"]]
        return attrs.get("target", p["target"]), p
    width = int(attrs.get("width", 20))
    return attrs.get("target", "square"), reference.initial_params(width, int(attrs.get("seed", 0)))


def poster_svg(attrs: dict[str, str], data: dict[str, Any]) -> str:
    """An inline SVG of the target (dashed) and the starting net's output, for no-JS readers.

    Examples
    --------
    >>> from relu_guide.faces.playground import page_data
    >>> poster_svg({"width": "3"}, {"presets": {}}).startswith('<svg role="img"')
    True
    """
    target, params = _start(attrs, data)
    activation = attrs.get("activation", "relu")
    slope = float(attrs.get("slope", reference.LEAKY_SLOPE))
    x = np.linspace(*reference.DOMAIN, 121)
    t = reference.target_values(target, x)
    y = reference.predict(params, x, activation, slope)
    lo, hi = float(t.min()), float(t.max())
    pad = 0.15 * (hi - lo or 1.0)
    lo, hi = lo - pad, hi + pad

    def path(v: np.ndarray) -> str:
        px = (x - x[0]) / (x[-1] - x[0]) * 600
        py = (hi - np.clip(v, lo, hi)) / (hi - lo) * 200
        return " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py, strict=True))

    label = f"The target {target} (dashed) and the network the playground starts from."
    return (
        f'<svg role="img" aria-label="{html.escape(label)}" viewBox="0 0 600 200" '
        'width="600" height="200" fill="none">'
        f'<polyline points="{path(t)}" stroke="#d55e00" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<polyline points="{path(y)}" stroke="currentColor" stroke-width="2.5"/></svg>'
    )


def _visit_playground_html(self: HTML5Translator, node: playground) -> None:
    attrs = node["attrs"]
    text = " ".join(
        f'{k}="{html.escape(v, quote=True)}"' if v else k for k, v in sorted(attrs.items())
    )
    data = json.dumps(node["data"], separators=(",", ":")).replace("</", "<\\/")
    self.body.append(
        f"<relu-playground {text}>"
        f'<script type="application/json" class="relu-playground-data">{data}</script>'
        f'<div class="pg-fallback">{poster_svg(attrs, node["data"])}'
        "<p>This is a live playground: with JavaScript on, you can train and edit this "
        "network here in the page.</p></div></relu-playground>"
    )
    raise nodes.SkipNode


def _visit_playground_text(self: Any, node: playground) -> None:
    raise nodes.SkipNode


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "relu_playground_docs", set()).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: Any) -> None:
    docs: set[str] = getattr(env, "relu_playground_docs", set())
    docs |= getattr(other, "relu_playground_docs", set()) & set(docnames)
    env.relu_playground_docs = docs  # type: ignore[attr-defined]


def _prepare(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Compute the page data once, before parallel reading forks, if a page will need it."""
    for docname in docnames:
        path = Path(env.doc2path(docname))
        if path.is_file() and "relu-playground" in path.read_text(encoding="utf-8"):
            from relu_guide.faces.playground import page_data

            page_data()
            return


def _add_files(app: Sphinx, pagename: str, templatename: str, context: Any, doctree: Any) -> None:
    if pagename in getattr(app.env, "relu_playground_docs", set()):
        app.add_js_file(f"{STATIC_SUBDIR}/playground.js", type="module")
        app.add_css_file(f"{STATIC_SUBDIR}/playground.css")


def _copy_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    if not getattr(app.env, "relu_playground_docs", set()):
        return
    from relu_guide.faces.playground import STATIC_DIR

    out = Path(app.outdir, "_static", STATIC_SUBDIR)
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(STATIC_DIR / name, out / name)


def setup_playground(app: Sphinx) -> None:
    """Register the directive, its node and the hooks that add its files where it is used."""
    app.add_node(
        playground,
        html=(_visit_playground_html, None),
        latex=(_visit_playground_text, None),
        text=(_visit_playground_text, None),
        man=(_visit_playground_text, None),
        texinfo=(_visit_playground_text, None),
    )
    app.add_directive("relu-playground", PlaygroundDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-before-read-docs", _prepare)
    app.connect("html-page-context", _add_files)
    app.connect("build-finished", _copy_files)
