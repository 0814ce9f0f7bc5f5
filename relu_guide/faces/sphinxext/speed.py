"""No work done twice, no core idle: a rebuild with nothing changed runs nothing it ran before.

Two steps of a rebuild cost seconds while producing nothing new:

- sphinx-gallery starts its worker processes (``parallel``) even when every example is
  current and none will run; ``serial_when_current`` turns ``parallel`` off for such a build.
- autosummary imports and parses every module of the package at every build to write stub
  pages it already wrote. ``skip_unchanged_autosummary`` runs it only when its inputs changed:
  the package source, the templates or any source document (a sha256 of all of them, stored
  in the doctree folder by the last successful build). When it runs, it runs in a thread of
  the main process from before the studies on, while the workers compute: in its own place,
  after the gallery, it kept one core busy for two to three seconds while the other waited.
- sphinx-gallery imports matplotlib and pyplot when it reads its configuration (half a
  second), only to select the Agg backend. ``defer_matplotlib`` selects it through
  ``MPLBACKEND`` instead: the examples' processes import matplotlib when they run (sphinx-gallery
  then checks the backend there), and a build that runs none never imports it.

And one step leaves a core idle: with ``-j N`` Sphinx writes pages in ``N - 1`` processes,
keeping the main one for resolving each page's references before handing it over; on two
cores that is one writer, and the main process soon waits for it (a clean build's last 14 s,
on one core). ``write_on_every_core`` writes in ``N`` processes.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relu_guide.faces.sphinxext.cache import _gallery_dirs
from relu_guide.studies.cache import PACKAGE_DIR, source_hash

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__: list[str] = []

AUTOSUMMARY_KEY_FILE = "relu_guide_autosummary.sha256"


def _stale_examples(app: Sphinx) -> int:
    """Examples sphinx-gallery will run: those whose source differs from its stored md5."""
    from sphinx_gallery.gen_rst import get_md5sum

    conf = app.config.sphinx_gallery_conf
    sources = conf.get("examples_dirs", [])
    sources = [sources] if isinstance(sources, str) else sources
    ignored = re.compile(conf.get("ignore_pattern", r"__init__\.py"))
    stale = 0
    for src, out in zip(sources, _gallery_dirs(app), strict=False):
        src_dir = Path(app.srcdir, src)
        for script in src_dir.rglob("*.py"):
            if ignored.search(str(script)):
                continue
            md5 = out / script.relative_to(src_dir)
            md5 = md5.with_name(md5.name + ".md5")
            if not md5.is_file() or md5.read_text() != get_md5sum(script, mode="t"):
                stale += 1
    return stale


def serial_when_current(app: Sphinx) -> None:
    """No gallery worker processes when no example is going to run."""
    conf = getattr(app.config, "sphinx_gallery_conf", None)
    if conf and conf.get("parallel") and not _stale_examples(app):
        conf["parallel"] = False


def _autosummary_key(app: Sphinx) -> str:
    digest = hashlib.sha256(
        source_hash(app.config.relu_guide_source_dirs or [PACKAGE_DIR]).encode()
    )
    templates = [Path(app.confdir, t) for t in app.config.templates_path]
    docs = [app.env.doc2path(d) for d in sorted(app.env.found_docs)]
    for path in [*sorted(p for t in templates for p in t.rglob("*") if p.is_file()), *docs]:
        if any(part in {"auto_gallery", "_build"} for part in Path(path).parts):
            continue
        digest.update(str(path).encode() + b"\0")
        digest.update(Path(path).read_bytes() if Path(path).is_file() else b"")
    return digest.hexdigest()


#: Where the build keeps autosummary's thread between its start and its end.
_AUTOSUMMARY_THREAD = "_relu_guide_autosummary"


def skip_unchanged_autosummary(app: Sphinx) -> None:
    """Replace autosummary's ``builder-inited`` step by one that runs only on a change, in a
    thread started before the studies and waited for in autosummary's own place."""
    from sphinx.ext.autosummary import process_generate_options

    for listener in list(app.events.listeners.get("builder-inited", [])):
        if listener.handler is not process_generate_options:
            continue
        app.disconnect(listener.id)

        def start(app: Sphinx) -> None:
            stored = Path(app.doctreedir, AUTOSUMMARY_KEY_FILE)
            if stored.is_file() and stored.read_text().strip() == _autosummary_key(app):
                return
            errors: list[BaseException] = []

            def generate() -> None:
                try:
                    process_generate_options(app)
                except BaseException as error:  # raised again by finish, in the main thread
                    errors.append(error)

            thread = threading.Thread(target=generate, name="relu-guide-autosummary")
            thread.start()
            setattr(app, _AUTOSUMMARY_THREAD, (thread, errors))

        def finish(app: Sphinx) -> None:
            started = getattr(app, _AUTOSUMMARY_THREAD, None)
            if started is None:
                return
            delattr(app, _AUTOSUMMARY_THREAD)
            thread, errors = started
            thread.join()
            if errors:
                raise errors[0]

        app.connect("builder-inited", start, priority=min(listener.priority, 440))
        app.connect("builder-inited", finish, priority=listener.priority)
        app.connect("build-finished", _store_autosummary_key)


def _store_autosummary_key(app: Sphinx, exception: Any) -> None:
    if exception is None:
        Path(app.doctreedir, AUTOSUMMARY_KEY_FILE).write_text(_autosummary_key(app) + "\n")


def defer_matplotlib(app: Sphinx) -> None:
    """sphinx-gallery's Agg backend chosen through ``MPLBACKEND``, without importing matplotlib."""
    from sphinx_gallery import gen_gallery

    original = gen_gallery._import_matplotlib
    if getattr(original, "deferred", False):
        return

    def select_agg() -> Any:
        if "matplotlib" in sys.modules:  # imported already: as sphinx-gallery does
            return original()
        os.environ["MPLBACKEND"] = "agg"
        return None, None

    select_agg.deferred = True  # type: ignore[attr-defined]
    gen_gallery._import_matplotlib = select_agg


def write_on_every_core(app: Sphinx) -> None:
    """Write pages in ``app.parallel`` processes, not Sphinx's ``app.parallel - 1``."""
    builder: Any = app.builder
    serial_or_spare = builder.write_documents

    def write_documents(docnames: Any) -> None:
        if builder.parallel_ok and app.parallel > 1:
            builder._write_parallel(sorted(docnames), nproc=app.parallel)
        else:
            serial_or_spare(docnames)

    builder.write_documents = write_documents
