"""autosummary's stub pages: written in a thread while the build goes on, and only on a change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONF = """
import threading
from pathlib import Path

extensions = ["sphinx.ext.autosummary", "relu_guide.faces.sphinxext"]
autosummary_generate = True


def _where(app, *args):  # autosummary (and autodoc, reading) ask this of every member
    with Path(app.confdir, "threads.txt").open("a") as log:
        log.write(threading.current_thread().name + "\\n")


def setup(app):
    app.connect("autodoc-skip-member", _where)
"""
INDEX = """Index
=====

.. autosummary::
   :toctree: generated

   colorsys
"""


def _build(src: Path) -> None:
    cmd = [sys.executable, "-m", "sphinx", "-W", "-b", "html", str(src), str(src / "_build")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_stubs_are_written_in_a_thread_and_only_on_a_change(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text(CONF)
    (tmp_path / "index.rst").write_text(INDEX)
    _build(tmp_path)
    stub = tmp_path / "generated" / "colorsys.rst"
    assert stub.is_file()
    assert _threads(tmp_path) == {"relu-guide-autosummary"}  # not the main thread
    html = (tmp_path / "_build" / "index.html").read_text()
    assert "generated/colorsys.html" in html  # the pages were read after the stubs existed
    written = stub.stat().st_mtime_ns
    _build(tmp_path)  # nothing it reads changed: autosummary does not run
    assert "relu-guide-autosummary" not in _threads(tmp_path)
    assert stub.stat().st_mtime_ns == written
    (tmp_path / "index.rst").write_text(INDEX + "\nA change.\n")
    _build(tmp_path)  # a source changed: it runs again
    assert "relu-guide-autosummary" in _threads(tmp_path)


def _threads(folder: Path) -> set[str]:
    """The threads that asked about members since the last call."""
    log = folder / "threads.txt"
    if not log.exists():
        return set()
    names = set(log.read_text().split())
    log.unlink()
    return names
