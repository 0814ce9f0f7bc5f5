"""Media in pages: the ``relu-video`` and ``relu-media`` directives and their HTML.

See :mod:`relu_guide.faces.sphinxext` for the directives' syntax; ``gallery-figure``, which
shows a gallery output in a guide page, is in :mod:`relu_guide.faces.sphinxext.gallery_figure`.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import SphinxError
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

from relu_guide.faces.sphinxext.scraping import _one_line

__all__ = [
    "GalleryFigureError",
    "MediaDirective",
    "VideoDirective",
    "media_node",
    "read_sidecar",
]


class GalleryFigureError(SphinxError):
    """A guide page asks for a gallery output that does not exist."""

    category = "gallery-figure error"


# --------------------------------------------------------------------------------------------
# <video>: node, directive, HTML writer
# --------------------------------------------------------------------------------------------


class video(nodes.General, nodes.Element):
    """A ``<video>`` with a poster; ``src`` and ``poster`` are absolute source paths."""


def _copy_media(translator: HTML5Translator, source: str) -> str:
    """Copy ``source`` into the output's ``_images`` folder; return its URL from this page."""
    builder = translator.builder
    name = Path(source).name
    target = Path(builder.outdir, builder.imagedir, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    src_stat = Path(source).stat()
    if (
        not target.exists()
        or target.stat().st_size != src_stat.st_size
        or (target.stat().st_mtime < src_stat.st_mtime)
    ):
        shutil.copyfile(source, target)
    return f"{builder.imgpath}/{name}" if builder.imgpath else f"{builder.imagedir}/{name}"


def _visit_video_html(self: HTML5Translator, node: video) -> None:
    src = _copy_media(self, node["src"])
    poster = _copy_media(self, node["poster"])
    alt = html.escape(node["alt"], quote=True)
    size = ""
    if node.get("width") and node.get("height"):
        size = f' width="{int(node["width"])}" height="{int(node["height"])}"'
    self.body.append(
        f'<video class="relu-video" controls loop muted playsinline preload="none" '
        f'poster="{poster}"{size} aria-label="{alt}">'
        f'<source src="{src}" type="video/mp4">'
        f'<a href="{src}">Download the video</a>.'
        f"</video>"
    )
    raise nodes.SkipNode


def _visit_video_text(self: Any, node: video) -> None:
    raise nodes.SkipNode


class VideoDirective(SphinxDirective):
    """The ``relu-video`` directive: a video file with a poster and alt text.

    Options: ``:poster:`` and ``:alt:`` (required), ``:width:`` and ``:height:`` (pixels),
    ``:caption:`` (given empty: the alt text), ``:class:``.
    """

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "poster": directives.unchanged_required,
        "alt": directives.unchanged_required,
        "width": directives.nonnegative_int,
        "height": directives.nonnegative_int,
        "caption": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        for key in ("poster", "alt"):
            if not self.options.get(key):
                msg = f"relu-video {self.arguments[0]!r}: missing :{key}:"
                raise self.error(msg)
        files = {}
        for key, path in (("src", self.arguments[0]), ("poster", self.options["poster"])):
            _, abs_path = self.env.relfn2path(path, self.env.docname)
            if not Path(abs_path).is_file():
                msg = f"relu-video: file {path!r} not found ({abs_path})"
                raise self.error(msg)
            self.env.note_dependency(abs_path)
            files[key] = abs_path
        node = video(
            src=files["src"],
            poster=files["poster"],
            alt=_one_line(self.options["alt"]),
            width=self.options.get("width"),
            height=self.options.get("height"),
        )
        figure = nodes.figure(
            "", node, classes=["relu-video-figure", *self.options.get("class", [])]
        )
        if "caption" in self.options:
            text = self.options["caption"] or self.options["alt"]
            figure += nodes.caption(text, "", *self._inline(text))
        return [figure]

    def _inline(self, text: str) -> list[nodes.Node]:
        return [nodes.Text(_one_line(text))]


# --------------------------------------------------------------------------------------------
# relu-media: an output in the reader's theme (light / dark) and, for images, width (phone)
# --------------------------------------------------------------------------------------------

#: Media query under which the narrow variant of a figure is shown (a phone held upright).
NARROW_MEDIA = "(max-width: 32rem)"
#: Room kept under a video's frame for the browser's controls, in CSS pixels.
CONTROLS_PX = 48


class themed_media(nodes.General, nodes.Element):
    """An image or video with variants by theme; ``variants`` maps a variant name (``light``,
    ``dark``, ``narrow-light``, ``narrow-dark``) to ``{"image", "video", "width", "height"}``
    with absolute source paths."""


def read_sidecar(sidecar: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A scraper sidecar and its variants with absolute paths (older sidecars: light only)."""
    record = json.loads(sidecar.read_text())
    variants = record.get("variants") or {
        "light": {k: record.get(k) for k in ("image", "video", "width", "height")}
    }
    folder = sidecar.parent
    out = {}
    for name, v in variants.items():
        out[name] = {
            **v,
            "image": str(folder / v["image"]),
            "video": str(folder / v["video"])
            if v.get("video") and record.get("kind") == "video"
            else None,
        }
    return record, out


def media_node(
    kind: str, variants: dict[str, dict[str, Any]], alt: str, classes: list[str] | None = None
) -> nodes.Element:
    """The node of an output with its variants (the files must exist)."""
    for name, v in variants.items():
        for key in ("image", "video"):
            if v.get(key) and not Path(v[key]).is_file():
                msg = f"the {name} variant's {key} file {v[key]} is missing"
                raise GalleryFigureError(msg)
    return themed_media(kind=kind, variants=variants, alt=_one_line(alt), classes=classes or [])


def _size_attrs(v: dict[str, Any]) -> str:
    if v.get("width") and v.get("height"):
        return f' width="{int(v["width"])}" height="{int(v["height"])}"'
    return ""


def _visit_media_html(self: HTML5Translator, node: themed_media) -> None:
    variants = node["variants"]
    alt = html.escape(node["alt"], quote=True)
    themes = [t for t in ("light", "dark") if t in variants]
    if node["kind"] == "video":
        self.body.append(_video_html(self, variants, themes, alt))
        raise nodes.SkipNode
    classes = html.escape(" ".join(node.get("classes", [])), quote=True)
    parts = []
    for theme in themes:
        only = f" relu-only-{theme}" if len(themes) > 1 else ""
        parts.append(f'<picture class="relu-picture{only}">')
        narrow = variants.get(f"narrow-{theme}")
        if narrow:
            parts.append(
                f'<source media="{NARROW_MEDIA}" srcset="{_copy_media(self, narrow["image"])}"'
                f"{_size_attrs(narrow)}>"
            )
        wide = variants[theme]
        parts.append(
            f'<img src="{_copy_media(self, wide["image"])}" alt="{alt}"{_size_attrs(wide)}'
            f' class="{classes}" loading="lazy" decoding="async">'
        )
        parts.append("</picture>")
    if node.get("refuri"):  # a gallery-figure: the picture links to its example
        uri = html.escape(node["refuri"], quote=True)
        parts = [f'<a class="reference internal gallery-figure-link" href="{uri}">', *parts, "</a>"]
    self.body.append("".join(parts))
    raise nodes.SkipNode


def _video_html(
    self: HTML5Translator, variants: dict[str, dict[str, Any]], themes: list[str], alt: str
) -> str:
    """A video that loads only the variant of the reader's theme (relu-media.js picks it).

    The ``<video>`` has no poster and no source until the script right after it gives them,
    before the page is painted: nothing of the other theme is fetched. Without scripts it
    stays hidden and the ``<noscript>`` copy (light) shows instead. The element is taller
    than the frame by :data:`CONTROLS_PX`, so the controls sit under the picture, not on it.
    """
    light = variants["light"]
    w, h = int(light["width"]), int(light["height"])
    data = []
    for theme in themes:
        v = variants[theme]
        data.append(f' data-{theme}-poster="{_copy_media(self, v["image"])}"')
        data.append(f' data-{theme}-src="{_copy_media(self, v["video"])}"')
    common = (
        f'class="relu-video" controls loop muted playsinline preload="none" '
        f'width="{w}" height="{h + CONTROLS_PX}" aria-label="{alt}"'
    )
    poster = _copy_media(self, light["image"])
    src = _copy_media(self, light["video"])
    return (
        f'<div class="relu-video-box" style="--w: {w}; --h: {h}; --controls: {CONTROLS_PX}px">'
        f"<video {common}{''.join(data)}></video>"
        "<script>reluMedia(document.currentScript.previousElementSibling)</script>"
        f'<noscript><video {common} poster="{poster}" class="relu-video-static">'
        f'<source src="{src}" type="video/mp4"><a href="{src}">Download the video</a>.'
        "</video></noscript></div>"
    )


class MediaDirective(SphinxDirective):
    """``relu-media``: the output a scraper sidecar (``.json``) describes, in every variant.

    What the scraper writes for each figure and animation::

        .. relu-media:: /auto_gallery/training/images/sphx_glr_plot_linear_fit_001.json
           :class: sphx-glr-single-img
    """

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        _, abs_path = self.env.relfn2path(self.arguments[0], self.env.docname)
        sidecar = Path(abs_path)
        if not sidecar.is_file():
            msg = f"relu-media: sidecar {self.arguments[0]!r} not found ({sidecar})"
            raise self.error(msg)
        record, variants = read_sidecar(sidecar)
        self.env.note_dependency(str(sidecar))
        try:
            node = media_node(record["kind"], variants, record["alt"], self.options.get("class"))
        except GalleryFigureError as exc:
            msg = f"relu-media {self.arguments[0]!r}: {exc}"
            raise self.error(msg) from None
        for v in variants.values():
            for key in ("image", "video"):
                if v.get(key):
                    self.env.note_dependency(v[key])
        if record["kind"] == "video":
            figure = nodes.figure("", node, classes=["relu-video-figure"])
            figure += nodes.caption(record["alt"], "", nodes.Text(_one_line(record["alt"])))
            return [figure]
        return [node]
