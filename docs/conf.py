"""Sphinx configuration of the illustrated guide to ReLUs.

Build: ``nox -s docs`` (or ``sphinx-build -W -n --keep-going -b html docs docs/_build/html``).
Everything is made at build time by ``relu_guide``; nothing is fetched from the network.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# The relu_guide next to this file, even when another checkout is installed.
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")
# Tiny nets: one thread each (the gallery's workers, which run the notebooks too, inherit this).
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Runs and studies computed once per build: the gallery computes, the pages read them back
# (relu_guide.studies.cache; keyed on the package source, so a change re-runs everything).
os.environ.setdefault("RELU_GUIDE_CACHE", str(DOCS / "_build" / ".relu_guide_cache"))
# How long each study, example and notebook took in a build (a copy of a build's record,
# docs/_build/.relu_guide_cache/build_seconds.json): a clean build starts the longest first.
relu_guide_build_seconds = "build_seconds.json"
# Workers and notebook kernels import the same relu_guide as Sphinx does.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
)

import relu_guide

project = "An illustrated guide to ReLUs"
author = "the relu_guide authors"
copyright = "the relu_guide authors"
release = version = relu_guide.__version__

extensions = [
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx_copybutton",
    "sphinxcontrib.bibtex",
    "relu_guide.faces.sphinxext",
    "sphinx_sitemap",
]

# -- Sources cited (sphinxcontrib-bibtex; nothing fetched) ------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- Sources -----------------------------------------------------------------------------------
root_doc = "index"
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = [
    "_build",
    "**/.ipynb_checkpoints",
    # sphinx-gallery's notebooks are downloads, not pages: MyST-NB must not parse them.
    "auto_gallery/**/*.ipynb",
    "auto_gallery/**/*.py.md5",
    # its run-time tables load jQuery and DataTables from CDNs (also never written: see below).
    "**/sg_execution_times.rst",
]
templates_path = ["_templates"]
nitpicky = True
# No intersphinx (the build has no network), so other libraries' types cannot be linked: their
# dotted names (numpy.ndarray, matplotlib.figure.Figure, torch.nn.Module, pathlib.Path, ...) in
# signatures and docstrings stay plain text. Nothing else is ignored; relu_guide's own names are
# always checked (relu_guide.faces.sphinxext also resolves aliases such as relu_guide.train).
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(numpy|np|matplotlib|mpl|torch|nn|joblib|pathlib|os|ast|collections\.abc|typing)\..+",
    ),
    (r"py:.*", r"(docutils|sphinx|sphinx_gallery)\..+"),
    (r"py:mod", r"(numpy|matplotlib|torch|scipy|imageio_ffmpeg|sphinx_gallery|myst_nb)"),
    (
        r"py:class",
        r"(Path|ndarray|Figure|Axes|Artist|Tensor|Module|Sphinx|BuildEnvironment|TorchFn|F)",
    ),
]

# -- MyST-NB -----------------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "attrs_inline"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")
nb_execution_raise_on_error = True
nb_execution_timeout = 180
nb_execution_show_tb = True
nb_merge_streams = True
nb_ipywidgets_js: dict[str, dict[str, str]] = {}  # no widget scripts from a CDN
nb_mime_priority_overrides = [("html", "image/svg+xml", 5)]

# -- sphinx-gallery ----------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../gallery",
    "gallery_dirs": "auto_gallery",
    # Callables are named by strings: the config stays picklable, so Sphinx can cache it.
    "subsection_order": [
        f"../gallery/{name}"
        for name in (
            "activations",
            "training",
            "beyond",
            "approximation",
            "initialisation",
            "two_inputs",
        )
        if (ROOT / "gallery" / name).is_dir()
    ],
    "within_subsection_order": "relu_guide.faces.sphinxext.HeaderOrder",  # GALLERY_HEADER.rst says
    "filename_pattern": r"/plot_",  # run every plot_ script
    "ignore_pattern": r"__init__\.py|/_",
    # Figures and relu_guide animations (mp4 + poster), with alt text: relu_guide.faces.sphinxext.
    "image_scrapers": ("relu_guide.faces.sphinxext.scraper",),
    "reset_modules": ("matplotlib", "relu_guide.faces.sphinxext.reset_relu_guide"),
    "capture_repr": ("__repr__",),
    "ignore_repr_types": (
        r"relu_guide\.drawing\.animation\.Animation|matplotlib\.figure\.Figure"
        r"|relu_guide\.core\.claims\.Claim"  # a check at the end of a block: in the ledger
    ),
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("relu_guide",),
    "prefer_full_module": {r"relu_guide\."},  # back-references named as the API pages name them
    "exclude_implicit_doc": {r"relu_guide\.faces\.sphinxext\..*"},
    "remove_config_comments": True,
    "show_memory": False,
    "show_signature": False,
    "min_reported_time": float("inf"),  # no run times in pages: two builds, same pages
    "write_computation_times": False,  # no sg_execution_times pages (they load CDN scripts)
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "download_all_examples": True,
    # Notebooks start in matplotlib's inline mode, so each cell shows the figures it makes.
    "first_notebook_cell": "%matplotlib inline",
    "thumbnail_size": (320, 224),  # shown at 160 x 112: sharp at 2x, light
    "default_thumb_file": None,
    "plot_gallery": "True",
    # Examples run in loky worker processes (started by exec, never forked from a process whose
    # torch threads exist), as many as sphinx-build's -j.
    "parallel": True,
}

# -- API ---------------------------------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autosummary_ignore_module_all = False  # a module's page shows what its __all__ lists
autodoc_default_options = {"members": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_preserve_defaults = False  # True trips on some signatures ("pop from empty list")
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_preprocess_types = False  # types stay text (see nitpick note)
napoleon_use_ivar = True  # Attributes sections as fields, not duplicate object entries
napoleon_use_admonition_for_examples = False
add_module_names = False

# -- HTML --------------------------------------------------------------------------------------
html_theme = "furo"
html_title = "An illustrated guide to ReLUs"
html_static_path = ["_static"]
html_css_files = ["guide.css"]
html_js_files = [("keyboard.js", {"defer": "defer"})]  # relu-media.js: in <head> (page.html)
html_favicon = "_static/favicon.svg"
html_math_renderer = "relu_svg"  # MathJax at build time: inline SVG, no script, no CDN
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "light_css_variables": {
        "color-brand-primary": "#0060a0",
        "color-brand-content": "#0060a0",
    },
    "dark_css_variables": {
        "color-brand-primary": "#56b4e9",
        "color-brand-content": "#56b4e9",
    },
    "navigation_with_keys": True,
}
pygments_style = "a11y-high-contrast-light"  # WCAG AA contrast (axe)
pygments_dark_style = "a11y-high-contrast-dark"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos, .gp, .go"

# -- Publishing --------------------------------------------------------------------------------
# The one place the site's address is set: the sitemap, the social cards (Open Graph) and the
# 404 page use it. CI passes the Pages address; Read the Docs its canonical one.
html_baseurl = (
    os.environ.get("RELU_GUIDE_BASEURL")
    or os.environ.get("READTHEDOCS_CANONICAL_URL")
    or "https://relu-guide.github.io/relu-guide/"
).rstrip("/") + "/"
sitemap_url_scheme = "{link}"
sitemap_excludes = ["404.html", "search.html", "genindex.html"]
# Open Graph (relu_guide.faces.sphinxext.social): the landing figure's thumbnail is the card.
relu_guide_social_image = "_images/sphx_glr_plot_twenty_neurons_thumb.png"
relu_guide_social_image_alt = (
    "A twenty-neuron ReLU network's output, a line of straight pieces, over the target x² on "
    "[-5, 5], and its training loss falling over 1,000 steps."
)
