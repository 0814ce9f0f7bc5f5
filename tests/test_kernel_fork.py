"""Notebook kernels forked from a warm server: the same outputs as a cold kernel, no leftovers."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

from relu_guide.faces.sphinxext import notebooks
from relu_guide.faces.sphinxext.notebooks import FORK_SCRIPT, KernelServer

V4: Any = nbformat.v4  # untyped
pytestmark = pytest.mark.skipif(not KernelServer.available(), reason="needs fork")

CELLS = [
    "import os, sys\nprint(os.getcwd(), 'colorsys' in sys.modules)\nprint(sys.path)",
    "from IPython.display import display\ndisplay({'text/plain': 'shown'}, raw=True)\n6 * 7",
]


def _outputs(executed: nbformat.NotebookNode) -> list[list[dict[str, object]]]:
    return [[dict(o) for o in cell.outputs] for cell in executed.cells]


def test_a_forked_kernel_runs_a_notebook_as_a_cold_one_does(tmp_path: Path) -> None:
    def notebook() -> Any:  # executing fills in the notebook given
        return V4.new_notebook(cells=[V4.new_code_cell(c) for c in CELLS])

    page = tmp_path / "page.md"
    cold = notebooks._execute(page, notebook(), 60, None)
    with KernelServer(["ipykernel.kernelapp", "colorsys"]) as server:
        forked = notebooks._execute(page, notebook(), 60, server)
    assert forked is not None
    assert cold is not None
    first, second = _outputs(forked[0])
    cold_first, cold_second = _outputs(cold[0])
    here, path = str(first[0]["text"]).splitlines()
    cold_here, cold_path = str(cold_first[0]["text"]).splitlines()
    folder = str(tmp_path.resolve())
    assert (here, cold_here) == (f"{folder} True", f"{folder} False")  # only the preload differs
    assert path == cold_path  # the same import path
    assert second == cold_second  # display data and the result, as a cold kernel gives them
    assert second[-1]["data"] == {"text/plain": "42"}


def test_a_failing_cell_fails_the_notebook(tmp_path: Path) -> None:
    nb = V4.new_notebook(cells=[V4.new_code_cell("1 / 0")])
    with KernelServer(["ipykernel.kernelapp"]) as server:
        assert notebooks._execute(tmp_path / "page.md", nb, 60, server) is None


def test_the_launcher_forwards_signals_and_returns_the_kernel_status(tmp_path: Path) -> None:
    """A kernel killed through its launcher ends; the launcher exits with its status."""
    connection = tmp_path / "kernel.json"
    with KernelServer(["ipykernel.kernelapp"]) as server:
        launcher = subprocess.Popen(
            [sys.executable, str(FORK_SCRIPT), "launch", server.path, "-f", str(connection)],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(600):  # the kernel writes its connection file once it listens
            if connection.is_file() and connection.stat().st_size:
                break
            time.sleep(0.05)
        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(timeout=60) != 0


def test_leaving_the_server_stops_it_and_its_kernels(tmp_path: Path) -> None:
    connection = tmp_path / "kernel.json"
    server = KernelServer(["ipykernel.kernelapp"])
    with server:
        launcher = subprocess.Popen(
            [sys.executable, str(FORK_SCRIPT), "launch", server.path, "-f", str(connection)],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(600):
            if connection.is_file() and connection.stat().st_size:
                break
            time.sleep(0.05)
        assert launcher.poll() is None  # the kernel runs
    assert launcher.wait(timeout=60) != 0  # the server took its kernel with it
    assert not Path(server.path).exists()


def test_the_server_stops_though_a_forked_process_holds_its_input_open() -> None:
    """A process forked while the server runs (sphinx-sitemap starts a ``multiprocessing``
    manager at ``builder-inited``) inherits the writing end of the server's input; the server
    must stop when the block ends anyway (it used to wait for an end of file that never came,
    and the build hung)."""
    import multiprocessing

    holder = multiprocessing.get_context("fork").Process(target=time.sleep, args=(120,))
    server = KernelServer(["json"])
    with server:
        holder.start()
    try:
        process = server._process
        assert process is None  # left, and waited for: the block's end did not hang
        assert not Path(server.path).exists()
    finally:
        holder.kill()
        holder.join()


def test_the_server_stops_when_its_parent_dies(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(Path(__file__).parents[1])!r})\n"
        "from relu_guide.faces.sphinxext.notebooks import KernelServer\n"
        "server = KernelServer(['json']).__enter__()\n"
        "print(server._process.pid, server.path, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pid_text, path = parent.stdout.readline().split()
    pid = int(pid_text)
    parent.stdout.close()
    parent.kill()
    parent.wait()
    for _ in range(200):  # it notices within a select timeout (50 ms)
        if not Path(f"/proc/{pid}").exists() or "Z" in _state(pid):
            break
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists() or "Z" in _state(pid)
    assert not Path(path).parent.exists()  # nobody else would remove its folder


def _state(pid: int) -> str:
    try:
        return next(
            line
            for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            if line.startswith("State:")
        )
    except OSError:
        return "gone"


def test_the_script_says_how_to_use_it() -> None:
    done = subprocess.run(
        [sys.executable, str(FORK_SCRIPT)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stderr.startswith("usage: kernel_fork.py serve SOCKET")
