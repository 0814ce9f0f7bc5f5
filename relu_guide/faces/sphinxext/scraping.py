"""sphinx-gallery hooks: the image scraper, PNG palettes, the example order, the reset.

See :mod:`relu_guide.faces.sphinxext` for what the scraper writes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from sphinx.application import Sphinx

from relu_guide.faces.sphinxext.cache import _gallery_dirs

__all__ = [
    "FIGURE_SCALE",
    "PNG_COLORS",
    "HeaderOrder",
    "Scraper",
    "quantize_png",
    "reset_relu_guide",
    "scraper",
]

# --------------------------------------------------------------------------------------------
# The scraper
# --------------------------------------------------------------------------------------------


def _figure_alt(fig: Any) -> str:
    label = (fig.get_label() or "").strip()
    if label:
        return label
    titles: list[str] = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        titles.append(suptitle.get_text())
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            text = ax.get_title(loc=loc)
            if text:
                titles.append(text)
    if titles:
        return "Figure: " + "; ".join(_plain_tex(t) for t in titles)
    return "Figure"


def _plain_tex(text: str) -> str:
    r"""Mathtext as a screen reader can say it: ``$\tanh^{2}(x)$`` -> ``tanh^2(x)``."""
    group = r"\{((?:[^{}]|\{[^{}]*\})*)\}"  # braces, one level of nesting inside
    text = re.sub(r"\\[dt]?frac" + group + group, r"(\1)/(\2)", text)
    text = re.sub(r"\\(?:mathrm|mathit|mathbf|operatorname|text)\s*", "", text)
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text)
    return re.sub(r"[${}]", "", text).replace("\\,", " ")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _rst_path(path: Path, src_dir: str | os.PathLike[str]) -> str:
    return "/" + PurePosixPath(Path(os.path.relpath(path, src_dir))).as_posix()


def _write_sidecar(image_path: Path, record: dict[str, Any]) -> None:
    image_path.with_suffix(".json").write_text(json.dumps(record, indent=1, sort_keys=True))


#: Colours kept by :func:`quantize_png`: line art loses nothing visible, files shrink ~3x.
PNG_COLORS = 64
#: Pixels per figure pixel of scraped figures: 1.5 looks sharp on most screens and weighs
#: ~30% less than 2 (all the site's media must stay under 1 MB).
FIGURE_SCALE = 1.5


def quantize_png(path: str | os.PathLike[str], colors: int = PNG_COLORS) -> bool:
    """Rewrite a PNG in place with a palette of ``colors`` colours; False if it already had one.

    Figures are flat colours and anti-aliased lines: a palette of 64 colours (fast octree, no
    dithering) looks the same and weighs about a third. Octree keeps the hue of small markers
    that median cut folds into the dominant colours (a green dot turned blue).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.png"
    >>> Image.new("RGB", (8, 8), "white").save(path)
    >>> quantize_png(path), quantize_png(path)
    (True, False)
    >>> with Image.open(path) as image:
    ...     image.mode
    'P'
    """
    from PIL import Image

    if not 2 <= colors <= 256:
        raise ValueError(f"colors must be between 2 and 256, got {colors!r}")
    with Image.open(path) as image:
        if image.mode == "P":
            return False
        image.load()
    rgb = image.convert("RGB")
    palette = rgb.quantize(
        colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    tmp = Path(f"{path}.tmp.png")
    palette.save(tmp, format="PNG", optimize=True)
    os.replace(tmp, path)
    return True


def _quantize_thumbnails(app: Sphinx) -> None:
    """Give sphinx-gallery's new thumbnails a palette too (runs after the gallery is made)."""
    for gallery in _gallery_dirs(app):
        for thumb in gallery.rglob("thumb/sphx_glr_*_thumb.png"):
            quantize_png(thumb)


class HeaderOrder:
    """sphinx-gallery ``within_subsection_order``: the order a folder's header asks for.

    ``GALLERY_HEADER.rst`` lists the scripts in a reST comment, one name after another::

        .. example order: plot_sigmoid.py plot_tanh.py plot_relu.py

    Scripts it does not name come after, by file name. Use it as
    ``"within_subsection_order": "relu_guide.faces.sphinxext.HeaderOrder"``.
    """

    _ORDER = re.compile(r"^\.\. example order:((?:.*\n?)(?:[ \t]+.*\n?)*)", re.M)

    def __init__(self, src_dir: str | os.PathLike[str]) -> None:
        self.src_dir = str(src_dir)
        header = Path(src_dir, "GALLERY_HEADER.rst")
        match = self._ORDER.search(header.read_text()) if header.is_file() else None
        self.order = match.group(1).split() if match else []

    def __call__(self, filename: str) -> tuple[int, str]:
        name = Path(filename).name
        rank = self.order.index(name) if name in self.order else len(self.order)
        return rank, name

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.order}>"


class Scraper:
    """sphinx-gallery image scraper for relu_guide animations and matplotlib figures.

    Use the module-level instance :data:`scraper`. It replaces sphinx-gallery's ``"matplotlib"``
    scraper (do not list both: figures would be saved twice).
    """

    _SEEN_KEY: ClassVar[str] = "_relu_guide_seen"

    def __repr__(self) -> str:  # stable, so Sphinx sees an unchanged config
        return "relu_guide.faces.sphinxext.scraper"

    def __call__(self, block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
        import matplotlib.pyplot as plt
        from matplotlib.figure import Figure

        from relu_guide.drawing.animation import Animation

        seen: list[Any] = block_vars.setdefault(self._SEEN_KEY, [])
        example_globals: dict[str, Any] = block_vars.get("example_globals") or {}
        src_dir = gallery_conf["src_dir"]
        paths = block_vars["image_path_iterator"]

        def new(obj: Any) -> bool:
            return not any(obj is s for s in seen)

        animations: list[Any] = []
        figures: list[Any] = []
        for value in list(example_globals.values()):
            candidates = value if isinstance(value, list | tuple) else (value,)
            for obj in candidates:
                if (
                    isinstance(obj, Animation)
                    and new(obj)
                    and not any(obj is a for a in animations)
                ):
                    animations.append(obj)
                elif isinstance(obj, Figure) and new(obj) and not any(obj is f for f in figures):
                    figures.append(obj)
        for num in plt.get_fignums():
            fig = plt.figure(num)
            if new(fig) and not any(fig is f for f in figures):
                figures.append(fig)
        anim_figs = [
            getattr(a, name, None) for a in animations for name in ("figure", "fig", "_fig")
        ]
        figures = [f for f in figures if not any(f is g for g in anim_figs if g is not None)]

        rst: list[str] = []
        for anim in animations:
            seen.append(anim)
            rst.append(self._save_animation(anim, Path(next(paths)), src_dir))
        for fig in figures:
            seen.append(fig)
            rst.append(self._save_figure(fig, Path(next(paths)), src_dir))
        plt.close("all")
        return "".join(rst)

    @staticmethod
    def _save_animation(anim: Any, poster: Path, src_dir: str) -> str:
        video = poster.with_suffix(".mp4")
        anim.save(video)
        anim.save_poster(poster)
        quantize_png(poster)
        width, height = (int(v) for v in anim.size)
        alt = _one_line(anim.alt)
        _write_sidecar(
            poster,
            {
                "kind": "video",
                "image": poster.name,
                "video": video.name,
                "alt": alt,
                "width": width,
                "height": height,
            },
        )
        return (
            f"\n.. relu-video:: {_rst_path(video, src_dir)}\n"
            f"   :poster: {_rst_path(poster, src_dir)}\n"
            f"   :alt: {alt}\n"
            f"   :width: {width}\n"
            f"   :height: {height}\n"
            f"   :caption:\n\n"
        )

    @staticmethod
    def _save_figure(fig: Any, path: Path, src_dir: str) -> str:
        dpi = float(fig.dpi)
        fig.savefig(path, dpi=FIGURE_SCALE * dpi, facecolor=fig.get_facecolor())
        quantize_png(path)
        width, height = (round(v * dpi) for v in fig.get_size_inches())
        alt = _one_line(_figure_alt(fig))
        _write_sidecar(
            path,
            {
                "kind": "image",
                "image": path.name,
                "video": None,
                "alt": alt,
                "width": width,
                "height": height,
            },
        )
        return (
            f"\n.. image:: {_rst_path(path, src_dir)}\n"
            f"   :alt: {alt}\n"
            f"   :width: {width}px\n"
            f"   :class: sphx-glr-single-img\n\n"
        )


#: The scraper instance to list in ``sphinx_gallery_conf["image_scrapers"]``.
scraper = Scraper()


def reset_relu_guide(gallery_conf: dict[str, Any], fname: str) -> None:
    """sphinx-gallery ``reset_modules`` hook: same global state before every example.

    Closes matplotlib figures and re-seeds numpy's and torch's global generators, so an
    example that forgets a seed still gives the same numbers on every build.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    plt.close("all")
    np.random.seed(0)  # noqa: NPY002 - the legacy global generator is what unseeded code uses
    torch.manual_seed(0)
