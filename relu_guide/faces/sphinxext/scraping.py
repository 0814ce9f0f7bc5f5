"""sphinx-gallery hooks: the image scraper, PNG palettes, the example order, the reset.

See :mod:`relu_guide.faces.sphinxext` for what the scraper writes.
"""

from __future__ import annotations

import copy
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
    "NARROW_STRETCH",
    "NARROW_WIDTH",
    "PNG_COLORS",
    "THEMES",
    "HeaderOrder",
    "Scraper",
    "narrow_variant",
    "quantize_png",
    "reset_relu_guide",
    "scraper",
    "smallest_text_px",
    "to_webp",
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
#: Pixels per figure pixel of scraped figures: 1.25 still looks sharp on a 2x screen and weighs
#: ~17% less than 1.5 (the site's media, every variant, must stay under 3 MiB).
FIGURE_SCALE = 1.25


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
        msg = f"colors must be between 2 and 256, got {colors!r}"
        raise ValueError(msg)
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
    tmp.replace(path)
    return True


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


_THUMB_NUMBER = re.compile(r"^#\s*sphinx_gallery_thumbnail_number\s*=\s*(-?\d+)", re.M)


def _thumbnail_source(thumb: Path, app: Sphinx) -> Path | None:
    """The dark variant of the output a thumbnail shows, if there is one."""
    stem = thumb.name.removeprefix("sphx_glr_").removesuffix("_thumb.png")
    images = thumb.parent.parent
    outputs = sorted(images.glob(f"sphx_glr_{stem}_[0-9][0-9][0-9].json"))
    if not outputs:
        return None
    number = 1
    rst = images.parent / f"{stem}.py"
    if rst.is_file():
        found = _THUMB_NUMBER.search(rst.read_text())
        number = int(found.group(1)) if found else 1
    pick = outputs[number - 1] if 0 < number <= len(outputs) else outputs[-1]
    dark = json.loads(pick.read_text()).get("variants", {}).get("dark")
    path = images / dark["image"] if dark else None
    return path if path is not None and path.is_file() else None


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
        alt = _one_line(anim.alt)
        width, height = (int(v) for v in anim.size)
        variants: dict[str, dict[str, Any]] = {}
        for theme in THEMES:
            dark = theme == "dark"
            made = anim if anim.dark == dark else _retheme(anim, dark)
            image = _variant_path(poster, theme)
            video = image.with_suffix(".mp4")
            made.save(video)
            made.save_poster(image)
            quantize_png(image)
            variants[theme] = _variant(to_webp(image), video, width, height, None)
        _write_sidecar(poster, _record("video", alt, variants))
        return f"\n.. relu-media:: {_rst_path(poster.with_suffix('.json'), src_dir)}\n\n"

    @staticmethod
    def _save_figure(fig: Any, path: Path, src_dir: str) -> str:
        from relu_guide.drawing.style import redraw

        alt = _one_line(_figure_alt(fig))
        variants: dict[str, dict[str, Any]] = {}
        for theme in THEMES:
            if theme == "light":
                drawn = fig
            else:
                try:
                    drawn = redraw(fig, dark=True)
                except ValueError:
                    continue  # not a relu_guide figure: only the light variant exists
            variants[theme] = _save_png(drawn, _variant_path(path, theme))
            if narrow_variant(drawn):
                variants[f"narrow-{theme}"] = _save_png(
                    drawn, _variant_path(path, f"narrow-{theme}")
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
#: Width in pixels of the narrow variant of a figure, for phones: 9-point text stays above
#: 9 CSS px in a 358 px column (a 390 px phone), where a 700 px figure would shrink it to 6.
NARROW_WIDTH = 440
#: Height added to a narrow figure that keeps its panels side by side (they get narrower).
NARROW_STRETCH = 1.15


def _variant_path(path: Path, theme: str) -> Path:
    """``x_001.png`` for the light theme (the file sphinx-gallery numbers), else ``x_001-dark.png``."""
    return path if theme == "light" else path.with_name(f"{path.stem}-{theme}{path.suffix}")


def _retheme(anim: Any, dark: bool) -> Any:
    """The same animation (run, view, size, frame rate) in the other theme.

    Animations render only when saved, from their attributes: a copy with ``dark`` changed
    and nothing encoded yet is that animation (whatever the subclass: fit, regions...).
    """
    other = copy.copy(anim)
    other.dark = dark
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


def smallest_text_px(fig: Any) -> float:
    """Size in figure pixels of the smallest visible text of ``fig`` (CSS px at natural size).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(dpi=100)
    >>> _ = fig.text(0.5, 0.5, "small", fontsize=9), fig.text(0.1, 0.1, "big", fontsize=20)
    >>> round(smallest_text_px(fig), 1)
    12.5
    """
    from matplotlib.text import Text

    sizes = [
        float(t.get_fontsize())
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.figure is not None
    ]
    return min(sizes, default=0.0) * float(fig.dpi) / 72.0


def narrow_variant(fig: Any) -> bool:
    """Reshape ``fig`` in place for a phone, if it is wider than :data:`NARROW_WIDTH`.

    Panels side by side in one row are stacked in one column; other layouts keep their
    panels and get :data:`NARROW_STRETCH` times taller. Text keeps its point size, so it is
    larger relative to the figure. Returns False (and leaves the figure alone) when it is
    already narrow.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.0), dpi=100, layout="constrained")
    >>> narrow_variant(fig), [round(v) for v in fig.get_size_inches() * fig.dpi]
    (True, [440, 510])
    >>> [ax.get_subplotspec().rowspan.start for ax in axes]
    [0, 1]
    >>> plt.close(fig)
    """
    dpi = float(fig.dpi)
    width, height = (float(v) * dpi for v in fig.get_size_inches())
    if width <= NARROW_WIDTH:
        return False
    stacked = _stack_panels(fig)
    _narrow_legends(fig)
    new_height = height * stacked * 0.85 if stacked > 1 else height * NARROW_STRETCH
    fig.set_size_inches(NARROW_WIDTH / dpi, round(new_height) / dpi)
    return True


def _narrow_legends(fig: Any) -> None:
    """Legends of more than two columns take half as many (a wide row would be cut off)."""
    legends = list(getattr(fig, "legends", [])) + [ax.get_legend() for ax in fig.axes]
    for legend in legends:
        ncols = getattr(legend, "_ncols", 1) if legend is not None else 1
        if ncols > 2:
            legend.set_ncols(-(-ncols // 2))


def _stack_panels(fig: Any) -> int:
    """Move the panels of a one-row grid into one column; the number of rows it now has."""
    if getattr(fig, "subfigs", None):
        return 1
    axes = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    specs = [ax.get_subplotspec() for ax in axes]
    if len(specs) < 2:
        return 1
    grid = specs[0].get_gridspec()
    rows, cols = grid.get_geometry()
    if rows != 1 or cols < 2 or any(s.get_gridspec() is not grid for s in specs):
        return 1
    if any(len(s.colspan) != 1 for s in specs):
        return 1
    column = fig.add_gridspec(cols, 1)
    for ax, spec in zip(axes, specs, strict=True):
        ax.set_subplotspec(column[spec.colspan.start, 0])
    return cols


def _save_png(fig: Any, path: Path) -> dict[str, Any]:
    """Save ``fig`` as a palette PNG at :data:`FIGURE_SCALE`; its variant record."""
    dpi = float(fig.dpi)
    fig.savefig(path, dpi=FIGURE_SCALE * dpi, facecolor=fig.get_facecolor())
    quantize_png(path)
    width, height = (round(float(v) * dpi) for v in fig.get_size_inches())
    return _variant(to_webp(path), None, width, height, round(smallest_text_px(fig), 2))


def to_webp(png: Path) -> Path:
    """A lossless WebP copy of a PNG beside it (the site shows it: ~25% lighter, same pixels).

    The PNG stays: sphinx-gallery makes thumbnails from it. Pages, and the sidecar, name the
    WebP file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> png = pathlib.Path(tempfile.mkdtemp()) / "a.png"
    >>> Image.new("RGB", (8, 8), "white").save(png)
    >>> webp = to_webp(png)
    >>> webp.name, Image.open(webp).getpixel((0, 0))
    ('a.webp', (255, 255, 255))
    """
    from PIL import Image

    webp = png.with_suffix(".webp")
    with Image.open(png) as image:
        rgb = image.convert("RGB")
    tmp = webp.with_name(f"{webp.name}.tmp")
    rgb.save(tmp, format="WEBP", lossless=True, method=1, quality=100, exact=True)
    tmp.replace(webp)
    return webp


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
