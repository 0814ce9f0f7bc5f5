"""sphinx-gallery hooks: the image scraper, the thumbnails, the example order, the reset.

See :mod:`relu_guide.faces.sphinxext` for what the scraper writes; the image files themselves
(palette PNG, WebP, narrow layout) are made in :mod:`relu_guide.faces.sphinxext.variants`.
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    pass

from relu_guide.drawing.options import check_size, check_text_floor
from relu_guide.faces.sphinxext.narrow import narrow_variant
from relu_guide.faces.sphinxext.variants import (
    FIGURE_SCALE,
    VIDEO_SIZES,
    save_palette,
    to_webp,
    video_text_px,
)

__all__ = [
    "THEMES",
    "HeaderOrder",
    "Scraper",
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
        from relu_guide.drawing.once import measured_once

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
        with measured_once():  # the same pixels, tick labels and formulas measured once
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
        from relu_guide.drawing.raster import twin_layouts

        alt = _one_line(anim.alt)
        width, height = VIDEO_SIZES.get(anim.view, anim.size)
        text_px = video_text_px(width)
        variants: dict[str, dict[str, Any]] = {}
        with twin_layouts():  # the dark view takes the light view's layout
            for theme in THEMES:
                made = _restyle(
                    anim, dark=theme == "dark", size=(width, height), min_text_px=text_px
                )
                image = _variant_path(poster, theme)
                video = image.with_suffix(".mp4")
                made.save(video)
                made.save_poster(image)  # a palette PNG already (the animation's own policy)
                variants[theme] = _variant(to_webp(image), video, width, height, text_px)
        _write_sidecar(poster, _record("video", alt, variants))
        return f"\n.. relu-media:: {_rst_path(poster.with_suffix('.json'), src_dir)}\n\n"

    @staticmethod
    def _save_figure(fig: Any, path: Path, src_dir: str) -> str:
        from relu_guide.drawing.raster import remember, twin_layouts
        from relu_guide.drawing.style import redraw

        alt = _one_line(_figure_alt(fig))
        variants: dict[str, dict[str, Any]] = {}
        # The dark figure is the light one's twin (same call, same texts): it reuses the light
        # figure's layouts, wide and narrow, instead of computing them again; a view, laid out
        # when built, takes the light view's layout (remembered before it is narrowed).
        layouts: dict[str, Any] = {}
        fit = None
        with twin_layouts():
            remember(fig)
            for theme in THEMES:
                if theme == "light":
                    drawn = fig
                else:
                    try:
                        drawn = redraw(fig, dark=True)
                    except ValueError:
                        continue  # not a relu_guide figure: only the light variant exists
                variants[theme], layouts["wide"] = _save_png(
                    drawn, _variant_path(path, theme), like=layouts.get("wide")
                )
                # the dark twin takes the light's words; the light figure's words are fitted
                # at the dpi it is drawn at, so that its drawing takes the fitted layout
                fit = narrow_variant(drawn, like=fit, dpi=FIGURE_SCALE * float(drawn.dpi))
                if fit is not None:
                    variants[f"narrow-{theme}"], layouts["narrow"] = _save_png(
                        drawn,
                        _variant_path(path, f"narrow-{theme}"),
                        like=layouts.get("narrow") or fit.layout,
                    )
                if drawn is not fig:
                    import matplotlib.pyplot as plt

                    plt.close(drawn)
        _write_sidecar(path, _record("image", alt, variants))
        return (
            f"\n.. relu-media:: {_rst_path(path.with_suffix('.json'), src_dir)}\n"
            f"   :class: sphx-glr-single-img\n\n"
        )


#: The themes every output is drawn in; the first is the one sphinx-gallery sees.
THEMES = ("light", "dark")


def _variant_path(path: Path, theme: str) -> Path:
    """``x_001.png`` for the light theme (the file sphinx-gallery numbers), else ``x_001-dark.png``."""
    return path if theme == "light" else path.with_name(f"{path.stem}-{theme}{path.suffix}")


def _restyle(anim: Any, *, dark: bool, size: tuple[int, int], min_text_px: float) -> Any:
    """The same animation (run, view, frame rate) in a theme, at a size, with a text floor.

    Animations render only when saved, from their attributes: a copy with these changed and
    nothing encoded yet is that animation (whatever the subclass: fit, regions...).
    """
    other = copy.copy(anim)
    other.dark = bool(dark)
    other.size = check_size(size)
    other.min_text_px = check_text_floor(min_text_px)
    other._cache = {}
    return other


def _variant(
    image: Path, video: Path | None, width: int, height: int, text_px: float | None
) -> dict[str, Any]:
    return {
        "image": image.name,
        "video": video.name if video is not None else None,
        "width": int(width),
        "height": int(height),
        "text_px": text_px,
    }


def _record(kind: str, alt: str, variants: dict[str, dict[str, Any]]) -> dict[str, Any]:
    light = variants["light"]
    return {
        "kind": kind,
        "alt": alt,
        "image": light["image"],
        "video": light["video"],
        "width": light["width"],
        "height": light["height"],
        "variants": variants,
    }


def _save_png(fig: Any, path: Path, like: Any = None) -> tuple[dict[str, Any], Any]:
    """Save ``fig`` as a palette PNG (and WebP) at :data:`FIGURE_SCALE`; its variant record.

    Drawn once, straight to pixels (:func:`relu_guide.drawing.raster.rasterize`), with the
    layout ``like`` if it fits; returns the record and the layout used.
    """
    from relu_guide.drawing.raster import rasterize
    from relu_guide.drawing.text import smallest_text_px

    dpi = float(fig.dpi)
    rgb, layout = rasterize(fig, FIGURE_SCALE * dpi, like=like)
    webp = save_palette(rgb, path)
    width, height = (round(float(v) * dpi) for v in fig.get_size_inches())
    return _variant(webp, None, width, height, round(smallest_text_px(fig), 2)), layout


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
