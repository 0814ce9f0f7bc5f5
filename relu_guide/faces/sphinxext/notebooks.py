"""The guide's notebooks executed beside the gallery's examples, before Sphinx reads them.

MyST-NB (``nb_execution_mode = "cache"``) executes a text notebook when Sphinx reads it, in a
kernel of its own, and Sphinx hands its documents to parallel readers in chunks of neighbours:
the guide's chapters, one folder, land in one chunk and run one after another. At
``builder-inited``, once the studies the chapters read are computed, :func:`pending_notebooks`
lists every notebook that is not in MyST-NB's jupyter-cache; they run in the pool of workers
that runs the gallery's examples (:mod:`relu_guide.faces.sphinxext.examples`), ``-j`` at a
time, longest first, each by :func:`execute_in_worker`; :func:`store_notebooks` then stores the
executed notebooks in that cache exactly as MyST-NB would, so that MyST-NB finds every chapter
executed. A run that a chapter and an example both need is computed once, by whichever asks
first (:mod:`relu_guide.studies.cache` locks it).

A worker has imported what every chapter imports (torch, numpy, matplotlib, relu_guide) for
the examples, so a notebook runs there in an IPython shell without a kernel
(:mod:`relu_guide.faces.sphinxext.inprocess`: the outputs a kernel sends, byte for byte on
the guide's chapters), costing its own code only: a kernel, even forked from a warm process,
cost about a CPU-second per chapter more, and the process it was forked from three. A notebook
whose execution fails is left alone: MyST-NB executes it again in a kernel while reading, and
reports the error with its traceback.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.matching import Matcher

from relu_guide.faces.sphinxext.build_times import record_seconds

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["Pending", "execute_in_worker", "pending_notebooks", "store_notebooks"]

logger = logging.getLogger(__name__)


def _notebooks(app: Sphinx) -> list[tuple[Path, Any, Any]]:
    """(path, reader, notebook) of every MyST-NB text notebook among the sources."""
    from myst_nb.core.read import create_nb_reader, is_myst_markdown_notebook

    env: Any = app.env  # MyST's configurations live on the environment
    excluded = Matcher([*app.config.exclude_patterns, "_build/**", "**/.*/**"])
    found = []
    for path in sorted(Path(app.srcdir).rglob("*.md")):
        if excluded(path.relative_to(app.srcdir).as_posix()):
            continue
        text = path.read_text(encoding="utf-8")
        if not is_myst_markdown_notebook(text):
            continue
        reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, text)
        if reader is not None:
            found.append((path, reader, reader.read(text)))
    return found


def _mystnb_config(app: Sphinx) -> Any:
    """MyST-NB's configuration, made now if MyST-NB's own ``builder-inited`` step is to come."""
    if "myst_nb" not in app.extensions:
        return None
    if getattr(app.env, "mystnb_config", None) is None:
        from myst_nb.sphinx_ext import create_mystnb_config
        from myst_parser.sphinx_ext.main import create_myst_config

        create_myst_config(app)  # both steps again later: the same configurations
        create_mystnb_config(app)
    return app.env.mystnb_config


@dataclass(frozen=True)
class Pending:
    """The notebooks of a build that MyST-NB's cache lacks, and what storing them needs.

    Attributes
    ----------
    cache : jupyter_cache.base.JupyterCacheAbstract
        MyST-NB's cache.
    jobs : list of (path, reader, notebook)
        Each notebook's source, MyST-NB's reader of it and the notebook it read.
    timeout : int or None
        Seconds a cell may run (``nb_execution_timeout``).
    names : list of str
        Each notebook's source relative to the source folder (``guide/01-linear.md``).
    """

    cache: Any
    jobs: list[tuple[Path, Any, Any]]
    timeout: Any
    names: list[str]


def pending_notebooks(app: Sphinx) -> Pending | None:
    """The notebooks missing from MyST-NB's cache (None if there are none, or MyST-NB does not
    cache executed notebooks)."""
    config = _mystnb_config(app)
    if config is None or config.execution_mode != "cache":
        return None
    from jupyter_cache import get_cache

    cache = get_cache(config.execution_cache_path)
    todo = []
    for path, reader, notebook in _notebooks(app):
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            todo.append((path, reader, notebook))
    if not todo:
        return None
    names = [path.relative_to(app.srcdir).as_posix() for path, _, _ in todo]
    return Pending(cache, todo, config.execution_timeout, names)


def execute_in_worker(
    path: str, notebook: Any, timeout: Any, env: dict[str, str]
) -> tuple[Any, float]:
    """In a worker: ``notebook`` executed in its folder with the build's environment variables
    ``env`` (a worker started before the build set some: the ledger's folder);
    ``(executed or None, seconds)``."""
    from relu_guide.faces.sphinxext.inprocess import execute

    start = time.perf_counter()
    executed = execute(notebook, Path(path).parent, timeout, env)
    return executed, time.perf_counter() - start


def store_notebooks(pending: Pending, results: list[tuple[Any, float]]) -> None:
    """Store each executed notebook in MyST-NB's cache, as MyST-NB would, and its seconds."""
    from jupyter_cache.base import CacheBundleIn

    seconds = {}
    for name, (path, reader, _), (executed, took) in zip(
        pending.names, pending.jobs, results, strict=True
    ):
        if executed is None:
            continue  # MyST-NB runs it again while reading, and reports the error
        seconds[name] = took
        record = pending.cache.add_nb_to_project(str(path), read_data=reader.read_fmt)
        pending.cache.cache_notebook_bundle(
            CacheBundleIn(executed, record.uri, data={"execution_seconds": took}),
            check_validity=False,
            overwrite=True,
        )
    record_seconds("notebooks", seconds)
