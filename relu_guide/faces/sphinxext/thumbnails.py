"""Gallery thumbnails: a palette and a dark twin for each, and real alt text.

sphinx-gallery makes a thumbnail of each example from one of its outputs (the one named by
``# sphinx_gallery_thumbnail_number = N``, else the first). After the gallery runs,
``_quantize_thumbnails`` gives every thumbnail a palette and draws its dark twin from the
dark variant of that output; when a page is read, ``_thumbnail_alts`` gives each thumbnail
the alt text of that output and shows the twin in the dark theme.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

from relu_guide.faces.sphinxext.cache import _gallery_dirs
from relu_guide.faces.sphinxext.media import media_node
from relu_guide.faces.sphinxext.variants import quantize_png

__all__: list[str] = []

_THUMB = re.compile(r"(?:^|/)thumb/sphx_glr_(?P<stem>.+)_thumb\.(?:png|svg|jpg|gif|webp)$")
_THUMB_NUMBER = re.compile(r"^#\s*sphinx_gallery_thumbnail_number\s*=\s*(-?\d+)", re.M)


def _thumbnail_output(images: Path, stem: str, script: Path | None) -> Path | None:
    """The sidecar of the output that the thumbnail of example ``stem`` shows, if any: the
    one ``script`` names by ``sphinx_gallery_thumbnail_number``, else the first."""
    outputs = sorted(images.glob(f"sphx_glr_{stem}_[0-9][0-9][0-9].json"))
    if not outputs:
        return None
    number = 1
    if script is not None and script.is_file():
        found = _THUMB_NUMBER.search(script.read_text())
        number = int(found.group(1)) if found else 1
    return outputs[number - 1] if 0 < number <= len(outputs) else outputs[-1]


def _quantize_thumbnails(app: Sphinx) -> None:
    """Give sphinx-gallery's new thumbnails a palette and a dark twin (after the gallery runs).

    The dark thumbnail ``..._thumb-dark.png`` is scaled, the way sphinx-gallery scales the
    light one, from the dark variant of the output the light one was made from.
    """
    conf = getattr(app.config, "sphinx_gallery_conf", {}) or {}
    size = conf.get("thumbnail_size", (400, 280))
    for gallery in _gallery_dirs(app):
        for thumb in gallery.rglob("thumb/sphx_glr_*_thumb.png"):
            quantize_png(thumb)
            source = _thumbnail_source(thumb, app)
            if source is None:
                continue
            dark = thumb.with_name(f"{thumb.stem}-dark.png")
            if not dark.is_file() or dark.stat().st_mtime < source.stat().st_mtime:
                _thumbnail(source, dark, size)
                quantize_png(dark)


def _thumbnail(source: Path, out: Path, size: tuple[int, int]) -> None:
    """Scale ``source`` to fit ``size`` and centre it on the dark theme's background (what
    sphinx-gallery's ``scale_image`` does on white for the light thumbnail)."""
    from PIL import Image

    from relu_guide.drawing.style import theme_colors

    width, height = (int(v) for v in size)
    with Image.open(source) as image:
        picture = image.convert("RGB")
    scale = min(width / picture.width, height / picture.height)
    fitted = picture.resize(
        (max(1, round(picture.width * scale)), max(1, round(picture.height * scale))),
        Image.Resampling.LANCZOS,
    )
    canvas = Image.new("RGB", (width, height), theme_colors(dark=True)["bg"])
    canvas.paste(fitted, ((width - fitted.width) // 2, (height - fitted.height) // 2))
    canvas.save(out, format="PNG")


def _thumbnail_source(thumb: Path, app: Sphinx) -> Path | None:
    """The dark variant of the output a thumbnail shows, if there is one."""
    stem = thumb.name.removeprefix("sphx_glr_").removesuffix("_thumb.png")
    images = thumb.parent.parent
    pick = _thumbnail_output(images, stem, images.parent / f"{stem}.py")
    if pick is None:
        return None
    dark = json.loads(pick.read_text()).get("variants", {}).get("dark")
    path = images / dark["image"] if dark else None
    return path if path is not None and path.is_file() else None


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
        script = None
        for gallery in _gallery_dirs(app):
            if not images.parent.is_relative_to(gallery):
                continue
            rel = images.parent.relative_to(gallery)
            conf = getattr(app.config, "sphinx_gallery_conf", {}) or {}
            examples = conf.get("examples_dirs", "../gallery")
            examples = [examples] if isinstance(examples, str) else examples
            for ex in examples:
                if Path(app.srcdir, ex, rel, f"{stem}.py").is_file():
                    script = Path(app.srcdir, ex, rel, f"{stem}.py")
        pick = _thumbnail_output(images, stem, script)
        alt = json.loads(pick.read_text()).get("alt", "") if pick is not None else ""
        img["alt"] = alt or f"Thumbnail of the example {stem.replace('_', ' ')}"
        light = Path(app.srcdir, img["uri"].lstrip("/"))
        dark = light.with_name(f"{light.stem}-dark{light.suffix}")
        if dark.is_file():
            variants = {"light": {"image": str(light)}, "dark": {"image": str(dark)}}
            img.replace_self(
                media_node("image", variants, img["alt"], list(img.get("classes", [])))
            )
