"""Every study of the guide computed first, on every core, before the gallery and the pages read it.

The gallery runs its examples in parallel within one subsection at a time, and the guide's
pages run two at a time after it; a study that one of them computes keeps one core busy while
the other may wait (a subsection of one example, two pages that need the same study at once).
At ``builder-inited``, before the gallery, ``compute_studies`` runs every registered study
(:data:`relu_guide.studies.specs.STUDIES` and
:data:`relu_guide.studies.chapter_specs.CHAPTER_STUDIES`) that is not in the cache yet,
``-j`` at a time in loky worker processes (started by exec, never forked: safe with torch's
threads), longest first (:mod:`relu_guide.faces.sphinxext.build_times`). Examples and pages
then read every study from the cache (:mod:`relu_guide.studies.cache`), computed once.

Without a cache folder there is nothing to share, and nothing is computed ahead. Once every
study of a package source is in its cache folder, a file there says so
(``COMPLETE_FILE``): later builds of the same source skip the check, and the import of
every study's module (torch among them) that it needs.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from relu_guide.faces.sphinxext.build_times import known_seconds, longest_first, record_seconds
from relu_guide.studies.cache import CACHE_ENV, cache_folder, is_cached

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from relu_guide.studies.specs import Study

__all__: list[str] = []

logger = logging.getLogger(__name__)

#: In a cache folder: every registered study of that package source is stored there.
COMPLETE_FILE = "all_studies_stored"


def _registry() -> dict[str, Study]:
    from relu_guide.studies.chapter_specs import CHAPTER_STUDIES
    from relu_guide.studies.specs import STUDIES

    return {**STUDIES, **CHAPTER_STUDIES}


def _run(name: str) -> tuple[str, float]:
    """Compute (and cache) one study in a worker; its name and seconds."""
    start = time.perf_counter()
    _registry()[name].run()
    return name, time.perf_counter() - start


def _import_studies() -> None:
    """In a worker: import every study's module (torch among them), and nothing else."""
    _registry()


def _complete_file(app: Sphinx) -> Path | None:
    """Where to record that every study is stored; None if there is nothing to compute."""
    folder = cache_folder()
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    if folder is None or str(conf.get("plot_gallery", "True")) == "False":
        return None
    complete = folder / COMPLETE_FILE
    return None if complete.is_file() else complete


def start_workers(app: Sphinx, config: Config) -> None:
    """When studies are missing, start the workers as soon as the configuration is read.

    Each imports the studies (about two seconds: torch) while this process loads the rest of
    Sphinx and imports them too, instead of after it; :func:`compute_studies` then hands the
    studies to these workers (joblib reuses its pool), and the gallery after it.
    """
    if app.parallel < 2 or _complete_file(app) is None:
        return
    from joblib import Parallel, delayed

    warming = Parallel(n_jobs=app.parallel, backend="loky", return_as="generator_unordered")
    app._relu_guide_warming = warming(  # type: ignore[attr-defined]
        delayed(_import_studies)() for _ in range(app.parallel)
    )  # running already: joblib dispatches a generator's first tasks at once


def compute_studies(app: Sphinx) -> None:
    """Compute the studies missing from the cache, ``app.parallel`` at a time, longest first."""
    warming = getattr(app, "_relu_guide_warming", None)
    if warming is not None:
        del app._relu_guide_warming  # type: ignore[attr-defined]
        list(warming)  # the workers are ready (and a failed import is raised here)
    complete = _complete_file(app)
    if complete is None:
        return
    todo = [n for n, s in _registry().items() if not is_cached(s.function, **s.kwargs)]
    if not todo:
        complete.touch()
        return
    todo = longest_first(todo, known_seconds(app, "studies"))
    workers = max(1, min(app.parallel, len(todo)))
    logger.info(
        "[relu_guide] computing %d stud%s, %d at a time (cached in $%s)",
        len(todo),
        "y" if len(todo) == 1 else "ies",
        workers,
        CACHE_ENV,
    )
    if workers == 1:
        done = [_run(n) for n in todo]
    else:
        from joblib import Parallel, delayed

        # batch_size=1: each worker takes the next study when it is free.
        run = Parallel(n_jobs=workers, backend="loky", batch_size=1)
        done = list(run(delayed(_run)(n) for n in todo))
    record_seconds("studies", dict(done))
    complete.touch()
