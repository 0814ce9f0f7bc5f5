"""The ``gallery-figure`` directive: a gallery example's output in a guide page, linked to it.

See :mod:`relu_guide.faces.sphinxext` for the syntax.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx

from relu_guide.faces.sphinxext.cache import _gallery_dirs
from relu_guide.faces.sphinxext.media import (
    GalleryFigureError,
    media_node,
    read_sidecar,
    themed_media,
)
from relu_guide.faces.sphinxext.scraping import _one_line

__all__ = ["GalleryFigureDirective"]


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
