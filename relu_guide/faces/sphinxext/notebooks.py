"""The guide's notebooks executed side by side, before Sphinx reads them.

MyST-NB (``nb_execution_mode = "cache"``) executes a text notebook when Sphinx reads it, and
Sphinx hands its documents to parallel readers in chunks of neighbours: the guide's chapters,
one folder, land in one chunk and run one after another. At ``builder-inited`` (after the
gallery, whose cached results the chapters read), ``execute_notebooks`` runs every notebook
that is not in MyST-NB's jupyter-cache, ``-j`` at a time (each in its own kernel process, over
IPC sockets), and stores the executed notebooks in that cache exactly as MyST-NB would: when
Sphinx reads a chapter, MyST-NB finds it executed. A notebook whose execution fails is left
alone: MyST-NB executes it again while reading and reports the error with its traceback.
"""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.matching import Matcher

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__: list[str] = []

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


def _ipc_kernel_manager() -> type:
    """A ``KernelManager`` whose kernel talks over unix sockets in a folder of its own."""
    from jupyter_client.manager import KernelManager
    from traitlets import default

    class IPCKernelManager(KernelManager):
        @default("transport")
        def _ipc(self) -> str:
            return "ipc"  # not "running over TCP without encryption"

        @default("ip")
        def _sockets(self) -> str:
            self._socket_dir = tempfile.mkdtemp(prefix="relu-guide-kernel-")
            return str(Path(self._socket_dir) / "kernel")

        def cleanup_resources(self, restart: bool = False) -> None:
            super().cleanup_resources(restart=restart)
            if not restart and getattr(self, "_socket_dir", None):
                shutil.rmtree(self._socket_dir, ignore_errors=True)

    return IPCKernelManager


def _execute(path: Path, notebook: Any, timeout: int) -> tuple[Any, float] | None:
    """Run ``notebook`` in a kernel of its own; ``(executed, seconds)``, or ``None`` on error."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(
        notebook,
        cwd=str(path.parent),
        timeout=timeout,
        allow_errors=False,
        kernel_manager_class=_ipc_kernel_manager(),
    )
    return None if result.err is not None else (result.nb, result.time)


def execute_notebooks(app: Sphinx) -> None:
    """Execute every notebook missing from MyST-NB's cache, ``app.parallel`` at a time."""
    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(config.execution_cache_path)
    todo = []
    for path, reader, notebook in _notebooks(app):
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            todo.append((path, reader, notebook))
    if not todo:
        return
    workers = max(1, min(app.parallel, len(todo)))
    logger.info(
        "[relu_guide] executing %d notebook%s, %d at a time",
        len(todo),
        "" if len(todo) == 1 else "s",
        workers,
    )
    with ThreadPoolExecutor(workers) as pool:
        runs = [pool.submit(_execute, path, nb, config.execution_timeout) for path, _, nb in todo]
        for (path, reader, _), run in zip(todo, runs, strict=True):
            done = run.result()
            if done is None:
                continue  # MyST-NB runs it again while reading, and reports the error
            executed, seconds = done
            record = cache.add_nb_to_project(str(path), read_data=reader.read_fmt)
            cache.cache_notebook_bundle(
                CacheBundleIn(executed, record.uri, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
