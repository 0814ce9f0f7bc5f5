"""The gallery's downloads work as its pages do.

Every ``.ipynb`` sphinx-gallery made is executed headless (nbclient, a fresh kernel with
matplotlib's inline backend, as Jupyter runs it) and must display as many figures and videos
as the example's page shows; every ``.py`` runs with plain ``python``. Needs the built site
(``nox -s docs``): the counts are read from its pages.

The notebooks and the scripts read their training runs and studies from the build's cache
(``RELU_GUIDE_CACHE``: the same package source, so the same results). The docs build computed
each of them from scratch with the very functions and arguments a download calls, and
``tests/test_cache.py`` checks that without the cache a result is computed, not read; what is
checked here is that each download runs outside Sphinx and shows what its page shows. Computing
every study a second time here took most of these checks' time.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from built_site import ROOT, SITE, require_site

pytestmark = pytest.mark.site

GALLERY = ROOT / "docs" / "auto_gallery"
BUILD_CACHE = ROOT / "docs" / "_build" / ".relu_guide_cache"


def _examples() -> list[Path]:
    return sorted(GALLERY.rglob("plot_*.ipynb"))


def _page_outputs(notebook: Path) -> tuple[int, int]:
    """Figures and videos the example's page shows (each once, whatever its variants)."""
    page = SITE / notebook.relative_to(ROOT / "docs").with_suffix(".html")
    html = page.read_text(encoding="utf-8")
    figures = len(re.findall(r'<picture class="relu-picture(?: relu-only-light)?">', html))
    videos = len(re.findall(r"<video [^>]*data-light-src=", html))
    return figures, videos


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env["RELU_GUIDE_CACHE"] = str(BUILD_CACHE)
    env.pop("MPLBACKEND", None)  # Jupyter's inline backend, as a reader's notebook has
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def test_there_are_downloads() -> None:
    require_site()
    assert len(_examples()) >= 10, _examples()
    for nb in _examples():
        assert nb.with_suffix(".py").is_file(), f"{nb.name} has no .py twin"


@pytest.mark.parametrize("notebook", _examples(), ids=lambda p: p.stem)
def test_notebook_shows_what_its_page_shows(
    notebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from nbclient import NotebookClient

    require_site()
    for key, value in _kernel_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.read(notebook, as_version=4)  # type: ignore[no-untyped-call]
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    figures = videos = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data or "image/svg+xml" in data:
                figures += 1
            if "<video" in str(data.get("text/html", "")):
                videos += 1
    want_figures, want_videos = _page_outputs(notebook)
    assert (figures, videos) == (want_figures, want_videos), (
        f"{notebook.name} displays {figures} figures and {videos} videos; its page shows "
        f"{want_figures} and {want_videos}"
    )


@pytest.mark.parametrize(
    "script", [nb.with_suffix(".py") for nb in _examples()], ids=lambda p: p.stem
)
def test_script_runs_with_plain_python(script: Path, tmp_path: Path) -> None:
    env = _kernel_env()
    done = subprocess.run(
        [sys.executable, str(script)],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{script.name} failed:\n{done.stderr[-1500:]}"
