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

__all__ = ["GalleryFigureDirective", "GalleryFigureError", "VideoDirective"]


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
    src_stat = os.stat(source)
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
                raise self.error(f"relu-video {self.arguments[0]!r}: missing :{key}:")
        files = {}
        for key, path in (("src", self.arguments[0]), ("poster", self.options["poster"])):
            _, abs_path = self.env.relfn2path(path, self.env.docname)
            if not Path(abs_path).is_file():
                raise self.error(f"relu-video: file {path!r} not found ({abs_path})")
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
# gallery-figure: an example's output, in place, linked to the example
# --------------------------------------------------------------------------------------------


class gallery_link(nodes.General, nodes.Inline, nodes.Element):
    """Placeholder for a link to a gallery example page, resolved per builder."""


def _index_option(value: str | None) -> int:
    number = int(directives.unchanged_required(value))
    if number == 0:
        raise ValueError("index is 1-based (or negative from the end); 0 is not an output")
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
        raise GalleryFigureError(
            f"{self.env.docname}:{self.lineno}: gallery-figure {example!r}: no such gallery "
            f"example (known: {', '.join(known) or 'none: did the gallery build?'})"
        )

    def _fail(self, example: str, message: str) -> GalleryFigureError:
        return GalleryFigureError(
            f"{self.env.docname}:{self.lineno}: gallery-figure {example!r}: {message}"
        )

    def run(self) -> list[nodes.Node]:
        example, images, docname, outputs = self._locate()
        index = self.options.get("index", 1)
        if not -len(outputs) <= index <= len(outputs):
            names = ", ".join(p.with_suffix(".png").name for p in outputs) or "none"
            raise self._fail(
                example, f"no output number {index}; the example has {len(outputs)} ({names})"
            )
        sidecar = outputs[index - 1] if index > 0 else outputs[index]
        record = json.loads(sidecar.read_text())
        self.env.note_dependency(str(sidecar))
        image = images / record["image"]
        if not image.is_file():
            raise self._fail(example, f"output file {image} is missing")
        alt = _one_line(self.options.get("alt", record["alt"]))
        figure = nodes.figure("", classes=["gallery-figure", *self.options.get("class", [])])
        self.set_source_info(figure)
        if "width" in self.options:
            figure["width"] = self.options["width"]
        if record["kind"] == "video":
            video_file = images / record["video"]
            if not video_file.is_file():
                raise self._fail(example, f"video file {video_file} is missing")
            self.env.note_dependency(str(video_file))
            self.env.note_dependency(str(image))
            figure += video(
                src=str(video_file),
                poster=str(image),
                alt=alt,
                width=record.get("width"),
                height=record.get("height"),
            )
        else:
            img = nodes.image(uri="/" + _src_rel(image, self.env.srcdir), alt=alt)
            if record.get("width"):
                img["width"] = f"{record['width']}px"
            figure += gallery_link("", img, target=docname)
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
            raise GalleryFigureError(
                f"{docname}: gallery-figure links to {target!r}, which is not a document"
            )
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
    for img in doctree.findall(nodes.image):
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
