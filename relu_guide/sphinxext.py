"""Sphinx glue of the guide: animations as videos, gallery outputs in place, math, fresh caches.

Add ``"relu_guide.sphinxext"`` to ``extensions`` in ``conf.py``. It gives:

**A sphinx-gallery image scraper**, :data:`scraper`, for ``sphinx_gallery_conf["image_scrapers"]``.
After each code block of an example it saves

- every :class:`relu_guide.animation.Animation` the block created (a new object among the
  example's globals, including ``___``, the value of a last bare expression) as an ``.mp4``
  next to the example's images, with its poster frame as the PNG that sphinx-gallery numbers
  (so ``# sphinx_gallery_thumbnail_number = N`` makes the poster the thumbnail), and embeds it
  as ``<video controls loop muted playsinline preload="none" poster=... aria-label=...>`` with
  the animation's :attr:`~relu_guide.animation.Animation.alt` text as caption;
- every open matplotlib figure (pyplot's, and :class:`~matplotlib.figure.Figure` objects among
  the globals) as a PNG at :data:`FIGURE_SCALE` times its pixel size (1.5: sharp on most
  screens, light) with a palette of :data:`PNG_COLORS` colours, shown at its size, with real
  alt text: the
  figure's label (``fig.set_label(...)``) if it has one, else its titles.

Each output ``images/sphx_glr_<example>_<NNN>.png`` gets a sidecar ``..._<NNN>.json`` saying
what it is (image or video, alt text, size): the directive below reads it.

**The** ``gallery-figure`` **directive**, which embeds an example's output in a guide page and
links to the example, the scikit-learn way (each figure is made once, by its example)::

    ```{gallery-figure} training/plot_twenty_neurons
    :index: 1
    :width: 560px
    :class: hero

    Optional caption (MyST markdown); without it the output's alt text is the caption.
    ```

or in reST ``.. gallery-figure:: activations/plot_sigmoid``. The argument is the example's
path inside the gallery source folder (``gallery/``) without ``.py``. Options, all optional:

``:index:``
    1-based number of the output within the example (sphinx-gallery's image number, the one
    ``sphinx_gallery_thumbnail_number`` uses); default 1. Negative counts from the end.
``:width:``
    CSS width of the embedded output (default: its natural width, at most the text width).
``:alt:``
    Replace the alt text (default: the one the scraper recorded).
``:class:``
    Extra CSS classes on the figure.

An image becomes a link to the example page; a video keeps its controls and its caption ends
with a link to the example. A missing example or output stops the build with
:class:`GalleryFigureError`, naming what is missing and what exists.

**A video directive**, ``relu-video`` (what the scraper writes; usable anywhere)::

    .. relu-video:: /auto_gallery/training/images/sphx_glr_plot_linear_fit_001.mp4
       :poster: /auto_gallery/training/images/sphx_glr_plot_linear_fit_001.png
       :alt: A straight line chases a parabola.
       :width: 700
       :height: 500

Paths starting with ``/`` are relative to the Sphinx source folder, others to the document.
The files are copied to ``_images/`` and referred to by relative URLs (html, dirhtml).

**Math without any CDN**: the HTML math renderer ``relu_svg`` (set
``html_math_renderer = "relu_svg"``) typesets every formula at build time with MathJax 4
(the ``quickjax`` package, MathJax inside an embedded QuickJS engine) into inline SVG that
follows the text colour: no script, no font, no request. A TeX error is a build warning.

**No stale outputs**: sphinx-gallery skips an example whose script did not change and MyST-NB
reuses a notebook's cached outputs while its code did not change; neither knows about
``relu_guide``. At ``builder-inited`` the sha256 of the package source (all ``*.py`` under
``relu_guide_source_dirs``, default the package folder) is compared with the one stored in the
doctree folder by the last successful build; if it differs, every example is marked for
re-execution (its ``.md5`` deleted), MyST-NB's jupyter cache is cleared, and every document is
re-read. Nothing changed: nothing re-runs.

Also: gallery thumbnails get the alt text of the output they show (sphinx-gallery leaves it
empty); sphinx-gallery's ``sg_execution_times`` pages, which load scripts from CDNs, are
refused (set ``write_computation_times: False``).

Examples
--------
>>> from relu_guide.sphinxext import source_hash
>>> len(source_hash())
64
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

__all__ = [
    "FIGURE_SCALE",
    "PNG_COLORS",
    "GalleryFigureDirective",
    "GalleryFigureError",
    "HeaderOrder",
    "Scraper",
    "VideoDirective",
    "quantize_png",
    "reset_relu_guide",
    "scraper",
    "setup",
    "share_glyphs",
    "source_hash",
    "tex_to_svg",
]

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
HASH_FILE = "relu_guide_source.sha256"


class GalleryFigureError(SphinxError):
    """A guide page asks for a gallery output that does not exist."""

    category = "gallery-figure error"


# --------------------------------------------------------------------------------------------
# Hash of the package source, and invalidation of the caches that do not know about it
# --------------------------------------------------------------------------------------------


def source_hash(dirs: Iterable[str | os.PathLike[str]] | None = None) -> str:
    """sha256 (hex) of every ``*.py`` file under ``dirs`` (default: the ``relu_guide`` package).

    Paths (relative to their folder) and contents both count; modification times do not.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.py").write_text("x = 1\\n")
    >>> h1 = source_hash([d])
    >>> _ = (d / "a.py").write_text("x = 2\\n")
    >>> source_hash([d]) != h1
    True
    """
    digest = hashlib.sha256()
    for folder in [Path(p) for p in (dirs if dirs is not None else [PACKAGE_DIR])]:
        if not folder.is_dir():
            raise ValueError(f"source folder {str(folder)!r} does not exist")
        for path in sorted(folder.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _gallery_dirs(app: Any) -> list[Path]:
    """The gallery output folders; ``app`` is anything with ``config`` and ``srcdir``."""
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    dirs = conf.get("gallery_dirs", "auto_gallery")
    if isinstance(dirs, str):
        dirs = [dirs]
    return [Path(app.srcdir, d) for d in dirs]


def _invalidate_if_package_changed(app: Sphinx) -> None:
    dirs = app.config.relu_guide_source_dirs or [PACKAGE_DIR]
    new = source_hash(dirs)
    app._relu_guide_hash = new  # type: ignore[attr-defined]
    stored_file = Path(app.doctreedir, HASH_FILE)
    old = stored_file.read_text().strip() if stored_file.is_file() else None
    changed = old != new
    app._relu_guide_changed = changed  # type: ignore[attr-defined]
    if not changed:
        return
    removed = 0
    for gallery in _gallery_dirs(app):
        for md5 in gallery.rglob("*.py.md5"):
            md5.unlink()
            removed += 1
    cache = getattr(app.config, "nb_execution_cache_path", "")
    if cache and Path(cache).is_dir():
        shutil.rmtree(cache)
    logger.info(
        "[relu_guide] package source %s: re-running every example (%d cached) and notebook",
        "is new" if old is None else "changed",
        removed,
    )


def _outdated_docs(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    if getattr(app, "_relu_guide_changed", False):
        return sorted(env.found_docs - added - changed - removed)
    return []


def _store_hash(app: Sphinx, exception: BaseException | None) -> None:
    new = getattr(app, "_relu_guide_hash", None)
    if exception is None and new:
        Path(app.doctreedir).mkdir(parents=True, exist_ok=True)
        Path(app.doctreedir, HASH_FILE).write_text(new + "\n")


def _refuse_execution_times(app: Sphinx) -> None:
    conf = getattr(app.config, "sphinx_gallery_conf", None)
    if conf and conf.get("write_computation_times", False):
        raise SphinxError(
            "relu_guide.sphinxext: set sphinx_gallery_conf['write_computation_times'] = False: "
            "sg_execution_times pages load jQuery and DataTables from CDNs"
        )


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
    ``"within_subsection_order": "relu_guide.sphinxext.HeaderOrder"``.
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
        return "relu_guide.sphinxext.scraper"

    def __call__(self, block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
        import matplotlib.pyplot as plt
        from matplotlib.figure import Figure

        from relu_guide.animation import Animation

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
    """Embed the output of a gallery example (see the module docstring for the syntax)."""

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
    global _renderer
    if _renderer is None:
        from quickjax import MathJaxRenderer

        _renderer = MathJaxRenderer()
    svg = str(_renderer.render(tex, display=display))
    error = re.search(r'data-mjx-error="([^"]*)"', svg)
    if error:
        raise ValueError(f"TeX error in {tex!r}: {html.unescape(error.group(1))}")
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


# --------------------------------------------------------------------------------------------
# API pages: aliases (``relu_guide.train`` is ``relu_guide.training.train``), mini-galleries
# --------------------------------------------------------------------------------------------


def _import_path(path: str) -> Any:
    """The object at dotted ``path`` (module, then attributes), or ``_MISSING``."""
    import importlib

    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return _MISSING
        return obj
    return _MISSING


_MISSING = object()


def _documented_by_identity(env: BuildEnvironment) -> dict[int, str]:
    cache: dict[int, str] | None = getattr(env, "_relu_guide_alias_cache", None)
    objects = env.get_domain("py").objects  # type: ignore[attr-defined]
    if cache is None or len(cache) < 1 or getattr(env, "_relu_guide_alias_n", 0) != len(objects):
        cache = {}
        for name, entry in objects.items():
            if not name.startswith("relu_guide") or entry.aliased:
                continue
            obj = _import_path(name)
            if obj is not _MISSING and not isinstance(obj, int | float | str | bool):
                cache.setdefault(id(obj), name)
        env._relu_guide_alias_cache = cache  # type: ignore[attr-defined]
        env._relu_guide_alias_n = len(objects)  # type: ignore[attr-defined]
    return cache


def _resolve_alias(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve ``relu_guide.X`` to the documented object that ``relu_guide.X`` *is*.

    Also: in the *type* of a numpydoc field (``x : array_like, shape (n,)``, rendered in
    italics), words that name no relu_guide object are prose, not references: they stay text.
    Names in ``relu_guide`` are always checked, and so is every explicit role (``:func:``...).
    """
    if node.get("refdomain") != "py":
        return None
    resolved = _resolve_alias_of(app, env, node, contnode)
    if resolved is not None:
        return resolved
    target = node.get("reftarget", "")
    in_type_field = isinstance(contnode, nodes.emphasis | addnodes.literal_emphasis)
    if in_type_field and not target.startswith("relu_guide") and node["reftype"] == "class":
        return contnode
    if target.startswith("relu_guide") and target.rsplit(".", 1)[-1].startswith("_"):
        return contnode  # a private name (say a type alias in a signature) has no page
    return None


def _resolve_alias_of(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Element | None:
    target = node.get("reftarget", "").lstrip(".~")
    module = node.get("py:module") or ""
    candidates = [target] + ([f"{module}.{target}"] if module else [])
    if not target.startswith("relu_guide"):
        candidates.append(f"relu_guide.{target}")  # a bare name outside any module context
    for candidate in candidates:
        if not candidate.startswith("relu_guide"):
            continue
        obj = _import_path(candidate)
        if obj is _MISSING:
            continue
        canonical = _documented_by_identity(env).get(id(obj))
        if canonical is None or canonical == candidate:
            continue
        domain = env.get_domain("py")
        return domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], canonical, node, contnode
        )
    return _resolve_field(app, env, node, contnode)


def _resolve_field(
    app: Sphinx, env: BuildEnvironment, node: Any, contnode: nodes.Element
) -> nodes.Element | None:
    """``Activation.name``, a dataclass field or attribute of a documented class: link the class."""
    if node["reftype"] not in {"attr", "obj"} or "." not in node.get("reftarget", ""):
        return None
    owner, attr = node["reftarget"].rsplit(".", 1)
    module = node.get("py:module") or ""
    for candidate in [owner, f"{module}.{owner}"] if module else [owner]:
        if not candidate.startswith("relu_guide"):
            continue
        cls = _import_path(candidate)
        if not isinstance(cls, type) or not (
            attr in getattr(cls, "__dataclass_fields__", {}) or hasattr(cls, attr)
        ):
            continue
        canonical = _documented_by_identity(env).get(id(cls))
        if canonical is not None:
            domain = env.get_domain("py")
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, "class", canonical, node, contnode
            )
    return None


def _backreferences(app: Sphinx) -> dict[str, Any]:
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    folder = conf.get("backreferences_dir")
    if not folder:
        return {}
    path = Path(app.srcdir, folder, "backreferences_all.json")
    if not path.is_file():
        return {}
    stamp = path.stat().st_mtime_ns
    cached = getattr(app, "_relu_guide_backrefs", None)
    if cached is None or cached[0] != stamp:
        cached = (stamp, json.loads(path.read_text()))
        app._relu_guide_backrefs = cached  # type: ignore[attr-defined]
    return cached[1]  # type: ignore[no-any-return]


_PROSE_COLON = re.compile(r"^\s*[^:`]*\w\s+\w[^:`]*:(?!:)\s")


def _protect_prose_colon(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Keep napoleon from reading "Widths of every layer: ..." as a type named "Widths...".

    For a property or attribute, napoleon takes whatever precedes the first colon of the first
    line as its type. When that is prose (several words), an empty reST comment in front makes
    napoleon see a first line without a colon; nothing is rendered for it.
    """
    if what in {"property", "attribute", "data"}:
        first = next((line for line in lines if line.strip()), "")
        if _PROSE_COLON.match(first):
            lines[:0] = ["..", ""]


def _skip_foreign_members(
    app: Sphinx, what: str, name: str, obj: Any, skip: bool, options: Any
) -> bool | None:
    """Document only what relu_guide defines: not the ``set`` method matplotlib writes into
    every Artist subclass, nor anything else another library attaches to our classes."""
    module = getattr(obj, "__module__", None)
    if what == "class" and callable(obj) and module and not module.startswith("relu_guide"):
        return True
    return None


def _add_minigallery(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Append the gallery examples that use an object to its docstring."""
    if what not in {"function", "class", "exception"} or not _backreferences(app).get(name):
        return
    short = name.rsplit(".", 1)[-1]
    lines.extend(
        ["", f".. rubric:: Examples using ``{short}``", "", f".. minigallery:: {name}", ""]
    )


# --------------------------------------------------------------------------------------------
# setup
# --------------------------------------------------------------------------------------------


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives, the video node, the math renderer and the cache keys."""
    app.setup_extension("sphinx.ext.autodoc")  # for autodoc-process-docstring
    app.add_config_value("relu_guide_source_dirs", [], "env", types=(list, tuple))
    app.add_node(
        video,
        html=(_visit_video_html, None),
        latex=(_visit_video_text, None),
        text=(_visit_video_text, None),
        man=(_visit_video_text, None),
        texinfo=(_visit_video_text, None),
    )
    app.add_node(gallery_link)
    app.add_directive("relu-video", VideoDirective)
    app.add_directive("gallery-figure", GalleryFigureDirective)
    app.add_html_math_renderer("relu_svg", (_visit_math_html, None), (_visit_math_block_html, None))
    app.connect("builder-inited", _refuse_execution_times, priority=1)
    app.connect("builder-inited", _invalidate_if_package_changed, priority=2)
    app.connect("builder-inited", _quantize_thumbnails, priority=900)  # after the gallery
    app.connect("env-get-outdated", _outdated_docs)
    app.connect("doctree-read", _thumbnail_alts)
    app.connect("doctree-resolved", _resolve_gallery_links)
    app.connect("build-finished", _store_hash)
    app.connect("missing-reference", _resolve_alias)
    app.connect("autodoc-process-docstring", _protect_prose_colon, priority=100)
    app.connect("autodoc-process-docstring", _add_minigallery)
    app.connect("autodoc-skip-member", _skip_foreign_members)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
