"""Gallery outputs in pages: ``relu-video`` and ``gallery-figure`` directives, thumbnail alts.

See :mod:`relu_guide.faces.sphinxext` for the directives' syntax.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import SphinxError
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

from relu_guide.faces.sphinxext.cache import _gallery_dirs
from relu_guide.faces.sphinxext.scraping import _one_line

__all__ = [
    "GalleryFigureDirective",
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


# --------------------------------------------------------------------------------------------
# gallery-figure: an example's output, in place, linked to the example
# --------------------------------------------------------------------------------------------


class gallery_link(nodes.General, nodes.Inline, nodes.Element):
    """Placeholder for a link to a gallery example page, resolved per builder."""


def _index_option(value: str | None) -> int:
    number = int(directives.unchanged_required(value))
    if number == 0:
        msg = "index is 1-based (or negative from the end); 0 is not an output"
        raise ValueError(msg)
    return number


class GalleryFigureDirective(SphinxDirective):
    """Embed the output of a gallery example (see :mod:`relu_guide.faces.sphinxext` for the syntax)."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "index": _index_option,
        "width": directives.length_or_percentage_or_unitless,
        "alt": directives.unchanged_required,
        "class": directives.class_option,
    }

    def _locate(self) -> tuple[str, Path, str, list[Path]]:
        example = self.arguments[0].strip().strip("/").removesuffix(".py")
        rel = PurePosixPath(example)
        for gallery in _gallery_dirs(self.env):
            images = gallery / rel.parent / "images"
            outputs = sorted(images.glob(f"sphx_glr_{rel.name}_[0-9][0-9][0-9].json"))
            if (gallery / rel.parent / f"{rel.name}.rst").is_file() or outputs:
                docname = _src_rel(gallery / rel.parent / rel.name, self.env.srcdir)
                return example, images, docname, outputs
        known = sorted(
            _src_rel(p.with_suffix(""), g)
            for g in _gallery_dirs(self.env)
            for p in g.rglob("plot_*.rst")
        )
        msg = (
            f"{self.env.docname}:{self.lineno}: gallery-figure {example!r}: no such gallery "
            f"example (known: {', '.join(known) or 'none: did the gallery build?'})"
        )
        raise GalleryFigureError(msg)

    def _fail(self, example: str, message: str) -> GalleryFigureError:
        return GalleryFigureError(
            f"{self.env.docname}:{self.lineno}: gallery-figure {example!r}: {message}"
        )

    def run(self) -> list[nodes.Node]:
        example, _images, docname, outputs = self._locate()
        index = self.options.get("index", 1)
        if not -len(outputs) <= index <= len(outputs):
            names = ", ".join(p.with_suffix(".png").name for p in outputs) or "none"
            raise self._fail(
                example, f"no output number {index}; the example has {len(outputs)} ({names})"
            )
        sidecar = outputs[index - 1] if index > 0 else outputs[index]
        record, variants = read_sidecar(sidecar)
        self.env.note_dependency(str(sidecar))
        alt = _one_line(self.options.get("alt", record["alt"]))
        try:
            media = media_node(record["kind"], variants, alt)
        except GalleryFigureError as exc:
            raise self._fail(example, str(exc)) from None
        for v in variants.values():
            for key in ("image", "video"):
                if v.get(key):
                    self.env.note_dependency(v[key])
        figure = nodes.figure("", classes=["gallery-figure", *self.options.get("class", [])])
        self.set_source_info(figure)
        if "width" in self.options:
            figure["width"] = self.options["width"]
        if record["kind"] == "video":
            figure += media
        else:
            figure += gallery_link("", media, target=docname)
        caption = nodes.caption("", "")
        paragraphs: list[nodes.paragraph] = []
        if self.content:
            holder = nodes.Element()
            self.state.nested_parse(self.content, self.content_offset, holder)
            paragraphs = list(holder.findall(nodes.paragraph))
        if paragraphs:
            caption.extend(paragraphs[0].children)
        else:
            caption += nodes.Text(alt)
        caption += nodes.Text(" ")
        caption += gallery_link("", target=docname, text=True)
        figure += caption
        return [figure]


def _src_rel(path: Path, root: str | os.PathLike[str]) -> str:
    """``path`` relative to ``root``, posix style; a docname when ``path`` has no suffix."""
    return Path(os.path.relpath(path, root)).as_posix()


def _resolve_gallery_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    env = app.env
    for node in list(doctree.findall(gallery_link)):
        target = node["target"]
        if target not in env.all_docs:
            msg = f"{docname}: gallery-figure links to {target!r}, which is not a document"
            raise GalleryFigureError(msg)
        children = list(node.children)
        if node.get("text"):
            title = env.titles.get(target)
            label = title.astext() if title is not None else target
            children = [nodes.inline("", f"Code: {label}", classes=["gallery-figure-code"])]
        try:
            uri = app.builder.get_relative_uri(docname, target)
        except Exception:  # builders without URIs (text, man): keep the content
            node.replace_self(children)
            continue
        if len(children) == 1 and isinstance(children[0], themed_media):
            children[0]["refuri"] = uri  # its writer makes the link (a <picture> in an <a>)
            node.replace_self(children)
            continue
        ref = nodes.reference(
            "", "", *children, refuri=uri, internal=True, classes=["gallery-figure-link"]
        )
        node.replace_self(ref)


# --------------------------------------------------------------------------------------------
# Thumbnails: real alt text
# --------------------------------------------------------------------------------------------

_THUMB = re.compile(r"(?:^|/)thumb/sphx_glr_(?P<stem>.+)_thumb\.(?:png|svg|jpg|gif|webp)$")
_THUMB_NUMBER = re.compile(r"^#\s*sphinx_gallery_thumbnail_number\s*=\s*(-?\d+)", re.M)


def _thumbnail_alts(app: Sphinx, doctree: nodes.document) -> None:
    for img in list(doctree.findall(nodes.image)):
        if img.get("alt"):
            continue
        match = _THUMB.search(img.get("uri", ""))
        if not match:
            continue
        thumb_dir = Path(app.srcdir, img["uri"].lstrip("/")).parent
        images = thumb_dir.parent
        stem = match["stem"]
        number = 1
        for gallery in _gallery_dirs(app):
            rel = (
                images.parent.relative_to(gallery)
                if images.parent.is_relative_to(gallery)
                else None
            )
            if rel is None:
                continue
            conf = getattr(app.config, "sphinx_gallery_conf", {}) or {}
            examples = conf.get("examples_dirs", "../gallery")
            examples = [examples] if isinstance(examples, str) else examples
            for ex in examples:
                script = Path(app.srcdir, ex, rel, f"{stem}.py")
                if script.is_file():
                    found = _THUMB_NUMBER.search(script.read_text())
                    number = int(found.group(1)) if found else 1
        outputs = sorted(images.glob(f"sphx_glr_{stem}_[0-9][0-9][0-9].json"))
        alt = ""
        if outputs:
            pick = outputs[number - 1] if 0 < number <= len(outputs) else outputs[-1]
            alt = json.loads(pick.read_text()).get("alt", "")
        img["alt"] = alt or f"Thumbnail of the example {stem.replace('_', ' ')}"
        light = Path(app.srcdir, img["uri"].lstrip("/"))
        dark = light.with_name(f"{light.stem}-dark{light.suffix}")
        if dark.is_file():
            variants = {"light": {"image": str(light)}, "dark": {"image": str(dark)}}
            img.replace_self(
                media_node("image", variants, img["alt"], list(img.get("classes", [])))
            )
