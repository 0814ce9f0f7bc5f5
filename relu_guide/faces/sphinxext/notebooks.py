"""The guide's notebooks executed side by side, before Sphinx reads them.

MyST-NB (``nb_execution_mode = "cache"``) executes a text notebook when Sphinx reads it, and
Sphinx hands its documents to parallel readers in chunks of neighbours: the guide's chapters,
one folder, land in one chunk and run one after another. At ``builder-inited``, once the
studies the chapters read are computed, ``start_notebooks`` runs every notebook that is not in
MyST-NB's jupyter-cache, ``-j`` at a time, longest first
(:mod:`relu_guide.faces.sphinxext.build_times`; each in its own kernel process, over IPC sockets),
beside the gallery's examples, and stores the executed notebooks in that cache exactly as
MyST-NB would; ``finish_notebooks`` waits for them before Sphinx reads a page, so MyST-NB finds
every chapter executed. A run that a chapter and an example both need is computed once, by
whichever asks first (:mod:`relu_guide.studies.cache` locks it). A notebook whose execution
fails is left alone: MyST-NB executes it again while reading and reports the error with its
traceback.

Each kernel is a process of its own, as MyST-NB's would be, but not a cold one: starting a
kernel and importing what every chapter imports (ipykernel, torch, numpy, matplotlib,
relu_guide) cost about 3 CPU-seconds per notebook. On Linux the kernels are forked from one
process that imported those once (:data:`PRELOAD`; ``kernel_fork.py`` beside this module,
``KernelServer`` here); elsewhere, or if that server cannot start, they start cold.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.matching import Matcher

from relu_guide.faces.sphinxext.build_times import known_seconds, longest_first, record_seconds

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["PRELOAD", "KernelServer"]

#: What the forked kernels have imported before their first cell: the kernel itself and what
#: the guide's chapters import (a module missing here is imported by the cell, as usual).
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "myst_nb.ext.glue",
    "numpy",
    "torch",
    "matplotlib.pyplot",
    "relu_guide.core.analysis",
    "relu_guide.core.claims",
    "relu_guide.core.piecewise",
    "relu_guide.faces.notebook",
    "relu_guide.studies.chapter_specs",
    "relu_guide.studies.specs",
)
FORK_SCRIPT = Path(__file__).with_name("kernel_fork.py")

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


class KernelServer:
    """The process notebook kernels are forked from, for the duration of a ``with`` block.

    It imports ``modules`` once; the kernels the notebooks of this module start with it are
    forked from it. Leaving the block (or the server's parent dying) stops it and any kernel
    still running. ``KernelServer.available()`` says whether this platform can fork them.

    Examples
    --------
    >>> with KernelServer(["json"]) as server:
    ...     Path(server.path).exists()
    True
    >>> Path(server.path).exists()
    False
    """

    def __init__(self, modules: tuple[str, ...] | list[str] = PRELOAD) -> None:
        self.modules = list(modules)
        self._folder = tempfile.mkdtemp(prefix="relu-guide-kernels-")
        self.path = str(Path(self._folder) / "server")
        self._process: subprocess.Popen[str] | None = None

    @staticmethod
    def available() -> bool:
        """Linux-like: ``fork``, unix sequenced-packet sockets and passing descriptors."""
        return all(
            (hasattr(os, "fork"), hasattr(socket, "send_fds"), hasattr(socket, "SOCK_SEQPACKET"))
        )

    def __enter__(self) -> KernelServer:
        command = [sys.executable, str(FORK_SCRIPT), "serve", self.path, *self.modules]
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        if self._process.stdout.readline().strip() != "ready":
            self.__exit__()
            msg = f"the kernel server did not start: {' '.join(command)}"
            raise RuntimeError(msg)
        return self

    def __exit__(self, *_exc: object) -> None:
        process, self._process = self._process, None
        if process is not None:
            assert process.stdin is not None
            assert process.stdout is not None
            # A line tells it to stop, killing kernels still running. The end of its input is
            # not enough: a process forked since (sphinx-sitemap's manager) holds the pipe open.
            with contextlib.suppress(OSError):  # it may have stopped already
                process.stdin.write("stop\n")
                process.stdin.close()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()
        shutil.rmtree(self._folder, ignore_errors=True)


def _ipc_kernel_manager(server: KernelServer | None = None) -> type:
    """A ``KernelManager`` whose kernel talks over unix sockets in a folder of its own.

    With a running ``server``, the kernel is forked from it (see :class:`KernelServer`).
    """
    from jupyter_client.manager import KernelManager
    from traitlets import default

    class IPCKernelManager(KernelManager):
        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            command: list[str] = super().format_kernel_cmd(extra_arguments)
            if server is None:
                return command
            connection = os.path.realpath(self.connection_file)
            return [sys.executable, str(FORK_SCRIPT), "launch", server.path, "-f", connection]

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


def _execute(
    path: Path, notebook: Any, timeout: int, server: KernelServer | None = None
) -> tuple[Any, float] | None:
    """Run ``notebook`` in a kernel of its own; ``(executed, seconds)``, or ``None`` on error."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(
        notebook,
        cwd=str(path.parent),
        timeout=timeout,
        allow_errors=False,
        kernel_manager_class=_ipc_kernel_manager(server),
    )
    return None if result.err is not None else (result.nb, result.time)


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


#: Where the build keeps the thread executing the notebooks, between start and finish.
_THREAD = "_relu_guide_notebooks"


def start_notebooks(app: Sphinx) -> None:
    """Start executing the notebooks missing from MyST-NB's cache, ``app.parallel`` at a time.

    Connected to ``builder-inited`` after the studies are computed and before the gallery
    runs: the notebooks execute beside the gallery's examples (a thread of this process
    drives their kernels), filling the cores the gallery leaves idle between its folders.
    :func:`finish_notebooks` waits for them before Sphinx reads any page.
    """
    config = _mystnb_config(app)
    if config is None or config.execution_mode != "cache":
        return
    from jupyter_cache import get_cache

    cache = get_cache(config.execution_cache_path)
    todo = []
    for path, reader, notebook in _notebooks(app):
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            todo.append((path, reader, notebook))
    if not todo:
        return

    def name(job: tuple[Path, Any, Any]) -> str:
        return job[0].relative_to(app.srcdir).as_posix()

    todo = longest_first(todo, known_seconds(app, "notebooks"), name=name)
    workers = max(1, min(app.parallel, len(todo)))
    logger.info(
        "[relu_guide] executing %d notebook%s, %d at a time, beside the gallery",
        len(todo),
        "" if len(todo) == 1 else "s",
        workers,
    )
    errors: list[BaseException] = []

    def run() -> None:
        try:
            seconds = _execute_all(cache, todo, workers, config.execution_timeout)
            record_seconds(
                "notebooks", {name(job): seconds[job[0]] for job in todo if job[0] in seconds}
            )
        except BaseException as error:  # raised again by finish_notebooks, in the main thread
            errors.append(error)

    thread = threading.Thread(target=run, name="relu-guide-notebooks", daemon=True)
    thread.start()
    setattr(app, _THREAD, (thread, errors))


def finish_notebooks(app: Sphinx) -> None:
    """Wait for the notebooks :func:`start_notebooks` started (``builder-inited``, last)."""
    started = getattr(app, _THREAD, None)
    if started is None:
        return
    delattr(app, _THREAD)
    thread, errors = started
    thread.join()
    if errors:
        raise errors[0]


def _execute_all(
    cache: Any, todo: list[tuple[Path, Any, Any]], workers: int, timeout: int
) -> dict[Path, float]:
    """Run ``todo``'s notebooks, ``workers`` at a time, and store them in MyST-NB's cache;
    the seconds each one that ran without error took."""
    from jupyter_cache.base import CacheBundleIn

    with contextlib.ExitStack() as stack:
        server = None
        if KernelServer.available():
            try:
                server = stack.enter_context(KernelServer())
            except (OSError, RuntimeError) as error:  # cold kernels: slower, the same results
                logger.info("[relu_guide] notebook kernels start cold: %s", error)
        pool = stack.enter_context(ThreadPoolExecutor(workers))
        runs = [pool.submit(_execute, path, nb, timeout, server) for path, _, nb in todo]
        times: dict[Path, float] = {}
        for (path, reader, _), done_run in zip(todo, runs, strict=True):
            done = done_run.result()
            if done is None:
                continue  # MyST-NB runs it again while reading, and reports the error
            executed, times[path] = done
            record = cache.add_nb_to_project(str(path), read_data=reader.read_fmt)
            cache.cache_notebook_bundle(
                CacheBundleIn(executed, record.uri, data={"execution_seconds": times[path]}),
                check_validity=False,
                overwrite=True,
            )
    return times
