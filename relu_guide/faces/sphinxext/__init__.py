"""Sphinx glue of the guide: animations as videos, gallery outputs in place, math, fresh caches.

Add ``"relu_guide.faces.sphinxext"`` to ``extensions`` in ``conf.py``. It gives:

**A sphinx-gallery image scraper**, :data:`~relu_guide.faces.sphinxext.scraping.scraper`, for
``sphinx_gallery_conf["image_scrapers"]``. After each code block of an example it saves

- every :class:`relu_guide.drawing.animation.Animation` the block created (a new object among the
  example's globals, including ``___``, the value of a last bare expression) as an ``.mp4``
  next to the example's images, with its poster frame as the PNG that sphinx-gallery numbers
  (so ``# sphinx_gallery_thumbnail_number = N`` makes the poster the thumbnail), and embeds it
  as ``<video controls loop muted playsinline preload="none" poster=... aria-label=...>`` with
  the animation's :attr:`~relu_guide.drawing.animation.Animation.alt` text as caption. Every
  video is drawn at the site's size for its view
  (:data:`~relu_guide.faces.sphinxext.variants.VIDEO_SIZES`, panels stacked) with its text
  enlarged so that it reads on a phone too
  (:func:`~relu_guide.faces.sphinxext.variants.video_text_px`), whatever size the example
  asked for;
- every open matplotlib figure (pyplot's, and :class:`~matplotlib.figure.Figure` objects among
  the globals) as a PNG at :data:`~relu_guide.faces.sphinxext.variants.FIGURE_SCALE` times its pixel
  size (1.25: still sharp on a 2x screen, and light) with a palette of
  :data:`~relu_guide.faces.sphinxext.variants.PNG_COLORS` colours, shown at its size, with real
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
:class:`~relu_guide.faces.sphinxext.media.GalleryFigureError`, naming what is missing and what exists.

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

**Studies first**: at ``builder-inited``, before the gallery, every registered study missing
from the cache is computed ``-j`` at a time (:mod:`relu_guide.faces.sphinxext.precompute`);
examples and pages read them.

**The gallery and the notebooks in one pool** (:mod:`relu_guide.faces.sphinxext.examples`):
at ``builder-inited``, after the studies, every example that will run, of every folder, and
every guide notebook that MyST-NB's cache lacks, in one pool of ``-j`` workers, longest first;
a notebook runs in a worker's IPython shell, without a kernel
(:mod:`relu_guide.faces.sphinxext.notebooks`), and is stored in that cache, so Sphinx's
readers find it executed.
**One navigation tree** (:mod:`relu_guide.faces.sphinxext.navigation`): the sidebar's toctree
resolved once, not once per page, and drawn once per folder of pages, marked for each page.
**No work done twice** (:mod:`relu_guide.faces.sphinxext.speed`): no gallery workers when no
example will run, no autosummary pass when nothing it reads changed, pages written on every
core. **A quiet log** (:mod:`relu_guide.faces.sphinxext.quiet`): Sphinx's progress and real
problems only.
**The ledger of checked claims** (:mod:`relu_guide.faces.sphinxext.ledger`): the directive
``relu-ledger`` lists every claim checked by :func:`relu_guide.core.claims.check` during the
build, and ``relu-ledger-link`` links a page to its part of that list.

Also: gallery thumbnails get the alt text of the output they show (sphinx-gallery leaves it
empty); sphinx-gallery's ``sg_execution_times`` pages, which load scripts from CDNs, are
refused (set ``write_computation_times: False``).

Examples
--------
>>> from relu_guide.faces.sphinxext import source_hash
>>> len(source_hash())
64
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

from relu_guide.faces.sphinxext.autodoc import (
    _add_minigallery,
    _data_values,
    _protect_prose_colon,
    _resolve_alias,
    _skip_foreign_members,
)
from relu_guide.faces.sphinxext.cache import HASH_FILE as HASH_FILE
from relu_guide.faces.sphinxext.cache import (
    _invalidate_if_package_changed,
    _outdated_docs,
    _refuse_execution_times,
    _store_hash,
)
from relu_guide.faces.sphinxext.examples import restore_sphinx_gallery, run_together
from relu_guide.faces.sphinxext.gallery_figure import (
    GalleryFigureDirective,
    _resolve_gallery_links,
    gallery_link,
)
from relu_guide.faces.sphinxext.ledger import setup_ledger
from relu_guide.faces.sphinxext.mathsvg import (
    _visit_math_block_html,
    _visit_math_html,
    start_before_writing,
)
from relu_guide.faces.sphinxext.mathsvg import share_glyphs as share_glyphs
from relu_guide.faces.sphinxext.mathsvg import tex_to_svg as tex_to_svg
from relu_guide.faces.sphinxext.media import GalleryFigureError as GalleryFigureError
from relu_guide.faces.sphinxext.media import (
    MediaDirective,
    VideoDirective,
    _visit_media_html,
    _visit_video_html,
    _visit_video_text,
    themed_media,
    video,
)
from relu_guide.faces.sphinxext.navigation import cache_toctree_entries, fast_navigation_tree
from relu_guide.faces.sphinxext.playground import setup_playground
from relu_guide.faces.sphinxext.precompute import compute_studies, start_workers
from relu_guide.faces.sphinxext.publish import _page_context
from relu_guide.faces.sphinxext.quiet import quiet_logging
from relu_guide.faces.sphinxext.scraping import HeaderOrder as HeaderOrder
from relu_guide.faces.sphinxext.scraping import Scraper as Scraper
from relu_guide.faces.sphinxext.scraping import reset_relu_guide as reset_relu_guide
from relu_guide.faces.sphinxext.scraping import scraper as scraper
from relu_guide.faces.sphinxext.social import setup_social
from relu_guide.faces.sphinxext.speed import (
    defer_matplotlib,
    serial_when_current,
    skip_unchanged_autosummary,
    write_on_every_core,
)
from relu_guide.faces.sphinxext.thumbnails import _quantize_thumbnails, _thumbnail_alts
from relu_guide.faces.sphinxext.variants import FIGURE_SCALE as FIGURE_SCALE
from relu_guide.faces.sphinxext.variants import PNG_COLORS as PNG_COLORS
from relu_guide.faces.sphinxext.variants import quantize_png as quantize_png
from relu_guide.studies.cache import PACKAGE_DIR as PACKAGE_DIR
from relu_guide.studies.cache import source_hash as source_hash

# The API pages document each name in its submodule; the names above stay importable from here
# (conf.py names relu_guide.faces.sphinxext.scraper, .HeaderOrder and .reset_relu_guide).
__all__ = ["setup"]

# --------------------------------------------------------------------------------------------
# setup
# --------------------------------------------------------------------------------------------


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives, the video node, the math renderer and the cache keys."""
    app.setup_extension("sphinx.ext.autodoc")  # for autodoc-process-docstring
    quiet_logging(app)
    skip_unchanged_autosummary(app)
    defer_matplotlib(app)
    cache_toctree_entries(app)
    setup_social(app)
    app.add_config_value("relu_guide_source_dirs", [], "env", types=(list, tuple))
    # seconds that order a clean build's jobs (see relu_guide.faces.sphinxext.build_times)
    app.add_config_value("relu_guide_build_seconds", "", "", types=(str,))
    app.add_node(
        video,
        html=(_visit_video_html, None),
        latex=(_visit_video_text, None),
        text=(_visit_video_text, None),
        man=(_visit_video_text, None),
        texinfo=(_visit_video_text, None),
    )
    app.add_node(
        themed_media,
        html=(_visit_media_html, None),
        latex=(_visit_video_text, None),
        text=(_visit_video_text, None),
        man=(_visit_video_text, None),
        texinfo=(_visit_video_text, None),
    )
    app.add_directive("relu-media", MediaDirective)
    app.add_node(gallery_link)
    app.add_directive("relu-video", VideoDirective)
    app.add_directive("gallery-figure", GalleryFigureDirective)
    app.add_html_math_renderer("relu_svg", (_visit_math_html, None), (_visit_math_block_html, None))
    app.connect("write-started", start_before_writing)  # once, not once per forked writer
    app.connect("builder-inited", _refuse_execution_times, priority=1)
    app.connect("builder-inited", write_on_every_core)
    app.connect("builder-inited", fast_navigation_tree)
    app.connect("builder-inited", _invalidate_if_package_changed, priority=2)
    app.connect("builder-inited", serial_when_current, priority=400)  # before the gallery
    app.connect("config-inited", start_workers)  # importing while Sphinx loads
    app.connect("builder-inited", compute_studies, priority=450)  # that reads them
    app.connect("builder-inited", _quantize_thumbnails, priority=900)  # after the gallery
    app.connect("builder-inited", run_together, priority=480)  # examples and notebooks
    app.connect("builder-inited", restore_sphinx_gallery, priority=800)  # after the gallery
    app.connect("env-get-outdated", _outdated_docs)
    app.connect("doctree-read", _thumbnail_alts)
    app.connect("doctree-resolved", _resolve_gallery_links)
    app.connect("build-finished", _store_hash)
    app.connect("html-page-context", _page_context)
    app.connect("missing-reference", _resolve_alias)
    app.connect("autodoc-process-docstring", _protect_prose_colon, priority=100)
    app.connect("autodoc-process-docstring", _add_minigallery)
    app.connect("autodoc-process-docstring", _data_values)
    app.connect("autodoc-skip-member", _skip_foreign_members)
    setup_ledger(app)  # the page "What this guide checks"
    setup_playground(app)  # the relu-playground directive (see its module)
    return {"version": "0.1.0", "parallel_read_safe": True, "parallel_write_safe": True}
