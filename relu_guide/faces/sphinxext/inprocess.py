"""A notebook executed inside the process that asks: IPython without a kernel, a kernel's outputs.

The build's workers have imported what every chapter imports (torch, numpy, matplotlib,
relu_guide) to run the gallery; :func:`execute` runs a notebook's code cells in one of them,
in an IPython shell of its own, and records what a Jupyter kernel would have sent for each
cell, in the notebook format: text written to ``sys.stdout`` and ``sys.stderr`` as ``stream``
outputs (flushed, as ipykernel flushes them, before a display and at the end of the cell;
stdout first), ``display_data`` (``display()``, MyST-NB's ``glue``), ``execute_result`` (the
value of a cell's last expression, with its execution count), ``clear_output`` and display
updates. Cells are numbered and skipped as nbclient numbers and skips them, and the
notebook's ``language_info`` is the one ipykernel reports. No kernel process, no messages,
no imports again: a chapter costs its own code only.

A notebook starts with the warning filters of a new process (whether a warning shows is an
output). What it changes in the process
is undone after it: its namespace and shell, the working folder, ``sys.path`` and
``sys.modules['__main__']``, matplotlib's settings and the figures it opened, warning filters,
torch's global generator, and the page named by :func:`relu_guide.core.claims.set_source`. Modules it
imports stay imported, as in a kernel forked from a warm process.

A cell that fails, or runs longer than ``timeout`` seconds, makes :func:`execute` return
``None``: MyST-NB then executes the notebook in a kernel of its own while reading it and
reports the error with its traceback. So does a notebook that allows errors (its metadata, a
cell tagged ``raises-exception``), whose error outputs only a kernel formats.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('hi')\\n6 * 7")])
>>> executed = execute(nb, cwd=".", timeout=60)
>>> [(o.output_type, o.get("text") or o.data) for o in executed.cells[0].outputs]
[('stream', 'hi\\n'), ('execute_result', {'text/plain': '42'})]
>>> execute(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")]), ".", 60)
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["execute"]


class _Outputs:
    """One cell's outputs, in the notebook format, in the order a kernel sends them.

    ``displays`` maps display ids to the outputs that show them, over the whole notebook (a
    later cell may update an earlier cell's display).
    """

    def __init__(self, displays: dict[str, list[Any]] | None = None) -> None:
        self.items: list[Any] = []
        self._pending: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self._clear_on_next = False
        self._by_display_id = {} if displays is None else displays

    def write(self, name: str, text: str) -> None:
        self._pending[name].append(text)

    def flush(self) -> None:
        """Pending stream text as outputs: stdout, then stderr (ipykernel's order)."""
        for name, parts in self._pending.items():
            text = "".join(parts)
            parts.clear()
            if not text:
                continue
            last = self.items[-1] if self.items and not self._clear_on_next else None
            if last is not None and last.output_type == "stream" and last.name == name:
                last.text += text  # what arrives in several messages, one output
            else:
                self.add(_new_output("stream", name=name, text=text))

    def add(self, output: Any, display_id: str | None = None) -> None:
        if self._clear_on_next:
            self.items.clear()
            self._clear_on_next = False
        self.items.append(output)
        if display_id:
            self._by_display_id.setdefault(display_id, []).append(output)

    def update(self, display_id: str, data: dict[str, Any], metadata: dict[str, Any]) -> None:
        for output in self._by_display_id.get(display_id, []):
            output.data, output.metadata = data, metadata

    def clear(self, wait: bool) -> None:
        self.flush()
        if wait:
            self._clear_on_next = True
        else:
            self.items.clear()


def _new_output(kind: str, **fields: Any) -> Any:
    from nbformat import v4

    nbformat_v4: Any = v4  # untyped
    return nbformat_v4.new_output(kind, **fields)


class _Stream(io.TextIOBase):
    """``sys.stdout`` or ``sys.stderr`` of a cell: text to its outputs."""

    def __init__(self, outputs: _Outputs, name: str) -> None:
        self._outputs, self.name = outputs, name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._outputs.write(self.name, str(text))
        return len(text)

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "UTF-8"  # as ipykernel's streams say


@functools.cache
def _shell_class() -> Any:
    """An IPython shell whose displays and results go to its ``outputs`` (ipykernel's way)."""
    from ipykernel.jsonutil import encode_images, json_clean
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type

    class Publisher(DisplayPublisher):  # type: ignore[misc]
        def publish(
            self,
            data: dict[str, Any],
            metadata: dict[str, Any] | None = None,
            source: str | None = None,
            *,
            transient: dict[str, Any] | None = None,
            update: bool = False,
            **_kwargs: Any,
        ) -> None:
            outputs = self.shell.outputs
            outputs.flush()
            content = json_clean({"data": encode_images(data), "metadata": metadata or {}})
            display_id = (transient or {}).get("display_id")
            if update:
                if display_id:
                    outputs.update(display_id, content["data"], content["metadata"])
                return
            outputs.add(_new_output("display_data", **content), display_id)

        def clear_output(self, wait: bool = False) -> None:
            self.shell.outputs.clear(wait)

    class Hook(DisplayHook):  # type: ignore[misc]
        content: dict[str, Any] | None = None

        def start_displayhook(self) -> None:
            self.content = None

        def write_output_prompt(self) -> None:
            pass  # a kernel numbers the result instead of printing "Out[1]:"

        def write_format_data(
            self, format_dict: dict[str, Any], md_dict: dict[str, Any] | None = None
        ) -> None:
            self.content = {
                "data": json_clean(encode_images(format_dict)),
                "metadata": json_clean(md_dict or {}),
            }

        def finish_displayhook(self) -> None:
            outputs = self.shell.outputs
            outputs.flush()
            content, self.content = self.content, None
            if content and content["data"]:
                result = _new_output("execute_result", execution_count=self.prompt_count, **content)
                outputs.add(result)

    class Shell(InteractiveShell):  # type: ignore[misc]
        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)

    return Shell


@contextlib.contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeoutError`` in the block after ``seconds`` (main thread, where timers exist)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not seconds or not usable:
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        msg = f"cell still running after {seconds} s"
        raise TimeoutError(msg)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _restored_process(
    cwd: str | os.PathLike[str], env: dict[str, str] | None = None
) -> Iterator[None]:
    """Run the block in ``cwd`` (and ``env``) as a new kernel would; undo what it changed."""
    import matplotlib
    import matplotlib.pyplot as plt

    from relu_guide.core import claims

    folder, path, main = Path.cwd(), list(sys.path), sys.modules.get("__main__")
    environment = dict(os.environ)
    figures, source = set(plt.get_fignums()), claims._source
    torch = sys.modules.get("torch")
    generator = torch.get_rng_state() if torch is not None else None
    try:
        with warnings.catch_warnings(), matplotlib.rc_context():
            _fresh_warning_filters()
            if env is not None:
                os.environ.clear()
                os.environ.update(env)
            os.chdir(cwd)
            yield
    finally:
        os.chdir(folder)
        if os.environ != environment:
            os.environ.clear()
            os.environ.update(environment)
        sys.path[:] = path
        if main is not None:
            sys.modules["__main__"] = main
        for number in set(plt.get_fignums()) - figures:
            plt.close(number)
        claims._source = source
        if torch is not None:
            torch.set_rng_state(generator)


def _fresh_warning_filters() -> None:
    """The warning filters of a new Python process: its defaults, then its ``-W`` options."""
    warnings.resetwarnings()
    if sys.flags.dev_mode:
        warnings.simplefilter("default")
    else:  # each goes first: the reverse of the list a new process has
        for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning):
            warnings.simplefilter("ignore", category)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    process_options = getattr(warnings, "_processoptions", None)  # what Python does at start
    if process_options is not None:
        process_options(sys.warnoptions)


def _allows_errors(notebook: Any) -> bool:
    if notebook.metadata.get("execution", {}).get("allow_errors"):
        return True
    return any("raises-exception" in c.metadata.get("tags", []) for c in notebook.cells)


def execute(
    notebook: Any,
    cwd: str | os.PathLike[str],
    timeout: float | None,
    env: dict[str, str] | None = None,
) -> Any:
    """The notebook executed here, as a kernel started in ``cwd`` would; None if a cell failed.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        Not changed: a copy is executed.
    cwd : str or path
        The working folder of its code.
    timeout : float or None
        Seconds a cell may run (the notebook's ``metadata.execution.timeout`` wins, as in
        jupyter-cache); None or 0: no limit.
    env : dict of str, optional
        The environment variables its code sees (a kernel's are those of the process that
        starts it: pass that process's); default: this process's.

    Returns
    -------
    nbformat.NotebookNode or None
        A copy with every code cell's outputs and execution count, and ipykernel's
        ``language_info``; None if a cell raised or ran out of time, or errors are allowed.

    Raises
    ------
    RuntimeError
        If another IPython shell runs in this process (its displays would go there).
    """
    from ipykernel.ipkernel import IPythonKernel
    from IPython.core.interactiveshell import InteractiveShell

    if _allows_errors(notebook):
        return None
    if InteractiveShell.initialized():
        msg = "cannot execute a notebook inside another IPython shell: use a kernel"
        raise RuntimeError(msg)
    timeout = notebook.metadata.get("execution", {}).get("timeout", timeout)
    nb = copy.deepcopy(notebook)
    nb.metadata["language_info"] = copy.deepcopy(IPythonKernel.language_info)
    cells = [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and c.source.strip()
        and "skip-execution" not in c.metadata.get("tags", [])
    ]  # the cells nbclient executes
    displays: dict[str, list[Any]] = {}
    with _restored_process(cwd, env), _shell() as shell:
        for count, cell in enumerate(cells, start=1):
            shell.outputs = _Outputs(displays)
            with _deadline(timeout), _captured(shell.outputs):
                result = shell.run_cell(cell.source, store_history=True, cell_id=cell.get("id"))
            cell.outputs, cell.execution_count = shell.outputs.items, count
            if not result.success:
                return None
    return nb


@contextlib.contextmanager
def _shell() -> Iterator[Any]:
    """A new shell for the block, the process's IPython instance; gone after it."""
    import atexit

    from ipykernel.compiler import XCachingCompiler
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # no history file, no thread writing it
    # cells named as ipykernel names them (in tracebacks and warnings)
    shell = _shell_class().instance(config=config, compiler_class=XCachingCompiler)
    shell.outputs = _Outputs()
    try:
        yield shell
    finally:
        atexit.unregister(shell.atexit_operations)
        shell.atexit_operations()  # its namespace cleared: the notebook's results freed
        _shell_class().clear_instance()


@contextlib.contextmanager
def _captured(outputs: _Outputs) -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` to ``outputs`` in the block, flushed at its end."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream(outputs, "stdout"), _Stream(outputs, "stderr")
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams
        outputs.flush()
