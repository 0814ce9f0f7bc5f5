"""Every gallery example and guide notebook run in one pool of workers, longest first.

sphinx-gallery runs the examples of each folder of the gallery in parallel, one folder after
the other: a folder of one example keeps one worker busy while the others wait, and each
folder waits for its slowest example. ``run_together``, at ``builder-inited`` before
sphinx-gallery's own step, hands every example that will run, of every folder, to one pool of
``-j`` loky workers, with sphinx-gallery's own ``generate_file_rst`` (the very function its
workers run). sphinx-gallery then walks its folders as usual, in this process, and gets each
example's result from that run instead of running it again: the pages, thumbnails, downloads,
back-references and error handling are its own.

The guide's notebooks that MyST-NB's cache lacks run in the same pool
(:mod:`relu_guide.faces.sphinxext.notebooks`), examples and notebooks longest first
(:mod:`relu_guide.faces.sphinxext.build_times`), so that the last job to end is a short one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from relu_guide.faces.sphinxext.build_times import known_seconds, longest_first, record_seconds

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__: list[str] = []

logger = logging.getLogger(__name__)

_Key = tuple[str, str]  # (the example's source folder, its file name)


def _examples(app: Sphinx, conf: dict[str, Any]) -> list[tuple[Path, Path, str]]:
    """(source folder, output folder, file name) of every example, as sphinx-gallery names them.

    Its folders: each gallery's root and its subfolders with a gallery header.
    """
    from sphinx_gallery.gen_gallery import get_subsections
    from sphinx_gallery.utils import _collect_gallery_files

    sources, targets = conf["examples_dirs"], conf["gallery_dirs"]
    sources = [sources] if isinstance(sources, str) else list(sources)
    targets = [targets] if isinstance(targets, str) else list(targets)
    root = Path(app.builder.srcdir)
    found = []
    for source, target in zip(sources, targets, strict=False):
        src, out = root / source, root / target
        subsections = get_subsections(root, src, conf)
        folders = [(src, out)] + [(src / sub, out / sub) for sub in subsections]
        found += [(f, t, name) for f, t in folders for name in _collect_gallery_files([f], conf)]
    return found


def _stale(folder: Path, target_dir: Path, name: str) -> bool:
    """Whether sphinx-gallery would run this example (its stored md5 is missing or old)."""
    from sphinx_gallery.gen_rst import get_md5sum

    md5 = target_dir / (name + ".md5")
    return not md5.is_file() or md5.read_text() != get_md5sum(folder / name, mode="t")


def _answering(results: dict[_Key, Any], original: Callable[..., Any]) -> Callable[..., Any]:
    """``generate_file_rst`` that returns the result of an example already run."""

    def generate_file_rst(fname: str, target_dir: Any, src_dir: Any, gallery_conf: Any) -> Any:
        done = results.pop((os.path.normpath(src_dir), str(fname)), None)
        return original(fname, target_dir, src_dir, gallery_conf) if done is None else done

    generate_file_rst.original = original  # type: ignore[attr-defined]
    return generate_file_rst


def _stale_examples(app: Sphinx) -> list[tuple[Path, Path, str]]:
    """The examples sphinx-gallery would run, if it runs them in parallel (else none)."""
    conf = getattr(app.config, "sphinx_gallery_conf", None)
    if not conf or not conf.get("parallel") or str(conf.get("plot_gallery")) == "False":
        return []
    return [e for e in _examples(app, conf) if _stale(*e)]


def run_together(app: Sphinx) -> None:
    """Run every stale example and pending notebook in one pool (see the module)."""
    from relu_guide.faces.sphinxext.notebooks import (
        execute_in_worker,
        pending_notebooks,
        store_notebooks,
    )

    examples = _stale_examples(app)
    conf: dict[str, Any] = getattr(app.config, "sphinx_gallery_conf", None) or {}
    notebooks = pending_notebooks(app) if app.parallel > 1 else None
    if len(examples) < 2 and notebooks is None:
        return  # sphinx-gallery runs a lone example itself
    workers = int(conf["parallel"]) if examples else app.parallel
    for _folder, target_dir, _name in examples:  # as generate_dir_rst makes them
        (target_dir / "images" / "thumb").mkdir(parents=True, exist_ok=True)
    if notebooks is not None:
        n = len(notebooks.jobs)
        logger.info(
            "[relu_guide] executing %d notebook%s, %d at a time, beside the gallery",
            n,
            "" if n == 1 else "s",
            workers,
        )
    from joblib import Parallel, delayed
    from sphinx_gallery import gen_rst

    # (kind, name, function, arguments): what a worker runs, and the name its seconds have
    jobs: list[tuple[str, str, Callable[..., Any], tuple[Any, ...]]] = [
        ("examples", name, gen_rst.generate_file_rst, (name, target, folder, conf))
        for folder, target, name in examples
    ]
    if notebooks is not None:
        env = dict(os.environ)
        jobs += [
            ("notebooks", name, execute_in_worker, (str(path), nb, notebooks.timeout, env))
            for name, (path, _, nb) in zip(notebooks.names, notebooks.jobs, strict=True)
        ]
    known = {
        f"{kind}/{name}": s
        for kind in ("examples", "notebooks")
        for name, s in known_seconds(app, kind).items()
    }
    jobs = longest_first(jobs, known, name=lambda job: f"{job[0]}/{job[1]}")
    start = time.perf_counter()
    run = Parallel(n_jobs=workers, backend="loky", batch_size=1, pre_dispatch="n_jobs")
    done = run(delayed(function)(*args) for _kind, _name, function, args in jobs)
    _stop_workers()
    seconds = time.perf_counter() - start
    if notebooks is not None:
        executed = {
            name: r for (kind, name, _, _), r in zip(jobs, done, strict=True) if kind == "notebooks"
        }
        store_notebooks(notebooks, [executed[name] for name in notebooks.names])
    if examples:
        ran = {
            (os.path.normpath(args[2]), name): r
            for (kind, name, _, args), r in zip(jobs, done, strict=True)
            if kind == "examples"
        }
        _answer_examples(app, conf, ran, seconds)


def _answer_examples(
    app: Sphinx, conf: dict[str, Any], results: dict[_Key, Any], seconds: float
) -> None:
    """Hand sphinx-gallery the examples' results; it then runs nothing more itself."""
    from sphinx_gallery import gen_rst

    logger.info("[relu_guide] ran %d examples together in %.0f s", len(results), seconds)
    record_seconds("examples", {n: r[2][0] for (_f, n), r in results.items()})
    gen_rst.generate_file_rst = _answering(results, gen_rst.generate_file_rst)
    app._relu_guide_parallel = conf["parallel"]  # type: ignore[attr-defined]
    conf["parallel"] = False  # nothing left to run: sphinx-gallery stays in this process


def _stop_workers() -> None:
    """Stop joblib's workers, idle from now on: the build then exits about a second sooner
    (left alive, they are stopped at exit, one after the other)."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor(reuse=True).shutdown(wait=True, kill_workers=True)


def restore_sphinx_gallery(app: Sphinx) -> None:
    """After sphinx-gallery's step: its own ``generate_file_rst`` and ``parallel`` back."""
    from sphinx_gallery import gen_rst

    original = getattr(gen_rst.generate_file_rst, "original", None)
    if original is not None:
        gen_rst.generate_file_rst = original
    parallel = getattr(app, "_relu_guide_parallel", None)
    if parallel is not None:
        app.config.sphinx_gallery_conf["parallel"] = parallel
        del app._relu_guide_parallel  # type: ignore[attr-defined]
